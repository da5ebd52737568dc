/**
 * A supplier logs its time and cost as the work goes, held to the tasking's cap (refused beyond it, warned near
 * it), and may not then say the work cost less than it logged; a tasking awaiting approval is returned to its
 * raiser with a reason and sent again with its terms changed, held to the rules it was raised under. Each step is
 * audited and in the tasking's history (the case's decision log).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supplierWorld, VICTIM, type SupplierWorld } from '../../../test/support/supplier-fixtures.ts';
import { createTestServices, testDialect } from '../../../test/support/test-services.ts';
import { isServiceError } from '../service-error.ts';

const refusal = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (isServiceError(error)) return { kind: error.kind, code: error.code, field: error.field };
    throw error;
  }
  throw new Error('not refused');
};

describe(`supplier time logs and returned taskings (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let w: SupplierWorld;
  let now = new Date('2026-12-10T09:00:00.000Z');
  const raise = (overrides: object = {}) =>
    services.suppliers.raise(w.officer, {
      caseReference: w.caseReference,
      supplierId: w.supplier.id,
      capability: 'device-forensics',
      scope: 'Extract the handset and report on the messages',
      deadline: '2026-12-20',
      budgetCapPence: 200_000,
      exhibitIds: [w.exhibitId],
      ...overrides,
    });
  const audits = async (action: string) =>
    (
      await services.database.db
        .selectFrom('audit_log')
        .select('detail')
        .where('action', '=', action)
        .execute()
    ).map((a) => a.detail);
  const entry = (overrides: object = {}) => ({
    workDate: '2026-12-10',
    minutes: 450,
    costPence: 85_000,
    note: 'Imaged the handset',
    ...overrides,
  });

  beforeAll(async () => {
    services = await createTestServices({}, { clock: () => now });
    w = await supplierWorld(services);
  });
  afterAll(() => services.cleanup());

  it('logs time and cost as the work goes, refusing costs beyond the cap and warning near it', async () => {
    const id = await raise();
    await services.suppliers.approve(w.supervisor, id);
    const log = (input: object, user = w.users.supplier, partner = w.supplier) =>
      services.suppliers.logTime(user, partner, id, entry(input));
    // Not before it is accepted; never another supplier's.
    expect(await refusal(log({}))).toMatchObject({ kind: 'conflict', code: 'tasking-state' });
    await services.suppliers.accept(w.users.supplier, w.supplier, id);
    expect(await refusal(log({}, w.users.otherSupplier, w.otherSupplier))).toMatchObject({
      kind: 'not-found',
    });
    // Each bad input named.
    for (const [input, code, field] of [
      [{ workDate: '2026-12-11' }, 'tasking-time-date', 'date'],
      [{ workDate: '2026-02-30' }, 'tasking-time-date', 'date'],
      [{ workDate: '2026-12-09' }, 'tasking-time-before', 'date'],
      [{ minutes: 0 }, 'tasking-time-hours', 'hours'],
      [{ minutes: 10 }, 'tasking-time-hours', 'hours'],
      [{ minutes: 25 * 60 }, 'tasking-time-hours', 'hours'],
      [{ costPence: -1 }, 'tasking-cost', 'cost'],
      [{ costPence: 1.5 }, 'tasking-cost', 'cost'],
      [{ note: 'a\nforged line' }, 'tasking-time-note', 'note'],
      [{ costPence: 200_001 }, 'tasking-time-over-cap', 'cost'],
    ] as const)
      expect(await refusal(log(input)), code).toEqual({ kind: 'invalid', code, field });

    expect(await log({})).toMatchObject({
      costPence: 85_000,
      minutes: 450,
      leftPence: 115_000,
      capUse: null,
    });
    now = new Date('2026-12-11T17:00:00.000Z');
    const near = await log({ workDate: '2026-12-11', minutes: 330, costPence: 80_000, note: '' });
    expect(near).toMatchObject({ costPence: 165_000, minutes: 780, capUse: 'near' });
    // The next entry would pass the cap: refused, saying what is left.
    const over = await services.suppliers
      .logTime(w.users.supplier, w.supplier, id, entry({ workDate: '2026-12-11', costPence: 35_001 }))
      .catch((error: unknown) => error);
    expect(isServiceError(over) ? [over.code, over.field, over.params] : over).toEqual([
      'tasking-time-over-cap',
      'cost',
      { cap: '2000.00', left: '350.00' },
    ]);
    const reached = await log({ workDate: '2026-12-11', minutes: 60, costPence: 35_000 });
    expect(reached).toMatchObject({ costPence: 200_000, capUse: 'reached', leftPence: 0 });
    // Time without cost is still logged once the cap is reached.
    expect(await log({ workDate: '2026-12-11', minutes: 15, costPence: 0 })).toMatchObject({ minutes: 855 });

    // Both sides read the entries; the unit's history holds each.
    const unit = await services.suppliers.detail(w.officer, id);
    expect(unit?.timeLog.entries.map((e) => [e.workDate, e.minutes, e.costPence, e.note])).toEqual([
      ['2026-12-10', 450, 85_000, 'Imaged the handset'],
      ['2026-12-11', 330, 80_000, ''],
      ['2026-12-11', 60, 35_000, 'Imaged the handset'],
      ['2026-12-11', 15, 0, 'Imaged the handset'],
    ]);
    expect(unit?.history.map((h) => h.what)).toContain(
      'time logged by the supplier: 2026-12-10, 7.5 hour(s), £850.00; £850.00 of £2000.00 logged',
    );
    const supplier = await services.suppliers.oneForSupplier(w.users.supplier, w.supplier, id);
    expect(supplier.timeLog.costPence).toBe(200_000);
    expect(await audits('supplier-time-logged')).toHaveLength(4);

    // At the end it may not say the work cost less than it logged.
    await services.suppliers.deliver(w.users.supplier, w.supplier, id, [
      { name: 'report.pdf', content: Buffer.from('%PDF-1.4 findings') },
    ]);
    const below = await services.suppliers
      .complete(w.users.supplier, w.supplier, id, { daysWorked: 2, costPence: 199_999 })
      .catch((error: unknown) => error);
    expect(isServiceError(below) ? [below.code, below.field, below.params] : below).toEqual([
      'tasking-cost-below-logged',
      'cost',
      { logged: '2000.00' },
    ]);
    await services.suppliers.complete(w.users.supplier, w.supplier, id, {
      daysWorked: 2,
      costPence: 200_000,
    });
    // Delivered: no more entries.
    expect(await refusal(log({ workDate: '2026-12-11', costPence: 0 }))).toMatchObject({
      code: 'tasking-state',
    });
  });

  it('never lets entries logged at once together pass the cap', async () => {
    now = new Date('2026-12-10T09:00:00.000Z');
    const id = await raise({ budgetCapPence: 100_000 });
    await services.suppliers.approve(w.supervisor, id);
    await services.suppliers.accept(w.users.supplier, w.supplier, id);
    // Six at once, each 40% of the cap: two fit, the rest must be refused.
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () =>
        services.suppliers.logTime(w.users.supplier, w.supplier, id, entry({ costPence: 40_000 })),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    const stored = await services.database.db
      .selectFrom('supplier_time_entries')
      .select('cost_pence')
      .where('tasking_id', '=', id)
      .execute();
    expect(stored.reduce((sum, e) => sum + e.cost_pence, 0)).toBe(80_000);
    // Ended, so it takes none of the unit's budget the next test counts.
    await services.suppliers.cancel(w.officer, id, { reason: 'Only the race was wanted' });
  });

  it('returns a tasking to its raiser with a reason, who changes it and sends it again', async () => {
    const id = await raise({ budgetCapPence: 170_000 });
    // Not the raiser; not another unit.
    expect(
      await refusal(services.suppliers.returnToRaiser(w.officer, id, { reason: 'Tighten the scope' })),
    ).toEqual({
      kind: 'forbidden',
      code: 'tasking-own-return',
      field: undefined,
    });
    expect(
      await refusal(services.suppliers.returnToRaiser(w.stranger, id, { reason: 'Tighten the scope' })),
    ).toMatchObject({ kind: 'not-found' });
    expect(
      await refusal(services.suppliers.returnToRaiser(w.supervisor, id, { reason: 'no' })),
    ).toMatchObject({
      code: 'tasking-reason',
      field: 'reason',
    });
    await services.suppliers.returnToRaiser(w.supervisor, id, {
      reason: 'Say which messages: the scope is too wide for the cap',
    });
    const returned = await services.suppliers.detail(w.officer, id);
    expect(returned?.tasking).toMatchObject({
      status: 'returned',
      returnedBy: w.supervisor.email,
      returnedReason: 'Say which messages: the scope is too wide for the cap',
    });
    expect(returned).toMatchObject({ canResubmit: true, canCancel: true, canApprove: false });
    // Nothing was released: the supplier sees nothing, it cannot be approved or returned again, and it takes no budget.
    expect(
      (await services.suppliers.forSupplier(w.users.supplier, w.supplier)).map((t) => t.id),
    ).not.toContain(id);
    expect(await refusal(services.suppliers.approve(w.supervisor, id))).toMatchObject({
      code: 'tasking-state',
    });
    expect(
      await refusal(services.suppliers.returnToRaiser(w.supervisor, id, { reason: 'And again please' })),
    ).toMatchObject({ code: 'tasking-state' });
    const budget = await services.suppliers.budgetOf('cumbria-cyber');
    expect(budget.committedPence).toBe(200_000);

    // Sent again: only by its raiser, under the rules it was raised under.
    const terms = {
      scope: 'Extract the WhatsApp messages of December from the handset',
      deadline: '2026-12-24',
      budgetCapPence: 120_000,
    };
    expect(await refusal(services.suppliers.resubmit(w.supervisor, id, terms))).toMatchObject({
      kind: 'forbidden',
      code: 'tasking-not-raiser',
    });
    for (const [overrides, code, field] of [
      [{ scope: `Ring ${VICTIM.phone} about the handset` }, 'tasking-personal-data', 'scope'],
      [{ budgetCapPence: 50_000 }, 'tasking-cap-below-rate', 'budget_cap'],
      [{ budgetCapPence: 900_000 }, 'tasking-over-budget', 'budget_cap'],
      [{ deadline: '2026-12-01' }, 'tasking-deadline', 'deadline'],
    ] as const)
      expect(
        await refusal(services.suppliers.resubmit(w.officer, id, { ...terms, ...overrides })),
        code,
      ).toEqual({
        kind: 'invalid',
        code,
        field,
      });
    expect((await services.suppliers.detail(w.officer, id))?.tasking.status).toBe('returned');
    await services.suppliers.resubmit(w.officer, id, terms);
    const again = await services.suppliers.detail(w.supervisor, id);
    expect(again?.tasking).toMatchObject({ status: 'awaiting-approval', ...terms });
    expect(again?.canApprove).toBe(true);
    expect(again?.history.map((h) => [h.by, h.what])).toEqual([
      [w.officer.email, `raised by ${w.officer.email}, awaiting approval`],
      [
        w.supervisor.email,
        `returned to ${w.officer.email} by ${w.supervisor.email}: Say which messages: the scope is too wide for the cap`,
      ],
      [
        w.officer.email,
        `sent for approval again by ${w.officer.email} (changed: scope, deadline 2026-12-24, cap £1200.00)`,
      ],
    ]);
    expect(await audits('supplier-tasking-returned')).toEqual([
      `tasking ${String(id)} to supplier ${String(w.supplier.id)} returned to ${w.officer.email}`,
    ]);
    expect(await audits('supplier-tasking-resubmitted')).toHaveLength(1);
    await services.suppliers.approve(w.supervisor, id);
    expect((await services.suppliers.budgetOf('cumbria-cyber')).committedPence).toBe(320_000);

    // A returned tasking may be cancelled by its raiser instead.
    const dropped = await raise({ budgetCapPence: 100_000 });
    await services.suppliers.returnToRaiser(w.supervisor, dropped, { reason: 'Not needed: use the lab' });
    await services.suppliers.cancel(w.officer, dropped, { reason: 'Done in house' });
    expect((await services.suppliers.detail(w.officer, dropped))?.tasking.status).toBe('cancelled');
  });
});
