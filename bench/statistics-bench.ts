import { sql } from 'kysely';
import { performance } from 'node:perf_hooks';
import type { Services } from '../src/services/index.ts';
import { percentile, type Result } from './measure.ts';

const ROWS = Number(process.env.BENCH_STATISTICS_ROWS ?? 1_000_000);
const QUERIES = 200;

/**
 * Seeds a million reports directly in PostgreSQL, rebuilds the running counts once, then times the statistics
 * query (group by force and month over a year, and with filters) against a plain count(*) over the same table.
 */
export async function statisticsBench(services: Services): Promise<Result> {
  const db = services.database.db;
  const forces = services.reference.forces.filter((f) => f.territorial).map((f) => f.id);
  const categories = [
    'online-shopping-fraud',
    'card-account-fraud',
    'impersonation-fraud',
    'hacking-social-email',
    'investment-fraud',
    'romance-fraud',
    'malware',
    'other',
  ];
  await sql`
    insert into reports (reference, status, source, reporter_type, category, cyber, recording_code, force_id, force_candidates,
      postcode, contact_email, loss_pence, vulnerable, ongoing, victim_support_consent, narrative, answers, created_at, updated_at)
    select 'B' || lpad(g::text, 12, '0'), 'received', 'api', 'individual',
      (${sql.val(categories)}::text[])[1 + g % ${categories.length}], 'enabled', 'X',
      (${sql.val(forces)}::text[])[1 + g % ${forces.length}], '[]', null, null, (g % 1000) * 100, 0, 0, 0, 'seeded', '{}',
      to_char(timestamp '2025-01-01' + (g % 700) * interval '1 day' + (g % 86400) * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.000"Z"'),
      '2026-01-01T00:00:00.000Z'
    from generate_series(1, ${ROWS}) as g`.execute(db);
  await sql`analyze reports`.execute(db);
  await services.statistics.rebuild();

  const time = async (fn: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < 10; i++) await fn();
    for (let i = 0; i < QUERIES; i++) {
      const t0 = performance.now();
      await fn();
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
  };
  const ours = await time(() =>
    services.statistics
      .query({ from: '2025-06-01', to: '2026-05-31', groupBy: ['force', 'month'] })
      .then(() =>
        services.statistics.query({
          from: '2025-01-01',
          to: '2026-12-31',
          groupBy: ['region', 'category'],
          categories: ['romance-fraud', 'malware'],
        }),
      ),
  );
  const baseline = await time(() => sql`select count(*) from reports`.execute(db));
  // Expressed as queries per second so the ratio reads the same way as the other benchmarks (higher is better).
  return {
    name: `statistics query over ${ROWS.toLocaleString('en-GB')} reports on ${services.database.dialect} (2 grouped queries vs one plain count(*))`,
    ours: { perSecond: 1000 / ours.p50, unit: 'query pairs/s at p50', p50Ms: ours.p50, p99Ms: ours.p99 },
    baseline: {
      perSecond: 1000 / baseline.p50,
      unit: 'counts/s at p50',
      p50Ms: baseline.p50,
      p99Ms: baseline.p99,
    },
  };
}
