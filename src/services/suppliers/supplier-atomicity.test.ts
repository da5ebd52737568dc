/**
 * Each step of a supplier tasking is one transaction: killed at every repository call in turn, it leaves nothing
 * behind — no approval without its `released` custody entries, email and audit row, no deliverable exhibit without
 * its file, custody entry and record, no time entry, return or resubmission without its log entry and audit row, no decline or cancellation without its `release-ended` entries and email — and
 * the completed run made no call outside its transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repositories } from '../../db/repositories/index.ts';
import { killEverywhere as killEverywhereIn, tableSnapshot } from '../../../test/support/kill-everywhere.ts';
import { supplierWorld, type SupplierWorld } from '../../../test/support/supplier-fixtures.ts';
import { createTestServices, testDialect } from '../../../test/support/test-services.ts';
import { createSuppliers } from './index.ts';

const TABLES = [
  'supplier_taskings',
  'supplier_tasking_exhibits',
  'supplier_deliverables',
  'supplier_time_entries',
  'supplier_budgets',
  'partners',
  'supplier_capabilities',
  'supplier_accreditations',
  'supplier_staff',
  'exhibits',
  'custody_entries',
  'cases',
  'case_decisions',
  'exhibit_file_md5',
  'evidence_blobs',
  'audit_log',
  // The emails to the unit and the supplier go with the step that causes them.
  'outbox',
] as const;

describe(`supplier taskings are atomic: killed between statements, nothing is committed (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let w: SupplierWorld;
  const now = new Date('2026-12-10T09:00:00.000Z');

  beforeAll(async () => {
    services = await createTestServices({}, { clock: () => now });
    w = await supplierWorld(services);
  });
  afterAll(() => services.cleanup());

  const withRepos = (repos: Repositories) =>
    createSuppliers(services.database.db, services.database.dialect, () => now, services.reference, repos);

  /** The shared kill loop (test/support/kill-everywhere.ts) over this file's tables. */
  const killEverywhere = <T>(name: string, audit: string, run: (repos: Repositories) => Promise<T>) =>
    killEverywhereIn(tableSnapshot(services.database.db, TABLES), name, audit, run);

  let id = 0;

  it('adds a supplier to the framework, changes its entry and sets a budget whole or not at all', async () => {
    await killEverywhere('add supplier', 'supplier-added', (repos) =>
      withRepos(repos).addSupplier(
        {
          partnerId: w.bank.id,
          rates: [{ capability: 'incident-response', dayRatePence: 90_000 }],
          accreditations: [{ name: 'CREST', expiresOn: '2027-06-30' }],
          staff: [{ name: 'Sam Responder', vettingLevel: 'sc', vettingExpiresOn: '2029-01-01' }],
        },
        'test',
      ),
    );
    const { after: changed } = await killEverywhere('change supplier', 'supplier-changed', (repos) =>
      withRepos(repos).changeSupplier(
        {
          partnerId: w.bank.id,
          rates: [{ capability: 'osint', dayRatePence: 70_000 }],
          accreditations: [],
          staff: [{ name: 'Sam Responder', vettingLevel: 'dv', vettingExpiresOn: '2030-01-01' }],
        },
        'test',
      ),
    );
    expect(changed.supplier_accreditations?.some((a) => a.includes('CREST'))).toBe(false);
    await killEverywhere('budget', 'supplier-budget-set', (repos) =>
      withRepos(repos).setBudget(
        { unitId: 'cumbria-cyber', financialYear: '2026-27', budgetPence: 2_000_000 },
        'test',
      ),
    );
  });

  it('raises and approves (releasing the exhibit) whole or not at all', async () => {
    ({ result: id } = await killEverywhere('raise', 'supplier-tasking-raised', (repos) =>
      withRepos(repos).raise(w.officer, {
        caseReference: w.caseReference,
        supplierId: w.supplier.id,
        capability: 'device-forensics',
        scope: 'Extract the handset and report on the messages',
        deadline: '2026-12-20',
        budgetCapPence: 300_000,
        exhibitIds: [w.exhibitId],
      }),
    ));
    const { after: approved } = await killEverywhere('approve', 'supplier-tasking-approved', (repos) =>
      withRepos(repos).approve(w.supervisor, id),
    );
    expect(approved.custody_entries?.some((e) => e.includes('"event":"released"'))).toBe(true);
  });

  it('accepts and takes deliverables back as exhibits whole or not at all', async () => {
    await killEverywhere('accept', 'supplier-tasking-accepted', (repos) =>
      withRepos(repos).accept(w.users.supplier, w.supplier, id),
    );
    const { after: delivered } = await killEverywhere('deliver', 'supplier-deliverables-received', (repos) =>
      withRepos(repos).deliver(w.users.supplier, w.supplier, id, [
        { name: 'report.pdf', content: Buffer.from('%PDF-1.4 the report') },
        { name: 'notes.txt', content: Buffer.from('notes') },
      ]),
    );
    expect(delivered.exhibits?.filter((e) => e.includes(`"exhibit_ref":"MSP${String(id)}/`))).toHaveLength(2);
  });

  it('logs time, completes and closes whole or not at all', async () => {
    const { after: logged } = await killEverywhere('log time', 'supplier-time-logged', (repos) =>
      withRepos(repos).logTime(w.users.supplier, w.supplier, id, {
        workDate: '2026-12-10',
        minutes: 450,
        costPence: 85_000,
        note: 'Imaged the handset',
      }),
    );
    expect(logged.supplier_time_entries).toHaveLength(1);
    await killEverywhere('complete', 'supplier-tasking-delivered', (repos) =>
      withRepos(repos).complete(w.users.supplier, w.supplier, id, { daysWorked: 3, costPence: 255_000 }),
    );
    await killEverywhere('close', 'supplier-tasking-closed', (repos) =>
      withRepos(repos).close(w.officer, id, { rating: 5, outcome: 'Evidence served' }),
    );
    expect(await services.investigations.verify(w.caseReference)).toMatchObject({ ok: true });
  });

  it('returns a tasking to its raiser and sends it again whole or not at all', async () => {
    const tasking = await services.suppliers.raise(w.officer, {
      caseReference: w.caseReference,
      supplierId: w.supplier.id,
      capability: 'device-forensics',
      scope: 'Extract the handset and report on the messages',
      deadline: '2026-12-20',
      budgetCapPence: 100_000,
      exhibitIds: [w.exhibitId],
    });
    await killEverywhere('return', 'supplier-tasking-returned', (repos) =>
      withRepos(repos).returnToRaiser(w.supervisor, tasking, { reason: 'Narrow the scope' }),
    );
    const { after } = await killEverywhere('resubmit', 'supplier-tasking-resubmitted', (repos) =>
      withRepos(repos).resubmit(w.officer, tasking, {
        scope: 'Extract the messages of December only',
        deadline: '2026-12-22',
        budgetCapPence: 90_000,
      }),
    );
    expect(after.supplier_taskings?.some((t) => t.includes('"status":"awaiting-approval"'))).toBe(true);
    await services.suppliers.cancel(w.officer, tasking, { reason: 'Test over' });
  });

  it('declines and cancels (ending the release) whole or not at all', async () => {
    const raiseApproved = async () => {
      const tasking = await services.suppliers.raise(w.officer, {
        caseReference: w.caseReference,
        supplierId: w.supplier.id,
        capability: 'device-forensics',
        scope: 'Extract the handset and report on the messages',
        deadline: '2026-12-20',
        budgetCapPence: 100_000,
        exhibitIds: [w.exhibitId],
      });
      await services.suppliers.approve(w.supervisor, tasking);
      return tasking;
    };
    const declined = await raiseApproved();
    const { after: afterDecline } = await killEverywhere('decline', 'supplier-tasking-declined', (repos) =>
      withRepos(repos).decline(w.users.supplier, w.supplier, declined, { reason: 'No examiner free' }),
    );
    expect(afterDecline.custody_entries?.some((e) => e.includes('"event":"release-ended"'))).toBe(true);
    expect(
      afterDecline.outbox?.some((e) =>
        e.includes(`"dedupe_key":"supplier-tasking-email:${String(declined)}:declined"`),
      ),
    ).toBe(true);
    const cancelled = await raiseApproved();
    await services.suppliers.accept(w.users.supplier, w.supplier, cancelled);
    const { after: afterCancel } = await killEverywhere('cancel', 'supplier-tasking-cancelled', (repos) =>
      withRepos(repos).cancel(w.officer, cancelled, { reason: 'The suspect admitted it' }),
    );
    expect(afterCancel.custody_entries?.filter((e) => e.includes('withdrawn: tasking')).length).toBe(1);
    expect(
      afterCancel.outbox?.some((e) =>
        e.includes(`"dedupe_key":"supplier-tasking-email:${String(cancelled)}:cancelled"`),
      ),
    ).toBe(true);
    expect(await services.investigations.verify(w.caseReference)).toMatchObject({ ok: true });
  });
});
