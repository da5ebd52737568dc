import { PostgresAdapter, sql, type SqlBool } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { StatsDailyTable } from '../schema.ts';

export type StatsDelta = StatsDailyTable;

/** Adds (or with negative numbers removes) counts; called in the same transaction as the change it counts. */
export async function addDailyStats(db: DbOrTrx, delta: StatsDelta): Promise<void> {
  await db
    .insertInto('stats_daily')
    .values(delta)
    .onConflict((oc) =>
      oc.columns(['day', 'force_id', 'category', 'cyber', 'source', 'shard']).doUpdateSet({
        reports: sql`stats_daily.reports + ${delta.reports}`,
        loss_pence: sql`stats_daily.loss_pence + ${delta.loss_pence}`,
      }),
    )
    .execute();
}

/**
 * Moves `from`'s counts to the row `to` names (a report recategorised) in one statement that locks the two rows in
 * key order, as the intake's batches lock theirs: a move and a batch never wait on each other in a cycle. On SQLite
 * (one writer at a time) the two deltas are simply added.
 */
export async function moveDailyStats(
  db: DbOrTrx,
  from: StatsDelta,
  to: Omit<StatsDelta, 'reports' | 'loss_pence'>,
): Promise<void> {
  if (KEY.every((k) => from[k] === to[k])) return;
  const out = { ...from, reports: -from.reports, loss_pence: -from.loss_pence };
  const into = { ...to, reports: from.reports, loss_pence: from.loss_pence };
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    await addDailyStats(db, out);
    await addDailyStats(db, into);
    return;
  }
  const row = (d: StatsDelta) =>
    sql`(${d.day}::varchar, ${d.force_id}::varchar, ${d.category}::varchar, ${d.cyber}::varchar, ${d.source}::varchar, ${d.shard}::integer, ${d.reports}::bigint, ${d.loss_pence}::bigint)`;
  await sql`insert into stats_daily (day, force_id, category, cyber, source, shard, reports, loss_pence)
    select * from (values ${row(out)}, ${row(into)}) as v (day, force_id, category, cyber, source, shard, reports, loss_pence)
    order by day, force_id, category, cyber, source, shard
    on conflict (day, force_id, category, cyber, source, shard) do update
      set reports = stats_daily.reports + excluded.reports, loss_pence = stats_daily.loss_pence + excluded.loss_pence`.execute(
    db,
  );
}

const KEY = ['day', 'force_id', 'category', 'cyber', 'source', 'shard'] as const;

