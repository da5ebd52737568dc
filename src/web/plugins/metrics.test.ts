import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, testDialect } from '../../../test/support/test-services.ts';
import { submitPartnerReport } from '../../../test/support/staff-fixtures.ts';
import { enqueueJob } from '../../db/repositories/outbox-repository.ts';
import { createOutboxWorker } from '../../services/outbox-worker.ts';
import { createApp } from '../app.ts';
import { createMetrics, startMetricsServer, type Metrics } from './metrics.ts';

const quiet = { info: () => undefined, error: () => undefined };

describe(`metrics and readiness (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let app: Awaited<ReturnType<typeof createApp>>;
  let metrics: Metrics;
  let server: Server;
  let scrape: () => Promise<string>;

  beforeAll(async () => {
    services = await createTestServices();
    metrics = createMetrics(services);
    app = await createApp(services, { logger: false, metrics });
    server = await startMetricsServer(metrics, '127.0.0.1', 0);
    const { port } = server.address() as AddressInfo;
    scrape = async () => {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      return res.text();
    };
  });
  afterAll(async () => {
    server.close();
    await app.close();
    await services.cleanup();
  });

  it('counts reports received and times requests by route pattern, never by the values in the path', async () => {
    await submitPartnerReport(app, services, {
      reporter: { type: 'individual', name: 'Vic Tim', postcode: 'CA1 1AA' },
      incident: { narrative: 'a fake parcel text took my card details' },
      consents: { victim_support: false },
    });
    await app.inject('/api/v1/indicators/phone/+447700900123');
    await app.inject('/no-such-page/vic.tim@example.com');
    const body = await scrape();
    expect(body).toContain('bluelight_reports_received_total{channel="api"} 1');
    expect(body).toMatch(
      /http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/reports",status="2xx"\} 1/,
    );
    expect(body).toMatch(/route="\/api\/v1\/indicators\/:type\/\*"/);
    expect(body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="unmatched",status="4xx"\} 1/,
    );
    // Nothing a person typed or a path carried becomes a label.
    for (const personal of ['447700900123', 'vic.tim', 'Vic Tim', 'CA1 1AA', 'parcel'])
      expect(body).not.toContain(personal);
  });

  it('reports the outbox: jobs waiting, the oldest one’s age, dead letters and failed attempts by kind', async () => {
    const now = new Date();
    await enqueueJob(
      services.database.db,
      { kind: 'metrics-probe', dedupeKey: 'probe-1', payload: {} },
      new Date(now.getTime() - 90_000),
    );
    await enqueueJob(services.database.db, { kind: 'metrics-fails', dedupeKey: 'fails-1', payload: {} }, now);
    await services.database.db
      .updateTable('outbox')
      .set({ attempts: 7 })
      .where('dedupe_key', '=', 'fails-1')
      .execute();
    const worker = createOutboxWorker(
      services.database.db,
      services.database.dialect,
      () => new Date(),
      {
        'metrics-fails': () => Promise.reject(new Error('receiver said 500')),
        // Keeps the probe waiting: this worker must not finish it.
        'metrics-probe': () => Promise.reject(new Error('not now')),
      },
      quiet,
      (job, dead) => {
        metrics.jobFailed(job.kind, dead);
      },
    );
    await worker.runOnce();
    const body = await scrape();
    expect(body).toContain('bluelight_job_failures_total{kind="metrics-fails",final="true"} 1');
    expect(body).toContain('bluelight_outbox_dead_letters{kind="metrics-fails"} 1');
    expect(body).toContain('bluelight_outbox_pending{kind="metrics-probe"} 1');
    const age = /bluelight_outbox_oldest_pending_seconds\{kind="metrics-probe"\} ([\d.]+)/.exec(body);
    expect(Number(age?.[1])).toBeGreaterThanOrEqual(90);
    expect(body).toContain('bluelight_metrics_scrape_ok 1');
  });

  it('shows the PostgreSQL pool, and no pool on SQLite', async () => {
    const body = await scrape();
    if (testDialect === 'postgres')
      expect(body).toMatch(/bluelight_db_pool_connections\{state="total"\} [1-9]/);
    else expect(body).not.toContain('bluelight_db_pool_connections{');
  });

  it('is never served on the public port', async () => {
    expect((await app.inject('/metrics')).statusCode).toBe(404);
  });

  it('/readyz is 200 when every migration is applied, and 503 while one is missing (why: in the log only)', async () => {
    expect((await app.inject('/readyz')).statusCode).toBe(200);
    // As if a newer release's migration were still being applied by another instance.
    const last = await services.database.db
      .selectFrom(sql`kysely_migration`.as('m'))
      .select(sql<string>`name`.as('name'))
      .orderBy(sql`name`, 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    await sql`delete from kysely_migration where name = ${last.name}`.execute(services.database.db);
    const res = await app.inject('/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      detail: 'The service is not available',
    });
    expect(res.body).not.toContain(last.name);
    // Liveness is another question: the process still reaches its database.
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    await sql`insert into kysely_migration (name, timestamp) values (${last.name}, ${new Date().toISOString()})`.execute(
      services.database.db,
    );
    expect((await app.inject('/readyz')).statusCode).toBe(200);
  });
});
