/**
 * A unit's taskings of specialist suppliers (issue 22, MSP): raised from a case the officer works, checked against
 * the supplier's framework rate and the unit's budget left; approved by someone with authority in the unit other
 * than the raiser, which releases each shared exhibit to the supplier (a `released` custody entry each, in the
 * same transaction as the approval and its audit row); closed by the unit with a rating once delivered.
 * Nothing the victims gave about themselves may be written into what the supplier reads (the scope).
 */
import type { DbOrTrx } from '../../db/database.ts';
import type { TaskingRow } from '../../db/repositories/supplier-repository.ts';
import {
  canApproveTasking,
  canSeeTasking,
  canWorkCases,
  type StaffMember,
} from '../../domain/access/access-policy.ts';
import {
  CAPABILITIES,
  deliveredOnTime,
  financialYearOf,
  holdsRelease,
  isCapability,
} from '../../domain/suppliers/suppliers.ts';
import { ServiceError } from '../service-error.ts';
import {
  capabilityWords,
  caseLogPrefix,
  invalid,
  logOnCase,
  moveTasking,
  taskingNotFound,
  type SuppliersContext,
} from './context.ts';
import { endRelease } from './release-ended.ts';
import {
  budgetLeft,
  checkTerms,
  checkTermsInCase,
  overBudget,
  requireTaskingForStaff,
} from './tasking-rules.ts';
import { queueTaskingEmail } from './tasking-emails.ts';
import { queueTaskingWebhook } from './tasking-webhooks.ts';
import { timeLogOf } from './time-log.ts';

const MAX_EXHIBITS = 50;

export interface TaskingInput {
  caseReference: string;
  supplierId: number;
  capability: string;
  scope: string;
  /** YYYY-MM-DD */
  deadline: string;
  budgetCapPence: number;
  exhibitIds: number[];
}

/** A tasking as its unit sees it. */
export function taskingView(row: TaskingRow) {
  return {
    id: row.id,
    unitId: row.unit_id,
    supplier: { id: row.partner_id, name: row.supplier_name },
    caseReference: row.case_reference,
    capability: row.capability,
    scope: row.scope,
    deadline: row.deadline,
    budgetCapPence: row.budget_cap_pence,
    dayRatePence: row.day_rate_pence,
    financialYear: row.financial_year,
    status: row.status,
    raisedBy: row.raised_by,
    raisedAt: row.raised_at,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    acceptedAt: row.accepted_at,
    deliveredAt: row.delivered_at,
    onTime: deliveredOnTime({ deadline: row.deadline, deliveredAt: row.delivered_at }),
    costPence: row.cost_pence,
    daysWorked: row.days_worked,
    closedBy: row.closed_by,
    closedAt: row.closed_at,
    rating: row.rating,
    outcome: row.outcome,
    endedBy: row.ended_by,
    endedAt: row.ended_at,
    endedReason: row.ended_reason,
    returnedBy: row.returned_by,
    returnedAt: row.returned_at,
    returnedReason: row.returned_reason,
  };
}
export type Tasking = ReturnType<typeof taskingView>;

