/**
 * The supplier's time and cost on a tasking, logged as the work goes (issue 22, MSP): an entry a day's work (date,
 * hours, cost, note), while the tasking is accepted. The costs logged may not pass the tasking's cap (refused,
 * naming the cost); from CAP_WARNING_SHARE of it both sides are warned. Each entry is one transaction with the
 * case's log entry and its audit row; at the end the supplier's stated cost may not be less than what it logged.
 */
import type { DbOrTrx } from '../../db/database.ts';
import type { PartnerUser, PortalPartner } from '../../domain/access/access-policy.ts';
import { capUse, isIsoDate, isWorkMinutes } from '../../domain/suppliers/suppliers.ts';
import { ServiceError } from '../service-error.ts';
import {
  invalid,
  logOnCase,
  moveTasking,
  requireTaskingForSupplier,
  type SuppliersContext,
} from './context.ts';
import { MAX_PENCE } from './framework.ts';

export interface TimeEntryInput {
  /** YYYY-MM-DD: the day the work was done. */
  workDate: string;
  minutes: number;
  costPence: number;
  note: string;
}

const pounds = (pence: number) => `£${(pence / 100).toFixed(2)}`;
const hours = (minutes: number) => `${String(minutes / 60)} hour(s)`;

/** A tasking's entries with their totals and how the costs stand against the cap (both sides' pages). */
export async function timeLogOf(
  { repos }: SuppliersContext,
  q: DbOrTrx,
  taskingId: number,
  capPence: number,
) {
  const entries = (await repos.suppliers.timeEntriesOf(q, taskingId)).map((e) => ({
    workDate: e.work_date,
    minutes: e.minutes,
    costPence: e.cost_pence,
    note: e.note,
    loggedBy: e.logged_by,
    loggedAt: e.logged_at,
  }));
  const minutes = entries.reduce((sum, e) => sum + e.minutes, 0);
  const costPence = entries.reduce((sum, e) => sum + e.costPence, 0);
  return {
    entries,
    minutes,
    costPence,
    leftPence: Math.max(capPence - costPence, 0),
    capUse: entries.length === 0 ? null : capUse(costPence, capPence),
  };
}
export type TimeLog = Awaited<ReturnType<typeof timeLogOf>>;

export function createTimeLog(ctx: SuppliersContext) {
  const { db, clock, repos } = ctx;
  return {
    /** Logs a day's time and cost on an accepted tasking; answers the log as it now stands. */
    async logTime(user: PartnerUser, partner: PortalPartner, id: number, input: TimeEntryInput) {
      const now = clock();
      const today = now.toISOString().slice(0, 10);
      if (!isIsoDate(input.workDate) || input.workDate > today)
        throw invalid('tasking-time-date', 'date must be a day (YYYY-MM-DD), today or before', 'date');
      if (!isWorkMinutes(input.minutes))
        throw invalid('tasking-time-hours', 'hours must be quarter hours, from 0.25 to 24', 'hours');
      if (!Number.isInteger(input.costPence) || input.costPence < 0 || input.costPence > MAX_PENCE)
        throw invalid('tasking-cost', 'cost must be an amount of money', 'cost');
      const note = input.note.trim();
      if (note.length > 500 || /\p{Cc}/u.test(note))
        throw invalid('tasking-time-note', 'note must be at most 500 characters, on one line', 'note');
      return db.transaction().execute(async (trx) => {
        const row = await requireTaskingForSupplier(ctx, trx, user, partner, id);
        // Only while it works the tasking (a conflict otherwise, as any step out of turn).
        await moveTasking(ctx, trx, row, 'log-time', {});
        if (input.workDate < (row.accepted_at ?? '').slice(0, 10))
          throw invalid(
            'tasking-time-before',
            'date must be on or after the day you accepted the tasking',
            'date',
          );
        const before = await timeLogOf(ctx, trx, id, row.budget_cap_pence);
        const total = before.costPence + input.costPence;
        if (total > row.budget_cap_pence)
          throw new ServiceError(
            'invalid',
            'tasking-time-over-cap',
            'The costs logged would be more than the tasking’s budget cap',
            {
              field: 'cost',
              params: {
                cap: (row.budget_cap_pence / 100).toFixed(2),
                left: (before.leftPence / 100).toFixed(2),
              },
            },
          );
        await repos.suppliers.insertTimeEntry(trx, {
          tasking_id: id,
          work_date: input.workDate,
          minutes: input.minutes,
          cost_pence: input.costPence,
          note,
          logged_by: user.email,
          logged_at: now.toISOString(),
        });
        const summary = `${input.workDate}, ${hours(input.minutes)}, ${pounds(input.costPence)}; ${pounds(total)} of ${pounds(row.budget_cap_pence)} logged`;
        await logOnCase(ctx, trx, row, user.email, `time logged by the supplier: ${summary}`, now);
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: user.email,
          action: 'supplier-time-logged',
          reference: row.case_reference,
          detail: `tasking ${String(id)} by supplier ${String(partner.id)}: ${summary}`,
        });
        return timeLogOf(ctx, trx, id, row.budget_cap_pence);
      });
    },
  };
}
