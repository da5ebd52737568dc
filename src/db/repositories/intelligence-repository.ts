/**
 * Intelligence: indicators as reports name them (report_indicators), and campaigns — the groups of reports that
 * share one. The linking rules (which indicators link, which campaign absorbs which) are the service's.
 */
import { sql, type Insertable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { IndicatorsTable, ReportIndicatorsTable } from '../schema.ts';

/**
 * Adds the indicator, or marks it seen again (and re-checks its warning list) when it is known; on PostgreSQL the
 * row stays locked to the end of the transaction.
 */
export function upsertIndicator(
  q: DbOrTrx,
  row: Pick<Insertable<IndicatorsTable>, 'type' | 'value' | 'warning_list' | 'first_seen' | 'last_seen'>,
) {
  return q
    .insertInto('indicators')
    .values({ ...row, campaign_id: null })
    .onConflict((oc) =>
      oc.columns(['type', 'value']).doUpdateSet((eb) => ({
        last_seen: eb.ref('excluded.last_seen'),
        warning_list: eb.ref('excluded.warning_list'),
      })),
    )
    .returning(['id', 'campaign_id'])
    .executeTakeFirstOrThrow();
}

/** Rows per multi-row statement: well under SQLite's and PostgreSQL's limits on parameters. */
const ROWS_PER_STATEMENT = 500;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) out.push(rows.slice(i, i + ROWS_PER_STATEMENT));
  return out;
}

/**
 * upsertIndicator for many distinct indicators at once (one statement per 500, in the order given: on PostgreSQL
 * rows are locked in that order). Returns each one's id and campaign.
 */
export async function upsertIndicators(
  q: DbOrTrx,
  rows: readonly Pick<
    Insertable<IndicatorsTable>,
    'type' | 'value' | 'warning_list' | 'first_seen' | 'last_seen'
  >[],
): Promise<{ id: number; type: string; value: string; campaign_id: number | null }[]> {
  const out: { id: number; type: string; value: string; campaign_id: number | null }[] = [];
  for (const chunk of chunks(rows)) {
    out.push(
      ...(await q
        .insertInto('indicators')
        .values(chunk.map((row) => ({ ...row, campaign_id: null })))
        .onConflict((oc) =>
          oc.columns(['type', 'value']).doUpdateSet((eb) => ({
            last_seen: eb.ref('excluded.last_seen'),
            warning_list: eb.ref('excluded.warning_list'),
          })),
        )
        .returning(['id', 'type', 'value', 'campaign_id'])
        .execute()),
    );
  }
  return out;
}

/** insertReportIndicator for many rows at once; of two rows for one report and indicator the first is kept. */
export async function insertReportIndicators(
  q: DbOrTrx,
  rows: readonly Insertable<ReportIndicatorsTable>[],
): Promise<void> {
  for (const chunk of chunks(rows))
    await q
      .insertInto('report_indicators')
      .values(chunk)
      .onConflict((oc) => oc.columns(['report_id', 'indicator_id']).doNothing())
      .execute();
}

/** Every report naming any of these indicators, with the indicator and the report's campaign. */
export async function reportsNamingEach(
  q: DbOrTrx,
  indicatorIds: readonly number[],
): Promise<{ report_id: number; indicator_id: number; campaign_id: number | null }[]> {
  const out: { report_id: number; indicator_id: number; campaign_id: number | null }[] = [];
  for (const chunk of chunks(indicatorIds))
    out.push(
      ...(await q
        .selectFrom('report_indicators')
        .innerJoin('reports', 'reports.id', 'report_indicators.report_id')
        .select(['report_indicators.report_id', 'report_indicators.indicator_id', 'reports.campaign_id'])
        .where('report_indicators.indicator_id', 'in', chunk)
        .execute()),
    );
  return out;
}

/** Marks these campaigns updated. */
export async function touchCampaigns(q: DbOrTrx, ids: readonly number[], at: string): Promise<void> {
  for (const chunk of chunks(ids))
    await q.updateTable('campaigns').set({ updated_at: at }).where('id', 'in', chunk).execute();
}

/** Records that the report names the indicator (once: a second mention changes nothing). */
export async function insertReportIndicator(
  q: DbOrTrx,
  row: Insertable<ReportIndicatorsTable>,
): Promise<void> {
  await q
    .insertInto('report_indicators')
    .values(row)
    .onConflict((oc) => oc.columns(['report_id', 'indicator_id']).doNothing())
    .execute();
}

/** The other reports naming any of these indicators, with their campaigns. */
export function reportsNamingIndicators(q: DbOrTrx, indicatorIds: readonly number[], exceptReportId: number) {
  return q
    .selectFrom('report_indicators')
    .innerJoin('reports', 'reports.id', 'report_indicators.report_id')
    .select(['reports.id', 'reports.campaign_id'])
    .where('report_indicators.indicator_id', 'in', indicatorIds)
    .where('report_indicators.report_id', '<>', exceptReportId)
    .execute();
}

