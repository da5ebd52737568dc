/**
 * The suppliers' framework (issue 22, MSP; docs/suppliers.md): flagging a partner as a supplier with its
 * capabilities and day rates, accreditations and named staff's vetting (the CLI, an operator's job); listing
 * suppliers for units; units' budgets per financial year; and the figures.
 */
import type { Db } from '../../db/database.ts';
import type { Repositories } from '../../db/repositories/index.ts';
import {
  CAPABILITIES,
  committedPence,
  deliveredOnTime,
  financialYearOf,
  isCapability,
  isFinancialYear,
  isIsoDate,
  isVettingLevel,
  VETTING_LEVELS,
  type Capability,
} from '../../domain/suppliers/suppliers.ts';
import type { ReferenceData } from '../../reference-data/reference-data.ts';
import { ServiceError } from '../service-error.ts';

/** The most a rate, cap, cost or budget may be: £100m, in pence. */
export const MAX_PENCE = 10_000_000_000;
const MAX_ENTRIES = 50;

export interface FrameworkInput {
  partnerId: number;
  /** Day rates in pence. */
  rates: { capability: string; dayRatePence: number }[];
  accreditations: { name: string; expiresOn: string }[];
  staff: { name: string; vettingLevel: string; vettingExpiresOn: string }[];
}

export interface Supplier {
  id: number;
  name: string;
  rates: { capability: Capability; dayRatePence: number }[];
  accreditations: { name: string; expiresOn: string; expired: boolean }[];
  staff: { name: string; vettingLevel: string; vettingExpiresOn: string; expired: boolean }[];
}

/** What a tasking row takes from its unit's budget. */
export const spendOf = (r: { status: string; budget_cap_pence: number; cost_pence: number | null }) =>
  committedPence({
    status: r.status,
    budgetCapPence: r.budget_cap_pence,
    costPence: r.cost_pence,
  });

const invalid = (code: string, message: string, field: string) =>
  new ServiceError('invalid', code, message, { field });
const isPence = (value: number) => Number.isInteger(value) && value >= 1 && value <= MAX_PENCE;
/** A name or accreditation as typed: printable, 1 to 100 characters. */
const isLabel = (value: string) => /^[^\p{Cc}]{1,100}$/u.test(value) && value.trim() !== '';

/** A framework entry as the repository's rows. */
const frameworkRows = (partnerId: number, input: FrameworkInput) => ({
  capabilities: input.rates.map((r) => ({
    partner_id: partnerId,
    capability: r.capability,
    day_rate_pence: r.dayRatePence,
  })),
  accreditations: input.accreditations.map((a) => ({
    partner_id: partnerId,
    name: a.name.trim(),
    expires_on: a.expiresOn,
  })),
  staff: input.staff.map((s) => ({
    partner_id: partnerId,
    name: s.name.trim(),
    vetting_level: s.vettingLevel,
    vetting_expires_on: s.vettingExpiresOn,
  })),
});

