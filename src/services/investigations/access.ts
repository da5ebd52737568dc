/**
 * The one visibility check every case, exhibit, examination and custody action goes through (rules in
 * domain/access/access-policy.ts). A case this person may not see answers exactly like one that does not exist.
 * Nothing here writes: the `require…` checks are what every writer calls first inside its transaction; they lock,
 * so on PostgreSQL the case row is held from the check to the commit and a concurrent team change or transfer
 * waits for it (SQLite runs one transaction at a time). Reading a case (`readCase`) is what audits a view.
 */
import type { DbOrTrx, Dialect } from '../../db/database.ts';
import type { CaseRow } from '../../db/repositories/case-repository.ts';
import type { Repositories } from '../../db/repositories/index.ts';
import {
  canExamine,
  canSeeCase,
  canWorkCases,
  type CaseScope,
  type StaffMember,
} from '../../domain/access/access-policy.ts';
import { ServiceError } from '../service-error.ts';

export interface VisibleCase {
  row: CaseRow;
  scope: CaseScope;
}

export const NO_CASE = 'No case with that reference is available to you';
const NO_EXHIBIT = 'No exhibit with that id is available to you';
const NO_EXAMINATION = 'No examination request with that id is available to you';

export function createCaseAccess(dialect: Dialect, repos: Repositories) {
  const canLock = dialect === 'postgres';

  async function scopeOf(q: DbOrTrx, row: CaseRow): Promise<CaseScope> {
    return {
      unitId: row.unit_id,
      sharedWith: await repos.cases.sharedUnitsOf(q, row.id),
      restricted: row.restricted === 1,
      officerInCharge: row.officer_in_charge,
      members: await repos.cases.membersOf(q, row.id),
    };
  }

  async function visible(q: DbOrTrx, staff: StaffMember, row: CaseRow | undefined) {
    if (row === undefined) return null;
    const scope = await scopeOf(q, row);
    return canSeeCase(staff, scope) ? { row, scope } : null;
  }

  async function findVisibleCase(
    q: DbOrTrx,
    staff: StaffMember,
    reference: string,
    lock = false,
  ): Promise<VisibleCase | null> {
    if (!canWorkCases(staff)) return null;
    return visible(q, staff, await repos.cases.findCaseByReference(q, reference, lock && canLock));
  }

  async function findVisibleExhibit(q: DbOrTrx, staff: StaffMember, exhibitId: number, lock = false) {
    if (!canWorkCases(staff)) return null;
    const exhibit = await repos.exhibits.findExhibitById(q, exhibitId);
    if (exhibit === undefined) return null;
    const found = await visible(
      q,
      staff,
      await repos.cases.findCaseById(q, exhibit.case_id, lock && canLock),
    );
    return found === null ? null : { ...found, exhibit };
  }

  return {
    findVisibleCase,
    findVisibleExhibit,
    /** Who a case belongs to and who is on it, for the access policy's other rules. */
    scopeOf,

    /** The case for a writer, held until its transaction ends; not-found (as for no case at all) if not visible. */
    async requireCase(trx: DbOrTrx, staff: StaffMember, reference: string): Promise<VisibleCase> {
      const found = await findVisibleCase(trx, staff, reference, true);
      if (found === null) throw new ServiceError('not-found', 'case-not-found', NO_CASE);
      return found;
    },

    /** The exhibit and its case for a writer, the case held until its transaction ends. */
    async requireExhibit(trx: DbOrTrx, staff: StaffMember, exhibitId: number) {
      const found = await findVisibleExhibit(trx, staff, exhibitId, true);
      if (found === null) throw new ServiceError('not-found', 'exhibit-not-found', NO_EXHIBIT);
      return found;
    },

    /** An examination request in this person's forensics queue, of a case they can see (held, for a writer). */
    async requireExaminable(trx: DbOrTrx, staff: StaffMember, requestId: number) {
      const caseOf = canWorkCases(staff)
        ? await repos.forensics.findForensicRequest(trx, requestId)
        : undefined;
      const found =
        caseOf === undefined
          ? null
          : await visible(trx, staff, await repos.cases.findCaseById(trx, caseOf.case_id, canLock));
      // Read again after the case row is held, so two examiners finishing it at once are told apart.
      const request = found === null ? undefined : await repos.forensics.findForensicRequest(trx, requestId);
      if (found === null || request === undefined || !canExamine(staff, found.scope, request.unit_id))
        throw new ServiceError('not-found', 'examination-not-found', NO_EXAMINATION);
      return { ...found, request };
    },
  };
}

export type CaseAccess = ReturnType<typeof createCaseAccess>;
