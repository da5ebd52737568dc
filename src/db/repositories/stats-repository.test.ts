import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, testDialect } from '../../../test/support/test-services.ts';
import {
  addDailyStats,
  addDailyStatsMany,
  moveDailyStats,
  queryDailyStats,
  rebuildDailyStats,
  splitRange,
  type StatsDelta,
  type StatsDimension,
} from './stats-repository.ts';

describe('splitRange: whole months from the monthly counts, edge days from the daily ones', () => {
  it.each([
    ['2026-01-01', '2026-12-31', { months: { from: '2026-01', to: '2026-12' }, days: [] }],
    // The public figures end every month on day 31.
    ['2026-02-01', '2026-02-31', { months: { from: '2026-02', to: '2026-02' }, days: [] }],
    ['2024-02-01', '2024-02-29', { months: { from: '2024-02', to: '2024-02' }, days: [] }],
    ['2024-02-01', '2024-02-28', { days: [{ from: '2024-02-01', to: '2024-02-28' }] }],
    [
      '2025-11-15',
      '2026-02-03',
      {
        months: { from: '2025-12', to: '2026-01' },
        days: [
          { from: '2025-11-15', to: '2025-11-30' },
          { from: '2026-02-01', to: '2026-02-03' },
        ],
      },
    ],
    ['2026-03-02', '2026-03-30', { days: [{ from: '2026-03-02', to: '2026-03-30' }] }],
    [
      '2026-03-02',
      '2026-04-30',
      { months: { from: '2026-04', to: '2026-04' }, days: [{ from: '2026-03-02', to: '2026-03-31' }] },
    ],
    ['0050-12-01', '0051-01-31', { months: { from: '0050-12', to: '0051-01' }, days: [] }],
    ['2026-05-01', '2026-03-31', { days: [{ from: '2026-05-01', to: '2026-03-31' }] }],
  ])('%s to %s', (from, to, expected) => {
    expect(splitRange(from, to)).toEqual(expected);
  });
});