export function createSupplierFramework(
  db: Db,
  clock: () => Date,
  reference: ReferenceData,
  repos: Repositories,
) {
  const unitName = (id: string) => reference.unit(id)?.name ?? id;

  function checkFramework(input: FrameworkInput) {
    if (input.rates.length === 0 || input.rates.length > CAPABILITIES.length)
      throw invalid(
        'supplier-rates',
        `give a day rate for 1 to ${String(CAPABILITIES.length)} capabilities`,
        'rate',
      );
    const seen = new Set<string>();
    for (const rate of input.rates) {
      if (!isCapability(rate.capability))
        throw invalid('supplier-capability', `capability must be one of ${CAPABILITIES.join(', ')}`, 'rate');
      if (seen.has(rate.capability))
        throw invalid('supplier-capability-twice', `${rate.capability} is given twice`, 'rate');
      seen.add(rate.capability);
      if (!isPence(rate.dayRatePence))
        throw invalid(
          'supplier-rate',
          `the day rate for ${rate.capability} must be a positive amount`,
          'rate',
        );
    }
    if (input.accreditations.length > MAX_ENTRIES || input.staff.length > MAX_ENTRIES)
      throw invalid('supplier-too-many', `at most ${String(MAX_ENTRIES)} accreditations and staff`, 'staff');
    for (const a of input.accreditations)
      if (!isLabel(a.name) || !isIsoDate(a.expiresOn))
        throw invalid(
          'supplier-accreditation',
          'an accreditation is "<name>:<expiry YYYY-MM-DD>", e.g. "ISO 17025:2027-03-31"',
          'accreditation',
        );
    for (const s of input.staff)
      if (!isLabel(s.name) || !isVettingLevel(s.vettingLevel) || !isIsoDate(s.vettingExpiresOn))
        throw invalid(
          'supplier-staff',
          `a member of staff is "<name>:<${VETTING_LEVELS.join('|')}>:<vetting expiry YYYY-MM-DD>"`,
          'staff',
        );
  }

  return {
    /** Flags a live partner as a supplier with its framework entry, in one transaction with its audit row. */
    async addSupplier(input: FrameworkInput, actor: string): Promise<{ id: number; name: string }> {
      checkFramework(input);
      const now = clock();
      return db.transaction().execute(async (trx) => {
        const partner = await repos.partners.findPartner(trx, input.partnerId);
        if (partner === undefined || partner.revoked_at !== null)
          throw invalid(
            'supplier-partner',
            'partner is not a current partner (bluelight partner add first)',
            'partner',
          );
        if (partner.supplier === 1)
          throw new ServiceError('conflict', 'supplier-exists', `${partner.name} is already a supplier`, {
            field: 'partner',
          });
        await repos.suppliers.flagSupplier(trx, partner.id);
        await repos.suppliers.insertFramework(trx, frameworkRows(partner.id, input));
        await repos.audit.writeAudit(trx, {
          at: now,
          actor,
          action: 'supplier-added',
          reference: null,
          detail: `partner ${String(partner.id)} "${partner.name}": ${input.rates.map((r) => r.capability).join(', ')}; ${String(input.accreditations.length)} accreditation(s), ${String(input.staff.length)} staff`,
        });
        return { id: partner.id, name: partner.name };
      });
    },

    /**
     * Replaces a supplier's framework entry (rates, accreditations, named staff) with the one given, held to the
     * rules `addSupplier` holds a new one to, in one transaction with its audit row naming what changed. Taskings
     * keep the rate they were raised at; one awaiting approval for a capability taken off cannot be approved.
     */
    async changeSupplier(input: FrameworkInput, actor: string) {
      checkFramework(input);
      const now = clock();
      return db.transaction().execute(async (trx) => {
        const partner = await repos.partners.findPartner(trx, input.partnerId);
        if (partner === undefined || partner.revoked_at !== null || partner.supplier !== 1)
          throw invalid(
            'supplier-not-supplier',
            'partner is not a current supplier (bluelight supplier add first)',
            'partner',
          );
        const before = await repos.suppliers.frameworkOf(trx, [partner.id]);
        const was = new Map(before.capabilities.map((c) => [c.capability, c.day_rate_pence]));
        const changes = [
          ...input.rates
            .filter((r) => was.get(r.capability) !== r.dayRatePence)
            .map((r) =>
              was.has(r.capability)
                ? `${r.capability} ${String(was.get(r.capability))} → ${String(r.dayRatePence)} pence`
                : `${r.capability} added at ${String(r.dayRatePence)} pence`,
            ),
          ...[...was.keys()]
            .filter((c) => !input.rates.some((r) => r.capability === c))
            .map((c) => `${c} removed`),
        ];
        await repos.suppliers.deleteFramework(trx, partner.id);
        await repos.suppliers.insertFramework(trx, frameworkRows(partner.id, input));
        await repos.audit.writeAudit(trx, {
          at: now,
          actor,
          action: 'supplier-changed',
          reference: null,
          detail: `partner ${String(partner.id)} "${partner.name}": ${changes.join(', ') || 'rates unchanged'}; ${String(before.accreditations.length)} → ${String(input.accreditations.length)} accreditation(s), ${String(before.staff.length)} → ${String(input.staff.length)} staff`,
        });
        return { id: partner.id, name: partner.name, changes };
      });
    },

    /** Live suppliers with their framework; expired accreditations and vetting are flagged, not hidden. */
    async list(): Promise<Supplier[]> {
      const today = clock().toISOString().slice(0, 10);
      const suppliers = await repos.suppliers.liveSuppliers(db);
      const framework = await repos.suppliers.frameworkOf(
        db,
        suppliers.map((s) => s.id),
      );
      return suppliers.map((s) => ({
        id: s.id,
        name: s.name,
        rates: framework.capabilities
          .filter((c) => c.partner_id === s.id && isCapability(c.capability))
          .map((c) => ({ capability: c.capability as Capability, dayRatePence: c.day_rate_pence }))
          .sort((a, b) => CAPABILITIES.indexOf(a.capability) - CAPABILITIES.indexOf(b.capability)),
        accreditations: framework.accreditations
          .filter((a) => a.partner_id === s.id)
          .map((a) => ({ name: a.name, expiresOn: a.expires_on, expired: a.expires_on < today })),
        staff: framework.staff
          .filter((m) => m.partner_id === s.id)
          .map((m) => ({
            name: m.name,
            vettingLevel: m.vetting_level,
            vettingExpiresOn: m.vetting_expires_on,
            expired: m.vetting_expires_on < today,
          })),
      }));
    },

    /** Sets a unit's supplier budget for a financial year (CLI), with its audit row. */
    async setBudget(input: { unitId: string; financialYear: string; budgetPence: number }, actor: string) {
      if (reference.unit(input.unitId) === undefined)
        throw invalid('supplier-budget-unit', 'unit must be a unit id from the reference data', 'unit');
      if (!isFinancialYear(input.financialYear))
        throw invalid('supplier-budget-year', 'year must be a financial year such as 2026-27', 'year');
      if (!Number.isInteger(input.budgetPence) || input.budgetPence < 0 || input.budgetPence > MAX_PENCE)
        throw invalid('supplier-budget-amount', 'amount must be pounds (and pence), 0 or more', 'amount');
      const now = clock();
      return db.transaction().execute(async (trx) => {
        const done = await repos.suppliers.setBudget(trx, {
          unit_id: input.unitId,
          financial_year: input.financialYear,
          budget_pence: input.budgetPence,
          set_by: actor,
          set_at: now.toISOString(),
        });
        await repos.audit.writeAudit(trx, {
          at: now,
          actor,
          action: 'supplier-budget-set',
          reference: null,
          detail: `${input.unitId} ${input.financialYear}: ${String(input.budgetPence)} pence (${done})`,
        });
        return done;
      });
    },

    /** A unit's budget for the year (this one by default): set, committed (caps, then costs) and left. */
    async budgetOf(unitId: string, financialYear = financialYearOf(clock())) {
      const budget = await repos.suppliers.findBudget(db, unitId, financialYear);
      const taskings = await repos.suppliers.taskingSpendOf(db, unitId, financialYear);
      const committed = taskings.reduce((sum, t) => sum + spendOf(t), 0);
      const budgetPence = budget === undefined ? null : budget.budget_pence;
      return {
        financialYear,
        budgetPence,
        committedPence: committed,
        leftPence: budgetPence === null ? null : budgetPence - committed,
      };
    },

    /**
     * Figures of taskings approved or later: by capability and supplier (taskings, spend: costs once given, caps
     * until then), delivered on time, average rating; and each unit's spend against its budget per year. No
     * scope, case or person: whoever reads figures reads them all.
     */
    async figures() {
      const rows = await repos.suppliers.taskingFigures(db);
      const tally = (key: (r: (typeof rows)[number]) => string) => {
        const out = new Map<
          string,
          { taskings: number; spentPence: number; delivered: number; onTime: number; ratings: number[] }
        >();
        for (const r of rows) {
          const t = out.get(key(r)) ?? { taskings: 0, spentPence: 0, delivered: 0, onTime: 0, ratings: [] };
          t.taskings += 1;
          t.spentPence += spendOf(r);
          const onTime = deliveredOnTime({ deadline: r.deadline, deliveredAt: r.delivered_at });
          if (onTime !== null) t.delivered += 1;
          if (onTime === true) t.onTime += 1;
          if (r.rating !== null) t.ratings.push(r.rating);
          out.set(key(r), t);
        }
        return [...out]
          .map(([name, { ratings, ...t }]) => ({
            name,
            ...t,
            rating:
              ratings.length === 0
                ? null
                : Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length) * 10) / 10,
          }))
          .sort((a, b) => b.taskings - a.taskings || a.name.localeCompare(b.name));
      };
      const spend = new Map<string, number>();
      for (const r of rows) {
        const key = `${r.unit_id} ${r.financial_year}`;
        spend.set(key, (spend.get(key) ?? 0) + spendOf(r));
      }
      const budgets = await repos.suppliers.budgets(db);
      const keys = new Set([...budgets.map((b) => `${b.unit_id} ${b.financial_year}`), ...spend.keys()]);
      const byUnit = [...keys].sort().map((key) => {
        const [unitId = '', financialYear = ''] = key.split(' ');
        const budget = budgets.find((b) => b.unit_id === unitId && b.financial_year === financialYear);
        return {
          unitId,
          unitName: unitName(unitId),
          financialYear,
          budgetPence: budget === undefined ? null : budget.budget_pence,
          spentPence: spend.get(key) ?? 0,
        };
      });
      const all = tally(() => 'all')[0];
      return {
        byCapability: tally((r) => r.capability),
        bySupplier: tally((r) => r.supplier_name),
        byUnit,
        delivered: all?.delivered ?? 0,
        onTime: all?.onTime ?? 0,
        rating: all?.rating ?? null,
      };
    },
  };
}
