import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import {
  createTestDatabase,
  TEST_AUDIT_SIGNING_KEY,
  TEST_DATA_KEY,
  testConfig,
  testDialect,
  testReference,
} from '../test/support/test-services.ts';
import { services as buildServices } from '../src/services/index.ts';
import { startAppServer, startProcess, stop } from './intake-bench.ts';
import type { Rate, Result } from './measure.ts';

const REPORTS = Number(process.env.BENCH_SCALE_REPORTS ?? 10_000_000);
const INDICATORS = Number(process.env.BENCH_SCALE_INDICATORS ?? REPORTS);
const REQUESTS = Number(process.env.BENCH_SCALE_REQUESTS ?? 2000);
// Statistics queries are slower: fewer of them, still enough for a p99.
const STATISTICS_REQUESTS = Number(process.env.BENCH_SCALE_STATISTICS_REQUESTS ?? 400);
// BENCH_SCALE_CONNECTIONS: concurrent clients (2; 16 shows how look-ups share the audit log's head under load).
const CONNECTIONS = Number(process.env.BENCH_SCALE_CONNECTIONS ?? 2);
// BENCH_SCALE_KEEP=<name> keeps the seeded schema under that name and reuses it on the next run (seeding 10 M
// rows takes many minutes), so code before and after a change can be measured on the same data.
const KEEP = process.env.BENCH_SCALE_KEEP ?? '';
const CHUNK = 1_000_000;
const root = fileURLToPath(new URL('../', import.meta.url));

const CATEGORIES = [
  'online-shopping-fraud',
  'card-account-fraud',
  'impersonation-fraud',
  'hacking-social-email',
  'investment-fraud',
  'romance-fraud',
  'malware',
  'other',
];

/** Each indicator looked up: spread over the whole table (a prime stride). */
const pick = (i: number) => 1 + ((i * 7919) % INDICATORS);