// The monthly counts are kept by triggers on the daily ones: any mix of writes leaves them equal to the days summed,
// and any range read through both equals the days read alone.
describe(`the monthly counts follow the daily counts (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  // A small deterministic generator: the same writes on every run and both databases.
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  const pick = <T>(xs: readonly T[]): T => xs[random(xs.length)] as T;
  const FORCES = ['cumbria', 'kent', ''] as const;
  const CATEGORIES = ['phishing', 'romance-fraud', 'ransomware'] as const;
  const CYBER = ['dependent', 'enabled', 'none'] as const;
  const day = () =>
    `${String(2025 + random(2))}-${String(1 + random(12)).padStart(2, '0')}-${String(1 + random(28)).padStart(2, '0')}`;
  const delta = (): StatsDelta => ({
    day: day(),
    force_id: pick(FORCES),
    category: pick(CATEGORIES),
    cyber: pick(CYBER),
    source: pick(['report', 'legacy'] as const),
    shard: random(3),
    // Some writes take counts away (recategorised, marked duplicate).
    reports: random(5) === 0 ? -1 : 1 + random(3),
    loss_pence: random(10_000),
  });

  beforeAll(async () => {
    services = await createTestServices();
    const db = services.database.db;
    for (let i = 0; i < 300; i++) await addDailyStats(db, delta());
    for (let i = 0; i < 10; i++) {
      // One statement, distinct keys (as the import writes a batch).
      const batch = new Map<string, StatsDelta>();
      for (let j = 0; j < 20; j++) {
        const d = delta();
        batch.set(JSON.stringify([d.day, d.force_id, d.category, d.cyber, d.source, d.shard]), d);
      }
      await addDailyStatsMany(db, [...batch.values()]);
    }
    // Direct edits and deletes (as an operator's repair would make) are followed too.
    await db
      .updateTable('stats_daily')
      .set({ reports: 7 })
      .where('category', '=', 'ransomware')
      .where('shard', '=', 1)
      .execute();
    await db.deleteFrom('stats_daily').where('force_id', '=', 'kent').where('shard', '=', 2).execute();
  });
  afterAll(() => services.cleanup());

  async function dailyRows() {
    return services.database.db.selectFrom('stats_daily').selectAll().execute();
  }

  it('equal the daily counts summed by month, after inserts, upserts, updates and deletes', async () => {
    const byMonth = new Map<string, [number, number]>();
    for (const r of await dailyRows()) {
      const key = JSON.stringify([r.day.slice(0, 7), r.force_id, r.category, r.cyber, r.source, r.shard]);
      const [reports, loss] = byMonth.get(key) ?? [0, 0];
      byMonth.set(key, [reports + r.reports, loss + r.loss_pence]);
    }
    const monthly = new Map<string, [number, number]>();
    for (const r of await services.database.db.selectFrom('stats_monthly').selectAll().execute()) {
      // A month whose days were all deleted keeps a zero row: the same as no row.
      if (r.reports === 0 && r.loss_pence === 0) continue;
      monthly.set(JSON.stringify([r.month, r.force_id, r.category, r.cyber, r.source, r.shard]), [
        r.reports,
        r.loss_pence,
      ]);
    }
    for (const [key, value] of byMonth) if (value[0] === 0 && value[1] === 0) byMonth.delete(key);
    expect(byMonth.size).toBeGreaterThan(50);
    expect(monthly).toEqual(byMonth);
  });

  it('answer any range and grouping exactly as the daily counts alone would', async () => {
    const rows = await dailyRows();
    const DIMENSIONS: StatsDimension[][] = [
      [],
      ['month'],
      ['force', 'category'],
      ['month', 'cyber'],
      ['category'],
    ];
    for (let i = 0; i < 40; i++) {
      let [from, to] = [day(), day()];
      if (from > to) [from, to] = [to, from];
      // Whole-month edges half the time, as the public figures ask.
      if (i % 2 === 0) [from, to] = [`${from.slice(0, 7)}-01`, `${to.slice(0, 7)}-31`];
      const dimensions = pick(DIMENSIONS);
      const forceIds = i % 3 === 0 ? ['cumbria', ''] : undefined;
      const cyberOnly = i % 4 === 0;
      const expected = new Map<string, { reports: number; loss_pence: number }>();
      for (const r of rows) {
        if (r.day < from || r.day > to || r.category === 'phishing') continue;
        if (forceIds !== undefined && !forceIds.includes(r.force_id)) continue;
        if (cyberOnly && r.cyber === 'none') continue;
        const dims = { force: r.force_id, category: r.category, cyber: r.cyber, month: r.day.slice(0, 7) };
        const key = JSON.stringify(dimensions.map((d) => dims[d]));
        const sum = expected.get(key) ?? { reports: 0, loss_pence: 0 };
        sum.reports += r.reports;
        sum.loss_pence += r.loss_pence;
        expected.set(key, sum);
      }
      const got = await queryDailyStats(services.database.db, {
        from,
        to,
        dimensions,
        forceIds,
        excludeCategories: ['phishing'],
        cyberOnly,
      });
      const answer = new Map(
        got.map((g) => [
          JSON.stringify(dimensions.map((d) => g[d])),
          { reports: g.reports, loss_pence: g.loss_pence },
        ]),
      );
      for (const [key, value] of expected) if (value.reports === 0) expected.delete(key);
      expect(answer, `${from} ${to} ${dimensions.join()}`).toEqual(expected);
    }
  });

  it('are rebuilt with the daily counts', async () => {
    await rebuildDailyStats(services.database.db, ['duplicate']);
    // No reports or records in this database: nothing is counted anywhere.
    expect(await services.database.db.selectFrom('stats_monthly').selectAll().execute()).toEqual([]);
    expect(await services.database.db.selectFrom('stats_daily').selectAll().execute()).toEqual([]);
  });
});

// A recategorisation moves a count between two counter rows while the intake's batches take theirs in key order.
// Taken in the move's own order (old row, then new), the two could wait on each other and PostgreSQL would abort one.
describe(`a count moved between rows never deadlocks with a batch (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    services = await createTestServices();
  });
  afterAll(() => services.cleanup());

  /** The day's counter rows, by category. */
  const countsOn = (day: string) =>
    services.database.db
      .selectFrom('stats_daily')
      .select(['category', 'reports', 'loss_pence'])
      .where('day', '=', day)
      .orderBy('category')
      .execute();

  const row = (category: string): StatsDelta => ({
    day: '2026-01-01',
    force_id: 'cumbria',
    category,
    cyber: 'enabled',
    source: 'report',
    shard: 0,
    reports: 5,
    loss_pence: 500,
  });
  // In key order in any collation: "hacking…" before "online…".
  const [low, high] = [row('hacking-personal'), row('online-shopping-fraud')];

  it.skipIf(testDialect !== 'postgres')(
    'moves from the higher row to the lower while a batch holds the lower and then takes the higher',
    async () => {
      const db = services.database.db;
      await addDailyStatsMany(db, [low, high]);
      const one = (d: StatsDelta) => ({ ...d, reports: 1, loss_pence: 100 });
      let movePid = 0;
      let release: () => void = () => undefined;
      const lowHeld = new Promise<void>((resolve) => (release = resolve));
      // The batch: the lower counter first, then (once the move waits) the higher.
      const batch = db.transaction().execute(async (trx) => {
        await addDailyStats(trx, one(low));
        release();
        for (;;) {
          const waiting = await sql<{ wait: string | null }>`
            select wait_event_type as wait from pg_stat_activity where pid = ${movePid}`.execute(db);
          if (movePid !== 0 && waiting.rows[0]?.wait === 'Lock') break;
          await new Promise((resolve) => setImmediate(resolve));
        }
        await addDailyStats(trx, one(high));
      });
      await lowHeld;
      const move = db.transaction().execute(async (trx) => {
        movePid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]?.pid ?? 0;
        await moveDailyStats(trx, one(high), low);
      });
      const outcomes = await Promise.allSettled([batch, move]);
      expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok'))).toEqual(['ok', 'ok']);
      const counts = await countsOn('2026-01-01');
      expect(counts).toEqual([
        { category: 'hacking-personal', reports: 7, loss_pence: 700 },
        { category: 'online-shopping-fraud', reports: 5, loss_pence: 500 },
      ]);
    },
  );

  it('moves a count on either database, and nothing when the rows are the same', async () => {
    const db = services.database.db;
    const key = { ...row('malware'), day: '2026-02-01' };
    await addDailyStats(db, key);
    await moveDailyStats(
      db,
      { ...key, reports: 1, loss_pence: 100 },
      { ...key, category: 'phishing-attempt' },
    );
    await moveDailyStats(db, { ...key, reports: 1, loss_pence: 100 }, key);
    const counts = await countsOn('2026-02-01');
    expect(counts).toEqual([
      { category: 'malware', reports: 4, loss_pence: 400 },
      { category: 'phishing-attempt', reports: 1, loss_pence: 100 },
    ]);
  });
});
