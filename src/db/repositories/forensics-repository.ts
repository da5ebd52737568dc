/** Examination requests in the forces' digital forensics queues. */
import type { Insertable, Updateable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { ForensicRequestsTable } from '../schema.ts';
import { caseHeldByUnit, caseTeamIncludes } from './case-repository.ts';

export function findForensicRequest(q: DbOrTrx, id: number) {
  return q.selectFrom('forensic_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertForensicRequest(
  q: DbOrTrx,
  row: Insertable<ForensicRequestsTable>,
): Promise<number> {
  const created = await q
    .insertInto('forensic_requests')
    // The queue it was requested of, kept when a transfer moves it (unit figures count by it).
    .values({ ...row, requested_unit: row.requested_unit ?? row.unit_id })
    .returning('id')
    .executeTakeFirstOrThrow();
  return created.id;
}

export async function updateForensicRequest(
  q: DbOrTrx,
  id: number,
  change: Updateable<ForensicRequestsTable>,
): Promise<void> {
  await q.updateTable('forensic_requests').set(change).where('id', '=', id).execute();
}

/** Moves the case's open requests to another unit's queue (on transfer). */
export async function moveOpenForensicRequests(q: DbOrTrx, caseId: number, unitId: string): Promise<void> {
  await q
    .updateTable('forensic_requests')
    .set({ unit_id: unitId })
    .where('case_id', '=', caseId)
    .where('status', 'in', ['requested', 'in-progress'])
    .execute();
}

export function forensicRequestsOfCase(q: DbOrTrx, caseId: number) {
  return q
    .selectFrom('forensic_requests')
    .select(['id', 'exhibit_id', 'what', 'priority', 'status', 'requested_at', 'completed_at'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
}

/**
 * In one query, a unit's forensics queue: its requests, except those of restricted cases this person cannot see
 * (they are there only for the case's team, as if nobody else's queue held them).
 */
export function forensicQueueOf(q: DbOrTrx, staff: { unitId: string; email: string }) {
  return q
    .selectFrom('forensic_requests')
    .innerJoin('exhibits', 'exhibits.id', 'forensic_requests.exhibit_id')
    .innerJoin('cases', 'cases.id', 'forensic_requests.case_id')
    .select([
      'forensic_requests.id',
      'cases.reference',
      'exhibits.exhibit_ref',
      'forensic_requests.what',
      'forensic_requests.priority',
      'forensic_requests.status',
      'forensic_requests.requested_at',
      'forensic_requests.completed_at',
      'cases.restricted',
    ])
    .where('forensic_requests.unit_id', '=', staff.unitId)
    .where((eb) =>
      eb.or([
        eb('cases.restricted', '=', 0),
        eb.and([caseHeldByUnit(staff.unitId), caseTeamIncludes(staff.email)]),
      ]),
    )
    .orderBy('forensic_requests.id')
    .execute();
}
