/** Disruption requests to industry partners (issue 22) and what they read of reports, cases and indicators. */
import type { Insertable, Updateable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { DisruptionRequestsTable } from '../schema.ts';

export async function insertRequest(q: DbOrTrx, row: Insertable<DisruptionRequestsTable>): Promise<number> {
  const { id } = await q
    .insertInto('disruption_requests')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Requests with their partner's name and the references of the report and case they came from. */
const withNames = (q: DbOrTrx) =>
  q
    .selectFrom('disruption_requests')
    .innerJoin('partners', 'partners.id', 'disruption_requests.partner_id')
    .leftJoin('reports', 'reports.id', 'disruption_requests.report_id')
    .leftJoin('cases', 'cases.id', 'disruption_requests.case_id')
    .selectAll('disruption_requests')
    .select([
      'partners.name as partner_name',
      'reports.reference as report_reference',
      'cases.reference as case_reference',
    ]);

/** One request; held until the transaction ends when `forUpdate` (PostgreSQL). */
export function findRequest(q: DbOrTrx, id: number, forUpdate = false) {
  const query = withNames(q).where('disruption_requests.id', '=', id);
  return (forUpdate ? query.forUpdate('disruption_requests') : query).executeTakeFirst();
}
export type DisruptionRow = NonNullable<Awaited<ReturnType<typeof findRequest>>>;

/**
 * Moves a request on only if it is still in one of `from` (a second click, or two partners' clients at once, change
 * nothing); answers whether it moved.
 */
export async function moveRequest(
  q: DbOrTrx,
  id: number,
  from: readonly string[],
  change: Updateable<DisruptionRequestsTable>,
): Promise<boolean> {
  const result = await q
    .updateTable('disruption_requests')
    .set(change)
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A unit's requests, newest first, with their partners' names (one query). */
export function requestsOfUnit(q: DbOrTrx, unitId: string, limit = 200) {
  return withNames(q)
    .where('disruption_requests.unit_id', '=', unitId)
    .orderBy('disruption_requests.id', 'desc')
    .limit(limit)
    .execute();
}

/** The requests sent to a partner (never drafts or those awaiting approval), newest first, optionally by status. */
export function requestsForPartner(q: DbOrTrx, partnerId: number, statuses: readonly string[], limit = 500) {
  return withNames(q)
    .where('disruption_requests.partner_id', '=', partnerId)
    .where('disruption_requests.status', 'in', [...statuses])
    .orderBy('disruption_requests.id', 'desc')
    .limit(limit)
    .execute();
}

/** Requests still with their partner whose clock ran out and whose reminder has not gone, oldest due first. */
export function overdueNotReminded(q: DbOrTrx, now: string, limit: number) {
  return q
    .selectFrom('disruption_requests')
    .select(['id'])
    .where('status', 'in', ['sent', 'acknowledged'])
    .where('due_at', '<=', now)
    .where('reminded_at', 'is', null)
    .orderBy('due_at')
    .limit(limit)
    .execute();
}

/** Counts and money by type, partner and unit, for requests that were sent (one grouped query). */
export function figures(q: DbOrTrx) {
  return q
    .selectFrom('disruption_requests')
    .innerJoin('partners', 'partners.id', 'disruption_requests.partner_id')
    .select((eb) => [
      'disruption_requests.type',
      'disruption_requests.unit_id',
      'partners.name as partner_name',
      'disruption_requests.status',
      eb.fn.countAll<number | string>().as('requests'),
      eb.fn.sum<number | string | null>('disruption_requests.frozen_pence').as('frozen'),
      eb.fn.sum<number | string | null>('disruption_requests.recovered_pence').as('recovered'),
    ])
    .where('disruption_requests.sent_at', 'is not', null)
    .groupBy([
      'disruption_requests.type',
      'disruption_requests.unit_id',
      'partners.name',
      'disruption_requests.status',
    ])
    .execute();
}

/** When each actioned request was sent and actioned: the median time to action is worked out from these. */
export function actionTimes(q: DbOrTrx) {
  return q
    .selectFrom('disruption_requests')
    .select(['sent_at', 'finished_at'])
    .where('status', '=', 'actioned')
    .execute();
}

/**
 * Where these reports name a value (`report_indicators.source`, one row per report and place), with the
 * indicator's id: what decides whether the value is the suspect's.
 */
export function sourcesOfValue(q: DbOrTrx, reportIds: readonly number[], type: string, value: string) {
  if (reportIds.length === 0) return Promise.resolve([]);
  return q
    .selectFrom('report_indicators')
    .innerJoin('indicators', 'indicators.id', 'report_indicators.indicator_id')
    .select(['report_indicators.report_id', 'report_indicators.source', 'indicators.id as indicator_id'])
    .where('report_indicators.report_id', 'in', [...reportIds])
    .where('indicators.type', '=', type)
    .where('indicators.value', '=', value)
    .orderBy('report_indicators.report_id')
    .execute();
}

/** The reports of a unit that name an indicator (what an officer may raise a request from an indicator with). */
export function unitReportsNaming(q: DbOrTrx, indicatorId: number, unitId: string) {
  return q
    .selectFrom('report_indicators')
    .innerJoin('reports', 'reports.id', 'report_indicators.report_id')
    .select(['reports.id'])
    .distinct()
    .where('report_indicators.indicator_id', '=', indicatorId)
    .where('reports.unit_id', '=', unitId)
    .orderBy('reports.id')
    .execute();
}

export function findIndicatorById(q: DbOrTrx, id: number) {
  return q.selectFrom('indicators').select(['id', 'type', 'value']).where('id', '=', id).executeTakeFirst();
}

/** The ids of the reports a case holds. */
export async function reportIdsOfCase(q: DbOrTrx, caseId: number): Promise<number[]> {
  const rows = await q
    .selectFrom('case_reports')
    .select('report_id')
    .where('case_id', '=', caseId)
    .orderBy('report_id')
    .execute();
  return rows.map((r) => r.report_id);
}

/** What the victims of these reports gave about themselves: kept out of anything a partner receives. */
export function victimDetailsOf(q: DbOrTrx, reportIds: readonly number[]) {
  if (reportIds.length === 0) return Promise.resolve([]);
  return q
    .selectFrom('reports')
    .select(['id', 'reference', 'unit_id', 'category', 'contact_email', 'postcode', 'answers'])
    .where('id', 'in', [...reportIds])
    .orderBy('id')
    .execute();
}

/** A partner took the value down: it is revoked in the feed at the next publication. First time only. */
export async function markTakenDown(q: DbOrTrx, indicatorId: number, at: string): Promise<void> {
  await q
    .updateTable('indicators')
    .set({ taken_down_at: at })
    .where('id', '=', indicatorId)
    .where('taken_down_at', 'is', null)
    .execute();
}

/** Every value these reports name, with where (one row per report and place): the candidates for a request. */
export function valuesOfReports(q: DbOrTrx, reportIds: readonly number[]) {
  if (reportIds.length === 0) return Promise.resolve([]);
  return q
    .selectFrom('report_indicators')
    .innerJoin('indicators', 'indicators.id', 'report_indicators.indicator_id')
    .select(['indicators.type', 'indicators.value', 'report_indicators.source'])
    .where('report_indicators.report_id', 'in', [...reportIds])
    .orderBy('indicators.type')
    .orderBy('indicators.value')
    .execute();
}

/** Partners that may be sent requests (not revoked), by name. */
export function livePartners(q: DbOrTrx) {
  return q
    .selectFrom('partners')
    .select(['id', 'name'])
    .where('revoked_at', 'is', null)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** The campaign `id` became (itself when never merged); undefined when there is no such campaign. */
export async function liveCampaign(q: DbOrTrx, id: number): Promise<number | undefined> {
  let current = id;
  for (let hops = 0; hops < 100; hops++) {
    const row = await q
      .selectFrom('campaigns')
      .select('merged_into')
      .where('id', '=', current)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    if (row.merged_into === null) return current;
    current = row.merged_into;
  }
  return undefined;
}

/** The reports of a campaign a unit holds (what an officer may raise a request from a campaign with). */
export async function unitReportsOfCampaign(
  q: DbOrTrx,
  campaignId: number,
  unitId: string,
): Promise<number[]> {
  const rows = await q
    .selectFrom('reports')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where('unit_id', '=', unitId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}
