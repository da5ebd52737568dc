/* global Buffer */
// The intake bench's baseline, run as its own process with plain node: an http server that parses the same JSON
// body and does one insert of a report row, on a pool the size of the application's. Prints {"port":…} when ready.
import { randomBytes } from 'node:crypto';
import { pool, serveBare } from './bare-server.mjs';

serveBare(async (request) => {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const at = new Date().toISOString();
  await pool.query(
    `insert into reports (reference, status, source, reporter_type, category, cyber, recording_code, force_id,
          force_candidates, postcode, contact_email, loss_pence, narrative, answers, created_at, updated_at)
         values ($1, 'received', 'api', 'individual', 'other', 'none', 'OTHER', 'cumbria', '["cumbria"]', $2, $3,
          250000, $4, $5, $6, $6)`,
    [
      `B${randomBytes(7).toString('hex')}`,
      body.reporter.postcode,
      body.reporter.email,
      body.incident.narrative,
      JSON.stringify(body),
      at,
    ],
  );
  return { status: 201, body: '{"ok":true}' };
});
