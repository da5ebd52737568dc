/**
 * Disruption requests raised from a campaign (docs/disruption.md): the campaign page links to the form; the value must
 * be one the campaign's reports held by the unit name on the suspect's side, never a victim's own detail; the result
 * reaches the victims of those reports. A unit holding none of the campaign's reports, or an analyst, answers 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorSummaryOf } from '../../../../test/support/error-summary.ts';
import { addStaff, signInStaff } from '../../../../test/support/staff-fixtures.ts';
import { makeSubmission, suspect } from '../../../../test/support/submissions.ts';
import { supplierWorld, type SupplierWorld } from '../../../../test/support/supplier-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';
import type { StaffMember } from '../../../domain/access/access-policy.ts';
import { ServiceError } from '../../../services/service-error.ts';

const now = new Date('2026-12-10T09:00:00.000Z');
const MULE = '20-45-77 12345678';
const MULE_VALUE = '204577-12345678';
/** Named only in a victim's narrative (a relative's number): never a target. */
const RELATIVE = '07922 111222';
/** The suspect's number, named only in another unit's report of the campaign. */
const OTHER_UNIT_SUSPECT = '07733 445566';
const VICTIM_B = {
  name: 'Perpetua Wildgoose',
  email: 'perpetua.wildgoose@example.org',
  phone: '07911 777888',
};