/** Counters' key order: the keys are ASCII, so this is the order PostgreSQL sorts them in too (moveDailyStats). */
function byKey(a: StatsDelta, b: StatsDelta): number {
  for (const k of KEY) {
    const x = a[k];
    const y = b[k];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Several deltas in one statement (each for a different row: one per day, force, category, cyber and shard), taken
 * in key order, as every writer of several counters takes them, so two batches' daily counters never wait on each
 * other in a cycle. Their month's counters (taken by a trigger between two days) still can: callers run the
 * transaction again when PostgreSQL breaks such a deadlock (db/deadlock-retry.ts).
 */
export async function addDailyStatsMany(db: DbOrTrx, deltas: StatsDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await db
    .insertInto('stats_daily')
    .values([...deltas].sort(byKey))
    .onConflict((oc) =>
      oc.columns(['day', 'force_id', 'category', 'cyber', 'source', 'shard']).doUpdateSet({
        reports: sql`stats_daily.reports + excluded.reports`,
        loss_pence: sql`stats_daily.loss_pence + excluded.loss_pence`,
      }),
    )
    .execute();
}

export type StatsDimension = 'force' | 'category' | 'cyber' | 'month';

export interface StatsQuery {
  from: string;
  to: string;
  dimensions: StatsDimension[];
  forceIds?: string[];
  categories?: string[];
  excludeCategories: string[];
  /** Only crime with an online element (cyber-dependent or cyber-enabled): the public figures. */
  cyberOnly?: boolean;
}

export interface StatsRow {
  force?: string;
  category?: string;
  cyber?: string;
  month?: string;
  reports: number;
  loss_pence: number;
}

/** A UTC date (setUTCFullYear, unlike Date.UTC, keeps years below 100 as they are). */
function utc(year: number, monthIndex: number, day: number): string {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  return d.toISOString();
}

/** The last day of a month (YYYY-MM) as YYYY-MM-DD. */
function lastDayOf(month: string): string {
  return utc(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0).slice(0, 10);
}

/** The month `by` months after (or before) a month (YYYY-MM). */
function addMonths(month: string, by: number): string {
  return utc(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + by, 1).slice(0, 7);
}

/**
 * How a date range splits: whole months read from the monthly counts, the days before and after them from the
 * daily counts. Dates are YYYY-MM-DD strings (the public figures pass day 31 for any month's end).
 */
export function splitRange(
  from: string,
  to: string,
): { months?: { from: string; to: string }; days: { from: string; to: string }[] } {
  const fromMonth = from.slice(0, 7);
  const firstWhole = from.slice(8) === '01' ? fromMonth : addMonths(fromMonth, 1);
  const toMonth = to.slice(0, 7);
  const lastWhole = to >= lastDayOf(toMonth) ? toMonth : addMonths(toMonth, -1);
  if (firstWhole > lastWhole) return { days: [{ from, to }] };
  const days: { from: string; to: string }[] = [];
  if (from < `${firstWhole}-01`) days.push({ from, to: lastDayOf(fromMonth) });
  if (toMonth !== lastWhole) days.push({ from: `${addMonths(lastWhole, 1)}-01`, to });
  return { months: { from: firstWhole, to: lastWhole }, days };
}

/**
 * Sums the counts between two dates (inclusive) grouped by the requested dimensions: whole months from the
 * monthly counts, the edge days from the daily ones, in one query.
 */
export async function queryDailyStats(db: DbOrTrx, q: StatsQuery): Promise<StatsRow[]> {
  const range = splitRange(q.from, q.to);
  const conditions = [
    ...(q.forceIds === undefined ? [] : [sql`force_id in (${sql.join(q.forceIds)})`]),
    ...(q.categories === undefined ? [] : [sql`category in (${sql.join(q.categories)})`]),
    ...(q.excludeCategories.length === 0 ? [] : [sql`category not in (${sql.join(q.excludeCategories)})`]),
    ...(q.cyberOnly === true ? [sql`cyber <> 'none'`] : []),
  ];
  const filter = sql<SqlBool>`${conditions.length === 0 ? sql`1 = 1` : sql.join(conditions, sql` and `)}`;
  const parts = [
    ...(range.months === undefined
      ? []
      : [
          db
            .selectFrom('stats_monthly')
            .select(['force_id', 'category', 'cyber', 'reports', 'loss_pence', 'month'])
            .where('month', '>=', range.months.from)
            .where('month', '<=', range.months.to)
            .where(filter),
        ]),
    ...range.days.map((d) =>
      db
        .selectFrom('stats_daily')
        .select([
          'force_id',
          'category',
          'cyber',
          'reports',
          'loss_pence',
          sql<string>`substr(day, 1, 7)`.as('month'),
        ])
        .where('day', '>=', d.from)
        .where('day', '<=', d.to)
        .where(filter),
    ),
  ];
  const [first, ...rest] = parts;
  if (first === undefined) return [];
  const counts = rest.reduce((all, p) => all.unionAll(p), first);
  const columns = {
    force: sql<string>`force_id`,
    category: sql<string>`category`,
    cyber: sql<string>`cyber`,
    month: sql<string>`month`,
  };
  let query = db
    .selectFrom(counts.as('counts'))
    .select([
      sql<number | string>`sum(reports)`.as('reports'),
      sql<number | string>`sum(loss_pence)`.as('loss_pence'),
      ...q.dimensions.map((d) => columns[d].as(d)),
    ]);
  for (const d of q.dimensions) query = query.groupBy(columns[d]).orderBy(columns[d]);
  // A group whose reports all moved elsewhere (recategorised, marked duplicate) sums to nothing: leave it out.
  query = query.having(sql`sum(reports)`, '<>', 0);
  const rows = await query.execute();
  // Sums are bigint on PostgreSQL (parsed to numbers) and may be real on SQLite: normalise both.
  return rows.map((row) => ({ ...row, reports: Number(row.reports), loss_pence: Number(row.loss_pence) }));
}

/** Recomputes every count from the records themselves (after a bulk load, or to check the running counts). */
export async function rebuildDailyStats(db: DbOrTrx, excludedStatuses: string[]): Promise<void> {
  await db.deleteFrom('stats_daily').execute();
  // The triggers took every row away again: drop the emptied monthly rows too (the inserts below refill them).
  await db.deleteFrom('stats_monthly').execute();
  // A report's day is the UTC date of its created_at, as the running counts use.
  await sql`
    insert into stats_daily (day, force_id, category, cyber, source, shard, reports, loss_pence)
    select substr(created_at, 1, 10), coalesce(force_id, ''), category, cyber, 'report', 0, count(*), sum(loss_pence)
    from reports where status not in (${sql.join(excludedStatuses)})
    group by substr(created_at, 1, 10), coalesce(force_id, ''), category, cyber`.execute(db);
  await sql`
    insert into stats_daily (day, force_id, category, cyber, source, shard, reports, loss_pence)
    select recorded_on, force_id, category, cyber, 'legacy', 0, count(*), sum(loss_pence)
    from legacy_records group by recorded_on, force_id, category, cyber`.execute(db);
}
