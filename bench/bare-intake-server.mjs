/* global process, Buffer, console */
// The intake bench's baseline, run as its own process with plain node: an http server that parses the same JSON
// body and does one insert of a report row, on a pool the size of the application's. Prints {"port":…} when ready.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const at = new Date().toISOString();
    pool
      .query(
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
      )
      .then(() => {
        response.writeHead(201, { 'content-type': 'application/json' });
        response.end('{"ok":true}');
      })
      .catch((error) => {
        process.stderr.write(`${String(error)}\n`);
        response.writeHead(500);
        response.end(String(error));
      });
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
process.once('SIGTERM', () => {
  server.close(() => void pool.end().then(() => process.exit(0)));
});
