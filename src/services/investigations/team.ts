/**
 * Who a case belongs to and who works it: its team, sharing with another unit, transfer to one, and closing. Only
 * the owning unit directs a case (rules in domain/access/access-policy.ts); each use case is one transaction that
 * holds the case row from the visibility check to the commit, with its decision-log and audit rows.
 */
import type { DbOrTrx, Trx } from '../../db/database.ts';
import type { CaseRow } from '../../db/repositories/case-repository.ts';
import type { Repositories } from '../../db/repositories/index.ts';
import {
  canChangeTeam,
  canDirectCase,
  canJoinTeam,
  canManageTeam,
  isRole,
  teamAfterTransfer,
  type CaseScope,
  type StaffMember,
} from '../../domain/access/access-policy.ts';
import { OUTCOMES } from '../../domain/casework/status.ts';
import { ServiceError } from '../service-error.ts';
import { NO_CASE } from './access.ts';
import type { InvestigationsContext } from './context.ts';

const notOwner = () =>
  new ServiceError(
    'forbidden',
    'not-owner',
    'Only the officer in charge or a supervisor of the unit that owns the case can share, transfer or close it',
  );

const normalEmail = (email: string) => email.trim().toLowerCase();

/** Team changes belong to the owning unit; an officer of a unit the case is shared with may only leave it. */
function requireTeamChange(staff: StaffMember, scope: CaseScope, email: string): void {
  if (!canChangeTeam(staff, scope, email))
    throw new ServiceError(
      'forbidden',
      'team-owner',
      'Only the unit that owns the case can change its team',
      {
        field: 'email',
      },
    );
}

/** Whether these people work cases in one of `unitIds` (unknown accounts do not). */
async function joinable(
  repos: Repositories,
  q: DbOrTrx,
  emails: readonly string[],
  unitIds: readonly string[],
) {
  const people = await repos.cases.staffByEmails(q, emails);
  return (email: string) =>
    people.some(
      (p) => p.email === email && isRole(p.role) && canJoinTeam({ role: p.role, unitId: p.unit_id }, unitIds),
    );
}

