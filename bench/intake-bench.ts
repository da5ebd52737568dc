import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import pg from 'pg';
import type { Services } from '../src/services/index.ts';
import { createApp } from '../src/web/app.ts';
import { load, type Result } from './measure.ts';

const REQUESTS = Number(process.env.BENCH_INTAKE_REQUESTS ?? 3000);
const CONCURRENCY = 16;

const body = (i: number) => ({
  reporter: {
    type: 'individual',
    name: `Bench Person ${i}`,
    email: `bench${i}@example.org`,
    postcode: 'CA1 1AA',
  },
  incident: {
    narrative: 'Paid for a car advertised online that did not exist.',
    losses: [{ amount_pence: 250000, method: 'bank-transfer' }],
  },
  consents: { victim_support: false },
});

/**
 * Reports per second through POST /api/v1/reports (auth, validation, postcode → force, one transaction with the
 * report, its first update and its email job), against a bare Fastify route doing one pg insert of the same row.
 */
export async function intakeBench(services: Services): Promise<Result> {
  const app = await createApp(services, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const ours = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/reports`;
  const { token } = await services.tokens.create('bench', ['reports:write']);

  // The same database (and schema) the app writes to.
  const pool = new pg.Pool({ connectionString: services.config.database.url, max: 10 });
  const bare = Fastify();
  bare.post('/reports', async (request) => {
    const b = request.body as ReturnType<typeof body>;
    const at = new Date().toISOString();
    await pool.query(
      `insert into reports (reference, status, source, reporter_type, category, cyber, recording_code, force_id, force_candidates,
        postcode, contact_email, loss_pence, narrative, answers, created_at, updated_at)
       values ($1, 'received', 'api', 'individual', 'other', 'none', 'OTHER', 'cumbria', '["cumbria"]', 'CA1 1AA', $2, 250000, $3, $4, $5, $5)`,
      [
        `BENCH-${Math.random().toString(36).slice(2, 12)}`,
        b.reporter.email,
        b.incident.narrative,
        JSON.stringify(b),
        at,
      ],
    );
    return { ok: true };
  });
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const baselineUrl = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}/reports`;

  const send = (url: string, headers: Record<string, string>) => async (i: number) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body(i)),
    });
    if (res.status !== 201 && res.status !== 200)
      throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };
  const oursSend = send(ours, { authorization: `Bearer ${token}` });
  const bareSend = send(baselineUrl, {});
  await load(oursSend, 200, CONCURRENCY, 'reports/s'); // warm up both
  await load(bareSend, 200, CONCURRENCY, 'rows/s');
  const result: Result = {
    name: `report intake over HTTP on ${services.database.dialect} (${REQUESTS} requests, ${CONCURRENCY} clients)`,
    ours: await load(oursSend, REQUESTS, CONCURRENCY, 'reports/s'),
    baseline: await load(bareSend, REQUESTS, CONCURRENCY, 'rows/s'),
  };
  await bare.close();
  await pool.end();
  await app.close();
  return result;
}