describe(`disruption requests from a campaign (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let w: SupplierWorld;
  let campaignId = 0;
  const refs: Record<string, string> = {};

  const codeOf = async (run: Promise<unknown>) => {
    try {
      await run;
      return 'none';
    } catch (error) {
      if (error instanceof ServiceError) return `${error.kind} ${error.code}`;
      throw error;
    }
  };
  const freeze = (overrides: object = {}) => ({
    campaignId,
    partnerId: w.bank.id,
    type: 'freeze-funds',
    targetType: 'uk-bank-account',
    targetValue: MULE,
    urgency: 'high',
    legalBasis: 'poca-2002',
    amountPence: 100_000,
    transactionDate: '2026-12-01',
    transactionRefs: ['FP-1'],
    submit: true,
    ...overrides,
  });

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    w = await supplierWorld(ctx.services);
    const submit = async (key: string, unit: string, fields: Parameters<typeof makeSubmission>[0]) => {
      const report = await ctx.services.reportIntake.submit(makeSubmission(fields));
      refs[key] = report.reference;
      await ctx.services.intelligence.linkPending();
      await ctx.services.database.db
        .updateTable('reports')
        .set({ status: 'assessed', unit_id: unit })
        .where('reference', '=', report.reference)
        .execute();
    };
    await submit('a', 'cumbria-cyber', {
      narrative: `I paid account ${MULE}. My son on ${RELATIVE} warned me too late.`,
      suspect: suspect({ bankAccounts: [MULE] }),
    });
    await submit('b', 'cumbria-cyber', {
      reporter: { ...VICTIM_B, victimName: null, preferredContact: 'email' },
      suspect: suspect({ bankAccounts: [MULE] }),
    });
    await submit('c', w.stranger.unitId ?? '', {
      suspect: suspect({ bankAccounts: [MULE], phones: [OTHER_UNIT_SUSPECT] }),
    });
    const row = await ctx.services.database.db
      .selectFrom('reports')
      .select('campaign_id')
      .where('reference', '=', refs.a ?? '')
      .executeTakeFirstOrThrow();
    campaignId = row.campaign_id ?? 0;
    expect(campaignId).toBeGreaterThan(0);
  });
  afterAll(() => ctx.close());

  it('links from the campaign page to the form, which offers only the unit’s suspect-side values, and raises it', async () => {
    const totp = w.totps[w.officer.email];
    if (totp === undefined) throw new Error('no totp');
    const officer = await signInStaff(ctx.app, w.officer.email, totp, now);
    const page = await officer.get(`/staff/campaigns/${String(campaignId)}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`/staff/disruption/new?campaign=${String(campaignId)}`);
    const form = await officer.get(`/staff/disruption/new?campaign=${String(campaignId)}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`uk-bank-account:${MULE_VALUE}`);
    expect(form.body).toContain(`campaign ${String(campaignId)}`);
    for (const hidden of ['07922111222', '+447922111222', '07733445566', '+447733445566', '+447911777888'])
      expect(form.body, hidden).not.toContain(hidden);
    const bad = await officer.post('/staff/disruption', {
      campaign: String(campaignId),
      partner_id: String(w.bank.id),
      type: 'freeze-funds',
      target: `uk-bank-account:${MULE_VALUE}`,
      urgency: 'high',
      legal_basis: 'poca-2002',
      legal_basis_detail: `For ${VICTIM_B.name}`,
      amount: '1000',
      transaction_date: '2026-12-01',
      transaction_refs: 'FP-1',
    });
    expect(errorSummaryOf(bad.body)).toEqual([
      'legal_basis_detail: Remove the victim’s personal details: partners never receive them',
    ]);
    const raised = await officer.post('/staff/disruption', {
      campaign: String(campaignId),
      partner_id: String(w.bank.id),
      type: 'freeze-funds',
      target: `uk-bank-account:${MULE_VALUE}`,
      urgency: 'high',
      legal_basis: 'poca-2002',
      amount: '1000',
      transaction_date: '2026-12-01',
      transaction_refs: 'FP-1',
    });
    expect(officer.path).toMatch(/^\/staff\/disruption\/\d+$/);
    expect(raised.body).toContain(`href="/staff/campaigns/${String(campaignId)}"`);
    const id = Number(officer.path.split('/').pop());
    const detail = await ctx.services.disruption.detail(w.officer, id);
    expect(detail?.request.origin).toMatchObject({ kind: 'campaign', campaignId });
    // Its result reaches the victims of the unit's reports of the campaign that name it; not the other unit's.
    await ctx.services.disruption.approve(w.supervisor, id);
    await ctx.services.disruption.action(w.bank, id, { frozenPence: 50_000 });
    const told = await ctx.services.database.db
      .selectFrom('report_updates')
      .innerJoin('reports', 'reports.id', 'report_updates.report_id')
      .select('reports.reference')
      .where('report_updates.kind', '=', 'disruption.frozen')
      .execute();
    expect(told.map((r) => r.reference).sort()).toEqual([refs.a, refs.b].sort());
  });

  it('refuses a value the unit’s reports do not name as the suspect’s, the victim’s details, and strangers', async () => {
    const raise = (staff: StaffMember, overrides: object) =>
      codeOf(ctx.services.disruption.raise(staff, freeze(overrides)));
    const phone = { type: 'suspend-number', targetType: 'phone', amountPence: undefined };
    const noMoney = { transactionDate: undefined, transactionRefs: undefined };
    expect(await raise(w.officer, { ...phone, ...noMoney, targetValue: RELATIVE })).toBe(
      'invalid disruption-target-not-suspect',
    );
    // Named by the campaign, but only in another unit's report: not this unit's to act on.
    expect(await raise(w.officer, { ...phone, ...noMoney, targetValue: OTHER_UNIT_SUSPECT })).toBe(
      'invalid disruption-target-not-named',
    );
    expect(await raise(w.officer, { transactionRefs: [VICTIM_B.phone] })).toBe(
      'invalid disruption-personal-data',
    );
    expect(await raise(w.officer, { report: refs.a })).toBe('invalid disruption-origin');
    expect(await raise(w.officer, { campaignId: 999_999 })).toBe('not-found campaign-not-found');
    // The other unit holds one of the campaign's reports: it may act on what that report names.
    expect(await raise(w.stranger, { ...phone, ...noMoney, targetValue: OTHER_UNIT_SUSPECT })).toBe('none');
    const kentTotp = await addStaff(ctx.services, {
      email: 'officer@kent.example',
      role: 'force-officer',
      forceId: 'kent',
    });
    await addStaff(ctx.services, { email: 'analyst@nca.example', role: 'analyst' });
    for (const email of ['officer@kent.example', 'analyst@nca.example']) {
      const member = await ctx.services.staff.byId((await ctx.services.staff.userIdByEmail(email))?.id ?? 0);
      if (member === null) throw new Error(email);
      expect(await raise(member, {})).toMatch(/^not-found /);
      expect(await ctx.services.disruption.targetsFor(member, { campaignId })).toBeNull();
    }
    const kent = await signInStaff(ctx.app, 'officer@kent.example', kentTotp, now);
    expect((await kent.get(`/staff/disruption/new?campaign=${String(campaignId)}`)).statusCode).toBe(404);
  });
});
