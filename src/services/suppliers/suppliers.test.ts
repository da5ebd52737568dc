/**
 * Specialist suppliers (issue 22, MSP), through the services: the framework, a tasking checked against rate and
 * budget, the two-person approval releasing the exhibits in the chain of custody, the supplier seeing only its own
 * taskings and nothing of the victims, deliverables coming back as exhibits with the chain verifying across both,
 * and the figures.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXHIBIT_FILE,
  FY,
  supplierWorld,
  VICTIM,
  type SupplierWorld,
} from '../../../test/support/supplier-fixtures.ts';
import { createTestServices, testDialect } from '../../../test/support/test-services.ts';
import { isServiceError } from '../service-error.ts';

const sha256 = (content: Uint8Array) => createHash('sha256').update(content).digest('hex');
const refusal = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (isServiceError(error)) return { kind: error.kind, code: error.code, field: error.field };
    throw error;
  }
  throw new Error('not refused');
};

describe(`specialist suppliers (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let w: SupplierWorld;
  let taskingId = 0;
  const now = new Date('2026-12-10T09:00:00.000Z');
  const input = (overrides: object = {}) => ({
    caseReference: w.caseReference,
    supplierId: w.supplier.id,
    capability: 'device-forensics',
    scope: 'Extract the handset and report on messages about the parcel scam',
    deadline: '2026-12-20',
    budgetCapPence: 400_000,
    exhibitIds: [w.exhibitId],
    ...overrides,
  });

  beforeAll(async () => {
    services = await createTestServices({}, { clock: () => now });
    w = await supplierWorld(services);
  });
  afterAll(() => services.cleanup());

  it('lists the framework: capabilities with day rates, accreditations and vetted staff', async () => {
    const list = await services.suppliers.list();
    expect(list.map((s) => s.name)).toEqual(['Acme Forensics', 'Rival Labs']);
    expect(list[0]).toMatchObject({
      rates: [
        { capability: 'device-forensics', dayRatePence: 85_000 },
        { capability: 'crypto-tracing', dayRatePence: 120_000 },
      ],
      accreditations: [{ name: 'ISO/IEC 17025', expiresOn: '2027-03-31', expired: false }],
      staff: [{ name: 'Dana Examiner', vettingLevel: 'nppv3', expired: false }],
    });
    const framework = { partnerId: w.bank.id, rates: [], accreditations: [], staff: [] };
    expect(await refusal(services.suppliers.addSupplier(framework, 'test'))).toMatchObject({
      code: 'supplier-rates',
    });
    const rates = [{ capability: 'osint', dayRatePence: 100 }];
    expect(
      await refusal(
        services.suppliers.addSupplier(
          { ...framework, rates: [{ capability: 'tarot', dayRatePence: 1 }] },
          'test',
        ),
      ),
    ).toMatchObject({ code: 'supplier-capability' });
    expect(
      await refusal(
        services.suppliers.addSupplier(
          {
            ...framework,
            rates,
            staff: [{ name: 'X', vettingLevel: 'secret', vettingExpiresOn: '2027-01-01' }],
          },
          'test',
        ),
      ),
    ).toMatchObject({ code: 'supplier-staff' });
    expect(
      await refusal(
        services.suppliers.addSupplier({ ...framework, partnerId: w.supplier.id, rates }, 'test'),
      ),
    ).toMatchObject({ kind: 'conflict', code: 'supplier-exists' });
    expect(
      await refusal(services.suppliers.addSupplier({ ...framework, partnerId: 9999, rates }, 'test')),
    ).toMatchObject({ code: 'supplier-partner' });
    // Nothing was stored by the refusals: the bank is still no supplier.
    expect((await services.partners.byId(w.bank.id))?.supplier).toBe(false);
  });

  it('refuses a tasking below the rate, over the budget, with another case’s exhibit or the victim’s details', async () => {
    const cases: [object, string, string][] = [
      [{ budgetCapPence: 50_000 }, 'tasking-cap-below-rate', 'budget_cap'],
      [{ budgetCapPence: 2_000_000 }, 'tasking-over-budget', 'budget_cap'],
      [{ exhibitIds: [w.exhibitId + 1000] }, 'tasking-exhibit', 'exhibits'],
      [{ scope: `Call the victim on ${VICTIM.phone} about the handset` }, 'tasking-personal-data', 'scope'],
      [{ scope: `Email ${VICTIM.email.toUpperCase()} the findings` }, 'tasking-personal-data', 'scope'],
      [{ capability: 'osint' }, 'tasking-supplier', 'supplier'],
      [{ capability: 'tarot' }, 'tasking-capability', 'supplier'],
      [{ deadline: '2026-12-01' }, 'tasking-deadline', 'deadline'],
      [{ deadline: '2026-02-30' }, 'tasking-deadline', 'deadline'],
      [{ scope: 'short' }, 'tasking-scope', 'scope'],
    ];
    for (const [overrides, code, field] of cases)
      expect(await refusal(services.suppliers.raise(w.officer, input(overrides))), code).toEqual({
        kind: 'invalid',
        code,
        field,
      });
    expect(await refusal(services.suppliers.raise(w.stranger, input()))).toMatchObject({ kind: 'not-found' });
    expect(await services.suppliers.forUnit(w.officer)).toEqual([]);
  });

  it('is approved by someone other than the raiser, releasing each exhibit in the chain of custody', async () => {
    taskingId = await services.suppliers.raise(w.officer, input());
    // Not yet the supplier's: it sees nothing before approval.
    expect(await services.suppliers.forSupplier(w.users.supplier, w.supplier)).toEqual([]);
    expect(await refusal(services.suppliers.approve(w.officer, taskingId))).toMatchObject({
      kind: 'forbidden',
      code: 'tasking-own',
    });
    expect(await refusal(services.suppliers.approve(w.stranger, taskingId))).toMatchObject({
      kind: 'not-found',
    });
    await services.suppliers.approve(w.supervisor, taskingId);
    expect(await refusal(services.suppliers.approve(w.supervisor, taskingId))).toMatchObject({
      code: 'tasking-state',
    });

    const custody = await services.investigations.custody(w.officer, w.exhibitId);
    expect(custody?.entries.at(-1)).toMatchObject({
      event: 'released',
      actor: w.supervisor.email,
      note: `released to Acme Forensics for device forensics (tasking ${String(taskingId)})`,
    });
    const audit = await services.database.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'supplier-tasking-approved')
      .executeTakeFirstOrThrow();
    expect(audit.detail).toContain(w.exhibitRef);
    expect(await services.suppliers.budgetOf('cumbria-cyber', FY)).toEqual({
      financialYear: FY,
      budgetPence: 1_000_000,
      committedPence: 400_000,
      leftPence: 600_000,
    });
    // What is left now bounds the next tasking.
    expect(
      await refusal(services.suppliers.raise(w.officer, input({ budgetCapPence: 700_000 }))),
    ).toMatchObject({
      code: 'tasking-over-budget',
    });
  });

  it('shows a supplier only its own taskings, and nothing of the victims or the case', async () => {
    expect(await services.suppliers.forSupplier(w.users.otherSupplier, w.otherSupplier)).toEqual([]);
    expect(
      await refusal(services.suppliers.oneForSupplier(w.users.otherSupplier, w.otherSupplier, taskingId)),
    ).toMatchObject({
      kind: 'not-found',
    });
    expect(await services.suppliers.forSupplier(w.users.bank, w.bank)).toEqual([]);
    expect(await refusal(services.suppliers.accept(w.users.bank, w.bank, taskingId))).toMatchObject({
      kind: 'not-found',
    });
    // A user of another organisation holding this supplier's object is still refused.
    expect(
      await refusal(services.suppliers.accept(w.users.otherSupplier, w.supplier, taskingId)),
    ).toMatchObject({
      kind: 'not-found',
    });
    const seen = await services.suppliers.oneForSupplier(w.users.supplier, w.supplier, taskingId);
    expect(seen.tasking).toMatchObject({
      id: taskingId,
      capability: 'device-forensics',
      requestingUnit: services.reference.unit('cumbria-cyber')?.name,
    });
    expect(seen.exhibits).toEqual([
      { ref: w.exhibitRef, kind: 'phone', files: [{ name: 'extraction.bin', sha256: sha256(EXHIBIT_FILE) }] },
    ]);
    const text =
      JSON.stringify(await services.suppliers.forSupplier(w.users.supplier, w.supplier)) +
      JSON.stringify(seen);
    for (const value of [
      VICTIM.name,
      VICTIM.email,
      VICTIM.phone,
      w.caseReference,
      w.officer.email,
      'Handset fraud',
    ])
      expect(text).not.toContain(value);
  });

  it('takes deliverables back as exhibits with the same SHA-256, the chain verifying across both', async () => {
    const report = Buffer.from('%PDF-1.4 examination report of the handset');
    expect(
      await refusal(
        services.suppliers.deliver(w.users.supplier, w.supplier, taskingId, [
          { name: 'r.pdf', content: report },
        ]),
      ),
    ).toMatchObject({
      kind: 'conflict',
      code: 'tasking-state',
    });
    await services.suppliers.accept(w.users.supplier, w.supplier, taskingId);
    const file = await services.suppliers.releasedFile(
      w.users.supplier,
      w.supplier,
      taskingId,
      sha256(EXHIBIT_FILE),
    );
    expect(Buffer.from(file.content).equals(EXHIBIT_FILE)).toBe(true);
    expect(
      await refusal(
        services.suppliers.releasedFile(
          w.users.otherSupplier,
          w.otherSupplier,
          taskingId,
          sha256(EXHIBIT_FILE),
        ),
      ),
    ).toMatchObject({
      kind: 'not-found',
    });
    expect(
      await refusal(services.suppliers.releasedFile(w.users.supplier, w.supplier, taskingId, sha256(report))),
    ).toMatchObject({
      kind: 'not-found',
    });
    expect(
      await refusal(
        services.suppliers.complete(w.users.supplier, w.supplier, taskingId, {
          daysWorked: 2,
          costPence: 170_000,
        }),
      ),
    ).toMatchObject({
      code: 'tasking-no-deliverables',
    });
    const made = await services.suppliers.deliver(w.users.supplier, w.supplier, taskingId, [
      { name: 'report.pdf', content: report },
      { name: 'messages.csv', content: Buffer.from('time,from,text\n') },
    ]);
    expect(made.map((m) => m.ref)).toEqual([`MSP${String(taskingId)}/1`, `MSP${String(taskingId)}/2`]);
    expect(made[0]?.sha256).toBe(sha256(report));
    const opened = await services.investigations.readCase(w.officer, w.caseReference);
    const exhibit = opened?.exhibits.find((e) => e.exhibitRef === `MSP${String(taskingId)}/1`);
    expect(exhibit).toBeDefined();
    const chain = await services.investigations.custody(w.officer, exhibit?.id ?? 0);
    expect(chain?.entries).toEqual([
      expect.objectContaining({
        event: 'received',
        actor: w.users.supplier.email,
        note: 'received from Acme Forensics',
        fileSha256: sha256(report),
        fileName: 'report.pdf',
      }),
    ]);
    expect(await services.investigations.verify(w.caseReference)).toMatchObject({ ok: true, files: 3 });

    expect(
      await refusal(
        services.suppliers.complete(w.users.supplier, w.supplier, taskingId, {
          daysWorked: 2,
          costPence: 400_001,
        }),
      ),
    ).toMatchObject({
      code: 'tasking-cost-over-cap',
      field: 'cost',
    });
    await services.suppliers.complete(w.users.supplier, w.supplier, taskingId, {
      daysWorked: 2,
      costPence: 170_000,
    });
    expect(
      await refusal(services.suppliers.close(w.officer, taskingId, { rating: 6, outcome: '' })),
    ).toMatchObject({
      code: 'tasking-rating',
    });
    await services.suppliers.close(w.officer, taskingId, { rating: 4, outcome: 'Messages found; charged' });
    const detail = await services.suppliers.detail(w.officer, taskingId);
    expect(detail?.tasking).toMatchObject({ status: 'closed', rating: 4, onTime: true, costPence: 170_000 });
    expect(detail?.deliverables).toHaveLength(2);
    // The cost, not the cap, is what the budget now carries.
    expect((await services.suppliers.budgetOf('cumbria-cyber', FY)).leftPence).toBe(830_000);
  });

  it('counts taskings by capability and supplier, spend against budget, on-time delivery and ratings', async () => {
    const figures = await services.suppliers.figures();
    expect(figures.byCapability).toEqual([
      { name: 'device-forensics', taskings: 1, spentPence: 170_000, delivered: 1, onTime: 1, rating: 4 },
    ]);
    expect(figures.bySupplier.map((s) => s.name)).toEqual(['Acme Forensics']);
    expect(figures.byUnit).toEqual([
      expect.objectContaining({
        unitId: 'cumbria-cyber',
        financialYear: FY,
        budgetPence: 1_000_000,
        spentPence: 170_000,
      }),
    ]);
    expect(figures).toMatchObject({ delivered: 1, onTime: 1, rating: 4 });
  });
});
