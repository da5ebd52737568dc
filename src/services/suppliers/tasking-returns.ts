/**
 * A tasking sent back to its raiser before approval (issue 22, MSP): whoever may approve it returns it with a reason
 * (nothing has been released, so nothing reaches the supplier); the raiser changes its terms and sends it again,
 * held to the same rules as when raised. Each step is one transaction with the case's log entry (the tasking's
 * history) and its audit row.
 */
import { canApproveTasking, type StaffMember } from '../../domain/access/access-policy.ts';
import { ServiceError } from '../service-error.ts';
import { invalid, logOnCase, moveTasking, type SuppliersContext } from './context.ts';
import { checkTerms, checkTermsInCase, requireTaskingForStaff, type TaskingTerms } from './tasking-rules.ts';

const checkReason = (raw: string) => {
  const reason = raw.trim();
  if (reason.length < 5 || reason.length > 2000)
    throw invalid('tasking-reason', 'reason must be 5 to 2,000 characters', 'reason');
  return reason;
};

export function createTaskingReturns(ctx: SuppliersContext) {
  const { db, clock, repos, caseAccess } = ctx;
  return {
    /** Someone who could approve it (never its raiser) sends it back, saying what to change. */
    async returnToRaiser(staff: StaffMember, id: number, input: { reason: string }): Promise<void> {
      const reason = checkReason(input.reason);
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const row = await requireTaskingForStaff(ctx, trx, staff, id);
        if (!canApproveTasking(staff, { unitId: row.unit_id, raisedBy: row.raised_by }))
          throw new ServiceError(
            'forbidden',
            staff.email === row.raised_by ? 'tasking-own-return' : 'tasking-approver',
            staff.email === row.raised_by
              ? 'Someone else returns a tasking you raised; you may cancel it'
              : 'Only a supervisor of the unit approves or returns supplier taskings',
          );
        const moved = await moveTasking(ctx, trx, row, 'return', {
          returned_by: staff.email,
          returned_at: now.toISOString(),
          returned_reason: reason,
        });
        await logOnCase(
          ctx,
          trx,
          moved,
          staff.email,
          `returned to ${row.raised_by} by ${staff.email}: ${reason}`,
          now,
        );
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'supplier-tasking-returned',
          reference: row.case_reference,
          forceId: staff.forceId,
          detail: `tasking ${String(id)} to supplier ${String(row.partner_id)} returned to ${row.raised_by}`,
        });
      });
    },

    /** The raiser sends a returned tasking for approval again, with its terms as changed. */
    async resubmit(staff: StaffMember, id: number, terms: TaskingTerms): Promise<void> {
      const now = clock();
      const scope = checkTerms(terms, now);
      await db.transaction().execute(async (trx) => {
        const row = await requireTaskingForStaff(ctx, trx, staff, id);
        if (staff.email !== row.raised_by)
          throw new ServiceError(
            'forbidden',
            'tasking-not-raiser',
            'Only the officer who raised it sends it again',
          );
        // Still one of this officer's cases (it may have been moved or restricted since).
        await caseAccess.requireCase(trx, staff, row.case_reference);
        // Moved first (a conflict unless returned), then held to the rules; a refusal undoes both.
        const moved = await moveTasking(ctx, trx, row, 'resubmit', {
          scope,
          deadline: terms.deadline,
          budget_cap_pence: terms.budgetCapPence,
        });
        await checkTermsInCase(
          ctx,
          trx,
          { scope, budgetCapPence: terms.budgetCapPence },
          {
            caseId: row.case_id,
            unitId: row.unit_id,
            financialYear: row.financial_year,
            dayRatePence: row.day_rate_pence,
          },
        );
        const changed = [
          scope === row.scope ? '' : 'scope',
          terms.deadline === row.deadline ? '' : `deadline ${terms.deadline}`,
          terms.budgetCapPence === row.budget_cap_pence
            ? ''
            : `cap £${(terms.budgetCapPence / 100).toFixed(2)}`,
        ].filter((c) => c !== '');
        const what = changed.length === 0 ? 'nothing changed' : `changed: ${changed.join(', ')}`;
        await logOnCase(
          ctx,
          trx,
          moved,
          staff.email,
          `sent for approval again by ${staff.email} (${what})`,
          now,
        );
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'supplier-tasking-resubmitted',
          reference: row.case_reference,
          forceId: staff.forceId,
          detail: `tasking ${String(id)} to supplier ${String(row.partner_id)}: ${what}`,
        });
      });
    },
  };
}
