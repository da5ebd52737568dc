/**
 * The rules a tasking's terms (scope, deadline, budget cap) are held to when raised and when sent again after a
 * return (taskings.ts, tasking-returns.ts): one check of each, so the two cannot drift.
 */
import type { DbOrTrx } from '../../db/database.ts';
import type { TaskingRow } from '../../db/repositories/supplier-repository.ts';
import { canSeeTasking, type StaffMember } from '../../domain/access/access-policy.ts';
import { mentionsPersonalData } from '../../domain/disruption/disruption.ts';
import { isIsoDate } from '../../domain/suppliers/suppliers.ts';
import { personalDetails } from '../disruption.ts';
import { ServiceError } from '../service-error.ts';
import { invalid, taskingNotFound, type SuppliersContext } from './context.ts';
import { MAX_PENCE, spendOf } from './framework.ts';

export interface TaskingTerms {
  scope: string;
  /** YYYY-MM-DD */
  deadline: string;
  budgetCapPence: number;
}

/** The unit's tasking (held on PostgreSQL), or not-found for anyone outside the unit. */
export async function requireTaskingForStaff(
  { repos, dialect }: SuppliersContext,
  trx: DbOrTrx,
  staff: StaffMember,
  id: number,
): Promise<TaskingRow> {
  const row = await repos.suppliers.findTasking(trx, id, dialect === 'postgres');
  if (row === undefined || !canSeeTasking(staff, { unitId: row.unit_id })) throw taskingNotFound();
  return row;
}

/** The budget left to the unit in the year, held (PostgreSQL) so two approvals cannot both spend the last of it. */
export async function budgetLeft(
  { repos, dialect }: SuppliersContext,
  trx: DbOrTrx,
  unitId: string,
  financialYear: string,
): Promise<number | null> {
  const budget = await repos.suppliers.findBudget(trx, unitId, financialYear, dialect === 'postgres');
  if (budget === undefined) return null;
  const taskings = await repos.suppliers.taskingSpendOf(trx, unitId, financialYear);
  return budget.budget_pence - taskings.reduce((sum, t) => sum + spendOf(t), 0);
}

export const overBudget = (kind: 'invalid' | 'conflict', left: number | null) =>
  left === null
    ? new ServiceError(
        'invalid',
        'tasking-no-budget',
        'Your unit has no supplier budget for this financial year',
        { field: 'budget_cap' },
      )
    : new ServiceError(
        kind,
        'tasking-over-budget',
        'The budget cap is more than your unit’s supplier budget left',
        {
          field: 'budget_cap',
          params: { left: (left / 100).toFixed(2) },
        },
      );

/** The terms' own rules (no I/O); answers the scope trimmed. */
export function checkTerms(terms: TaskingTerms, now: Date): string {
  const scope = terms.scope.trim();
  if (scope.length < 10 || scope.length > 4000)
    throw invalid('tasking-scope', 'scope must be 10 to 4,000 characters', 'scope');
  if (!isIsoDate(terms.deadline) || terms.deadline < now.toISOString().slice(0, 10))
    throw invalid('tasking-deadline', 'deadline must be a date (YYYY-MM-DD), today or later', 'deadline');
  if (!Number.isInteger(terms.budgetCapPence) || terms.budgetCapPence < 1 || terms.budgetCapPence > MAX_PENCE)
    throw invalid('tasking-budget-cap', 'budget_cap must be an amount of money', 'budget_cap');
  return scope;
}

/**
 * The terms against the supplier's rate, the unit's budget left (a tasking awaiting approval or returned takes none
 * of it) and the victims of the case's reports: the supplier reads the scope, so it may not carry what they gave
 * about themselves.
 */
export async function checkTermsInCase(
  ctx: SuppliersContext,
  trx: DbOrTrx,
  terms: { scope: string; budgetCapPence: number },
  at: { caseId: number; unitId: string; financialYear: string; dayRatePence: number },
): Promise<void> {
  const { repos } = ctx;
  if (terms.budgetCapPence < at.dayRatePence)
    throw new ServiceError(
      'invalid',
      'tasking-cap-below-rate',
      'The budget cap is less than one day at the supplier’s rate',
      {
        field: 'budget_cap',
        params: { rate: (at.dayRatePence / 100).toFixed(2) },
      },
    );
  const left = await budgetLeft(ctx, trx, at.unitId, at.financialYear);
  if (left === null || terms.budgetCapPence > left) throw overBudget('invalid', left);
  const reports = await repos.disruption.victimDetailsOf(
    trx,
    await repos.disruption.reportIdsOfCase(trx, at.caseId),
  );
  if (mentionsPersonalData(terms.scope, personalDetails(reports)))
    throw invalid('tasking-personal-data', 'The scope holds the victim’s personal details', 'scope');
}