export async function insertCampaign(q: DbOrTrx, at: string): Promise<number> {
  const row = await q
    .insertInto('campaigns')
    .values({ merged_into: null, created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function touchCampaign(q: DbOrTrx, id: number, at: string): Promise<void> {
  await q.updateTable('campaigns').set({ updated_at: at }).where('id', '=', id).execute();
}

/** Moves the indicators and reports of `merged` campaigns into `target`, and marks those campaigns merged. */
export async function mergeCampaigns(
  q: DbOrTrx,
  target: number,
  merged: readonly number[],
  at: string,
): Promise<void> {
  // Indicators first: on PostgreSQL this waits for any report still adding to those campaigns.
  await q.updateTable('indicators').set({ campaign_id: target }).where('campaign_id', 'in', merged).execute();
  await q.updateTable('reports').set({ campaign_id: target }).where('campaign_id', 'in', merged).execute();
  await q
    .updateTable('campaigns')
    .set({ merged_into: target, updated_at: at })
    .where('id', 'in', merged)
    .execute();
}

export async function setIndicatorsCampaign(
  q: DbOrTrx,
  indicatorIds: readonly number[],
  campaignId: number,
): Promise<void> {
  for (const chunk of chunks(indicatorIds))
    await q.updateTable('indicators').set({ campaign_id: campaignId }).where('id', 'in', chunk).execute();
}

export async function setReportsCampaign(
  q: DbOrTrx,
  reportIds: readonly number[],
  campaignId: number,
): Promise<void> {
  for (const chunk of chunks(reportIds))
    await q.updateTable('reports').set({ campaign_id: campaignId }).where('id', 'in', chunk).execute();
}

/** PostgreSQL only: waits for, then holds to the end of the transaction, the advisory lock with this key. */
export async function takeAdvisoryLock(q: DbOrTrx, key: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(${key})`.execute(q);
}

/** The campaign this one was merged into, or null when it is live; undefined when there is no such campaign. */
export async function campaignMergedInto(q: DbOrTrx, id: number): Promise<number | null | undefined> {
  const row = await q.selectFrom('campaigns').select('merged_into').where('id', '=', id).executeTakeFirst();
  return row?.merged_into;
}

/** Per campaign: its reports, their total loss, and the first and last report's time. */
export function campaignTotals(q: DbOrTrx, ids: readonly number[]) {
  return q
    .selectFrom('reports')
    .select((eb) => [
      'campaign_id',
      eb.fn.countAll<number | string>().as('reports'),
      eb.fn.sum<number | string>('loss_pence').as('loss'),
      eb.fn.min('created_at').as('first'),
      eb.fn.max('created_at').as('last'),
    ])
    .where('campaign_id', 'in', ids)
    .groupBy('campaign_id')
    .execute();
}

/** Per campaign, category and force: how many reports. */
export function campaignReportCounts(q: DbOrTrx, ids: readonly number[]) {
  return q
    .selectFrom('reports')
    .select((eb) => ['campaign_id', 'category', 'force_id', eb.fn.countAll<number | string>().as('reports')])
    .where('campaign_id', 'in', ids)
    .groupBy(['campaign_id', 'category', 'force_id'])
    .execute();
}

/** The campaigns' indicators with how many reports name each, most named first. */
export function campaignIndicatorCounts(q: DbOrTrx, ids: readonly number[]) {
  return q
    .selectFrom('indicators')
    .innerJoin('report_indicators', 'report_indicators.indicator_id', 'indicators.id')
    .select((eb) => [
      'indicators.campaign_id',
      'indicators.type',
      'indicators.value',
      eb.fn.countAll<number | string>().as('reports'),
    ])
    .where('indicators.campaign_id', 'in', ids)
    .groupBy(['indicators.campaign_id', 'indicators.type', 'indicators.value'])
    .orderBy('reports', 'desc')
    .orderBy('indicators.type')
    .orderBy('indicators.value')
    .execute();
}

export function findIndicator(q: DbOrTrx, type: string, value: string) {
  return q
    .selectFrom('indicators')
    .selectAll()
    .where('type', '=', type)
    .where('value', '=', value)
    .executeTakeFirst();
}

/**
 * An indicator with how many reports and forces name it and the (highest) campaign among them, in one query: a
 * look-up is an audited transaction on every call, so each round trip counts.
 */
export function findIndicatorWithCounts(q: DbOrTrx, type: string, value: string) {
  return q
    .selectFrom('indicators')
    .leftJoin('report_indicators', 'report_indicators.indicator_id', 'indicators.id')
    .leftJoin('reports', 'reports.id', 'report_indicators.report_id')
    .select((eb) => [
      'indicators.id',
      'indicators.type',
      'indicators.value',
      'indicators.first_seen',
      'indicators.last_seen',
      'indicators.warning_list',
      eb.fn.count<number | string>('reports.id').as('reports'),
      eb.fn.count<number | string>('reports.force_id').distinct().as('forces'),
      eb.fn.max('reports.campaign_id').as('campaign'),
    ])
    .where('indicators.type', '=', type)
    .where('indicators.value', '=', value)
    .groupBy('indicators.id')
    .executeTakeFirst();
}

/** What a report's indicator row carries, selected and grouped by alike. */
const REPORT_INDICATOR_COLUMNS = [
  'indicators.id',
  'indicators.type',
  'indicators.value',
  'indicators.warning_list',
  'indicators.campaign_id',
  'indicators.held_back',
  'indicators.retracted',
  'indicators.released_at',
  'indicators.released_by',
  'mine.source',
  'mine.found_in',
] as const;

/** A report's indicators, each with how many other reports and forces name it (one query). */
export function indicatorsOfReportWithCounts(q: DbOrTrx, reportId: number) {
  return q
    .selectFrom('report_indicators as mine')
    .innerJoin('indicators', 'indicators.id', 'mine.indicator_id')
    .leftJoin('report_indicators as other', (join) =>
      join.onRef('other.indicator_id', '=', 'indicators.id').on('other.report_id', '<>', reportId),
    )
    .leftJoin('reports', 'reports.id', 'other.report_id')
    .select((eb) => [
      ...REPORT_INDICATOR_COLUMNS,
      eb.fn.count<number | string>('other.report_id').as('other_reports'),
      eb.fn.count<number | string>('reports.force_id').distinct().as('other_forces'),
    ])
    .where('mine.report_id', '=', reportId)
    .groupBy(REPORT_INDICATOR_COLUMNS)
    .execute();
}

/** The type and value of each indicator the report names. */
export function indicatorValuesOfReport(q: DbOrTrx, reportId: number) {
  return q
    .selectFrom('report_indicators')
    .innerJoin('indicators', 'indicators.id', 'report_indicators.indicator_id')
    .select(['indicators.type', 'indicators.value'])
    .where('report_indicators.report_id', '=', reportId)
    .execute();
}

/** The report's campaign and force. */
export function campaignOfReport(q: DbOrTrx, reportId: number) {
  return q
    .selectFrom('reports')
    .select(['campaign_id', 'force_id'])
    .where('id', '=', reportId)
    .executeTakeFirst();
}

/** How many reports, and forces, the campaign holds besides this report. */
export function otherReportsOfCampaign(q: DbOrTrx, campaignId: number, exceptReportId: number) {
  return q
    .selectFrom('reports')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('reports'),
      eb.fn.count<number | string>('force_id').distinct().as('forces'),
    ])
    .where('campaign_id', '=', campaignId)
    .where('id', '<>', exceptReportId)
    .executeTakeFirstOrThrow();
}

/**
 * Live campaigns with their sizes, largest and most recent first; with `units` (not empty: `in ()` is not SQL),
 * only those holding a report of one of them.
 */
export function liveCampaignsBySize(q: DbOrTrx, units?: readonly string[]) {
  let query = q
    .selectFrom('reports')
    .innerJoin('campaigns', 'campaigns.id', 'reports.campaign_id')
    .select((eb) => ['campaigns.id', 'campaigns.updated_at', eb.fn.countAll<number | string>().as('reports')])
    .where('campaigns.merged_into', 'is', null)
    .groupBy(['campaigns.id', 'campaigns.updated_at']);
  if (units !== undefined) {
    query = query.having((eb) =>
      eb(
        eb.fn.sum<number | string>(eb.case().when('reports.unit_id', 'in', units).then(1).else(0).end()),
        '>',
        0,
      ),
    );
  }
  return query
    .orderBy('reports', 'desc')
    .orderBy('campaigns.updated_at', 'desc')
    .orderBy('campaigns.id')
    .execute();
}

/** A campaign's reports, oldest first. */
export function reportsOfCampaign(q: DbOrTrx, campaignId: number) {
  return q
    .selectFrom('reports')
    .select(['id', 'reference', 'force_id', 'unit_id', 'category', 'created_at', 'loss_pence'])
    .where('campaign_id', '=', campaignId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Which report names which of a campaign's indicators. */
export function indicatorLinksOfCampaign(q: DbOrTrx, campaignId: number) {
  return q
    .selectFrom('report_indicators')
    .innerJoin('indicators', 'indicators.id', 'report_indicators.indicator_id')
    .select([
      'report_indicators.report_id',
      'indicators.id as indicator_id',
      'indicators.type',
      'indicators.value',
      'report_indicators.source',
    ])
    .where('indicators.campaign_id', '=', campaignId)
    .execute();
}
