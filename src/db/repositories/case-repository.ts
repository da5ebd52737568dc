/**
 * Cases: who they belong to (the rows every case visibility check reads), their reports, team, tasks and log.
 * What the functions take is in camelCase, mapped to the columns here; what they read back is the rows.
 */
import { sql, type SqlBool } from 'kysely';
import type { DbOrTrx } from '../database.ts';

const normalised = (reference: string) => reference.trim().toUpperCase();

/** The case row; `forUpdate` (PostgreSQL only) holds it until the transaction ends. */
export function findCaseByReference(q: DbOrTrx, reference: string, forUpdate = false) {
  const query = q.selectFrom('cases').selectAll().where('reference', '=', normalised(reference));
  return (forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export function findCaseById(q: DbOrTrx, id: number, forUpdate = false) {
  const query = q.selectFrom('cases').selectAll().where('id', '=', id);
  return (forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export type CaseRow = NonNullable<Awaited<ReturnType<typeof findCaseById>>>;

export async function sharedUnitsOf(q: DbOrTrx, caseId: number): Promise<string[]> {
  const rows = await q
    .selectFrom('case_units')
    .select('unit_id')
    .where('case_id', '=', caseId)
    .orderBy('unit_id')
    .execute();
  return rows.map((r) => r.unit_id);
}

export async function membersOf(q: DbOrTrx, caseId: number): Promise<string[]> {
  const rows = await q
    .selectFrom('case_members')
    .select('email')
    .where('case_id', '=', caseId)
    .orderBy('email')
    .execute();
  return rows.map((r) => r.email);
}

/** Staff of these units, with their roles (who may join a case's team is the access policy's to say). */
export function staffOfUnits(q: DbOrTrx, unitIds: readonly string[]) {
  if (unitIds.length === 0) return Promise.resolve([]);
  return q
    .selectFrom('users')
    .select(['email', 'unit_id', 'role'])
    .where('unit_id', 'in', [...unitIds])
    .orderBy('email')
    .execute();
}

/** The accounts behind these email addresses (missing ones are simply absent). */
export function staffByEmails(q: DbOrTrx, emails: readonly string[]) {
  if (emails.length === 0) return Promise.resolve([]);
  return q
    .selectFrom('users')
    .select(['email', 'unit_id', 'role'])
    .where('email', 'in', [...emails])
    .execute();
}

/** Appends to the case's decision log; entries the service writes carry a code and subject for other languages. */
export async function insertCaseDecision(
  q: DbOrTrx,
  entry: {
    caseId: number;
    decidedBy: string;
    decision: string;
    reason: string;
    at: string;
    coded?: { code: string; subject: string } | null;
  },
): Promise<void> {
  await q
    .insertInto('case_decisions')
    .values({
      case_id: entry.caseId,
      decided_by: entry.decidedBy,
      decision: entry.decision,
      reason: entry.reason,
      at: entry.at,
      code: entry.coded?.code ?? null,
      subject: entry.coded?.subject ?? null,
      // Who held the case then: closures count for that unit whatever happens to the case later.
      unit_id: sql<string>`(select unit_id from cases where id = ${entry.caseId})`,
    })
    .execute();
}

/** A case being opened: open, with an empty chain of custody (the service seals its head next). */
export interface NewCase {
  reference: string;
  title: string;
  forceId: string | null;
  unitId: string;
  officerInCharge: string;
  restricted: boolean;
  createdBy: string;
  createdAt: string;
}

/** Opens a case unless its reference is taken; returns the new id, or null on a reference collision. */
export async function insertCase(q: DbOrTrx, opened: NewCase): Promise<number | null> {
  const inserted = await q
    .insertInto('cases')
    .values({
      reference: opened.reference,
      title: opened.title,
      force_id: opened.forceId,
      unit_id: opened.unitId,
      opened_unit: opened.unitId,
      officer_in_charge: opened.officerInCharge,
      status: 'open',
      outcome: null,
      restricted: opened.restricted ? 1 : 0,
      custody_head: null,
      custody_count: 0,
      created_by: opened.createdBy,
      created_at: opened.createdAt,
    })
    .onConflict((oc) => oc.column('reference').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id ?? null;
}

export async function linkCaseReports(
  q: DbOrTrx,
  caseId: number,
  reportIds: readonly number[],
): Promise<void> {
  if (reportIds.length === 0) return;
  await q
    .insertInto('case_reports')
    .values(reportIds.map((reportId) => ({ case_id: caseId, report_id: reportId })))
    .execute();
}

/** The reports of a campaign that a unit holds (what opening a case from the campaign links). */
export async function campaignReportIdsOfUnit(
  q: DbOrTrx,
  campaignId: number,
  unitId: string,
): Promise<number[]> {
  const rows = await q
    .selectFrom('reports')
    .innerJoin('campaigns', 'campaigns.id', 'reports.campaign_id')
    .select('reports.id')
    .where('campaigns.id', '=', campaignId)
    .where('campaigns.merged_into', 'is', null)
    .where('reports.unit_id', '=', unitId)
    .orderBy('reports.id')
    .execute();
  return rows.map((r) => r.id);
}

export async function addCaseMembers(q: DbOrTrx, caseId: number, emails: readonly string[]): Promise<void> {
  if (emails.length === 0) return;
  await q
    .insertInto('case_members')
    .values(emails.map((email) => ({ case_id: caseId, email })))
    .execute();
}

export async function removeCaseMembers(
  q: DbOrTrx,
  caseId: number,
  emails: readonly string[],
): Promise<void> {
  if (emails.length === 0) return;
  await q
    .deleteFrom('case_members')
    .where('case_id', '=', caseId)
    .where('email', 'in', [...emails])
    .execute();
}

/** Shares a case with a unit (sharing it again changes nothing). */
export async function shareCase(
  q: DbOrTrx,
  share: { caseId: number; unitId: string; sharedBy: string; reason: string; at: string },
): Promise<void> {
  await q
    .insertInto('case_units')
    .values({
      case_id: share.caseId,
      unit_id: share.unitId,
      shared_by: share.sharedBy,
      reason: share.reason,
      at: share.at,
    })
    .onConflict((oc) => oc.columns(['case_id', 'unit_id']).doNothing())
    .execute();
}

export async function unshareCase(q: DbOrTrx, caseId: number, unitId: string): Promise<void> {
  await q.deleteFrom('case_units').where('case_id', '=', caseId).where('unit_id', '=', unitId).execute();
}

/** Hands the case to another unit and officer in charge. */
export async function setCaseOwner(
  q: DbOrTrx,
  caseId: number,
  owner: { unitId: string; forceId: string | null; officerInCharge: string },
): Promise<void> {
  await q
    .updateTable('cases')
    .set({ unit_id: owner.unitId, force_id: owner.forceId, officer_in_charge: owner.officerInCharge })
    .where('id', '=', caseId)
    .execute();
}

export async function closeCase(q: DbOrTrx, caseId: number, outcome: string): Promise<void> {
  await q.updateTable('cases').set({ status: 'closed', outcome }).where('id', '=', caseId).execute();
}

/** Where a case is its unit's or shared with it, in any query with `cases` in scope. */
export const caseHeldByUnit = (unitId: string) =>
  sql<SqlBool>`(cases.unit_id = ${unitId} or exists (select 1 from case_units
    where case_units.case_id = cases.id and case_units.unit_id = ${unitId}))`;

/** Where this person is on the case's team (officer in charge or a named member), with `cases` in scope. */
export const caseTeamIncludes = (email: string) =>
  sql<SqlBool>`(cases.officer_in_charge = ${email} or exists (select 1 from case_members
    where case_members.case_id = cases.id and case_members.email = ${email}))`;

/**
 * In one query, the cases this person sees: their unit's and those shared with it, restricted ones only when they
 * are on the team (canSeeCase in domain/access/access-policy.ts, for someone who works cases), newest first.
 */
export function casesVisibleTo(q: DbOrTrx, staff: { unitId: string; email: string }) {
  return q
    .selectFrom('cases')
    .select([
      'reference',
      'title',
      'unit_id',
      'officer_in_charge',
      'status',
      'outcome',
      'restricted',
      'created_at',
    ])
    .where((eb) =>
      eb.and([
        caseHeldByUnit(staff.unitId),
        eb.or([eb('cases.restricted', '=', 0), caseTeamIncludes(staff.email)]),
      ]),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export function caseReportsOf(q: DbOrTrx, caseId: number) {
  return q
    .selectFrom('case_reports')
    .innerJoin('reports', 'reports.id', 'case_reports.report_id')
    .select(['reports.reference', 'reports.category', 'reports.urgent', 'reports.vulnerable'])
    .where('case_reports.case_id', '=', caseId)
    .orderBy('reports.id')
    .execute();
}

/** The cases that hold this report (rows, for the access policy to judge). */
export function casesHoldingReport(q: DbOrTrx, reportId: number) {
  return q
    .selectFrom('case_reports')
    .innerJoin('cases', 'cases.id', 'case_reports.case_id')
    .selectAll('cases')
    .where('case_reports.report_id', '=', reportId)
    .orderBy('cases.id')
    .execute();
}

/** The units a case is shared with, why and when. */
export function caseSharesOf(q: DbOrTrx, caseId: number) {
  return q
    .selectFrom('case_units')
    .select(['unit_id', 'reason', 'at'])
    .where('case_id', '=', caseId)
    .orderBy('at')
    .orderBy('unit_id')
    .execute();
}

export function caseDecisionsOf(q: DbOrTrx, caseId: number) {
  return q
    .selectFrom('case_decisions')
    .select(['decided_by', 'decision', 'reason', 'at', 'code', 'subject'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
}

export function caseTasksOf(q: DbOrTrx, caseId: number) {
  return q
    .selectFrom('case_tasks')
    .select(['id', 'title', 'owner', 'due_on', 'status', 'done_at'])
    .where('case_id', '=', caseId)
    .orderBy('due_on')
    .orderBy('id')
    .execute();
}

export async function insertCaseTask(
  q: DbOrTrx,
  task: { caseId: number; title: string; owner: string; dueOn: string; at: string },
): Promise<number> {
  const created = await q
    .insertInto('case_tasks')
    .values({
      case_id: task.caseId,
      title: task.title,
      owner: task.owner,
      due_on: task.dueOn,
      status: 'open',
      created_at: task.at,
      done_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return created.id;
}

/** Marks the case's task done; false when the case has no such task. */
export async function completeCaseTask(
  q: DbOrTrx,
  caseId: number,
  taskId: number,
  at: string,
): Promise<boolean> {
  const result = await q
    .updateTable('case_tasks')
    .set({ status: 'done', done_at: at })
    .where('id', '=', taskId)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
