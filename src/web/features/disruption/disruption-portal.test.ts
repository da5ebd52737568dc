/**
 * Disruption requests in the partner portal (docs/disruption.md): a partner's users see only the requests sent to
 * their organisation, acknowledge, action (money amounts) or decline them with a reason; another partner's request
 * answers 404 to reads and to every step; no page holds the victim's details or the crime reference.
 */
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorSummaryOf } from '../../../../test/support/error-summary.ts';
import { FormClient } from '../../../../test/support/form-client.ts';
import { makeSubmission, suspect } from '../../../../test/support/submissions.ts';
import {
  PARTNER_PASSWORD,
  supplierWorld,
  VICTIM,
  type SupplierWorld,
} from '../../../../test/support/supplier-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';

const now = new Date('2026-12-10T09:00:00.000Z');
const MULE_ACCOUNT = '20-45-77 12345678';
const SCAM_SITE = 'https://fake-parcel-fees-marchbanks-free.co.uk/pay';

describe(`disruption requests in the partner portal (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let w: SupplierWorld;
  let reference = '';
  let freezeId = 0;
  let takedownId = 0;
  let draftId = 0;

  const portal = async (email: string) => {
    await ctx.services.database.db
      .updateTable('users')
      .set({ totp_last_step: 0 })
      .where('email', '=', email)
      .execute();
    const client = new FormClient(ctx.app);
    await client.get('/partner/sign-in');
    await client.post('/partner/sign-in', {
      email,
      password: PARTNER_PASSWORD,
      code: new TOTP({ secret: Secret.fromBase32(w.secrets[email] ?? '') }).generate({
        timestamp: now.getTime(),
      }),
    });
    expect(client.path).toBe('/partner');
    return client;
  };
  const statusOf = async (id: number) =>
    (
      await ctx.services.database.db
        .selectFrom('disruption_requests')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).status;

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    w = await supplierWorld(ctx.services);
    const report = await ctx.services.reportIntake.submit(
      makeSubmission({
        reporter: {
          name: VICTIM.name,
          victimName: null,
          email: VICTIM.email,
          phone: VICTIM.phone,
          preferredContact: 'email',
        },
        narrative: `I paid £2,500 to account ${MULE_ACCOUNT} after seeing ${SCAM_SITE}.`,
        losses: [{ amountPence: 250_000, method: 'bank-transfer' }],
        suspect: suspect({ bankAccounts: [MULE_ACCOUNT], websites: [SCAM_SITE] }),
      }),
    );
    reference = report.reference;
    await ctx.services.intelligence.linkPending();
    await ctx.services.database.db
      .updateTable('reports')
      .set({ status: 'assessed', unit_id: 'cumbria-cyber' })
      .where('reference', '=', reference)
      .execute();
    const common = { report: reference, urgency: 'high', legalBasis: 'poca-2002', submit: true };
    freezeId = await ctx.services.disruption.raise(w.officer, {
      ...common,
      partnerId: w.bank.id,
      type: 'freeze-funds',
      targetType: 'uk-bank-account',
      targetValue: MULE_ACCOUNT,
      amountPence: 250_000,
      transactionDate: '2026-12-01',
      transactionRefs: ['FP-889123'],
    });
    // Sent to another partner (the supplier's organisation): the bank never sees it.
    takedownId = await ctx.services.disruption.raise(w.officer, {
      ...common,
      partnerId: w.supplier.id,
      type: 'takedown',
      targetType: 'url',
      targetValue: SCAM_SITE,
      legalBasis: 'partner-terms',
    });
    // Awaiting approval: not yet the bank's.
    draftId = await ctx.services.disruption.raise(w.officer, {
      ...common,
      partnerId: w.bank.id,
      type: 'takedown',
      targetType: 'domain',
      targetValue: 'fake-parcel-fees-marchbanks-free.co.uk',
      legalBasis: 'partner-terms',
    });
    await ctx.services.disruption.approve(w.supervisor, freezeId);
    await ctx.services.disruption.approve(w.supervisor, takedownId);
  });
  afterAll(() => ctx.close());

  it('shows a partner only the requests sent to it, and another partner’s or an unsent one answers 404 to every step', async () => {
    const bank = await portal('ops@bank.example');
    const list = await bank.get('/partner/disruption-requests');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`/partner/disruption-requests/${String(freezeId)}"`);
    expect(list.body).not.toContain(`/partner/disruption-requests/${String(takedownId)}"`);
    expect(list.body).not.toContain(`/partner/disruption-requests/${String(draftId)}"`);
    expect((await bank.get('/partner')).body).toContain('href="/partner/disruption-requests"');
    for (const id of [takedownId, draftId, 999_999]) {
      expect((await bank.get(`/partner/disruption-requests/${String(id)}`)).statusCode).toBe(404);
      for (const [step, fields] of [
        ['acknowledge', { partner_reference: 'X1' }],
        ['action', { note: 'done' }],
        ['decline', { reason: 'Not ours to act on' }],
      ] as const) {
        const res = await bank.post(`/partner/disruption-requests/${String(id)}/${step}`, fields, {
          follow: false,
        });
        expect(res.statusCode, `${step} ${String(id)}`).toBe(404);
      }
    }
    expect(await statusOf(takedownId)).toBe('sent');
    expect(await statusOf(draftId)).toBe('awaiting-approval');
    // The other partner sees its own and not the bank's.
    const acme = await portal('lab@acme.example');
    expect((await acme.get('/partner/disruption-requests')).body).toContain(
      `/partner/disruption-requests/${String(takedownId)}"`,
    );
    expect((await acme.get(`/partner/disruption-requests/${String(freezeId)}`)).statusCode).toBe(404);
    expect(
      (await acme.post(`/partner/disruption-requests/${String(freezeId)}/action`, {}, { follow: false }))
        .statusCode,
    ).toBe(404);
    expect(await statusOf(freezeId)).toBe('sent');
    // No session: the sign-in page, nothing read.
    const stranger = new FormClient(ctx.app);
    await stranger.get(`/partner/disruption-requests/${String(freezeId)}`);
    expect(stranger.path).toBe('/partner/sign-in');
  });

  it('acknowledges and actions a freeze with the amounts, each bad input named, and shows no victim data', async () => {
    const bank = await portal('ops@bank.example');
    const path = `/partner/disruption-requests/${String(freezeId)}`;
    const page = await bank.get(path);
    expect(page.body).toContain('204577');
    expect(page.body).toContain('£2,500.00');
    expect(page.body).toContain('FP-889123');
    expect(page.body).toContain('supervisor@cumbria.example');
    const bad = await bank.post(`${path}/acknowledge`, { partner_reference: 'not <ok>' });
    expect(errorSummaryOf(bad.body)).toEqual([
      'partner_reference: The reference must be up to 40 letters, numbers, spaces, dots, slashes or hyphens',
    ]);
    const acked = await bank.post(`${path}/acknowledge`, { partner_reference: 'BB-2026/771' });
    expect(acked.body).toContain('The request is acknowledged');
    expect(await statusOf(freezeId)).toBe('acknowledged');
    // A second click changes nothing: the step is no longer offered, and posting it is refused on the page.
    const again = await bank.post(`${path}/acknowledge`, { partner_reference: 'BB-2026/772' });
    expect(errorSummaryOf(again.body)).toEqual([
      'action: The request has moved on since: it cannot be given that step now',
    ]);
    const badAmount = await bank.post(`${path}/action`, { frozen: 'lots', recovered: '12.345' });
    expect(errorSummaryOf(badAmount.body)).toEqual([
      'frozen: Enter the amount in pounds, for example 1250.00',
      'recovered: Enter the amount in pounds, for example 1250.00',
    ]);
    const actioned = await bank.post(`${path}/action`, {
      frozen: '1,800.00',
      recovered: '700',
      note: 'Account frozen',
    });
    expect(actioned.body).toContain('The request is marked as actioned');
    const row = await ctx.services.database.db
      .selectFrom('disruption_requests')
      .select(['status', 'frozen_pence', 'recovered_pence', 'partner_reference'])
      .where('id', '=', freezeId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      status: 'actioned',
      frozen_pence: 180_000,
      recovered_pence: 70_000,
      partner_reference: 'BB-2026/771',
    });
    // The victim reads the result on the progress page's updates; the bank never reads who the victim is.
    const updates = await ctx.services.database.db
      .selectFrom('report_updates')
      .innerJoin('reports', 'reports.id', 'report_updates.report_id')
      .select('report_updates.kind')
      .where('reports.reference', '=', reference)
      .where('report_updates.visible_to_victim', '=', 1)
      .execute();
    expect(updates.map((u) => u.kind)).toEqual(
      expect.arrayContaining(['disruption.frozen', 'disruption.recovered']),
    );
    for (const url of ['/partner/disruption-requests', path, `${path}?lng=cy`]) {
      const body = (await bank.get(url)).body;
      for (const secret of [
        VICTIM.name,
        VICTIM.email,
        VICTIM.phone,
        reference,
        'officer@cumbria.example',
        w.caseReference,
      ])
        expect(body, `${url} ${secret}`).not.toContain(secret);
    }
    expect((await bank.get(`${path}?lng=cy`)).body).toContain('Cais i darfu');
    // The audit log names the person who did each step in the portal.
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('action', 'in', ['disruption-acknowledged', 'disruption-actioned'])
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { actor: 'ops@bank.example', action: 'disruption-acknowledged' },
      { actor: 'ops@bank.example', action: 'disruption-actioned' },
    ]);
  });

  it('refuses a step without the session’s CSRF token (none, or another partner user’s) and changes nothing', async () => {
    const acme = await portal('lab@acme.example');
    const bank = await portal('ops@bank.example');
    const tokenOf = async (client: FormClient) =>
      /name="csrf-token" content="([^"]+)"/.exec(
        (await client.get('/partner/disruption-requests')).body,
      )?.[1] ?? '';
    const cookies = ['bl_partner', '_csrf'].map((name) => `${name}=${acme.cookie(name) ?? ''}`).join('; ');
    const path = `/partner/disruption-requests/${String(takedownId)}/decline`;
    const bankToken = await tokenOf(bank);
    expect(bankToken).not.toBe('');
    for (const token of [null, bankToken, `${bankToken}x`]) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: path,
        headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `reason=Forged+decline${token === null ? '' : `&_csrf=${encodeURIComponent(token)}`}`,
      });
      expect(res.statusCode, String(token)).toBe(403);
    }
    // The same cookies with the session's own token pass the check (an empty reason: named, nothing changed).
    const own = await ctx.app.inject({
      method: 'POST',
      url: path,
      headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `reason=&_csrf=${encodeURIComponent(await tokenOf(acme))}`,
    });
    expect(own.statusCode).toBe(303);
    expect(await statusOf(takedownId)).toBe('sent');
  });

  it('declines a request with a reason (a missing one named), and the unit reads it', async () => {
    const acme = await portal('lab@acme.example');
    const path = `/partner/disruption-requests/${String(takedownId)}`;
    const empty = await acme.post(`${path}/decline`, { reason: '' });
    expect(errorSummaryOf(empty.body)).toEqual(['reason: Enter why you are declining the request']);
    const short = await acme.post(`${path}/decline`, { reason: 'no' });
    expect(errorSummaryOf(short.body)).toEqual(['reason: Enter a reason of 5 to 2,000 characters']);
    const declined = await acme.post(`${path}/decline`, { reason: 'The site is not hosted by us' });
    expect(declined.body).toContain('The request is declined');
    const seen = await ctx.services.disruption.detail(w.officer, takedownId);
    expect(seen?.request).toMatchObject({ status: 'declined', outcomeNote: 'The site is not hosted by us' });
  });
});