export function createCaseTeam({ db, clock, reference, repos, access }: InvestigationsContext) {
  /** The decision-log entry and audit row of one change, in the change's transaction. */
  async function record(
    trx: Trx,
    staff: StaffMember,
    row: CaseRow,
    audit: { action: string; detail: string },
    decisions: { decision: string; reason: string; code: string; subject: string }[],
  ) {
    const at = clock().toISOString();
    for (const d of decisions)
      await repos.cases.insertCaseDecision(trx, {
        caseId: row.id,
        decidedBy: staff.email,
        decision: d.decision,
        reason: d.reason,
        at,
        coded: { code: d.code, subject: d.subject },
      });
    await repos.audit.writeAudit(trx, {
      at,
      actor: staff.email,
      forceId: staff.forceId,
      reference: row.reference,
      ...audit,
    });
  }

  /** Officers and supervisors of the case's units not on its team yet. */
  async function candidates(q: DbOrTrx, row: CaseRow, scope: CaseScope) {
    const units = [row.unit_id, ...scope.sharedWith];
    return (await repos.cases.staffOfUnits(q, units)).filter(
      (p) =>
        isRole(p.role) &&
        canJoinTeam({ role: p.role, unitId: p.unit_id }, units) &&
        !scope.members.includes(p.email),
    );
  }

  const memberDecision = (code: 'member-added' | 'member-removed', email: string) => ({
    decision: `${code === 'member-added' ? 'added' : 'removed'} ${email} ${code === 'member-added' ? 'to' : 'from'} the team`,
    reason: '',
    code,
    subject: email,
  });

  return {
    /** Who the owning unit may add to the team (none for a unit the case is only shared with). */
    async teamCandidates(staff: StaffMember, caseReference: string) {
      const found = await access.findVisibleCase(db, staff, caseReference);
      if (found === null) throw new ServiceError('not-found', 'case-not-found', NO_CASE);
      const { row, scope } = found;
      if (!canManageTeam(staff, scope)) return [];
      return (await candidates(db, row, scope)).map((p) => ({ email: p.email, unitId: p.unit_id }));
    },

    /** Names an officer on the case's team (for a restricted case, this is who can see it). */
    async addMember(staff: StaffMember, caseReference: string, emailInput: string) {
      const email = normalEmail(emailInput);
      await db.transaction().execute(async (trx) => {
        const { row, scope } = await access.requireCase(trx, staff, caseReference);
        requireTeamChange(staff, scope, email);
        if (scope.members.includes(email)) return;
        if (!(await candidates(trx, row, scope)).some((c) => c.email === email))
          throw new ServiceError(
            'invalid',
            'member-unknown',
            'No officer or supervisor of this case’s units has that email address',
            { field: 'email' },
          );
        await repos.cases.addCaseMembers(trx, row.id, [email]);
        await record(trx, staff, row, { action: 'case-member-added', detail: email }, [
          memberDecision('member-added', email),
        ]);
      });
    },

    /** Takes an officer off the team (anyone may take themselves off); the officer in charge stays. */
    async removeMember(staff: StaffMember, caseReference: string, emailInput: string) {
      const email = normalEmail(emailInput);
      await db.transaction().execute(async (trx) => {
        const { row, scope } = await access.requireCase(trx, staff, caseReference);
        requireTeamChange(staff, scope, email);
        if (email === row.officer_in_charge)
          throw new ServiceError('invalid', 'member-oic', 'The officer in charge stays on the team', {
            field: 'email',
          });
        if (!scope.members.includes(email))
          throw new ServiceError('conflict', 'member-not-on-team', 'That officer is not on the team', {
            field: 'email',
          });
        await repos.cases.removeCaseMembers(trx, row.id, [email]);
        await record(trx, staff, row, { action: 'case-member-removed', detail: email }, [
          memberDecision('member-removed', email),
        ]);
      });
    },

    /** Shares a case with another unit: its officers see and work it, but it stays this unit's. */
    async share(staff: StaffMember, caseReference: string, unitId: string, reason: string) {
      await db.transaction().execute(async (trx) => {
        const { row, scope } = await access.requireCase(trx, staff, caseReference);
        if (!canDirectCase(staff, scope)) throw notOwner();
        const unit = reference.unit(unitId);
        if (unit === undefined || unitId === row.unit_id)
          throw new ServiceError('invalid', 'share-unit', 'Choose another unit', { field: 'unit' });
        await repos.cases.shareCase(trx, {
          caseId: row.id,
          unitId,
          sharedBy: staff.email,
          reason,
          at: clock().toISOString(),
        });
        await record(trx, staff, row, { action: 'case-shared', detail: `${unitId}: ${reason}` }, [
          { decision: `shared with ${unit.name}`, reason, code: 'shared', subject: unitId },
        ]);
      });
    },

    /**
     * Transfers the case to another unit, which then owns it alone. The receiving unit's new officer in charge
     * (and any other officers of it named) join the team; the team keeps only members whose unit still has the
     * case. Its open examination requests move to the receiving unit's forensics queue.
     */
    async transfer(
      staff: StaffMember,
      caseReference: string,
      input: { unit: string; reason: string; officerInCharge: string; members: string[] },
    ) {
      await db.transaction().execute(async (trx) => {
        const { row, scope } = await access.requireCase(trx, staff, caseReference);
        if (!canDirectCase(staff, scope)) throw notOwner();
        const unit = reference.unit(input.unit);
        if (unit === undefined || unit.id === row.unit_id)
          throw new ServiceError('invalid', 'share-unit', 'Choose another unit', { field: 'unit' });
        const officerInCharge = normalEmail(input.officerInCharge);
        const named = [...new Set(input.members.map(normalEmail))].filter((e) => e !== officerInCharge);
        const inUnit = await joinable(repos, trx, [officerInCharge, ...named], [unit.id]);
        if (!inUnit(officerInCharge))
          throw new ServiceError(
            'invalid',
            'transfer-oic',
            `The officer in charge must be an officer or supervisor of ${unit.name}`,
            { field: 'officer_in_charge' },
          );
        const stranger = named.find((email) => !inUnit(email));
        if (stranger !== undefined)
          throw new ServiceError(
            'invalid',
            'transfer-member',
            `${stranger} is not an officer or supervisor of ${unit.name}`,
            { field: 'members', params: { email: stranger } },
          );
        const accounts = await repos.cases.staffByEmails(trx, scope.members);
        const team = teamAfterTransfer({
          members: scope.members.map((email) => ({
            email,
            unitId: accounts.find((a) => a.email === email)?.unit_id ?? null,
          })),
          toUnit: unit.id,
          sharedWith: scope.sharedWith,
          officerInCharge,
          named,
        });
        await repos.cases.setCaseOwner(trx, row.id, {
          unitId: unit.id,
          forceId: unit.force ?? null,
          officerInCharge,
        });
        await repos.cases.unshareCase(trx, row.id, unit.id);
        await repos.cases.removeCaseMembers(trx, row.id, team.drop);
        await repos.cases.addCaseMembers(trx, row.id, team.add);
        await repos.forensics.moveOpenForensicRequests(trx, row.id, unit.id);
        await record(trx, staff, row, { action: 'case-transferred', detail: `${unit.id}: ${input.reason}` }, [
          {
            decision: `transferred to ${unit.name}`,
            reason: input.reason,
            code: 'transferred',
            subject: unit.id,
          },
          {
            decision: `${officerInCharge} is the officer in charge`,
            reason: '',
            code: 'officer-in-charge',
            subject: officerInCharge,
          },
          ...team.drop.map((email) => memberDecision('member-removed', email)),
          ...team.add.map((email) => memberDecision('member-added', email)),
        ]);
      });
    },

    async close(staff: StaffMember, caseReference: string, outcome: string, reason: string) {
      await db.transaction().execute(async (trx) => {
        const { row, scope } = await access.requireCase(trx, staff, caseReference);
        if (!canDirectCase(staff, scope)) throw notOwner();
        if (!(OUTCOMES as readonly string[]).includes(outcome))
          throw new ServiceError('invalid', 'outcome', `outcome must be one of: ${OUTCOMES.join(', ')}`, {
            field: 'outcome',
          });
        await repos.cases.closeCase(trx, row.id, outcome);
        await record(trx, staff, row, { action: 'case-closed', detail: outcome }, [
          { decision: `closed: ${outcome}`, reason, code: 'closed', subject: outcome },
        ]);
      });
    },
  };
}