export function createTaskings(ctx: SuppliersContext) {
  const { db, clock, repos, caseAccess, custody } = ctx;

  const requireForStaff = (trx: DbOrTrx, staff: StaffMember, id: number) =>
    requireTaskingForStaff(ctx, trx, staff, id);

  function checkInput(input: TaskingInput, now: Date) {
    if (!isCapability(input.capability))
      throw invalid('tasking-capability', `capability must be one of ${CAPABILITIES.join(', ')}`, 'supplier');
    const scope = checkTerms(input, now);
    const exhibits = [...new Set(input.exhibitIds)];
    if (exhibits.length > MAX_EXHIBITS || !exhibits.every((id) => Number.isInteger(id) && id > 0))
      throw invalid(
        'tasking-exhibit',
        `share at most ${String(MAX_EXHIBITS)} of the case’s exhibits`,
        'exhibits',
      );
    return { scope, exhibits };
  }

  return {
    /** Raises a tasking awaiting approval; returns its number. */
    async raise(staff: StaffMember, input: TaskingInput): Promise<number> {
      const now = clock();
      const { scope, exhibits } = checkInput(input, now);
      if (!canWorkCases(staff) || staff.unitId === null) throw taskingNotFound();
      const unitId = staff.unitId;
      const financialYear = financialYearOf(now);
      return db.transaction().execute(async (trx) => {
        const { row: caseRow } = await caseAccess.requireCase(trx, staff, input.caseReference);
        const rate = await repos.suppliers.findCapability(trx, input.supplierId, input.capability);
        if (rate === undefined)
          throw invalid(
            'tasking-supplier',
            'Choose a supplier on the framework for that capability',
            'supplier',
          );
        const ofCase = new Set((await repos.exhibits.exhibitsOfCase(trx, caseRow.id)).map((e) => e.id));
        if (!exhibits.every((id) => ofCase.has(id)))
          throw invalid('tasking-exhibit', 'Share only exhibits of this case', 'exhibits');
        await checkTermsInCase(
          ctx,
          trx,
          { scope, budgetCapPence: input.budgetCapPence },
          { caseId: caseRow.id, unitId, financialYear, dayRatePence: rate.day_rate_pence },
        );
        const id = await repos.suppliers.insertTasking(trx, {
          unit_id: unitId,
          partner_id: input.supplierId,
          case_id: caseRow.id,
          capability: input.capability,
          scope,
          deadline: input.deadline,
          budget_cap_pence: input.budgetCapPence,
          day_rate_pence: rate.day_rate_pence,
          financial_year: financialYear,
          status: 'awaiting-approval',
          raised_by: staff.email,
          raised_at: now.toISOString(),
          approved_by: null,
          approved_at: null,
          accepted_by: null,
          accepted_at: null,
          delivered_at: null,
          cost_pence: null,
          days_worked: null,
          closed_by: null,
          closed_at: null,
          rating: null,
          outcome: null,
        });
        if (exhibits.length > 0) await repos.suppliers.insertTaskingExhibits(trx, id, exhibits);
        const row = await repos.suppliers.findTasking(trx, id);
        if (row === undefined) throw taskingNotFound();
        await logOnCase(ctx, trx, row, staff.email, `raised by ${staff.email}, awaiting approval`, now);
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'supplier-tasking-raised',
          reference: caseRow.reference,
          forceId: staff.forceId,
          detail: `tasking ${String(id)}: ${input.capability} to supplier ${String(input.supplierId)}, cap ${String(input.budgetCapPence)} pence, ${String(exhibits.length)} exhibit(s)`,
        });
        return id;
      });
    },

    /**
     * Someone with authority in the unit, never the raiser, approves: checked against the budget again, and each
     * shared exhibit is released to the supplier in the case's chain of custody, all in one transaction.
     */
    async approve(staff: StaffMember, id: number): Promise<void> {
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const row = await requireForStaff(trx, staff, id);
        if (!canApproveTasking(staff, { unitId: row.unit_id, raisedBy: row.raised_by }))
          throw new ServiceError(
            'forbidden',
            staff.email === row.raised_by ? 'tasking-own' : 'tasking-approver',
            staff.email === row.raised_by
              ? 'Someone else must approve a tasking you raised'
              : 'Only a supervisor of the unit approves supplier taskings',
          );
        // The approver must see the case (a restricted one is its team's), and holds it for the custody entries.
        const { row: caseRow } = await caseAccess.requireCase(trx, staff, row.case_reference);
        if ((await repos.suppliers.findCapability(trx, row.partner_id, row.capability)) === undefined)
          throw new ServiceError(
            'conflict',
            'tasking-supplier-gone',
            'The supplier is no longer on the framework',
          );
        const left = await budgetLeft(ctx, trx, row.unit_id, row.financial_year);
        if (left === null || row.budget_cap_pence > left) throw overBudget('conflict', left);
        const moved = await moveTasking(ctx, trx, row, 'approve', {
          approved_by: staff.email,
          approved_at: now.toISOString(),
        });
        const exhibits = await repos.suppliers.exhibitsOfTasking(trx, id);
        for (const exhibit of exhibits)
          await custody.append(trx, caseRow, {
            exhibitId: exhibit.id,
            exhibitRef: exhibit.exhibit_ref,
            event: 'released',
            actor: staff.email,
            at: now.toISOString(),
            location: row.supplier_name,
            note: `released to ${row.supplier_name} for ${capabilityWords(row.capability)} (tasking ${String(id)})`,
          });
        await logOnCase(
          ctx,
          trx,
          moved,
          staff.email,
          `approved by ${staff.email}; ${String(exhibits.length)} exhibit(s) released`,
          now,
        );
        await queueTaskingEmail(ctx, trx, moved, 'approved', now);
        await queueTaskingWebhook(ctx, trx, moved, 'approved', now);
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'supplier-tasking-approved',
          reference: row.case_reference,
          forceId: staff.forceId,
          detail: `tasking ${String(id)} to supplier ${String(row.partner_id)}: ${exhibits.map((e) => e.exhibit_ref).join(', ') || 'no exhibits'} released`,
        });
      });
    },

    /**
     * The raiser calls a tasking off before it is delivered, saying why. Once approved, the release of its exhibits
     * ends (a `release-ended` custody entry each) and the supplier is emailed; all in one transaction.
     */
    async cancel(staff: StaffMember, id: number, input: { reason: string }): Promise<void> {
      const reason = input.reason.trim();
      if (reason.length < 5 || reason.length > 2000)
        throw invalid('tasking-reason', 'reason must be 5 to 2,000 characters', 'reason');
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const row = await requireForStaff(trx, staff, id);
        if (staff.email !== row.raised_by)
          throw new ServiceError(
            'forbidden',
            'tasking-not-raiser',
            'Only the officer who raised it cancels it',
          );
        const released = holdsRelease(row.status);
        const moved = await moveTasking(ctx, trx, row, 'cancel', {
          ended_by: staff.email,
          ended_at: now.toISOString(),
          ended_reason: reason,
        });
        const ended = released
          ? await endRelease(
              ctx,
              trx,
              row,
              staff.email,
              `release to ${row.supplier_name} withdrawn: tasking ${String(id)} cancelled`,
              now,
            )
          : [];
        await logOnCase(ctx, trx, moved, staff.email, `cancelled by ${staff.email}: ${reason}`, now);
        // The supplier hears of it only if it was ever told of the tasking (approved).
        if (released) {
          await queueTaskingEmail(ctx, trx, moved, 'cancelled', now);
          await queueTaskingWebhook(ctx, trx, moved, 'cancelled', now);
        }
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'supplier-tasking-cancelled',
          reference: row.case_reference,
          forceId: staff.forceId,
          detail: `tasking ${String(id)} to supplier ${String(row.partner_id)}; release withdrawn: ${ended.join(', ') || 'none'}`,
        });
      });
    },

    /** The unit closes a delivered tasking, rating the supplier 1 to 5 and saying what came of it. */
    async close(staff: StaffMember, id: number, input: { rating: number; outcome: string }): Promise<void> {
      if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5)
        throw invalid('tasking-rating', 'rating must be a whole number from 1 to 5', 'rating');
      const outcome = input.outcome.trim();
      if (outcome.length > 2000)
        throw invalid('tasking-outcome', 'outcome must be at most 2,000 characters', 'outcome');
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const row = await requireForStaff(trx, staff, id);
        const moved = await moveTasking(ctx, trx, row, 'close', {
          closed_by: staff.email,
          closed_at: now.toISOString(),
          rating: input.rating,
          outcome: outcome === '' ? null : outcome,
        });
        await logOnCase(
          ctx,
          trx,
          moved,
          staff.email,
          `closed by ${staff.email}, rated ${String(input.rating)} of 5`,
          now,
        );
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'supplier-tasking-closed',
          reference: row.case_reference,
          forceId: staff.forceId,
          detail: `tasking ${String(id)} rated ${String(input.rating)}`,
        });
      });
    },

    /** The unit's taskings, newest first. */
    async forUnit(staff: StaffMember): Promise<Tasking[]> {
      if (!canWorkCases(staff) || staff.unitId === null) return [];
      return (await repos.suppliers.taskingsOfUnit(db, staff.unitId)).map(taskingView);
    },

    /** One of the unit's taskings with its exhibits and deliverables, or null; what this person may do with it. */
    async detail(staff: StaffMember, id: number) {
      const row = await repos.suppliers.findTasking(db, id);
      if (row === undefined || !canSeeTasking(staff, { unitId: row.unit_id })) return null;
      return {
        tasking: taskingView(row),
        exhibits: (await repos.suppliers.exhibitsOfTasking(db, id)).map((e) => ({
          id: e.id,
          ref: e.exhibit_ref,
        })),
        deliverables: (await repos.suppliers.deliverablesOf(db, id)).map((d) => ({
          exhibitId: d.exhibit_id,
          ref: d.exhibit_ref,
          fileName: d.file_name,
          sha256: d.sha256,
          uploadedAt: d.uploaded_at,
        })),
        timeLog: await timeLogOf(ctx, db, id, row.budget_cap_pence),
        history: (await repos.suppliers.taskingHistoryOf(db, row.case_id, id)).map((h) => ({
          at: h.at,
          by: h.decided_by,
          // The log's entry less the tasking's own name (logOnCase's), which the page already shows.
          what: h.decision.startsWith(caseLogPrefix(row))
            ? h.decision.slice(caseLogPrefix(row).length)
            : h.decision,
        })),
        canApprove:
          row.status === 'awaiting-approval' &&
          canApproveTasking(staff, { unitId: row.unit_id, raisedBy: row.raised_by }),
        canResubmit: row.status === 'returned' && staff.email === row.raised_by,
        canClose: row.status === 'delivered',
        canCancel:
          staff.email === row.raised_by &&
          (row.status === 'awaiting-approval' || row.status === 'returned' || holdsRelease(row.status)),
      };
    },

    /** What a tasking may be raised with from this case: its exhibits. Null when it is not this person's case. */
    async optionsFor(staff: StaffMember, caseReference: string) {
      const found = await caseAccess.findVisibleCase(db, staff, caseReference);
      if (found === null) return null;
      return {
        caseReference: found.row.reference,
        exhibits: (await repos.exhibits.exhibitsOfCase(db, found.row.id)).map((e) => ({
          id: e.id,
          ref: e.exhibit_ref,
          kind: e.kind,
          description: e.description,
        })),
      };
    },
  };
}
