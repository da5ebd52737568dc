import { sql } from 'kysely';
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

/** Several deltas in one statement (each for a different row: one per day, force, category, cyber and shard). */
export async function addDailyStatsMany(db: DbOrTrx, deltas: StatsDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await db
    .insertInto('stats_daily')
    .values(deltas)
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

/** Sums the daily counts between two dates (inclusive) grouped by the requested dimensions. */
export async function queryDailyStats(db: DbOrTrx, q: StatsQuery): Promise<StatsRow[]> {
  const columns = {
    force: sql<string>`force_id`,
    category: sql<string>`category`,
    cyber: sql<string>`cyber`,
    month: sql<string>`substr(day, 1, 7)`,
  };
  let query = db
    .selectFrom('stats_daily')
    .where('day', '>=', q.from)
    .where('day', '<=', q.to)
    .select([
      sql<number | string>`sum(reports)`.as('reports'),
      sql<number | string>`sum(loss_pence)`.as('loss_pence'),
      ...q.dimensions.map((d) => columns[d].as(d)),
    ]);
  if (q.forceIds !== undefined) query = query.where('force_id', 'in', q.forceIds);
  if (q.categories !== undefined) query = query.where('category', 'in', q.categories);
  if (q.excludeCategories.length > 0) query = query.where('category', 'not in', q.excludeCategories);
  if (q.cyberOnly === true) query = query.where('cyber', '<>', 'none');
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