async function run(
  url: (i: number) => string,
  headers: Record<string, string>,
  unit: string,
  amount = REQUESTS,
): Promise<Rate> {
  let i = 0;
  const result = await autocannon({
    url: url(0),
    connections: CONNECTIONS,
    amount,
    // Its duration is right to the sampling interval only (bench/intake-load.mjs says why).
    sampleInt: 10,
    requests: [{ method: 'GET', headers, setupRequest: (request) => ({ ...request, path: url(i++) }) }],
  });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    const sample = await fetch(url(i), { headers });
    throw new Error(
      `${url(0)}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts; one more answered ${sample.status} ${(await sample.text()).slice(0, 300)}`,
    );
  }
  return {
    perSecond: result['2xx'] / result.duration,
    unit,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

/** The slower of two rounds' p99 and their mean rate: rounds alternate between ours and the baseline. */
const merge = (a: Rate, b: Rate): Rate => ({
  unit: a.unit,
  perSecond: (a.perSecond + b.perSecond) / 2,
  p50Ms: Math.max(a.p50Ms ?? 0, b.p50Ms ?? 0),
  p99Ms: Math.max(a.p99Ms ?? 0, b.p99Ms ?? 0),
});

/**
 * National scale: BENCH_SCALE_REPORTS reports (10 million) and BENCH_SCALE_INDICATORS indicators (as many) in a
 * scratch PostgreSQL schema, dropped afterwards. The real server (node dist/server.js, its own process) answers
 * GET /api/v1/statistics (two query shapes, alternately) and GET /api/v1/indicators/domain/… (audited, as in
 * production); autocannon in this process, 2 connections. The baseline, in the same run and on the same
 * database: a bare node http server (its own process) reading one indicator row by primary key. Rounds alternate.
 */
export async function scaleBench(): Promise<Result[]> {
  if (testDialect !== 'postgres') throw new Error('the scale bench runs on PostgreSQL: set DATABASE_URL');
  const database = await createTestDatabase(KEEP === '' ? {} : { keepSchema: KEEP });
  const services = buildServices(testConfig(database.url), { reference: testReference() });
  const processes: Awaited<ReturnType<typeof startProcess>>[] = [];
  try {
    await services.migrate();
    const db = services.database.db;
    const forces = services.reference.forces.filter((f) => f.territorial).map((f) => f.id);
    const seeded = await db
      .selectFrom('reports')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(seeded.n) !== 0 && Number(seeded.n) !== REPORTS)
      throw new Error(`the kept schema ${KEEP} holds ${seeded.n} reports, not ${REPORTS}: drop it`);
    const reseed = Number(seeded.n) === 0;
    const t0 = performance.now();
    // Reports over 700 days, every force and category: a pseudo-random spread (not g modulo each, whose
    // combinations would repeat), so the daily counts hold about every day × force × category.
    for (let from = 1; reseed && from <= REPORTS; from += CHUNK) {
      const to = Math.min(REPORTS, from + CHUNK - 1);
      await sql`
        insert into reports (reference, status, source, reporter_type, category, cyber, recording_code, force_id,
          force_candidates, postcode, contact_email, loss_pence, vulnerable, ongoing, victim_support_consent,
          narrative, answers, created_at, updated_at)
        select 'B' || lpad(g::text, 12, '0'), 'received', 'api', 'individual',
          (${sql.val(CATEGORIES)}::text[])[1 + (g * 7) % ${CATEGORIES.length}],
          case when g % 3 = 0 then 'dependent' else 'enabled' end, 'X',
          (${sql.val(forces)}::text[])[1 + ((g * 2654435761) % 4294967296) % ${forces.length}], '[]', null, null,
          (g % 1000) * 100, 0, 0, 0, 'seeded', '{}',
          to_char(timestamp '2025-01-01' + ((g * 40503) % 700) * interval '1 day' + (g % 86400) * interval '1 second',
            'YYYY-MM-DD"T"HH24:MI:SS.000"Z"'),
          '2026-01-01T00:00:00.000Z'
        from generate_series(${from}::bigint, ${to}::bigint) as g`.execute(db);
    }
    const reportSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    for (let from = 1; reseed && from <= INDICATORS; from += CHUNK) {
      const to = Math.min(INDICATORS, from + CHUNK - 1);
      await sql`
        insert into indicators (type, value, warning_list, campaign_id, first_seen, last_seen)
        select 'domain', 'bench-' || g || '.example-scam.com', null, null, '2026-01-01T00:00:00.000Z',
          '2026-01-01T00:00:00.000Z'
        from generate_series(${from}::bigint, ${to}::bigint) as g`.execute(db);
      // Each indicator named by one report (one in three by two).
      await sql`
        insert into report_indicators (report_id, indicator_id, source, found_in, created_at)
        select 1 + (g % ${REPORTS}), g, 'narrative', 'narrative', '2026-01-01T00:00:00.000Z'
        from generate_series(${from}::bigint, ${to}::bigint) as g
        union all
        select 1 + ((g * 7) % ${REPORTS}), g, 'narrative', 'narrative', '2026-01-01T00:00:00.000Z'
        from generate_series(${from}::bigint, ${to}::bigint) as g
        where g % 3 = 0 and (g * 7) % ${REPORTS} <> g % ${REPORTS}`.execute(db);
    }
    const indicatorSeconds = (performance.now() - t1) / 1000;
    if (reseed) {
      await services.statistics.rebuild();
      await sql`analyze`.execute(db);
    }
    const statsRows = await db
      .selectFrom('stats_daily')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    console.log(
      reseed
        ? `  seeded ${REPORTS.toLocaleString('en-GB')} reports in ${reportSeconds.toFixed(0)} s, ${INDICATORS.toLocaleString('en-GB')} indicators and their links in ${indicatorSeconds.toFixed(0)} s; ${Number(statsRows.n).toLocaleString('en-GB')} daily count rows`
        : `  reused the kept schema ${KEEP} (${Number(statsRows.n).toLocaleString('en-GB')} daily count rows)`,
    );
    const { token: statisticsToken } = await services.tokens.create('bench', ['statistics:read']);
    if (reseed)
      await services.staffAccounts.add({
        email: 'bench-analyst@police.example',
        role: 'analyst',
        password: 'correct horse battery staple',
      });
    const analyst = await services.staff.userIdByEmail('bench-analyst@police.example');
    const { token: staffToken } = await services.tokens.create(
      'bench analyst',
      ['staff'],
      analyst?.id ?? null,
    );
    await services.close();

    const server = await startAppServer(database.url, {
      DATA_KEY: TEST_DATA_KEY,
      AUDIT_SIGNING_KEY: TEST_AUDIT_SIGNING_KEY,
    });
    processes.push(server);
    const bare = await startProcess(
      [join(root, 'bench/bare-read-server.mjs')],
      { ...process.env, DATABASE_URL: database.url },
      (line) => {
        const m = /^\{"port":(\d+)\}$/.exec(line.trim());
        return m?.[1] === undefined ? null : Number(m[1]);
      },
    );
    processes.push(bare);

    const app = `http://127.0.0.1:${String(server.port)}`;
    const statistics = (i: number) =>
      `${app}/api/v1/statistics?${
        i % 2 === 0
          ? 'from=2025-06-01&to=2026-05-31&group_by=force,month'
          : 'from=2025-01-01&to=2026-12-31&group_by=region,category&category=romance-fraud,malware'
      }`;
    const lookup = (i: number) => `${app}/api/v1/indicators/domain/bench-${pick(i)}.example-scam.com`;
    const baseline = (i: number) => `http://127.0.0.1:${bare.port}/indicator?id=${pick(i + 1)}`;
    const statsAuth = { authorization: `Bearer ${statisticsToken}` };
    const staffAuth = { authorization: `Bearer ${staffToken}` };

    // Warm up (JIT, pools, PostgreSQL's cache), then two rounds, alternated.
    await run(statistics, statsAuth, 'queries/s', STATISTICS_REQUESTS);
    await run(lookup, staffAuth, 'lookups/s');
    await run(baseline, {}, 'reads/s');
    const rounds: { stats: Rate; look: Rate; base: Rate }[] = [];
    for (let round = 0; round < 2; round++) {
      const base = await run(baseline, {}, 'reads/s');
      const stats = await run(statistics, statsAuth, 'queries/s', STATISTICS_REQUESTS);
      const look = await run(lookup, staffAuth, 'lookups/s');
      rounds.push({ stats, look, base });
    }
    const [a, b] = rounds as [(typeof rounds)[0], (typeof rounds)[0]];
    const base = merge(a.base, b.base);
    const scale = `${REPORTS.toLocaleString('en-GB')} reports, ${INDICATORS.toLocaleString('en-GB')} indicators`;
    return [
      {
        name: `GET /api/v1/statistics over HTTP at ${scale} (PostgreSQL; server in its own process, ${CONNECTIONS} connections; vs a bare primary-key read over HTTP; target p99 < 50 ms)`,
        ours: merge(a.stats, b.stats),
        baseline: base,
      },
      {
        name: `GET /api/v1/indicators/domain/… (audited look-up) over HTTP at ${scale} (same; target p99 < 10 ms)`,
        ours: merge(a.look, b.look),
        baseline: base,
      },
    ];
  } finally {
    for (const p of processes) await stop(p);
    await services.close().catch(() => undefined);
    await database.drop();
  }
}
