/**
 * The one visibility check every case, exhibit, examination and custody action goes through (rules in
 * domain/access/access-policy.ts). A case this person may not see answers exactly like one that does not exist.
 * Writers call it inside their transaction with `lock`, so on PostgreSQL the case row is held from the check to
 * the commit and a concurrent team change or transfer waits for it (SQLite runs one transaction at a time).
 */
import type { DbOrTrx, Dialect } from '../db/database.ts';
import {
  findCaseById,
  findCaseByReference,
  membersOf,
  sharedUnitsOf,
  type CaseRow,
} from '../db/repositories/case-repository.ts';
import {
  canExamine,
  canSeeCase,
  canWorkCases,
  type CaseScope,
  type StaffMember,
} from '../domain/access/access-policy.ts';
import { CaseError } from './case-error.ts';

export interface VisibleCase {
  row: CaseRow;
  scope: CaseScope;
}

export const NO_CASE = 'No case with that reference is available to you';
const NO_EXHIBIT = 'No exhibit with that id is available to you';
const NO_EXAMINATION = 'No examination request with that id is available to you';

export async function caseScopeOf(q: DbOrTrx, row: CaseRow): Promise<CaseScope> {
  return {
    unitId: row.unit_id,
    sharedWith: await sharedUnitsOf(q, row.id),
    restricted: row.restricted === 1,
    officerInCharge: row.officer_in_charge,
    members: await membersOf(q, row.id),
  };
}

export function createCaseAccess(dialect: Dialect) {
  const canLock = dialect === 'postgres';

  async function visible(q: DbOrTrx, staff: StaffMember, row: CaseRow | undefined) {
    if (row === undefined) return null;
    const scope = await caseScopeOf(q, row);
    return canSeeCase(staff, scope) ? { row, scope } : null;
  }

  async function findVisibleCase(
    q: DbOrTrx,
    staff: StaffMember,
    reference: string,
    lock = false,
  ): Promise<VisibleCase | null> {
    if (!canWorkCases(staff)) return null;
    return visible(q, staff, await findCaseByReference(q, reference, lock && canLock));
  }

  async function findVisibleExhibit(q: DbOrTrx, staff: StaffMember, exhibitId: number, lock = false) {
    if (!canWorkCases(staff)) return null;
    const exhibit = await q.selectFrom('exhibits').selectAll().where('id', '=', exhibitId).executeTakeFirst();
    if (exhibit === undefined) return null;
    const found = await visible(q, staff, await findCaseById(q, exhibit.case_id, lock && canLock));
    return found === null ? null : { ...found, exhibit };
  }

  return {
    findVisibleCase,
    findVisibleExhibit,

    async requireVisibleCase(q: DbOrTrx, staff: StaffMember, reference: string, lock = false) {
      const found = await findVisibleCase(q, staff, reference, lock);
      if (found === null) throw new CaseError(404, NO_CASE);
      return found;
    },

    async requireVisibleExhibit(q: DbOrTrx, staff: StaffMember, exhibitId: number, lock = false) {
      const found = await findVisibleExhibit(q, staff, exhibitId, lock);
      if (found === null) throw new CaseError(404, NO_EXHIBIT);
      return found;
    },

    /** An examination request in this person's forensics queue, of a case they can see. */
    async requireExaminable(q: DbOrTrx, staff: StaffMember, requestId: number, lock = false) {
      const caseOf = canWorkCases(staff)
        ? await q
            .selectFrom('forensic_requests')
            .select('case_id')
            .where('id', '=', requestId)
            .executeTakeFirst()
        : undefined;
      const found =
        caseOf === undefined
          ? null
          : await visible(q, staff, await findCaseById(q, caseOf.case_id, lock && canLock));
      // Read after the case row is held, so two examiners finishing it at once are told apart.
      const request =
        found === null
          ? undefined
          : await q
              .selectFrom('forensic_requests')
              .selectAll()
              .where('id', '=', requestId)
              .executeTakeFirst();
      if (found === null || request === undefined || !canExamine(staff, found.scope, request.unit_id))
        throw new CaseError(404, NO_EXAMINATION);
      return { ...found, request };
    },
  };
}

export type CaseAccess = ReturnType<typeof createCaseAccess>;
