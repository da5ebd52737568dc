/**
 * Disruption requests end to end over the API (issue 22): a freeze request from a report to its victim's progress
 * page; a takedown revoking the feed object; who sees and does what (partners only their own requests, roles);
 * the victims' own details never reaching a partner; bad input answered as problem+json naming the field; the
 * clock's reminder.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSubmission, suspect } from '../../../../test/support/submissions.ts';
import { readEveryCollection, runPublication } from '../../../../test/support/taxii-publication.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';
import { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff, signInStaff } from '../../../../test/support/staff-fixtures.ts';
import type { Role } from '../../../domain/access/access-policy.ts';
import { PARTNER_SECTORS } from '../../../services/partners.ts';
import { DISRUPTION_WEBHOOK_JOB } from '../../../services/disruption.ts';
import { createOutboxWorker } from '../../../services/outbox-worker.ts';
import { UNIT_NOTIFICATION_JOB } from '../../../services/unit-notifications.ts';
import { signWebhook } from '../../../services/webhooks.ts';

const quiet = { info: () => undefined, error: () => undefined };
/** The victim's own details: distinctive, so any trace of them anywhere a partner reads is found. */
const VICTIM = {
  name: 'Zebedee Quillfeather',
  email: 'zebedee.quillfeather@example.org',
  phone: '07911 123456',
  postcode: 'CA1 1AA',
};
const MULE_ACCOUNT = '20-45-77 12345678';
const MULE = '204577-12345678';
const SCAM_SITE = 'https://fake-parcel-fees-quillfeather-free.co.uk/pay';
const SCAM_DOMAIN = 'fake-parcel-fees-quillfeather-free.co.uk';
/** A number the victim's narrative names that is not the suspect's (a relative's). */
const HUSBAND = '07922 111222';

describe(`disruption requests: from a unit to a partner and back to the victim (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let now = new Date('2026-12-10T09:00:00.000Z');
  let receiver: Server;
  let hookUrl = '';
  const deliveries: { headers: IncomingMessage['headers']; body: string }[] = [];
  const staffTokens: Record<string, string> = {};
  const partners: Record<string, { id: number; auth: string; secret: string }> = {};
  let reference = '';
  let freezeId = 0;

  const call = (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    ctx.app.inject({
      method,
      url,
      headers: {
        authorization: staffTokens[who] ?? partners[who]?.auth ?? '',
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload }),
    });
  const runOutbox = async () => {
    const noop = () => Promise.resolve();
    const worker = createOutboxWorker(
      ctx.services.database.db,
      ctx.services.database.dialect,
      () => now,
      {
        [DISRUPTION_WEBHOOK_JOB]: ctx.services.disruption.webhookHandler(),
        'update-email': noop,
        [UNIT_NOTIFICATION_JOB]: noop,
        'confirmation-email': noop,
      },
      quiet,
    );
    for (let i = 0; i < 10 && (await worker.runOnce()) > 0; i++);
  };
  const freezeBody = (overrides: object = {}) => ({
    report: reference,
    partner_id: partners.Bank?.id,
    type: 'freeze-funds',
    target_type: 'uk-bank-account',
    target_value: MULE_ACCOUNT,
    urgency: 'high',
    legal_basis: 'poca-2002',
    legal_basis_detail: 'Account freezing order application to follow',
    amount_pence: 250_000,
    transaction_date: '2026-12-01',
    transaction_refs: ['FP-889123'],
    submit: true,
    ...overrides,
  });
  const jobsOf = (kind: string) =>
    ctx.services.database.db.selectFrom('outbox').selectAll().where('kind', '=', kind).execute();

  beforeAll(async () => {
    // The partner's webhook receiver is on this machine: only tests (and development) may allow that.
    ctx = await createTestApp({ WEBHOOK_ALLOW_INTERNAL_TARGETS: 'true' }, { clock: () => now });
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        deliveries.push({ headers: req.headers, body });
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${String((receiver.address() as AddressInfo).port)}/hook`;
    const people: [string, Role, string | undefined][] = [
      ['officer', 'force-officer', 'cumbria'],
      ['colleague', 'force-officer', 'cumbria'],
      ['supervisor', 'force-supervisor', 'cumbria'],
      ['kent', 'force-supervisor', 'kent'],
      ['analyst', 'analyst', undefined],
    ];
    for (const [who, role, forceId] of people) {
      const email = `${who}@police.example`;
      await ctx.services.staffAccounts.add({
        email,
        role,
        ...(forceId ? { forceId } : {}),
        password: 'a long enough password',
        passwordChosenByHolder: true,
      });
      const user = await ctx.services.staff.userIdByEmail(email);
      staffTokens[who] =
        `Bearer ${(await ctx.services.tokens.create(who, ['staff'], user?.id ?? null)).token}`;
    }
    for (const [name, hook] of [
      ['Bank', true],
      ['Registrar', true],
      ['Other', false],
    ] as const) {
      const created = await ctx.services.partners.add({
        name: `${name} plc`,
        sectors: ['all-sectors'],
        tlp: 'amber',
      });
      const secret = hook ? ((await ctx.services.partners.setWebhook(created.id, hookUrl)) ?? '') : '';
      partners[name] = { id: created.id, auth: `Bearer ${created.token}`, secret };
    }
    const report = await ctx.services.reportIntake.submit(
      makeSubmission({
        reporter: {
          name: VICTIM.name,
          victimName: null,
          email: VICTIM.email,
          phone: VICTIM.phone,
          preferredContact: 'email',
        },
        narrative: `I paid £2,500 for a van to account ${MULE_ACCOUNT} after a call. My husband on ${HUSBAND} saw the advert at ${SCAM_SITE}.`,
        losses: [{ amountPence: 250_000, method: 'bank-transfer' }],
        suspect: suspect({ bankAccounts: [MULE_ACCOUNT], websites: [SCAM_SITE] }),
      }),
    );
    reference = report.reference;
    await ctx.services.intelligence.linkPending();
    // Assessed by Cumbria's cyber crime unit (fraud is routed nationally first; as a transfer would leave it):
    // what it names may then be shared with partners.
    await ctx.services.database.db
      .updateTable('reports')
      .set({ status: 'assessed', unit_id: 'cumbria-cyber' })
      .where('reference', '=', reference)
      .execute();
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver.close(resolve));
    await ctx.close();
  });

  it('takes a freeze request from the report to the bank and the result to the victim’s progress page', async () => {
    const raised = await call('officer', 'POST', '/api/v1/disruption-requests', freezeBody());
    expect(raised.statusCode, raised.body).toBe(201);
    freezeId = raised.json<{ id: number }>().id;
    const path = `/api/v1/disruption-requests/${String(freezeId)}`;
    // Awaiting approval: nothing has gone to the bank yet.
    expect((await call('Bank', 'GET', '/api/v1/partner/disruption-requests')).json()).toEqual({
      requests: [],
    });
    expect(
      (await call('Bank', 'GET', `/api/v1/partner/disruption-requests/${String(freezeId)}`)).statusCode,
    ).toBe(404);
    // The one who raised it may not approve it; nor may an officer who is not a supervisor.
    const own = await call('officer', 'POST', `${path}/approve`);
    expect([own.statusCode, own.json<{ code: string }>().code]).toEqual([403, 'disruption-own-request']);
    const colleague = await call('colleague', 'POST', `${path}/approve`);
    expect([colleague.statusCode, colleague.json<{ code: string }>().code]).toEqual([
      403,
      'disruption-approver',
    ]);
    expect((await call('supervisor', 'POST', `${path}/approve`)).statusCode).toBe(204);
    const read = (await call('officer', 'GET', path)).json<Record<string, unknown>>();
    expect(read).toMatchObject({
      status: 'sent',
      approved_by: 'supervisor@police.example',
      due_at: '2026-12-11T09:00:00.000Z',
      overdue: false,
      origin: { kind: 'report', report: reference },
    });

    // The signed webhook carries the suspect-side value and what the bank needs, and nothing of the victim.
    await runOutbox();
    const sent = deliveries.find((d) => d.body.includes('"event":"sent"') && d.body.includes(MULE));
    expect(sent).toBeDefined();
    const timestamp = String(sent?.headers['x-bluelight-timestamp']);
    expect(sent?.headers['x-bluelight-signature']).toBe(
      signWebhook(partners.Bank?.secret ?? '', timestamp, sent?.body ?? ''),
    );
    const pushed = JSON.parse(sent?.body ?? '{}') as { request: Record<string, unknown> };
    expect(pushed.request).toMatchObject({
      id: freezeId,
      type: 'freeze-funds',
      target: { type: 'uk-bank-account', value: MULE },
      amount_pence: 250_000,
      transaction_date: '2026-12-01',
      transaction_refs: ['FP-889123'],
      legal_basis: 'poca-2002',
      urgency: 'high',
      authorised_by: 'supervisor@police.example',
    });

    const listed = await call('Bank', 'GET', '/api/v1/partner/disruption-requests');
    expect(listed.json<{ requests: { id: number }[] }>().requests.map((r) => r.id)).toEqual([freezeId]);
    for (const body of [sent?.body ?? '', listed.body])
      for (const trace of [
        VICTIM.name,
        'Quillfeather',
        VICTIM.email,
        '7911123456',
        '07911',
        VICTIM.postcode,
        reference,
        HUSBAND,
      ])
        expect(body, trace).not.toContain(trace);

    const ack = await call(
      'Bank',
      'POST',
      `/api/v1/partner/disruption-requests/${String(freezeId)}/acknowledge`,
      {
        partner_reference: 'NB-2026-4471',
      },
    );
    expect([ack.statusCode, ack.json<{ status: string }>().status]).toEqual([200, 'acknowledged']);
    now = new Date('2026-12-10T15:30:00.000Z');
    const actioned = await call(
      'Bank',
      'POST',
      `/api/v1/partner/disruption-requests/${String(freezeId)}/action`,
      {
        frozen_pence: 180_000,
        recovered_pence: 0,
        note: 'Funds frozen on receipt',
      },
    );
    expect(actioned.statusCode, actioned.body).toBe(200);
    expect(actioned.json()).toMatchObject({ status: 'actioned', frozen_pence: 180_000 });
    // A second answer finds it moved on.
    const again = await call(
      'Bank',
      'POST',
      `/api/v1/partner/disruption-requests/${String(freezeId)}/decline`,
      {
        reason: 'Changed our mind',
      },
    );
    expect([again.statusCode, again.json<{ code: string }>().code]).toEqual([409, 'disruption-state']);

    // The officers' history says who did what; the victim reads plain words, in English and Welsh.
    const user = await ctx.services.staff.userIdByEmail('officer@police.example');
    const officer = await ctx.services.staff.byId(user?.id ?? 0);
    if (officer === null) throw new Error('no officer');
    const history = (await ctx.services.staff.readReport(officer, reference, 'test'))?.history ?? [];
    const notes = history
      .filter((h) => h.kind === 'disruption')
      .map((h) => ('message' in h ? h.message : ''));
    expect(notes.join('\n')).toContain('Bank plc: actioned by the partner; £1800.00 frozen');
    expect(notes).toHaveLength(4);
    expect((await jobsOf('update-email')).map((j) => j.dedupe_key)).toContain(
      `update-email:${reference}:disruption:${String(freezeId)}`,
    );

    const victim = new FormClient(ctx.app);
    await victim.get('/report/progress');
    await victim.post('/report/progress', { reference, secret: VICTIM.email });
    expect(victim.path).toBe('/report/progress/your-report');
    const english = await victim.get('/report/progress/your-report');
    expect(english.body).toContain('The account your money went to was frozen.');
    const welsh = await victim.get('/report/progress/your-report?lng=cy');
    expect(welsh.body).toContain('Cafodd y cyfrif yr aeth eich arian iddo ei rewi.');
    for (const page of [english.body, welsh.body]) {
      expect(page).not.toContain('Bank plc');
      expect(page).not.toContain('Funds frozen on receipt');
    }

    // The figures count it.
    const figures = await call('analyst', 'GET', '/api/v1/disruption-figures');
    expect(figures.statusCode).toBe(200);
    expect(figures.json()).toMatchObject({
      frozen_pence: 180_000,
      recovered_pence: 0,
      median_hours_to_action: 6.5,
      by_type: [{ name: 'freeze-funds', requests: 1, actioned: 1 }],
      by_partner: [{ name: 'Bank plc', requests: 1 }],
      by_unit: [{ name: 'cumbria-cyber', requests: 1 }],
    });
  });

  it('revokes a website in the feed when the registrar takes it down', async () => {
    await runPublication(ctx.services);
    const reader = await ctx.services.partners.add({
      name: 'Reader',
      sectors: [...PARTNER_SECTORS],
      tlp: 'amber',
    });
    const feed = async () => (await readEveryCollection(ctx.app, `Bearer ${reader.token}`, '')).join('\n');
    expect(await feed()).toContain(SCAM_DOMAIN);

    const raised = await call('officer', 'POST', '/api/v1/disruption-requests', {
      report: reference,
      partner_id: partners.Registrar?.id,
      type: 'takedown',
      target_type: 'url',
      target_value: SCAM_SITE,
      urgency: 'immediate',
      legal_basis: 'partner-terms',
      submit: true,
    });
    expect(raised.statusCode, raised.body).toBe(201);
    const id = raised.json<{ id: number }>().id;
    expect(
      (await call('supervisor', 'POST', `/api/v1/disruption-requests/${String(id)}/approve`)).statusCode,
    ).toBe(204);
    // Another partner cannot act on it.
    expect(
      (await call('Other', 'POST', `/api/v1/partner/disruption-requests/${String(id)}/action`, {}))
        .statusCode,
    ).toBe(404);
    const done = await call('Registrar', 'POST', `/api/v1/partner/disruption-requests/${String(id)}/action`, {
      note: 'Suspended for abuse',
    });
    expect(done.statusCode, done.body).toBe(200);
    const indicator = await ctx.services.database.db
      .selectFrom('indicators')
      .select(['taken_down_at'])
      .where('type', '=', 'url')
      .where('value', '=', SCAM_SITE)
      .executeTakeFirstOrThrow();
    expect(indicator.taken_down_at).toBe(now.toISOString());

    // The revoke/republish path: the revocation replaces every version that carried the value.
    await runPublication(ctx.services);
    const after = await feed();
    expect(after).not.toContain(SCAM_SITE);
    const objects = after
      .split('\n')
      .flatMap(
        (page) =>
          (JSON.parse(page) as { objects?: { type: string; revoked?: boolean; name?: string }[] }).objects ??
          [],
      );
    expect(objects.some((o) => o.type === 'indicator' && o.revoked === true)).toBe(true);

    const victim = new FormClient(ctx.app);
    await victim.get('/report/progress');
    await victim.post('/report/progress', { reference, secret: VICTIM.email });
    expect((await victim.get('/report/progress/your-report')).body).toContain(
      'A website you told us about has been taken down.',
    );
  });

  it('lets a partner see only the requests sent to it, and staff only their unit’s', async () => {
    const one = `/api/v1/partner/disruption-requests/${String(freezeId)}`;
    expect((await call('Other', 'GET', '/api/v1/partner/disruption-requests')).json()).toEqual({
      requests: [],
    });
    for (const [method, url] of [
      ['GET', one],
      ['POST', `${one}/acknowledge`],
      ['POST', `${one}/action`],
      ['POST', `${one}/decline`],
    ] as const) {
      const res = await call(
        'Other',
        method,
        url,
        url.endsWith('/decline') ? { reason: 'Not ours to do' } : method === 'POST' ? {} : undefined,
      );
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    // No credentials, or a staff token, on the partner API; a partner's credentials on the staff API.
    expect((await ctx.app.inject({ url: '/api/v1/partner/disruption-requests' })).statusCode).toBe(401);
    expect((await call('officer', 'GET', '/api/v1/partner/disruption-requests')).statusCode).toBe(401);
    expect((await call('Bank', 'GET', '/api/v1/disruption-requests')).statusCode).toBe(401);
    // Another force's supervisor finds nothing; an analyst raises nothing but reads the figures.
    const staffPath = `/api/v1/disruption-requests/${String(freezeId)}`;
    expect((await call('kent', 'GET', staffPath)).statusCode).toBe(404);
    expect((await call('kent', 'GET', '/api/v1/disruption-requests')).json()).toEqual({ requests: [] });
    expect((await call('kent', 'POST', '/api/v1/disruption-requests', freezeBody())).statusCode).toBe(404);
    expect((await call('analyst', 'POST', '/api/v1/disruption-requests', freezeBody())).statusCode).toBe(403);
    expect((await call('analyst', 'GET', staffPath)).statusCode).toBe(403);
  });

  it('refuses a partner’s wrong steps (409), bad amounts (422 naming the field) and no credentials before parsing (401), changing nothing', async () => {
    const sentTo = async (partner: 'Bank' | 'Registrar', body: object) => {
      const raised = await call('officer', 'POST', '/api/v1/disruption-requests', body);
      expect(raised.statusCode, raised.body).toBe(201);
      const id = raised.json<{ id: number }>().id;
      expect(
        (await call('supervisor', 'POST', `/api/v1/disruption-requests/${String(id)}/approve`)).statusCode,
      ).toBe(204);
      expect(
        (await call(partner, 'GET', `/api/v1/partner/disruption-requests/${String(id)}`)).statusCode,
      ).toBe(200);
      return `/api/v1/partner/disruption-requests/${String(id)}`;
    };
    const audits = async () =>
      (await ctx.services.database.db.selectFrom('audit_log').select('id').execute()).length;
    const statusOf = async (who: 'Bank' | 'Registrar', url: string) =>
      (await call(who, 'GET', url)).json<{ status: string }>().status;
    const refused = async (
      who: 'Bank' | 'Registrar',
      url: string,
      body: object,
      status: number,
      code: string,
      field?: string,
    ) => {
      const res = await call(who, 'POST', url, body);
      expect(res.statusCode, `${url} ${res.body}`).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json<{ code?: string; errors?: { name: string }[] }>();
      if (code !== '') expect(problem.code).toBe(code);
      if (field !== undefined) expect((problem.errors ?? []).map((e) => e.name)).toContain(field);
    };

    const freeze = await sentTo('Bank', freezeBody({ amount_pence: 90_000 }));
    const before = await audits();
    // Bad amounts, each named: not whole pence, below nothing, beyond any amount; a field the API does not have.
    await refused('Bank', `${freeze}/action`, { frozen_pence: 1.5 }, 422, '', 'frozen_pence');
    await refused('Bank', `${freeze}/action`, { recovered_pence: -1 }, 422, '', 'recovered_pence');
    await refused('Bank', `${freeze}/action`, { frozen_pence: 10 ** 13 }, 422, '', 'frozen_pence');
    await refused('Bank', `${freeze}/action`, { frozen_pence: 100, pounds: 1 }, 422, '', 'pounds');
    await refused('Bank', `${freeze}/decline`, {}, 422, '', 'reason');
    expect(await statusOf('Bank', freeze)).toBe('sent');

    // Steps out of order: acknowledged twice, anything after the answer.
    expect((await call('Bank', 'POST', `${freeze}/acknowledge`, {})).statusCode).toBe(200);
    await refused('Bank', `${freeze}/acknowledge`, {}, 409, 'disruption-state');
    expect(
      (await call('Bank', 'POST', `${freeze}/decline`, { reason: 'Account already closed' })).statusCode,
    ).toBe(200);
    for (const [step, body] of [
      ['acknowledge', {}],
      ['action', { frozen_pence: 100 }],
      ['decline', { reason: 'Declined a second time' }],
    ] as const)
      await refused('Bank', `${freeze}/${step}`, body, 409, 'disruption-state');
    expect(await statusOf('Bank', freeze)).toBe('declined');
    // Only the two steps taken were audited.
    expect(await audits()).toBe(before + 2);

    // Money on a request that is not about money is refused, naming it; the takedown stays open.
    const takedown = await sentTo('Registrar', {
      report: reference,
      partner_id: partners.Registrar?.id,
      type: 'takedown',
      target_type: 'domain',
      target_value: SCAM_DOMAIN,
      urgency: 'routine',
      legal_basis: 'partner-terms',
      submit: true,
    });
    await refused(
      'Registrar',
      `${takedown}/action`,
      { recovered_pence: 5 },
      422,
      'disruption-not-money',
      'recovered_pence',
    );
    expect(await statusOf('Registrar', takedown)).toBe('sent');
    // Another partner's: 404, as one that does not exist.
    await refused('Bank', `${takedown}/action`, {}, 404, '');
    await refused('Bank', '/api/v1/partner/disruption-requests/2147483000/acknowledge', {}, 404, '');

    // No credentials, or credentials rotated away: 401 before the body is read (malformed JSON is never looked at).
    const gone = await ctx.services.partners.add({
      name: 'Gone Ltd',
      sectors: ['all-sectors'],
      tlp: 'amber',
    });
    await ctx.services.partners.rotateCredentials(gone.id, 'test');
    for (const authorization of [undefined, `Bearer ${gone.token}`, 'Bearer not-a-token'])
      for (const payload of ['{"frozen_pence": ', 'x'.repeat(2_000_000)]) {
        const res = await ctx.app.inject({
          method: 'POST',
          url: `${takedown}/action`,
          headers: {
            'content-type': 'application/json',
            ...(authorization === undefined ? {} : { authorization }),
          },
          payload,
        });
        expect(res.statusCode).toBe(401);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    expect(await statusOf('Registrar', takedown)).toBe('sent');
  });

  it('answers bad input as problem+json naming the field, and never sends the victim’s own details', async () => {
    const stored = async () =>
      (await ctx.services.database.db.selectFrom('disruption_requests').select('id').execute()).length;
    const before = await stored();
    const refused = async (body: object, status: number, field: string, code?: string) => {
      const res = await call('officer', 'POST', '/api/v1/disruption-requests', body);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json<{ code?: string; errors: { name: string }[] }>();
      expect(problem.errors.map((e) => e.name).join(' '), res.body).toContain(field);
      if (code !== undefined) expect(problem.code).toBe(code);
    };
    await refused(freezeBody({ type: 'nuke' }), 422, 'type', 'disruption-type');
    await refused(freezeBody({ amount_pence: undefined }), 422, 'amount_pence', 'disruption-amount');
    await refused(freezeBody({ transaction_date: '2026-13-01' }), 422, 'transaction_date');
    await refused(freezeBody({ transaction_refs: ['<script>'] }), 422, 'transaction_refs');
    await refused(freezeBody({ amount_pence: -1 }), 422, 'amount_pence');
    await refused(freezeBody({ colour: 'red' }), 422, 'colour');
    await refused(
      freezeBody({ type: 'takedown', target_type: 'url', target_value: SCAM_SITE }),
      422,
      'amount_pence',
      'disruption-not-money',
    );
    // The victim's details: as free text, or as the value to act on.
    await refused(
      freezeBody({ legal_basis_detail: `Victim ${VICTIM.name.toUpperCase()} asks us to act` }),
      422,
      'legal_basis_detail',
      'disruption-personal-data',
    );
    await refused(
      freezeBody({ transaction_refs: ['FP-1', 'zebedee quillfeather'] }),
      422,
      'transaction_refs',
      'disruption-personal-data',
    );
    const suspend = {
      report: reference,
      partner_id: partners.Other?.id,
      type: 'suspend-number',
      target_type: 'phone',
      urgency: 'routine',
      legal_basis: 'dpa-2018-schedule-2',
    };
    // The husband's number is in the narrative, not the suspect answers; the victim's own is in no indicator.
    await refused(
      { ...suspend, target_value: HUSBAND },
      422,
      'target_value',
      'disruption-target-not-suspect',
    );
    await refused(
      { ...suspend, target_value: VICTIM.phone },
      422,
      'target_value',
      'disruption-target-not-named',
    );
    await refused(freezeBody({ partner_id: 999_999 }), 422, 'partner_id', 'disruption-partner');
    await refused(
      freezeBody({ legal_basis: 'court-order', legal_basis_detail: '' }),
      422,
      'legal_basis_detail',
    );

    const partnerRefused = async (url: string, body: object, status: number, field: string) => {
      const res = await call('Bank', 'POST', url, body);
      expect(res.statusCode, res.body).toBe(status);
      expect(
        res
          .json<{ errors: { name: string }[] }>()
          .errors.map((e) => e.name)
          .join(' '),
      ).toContain(field);
    };
    const one = `/api/v1/partner/disruption-requests/${String(freezeId)}`;
    await partnerRefused(`${one}/action`, { frozen_pence: -5 }, 422, 'frozen_pence');
    await partnerRefused(`${one}/decline`, { reason: 'no' }, 422, 'reason');
    await partnerRefused(
      `${one}/acknowledge`,
      { partner_reference: 'a'.repeat(41) },
      422,
      'partner_reference',
    );
    // Nothing refused was stored.
    expect(await stored()).toBe(before);
  });

  it('reminds the unit and the partner once when the clock runs out', async () => {
    const raised = await call(
      'officer',
      'POST',
      '/api/v1/disruption-requests',
      freezeBody({ urgency: 'immediate' }),
    );
    const id = raised.json<{ id: number }>().id;
    expect(
      (await call('supervisor', 'POST', `/api/v1/disruption-requests/${String(id)}/approve`)).statusCode,
    ).toBe(204);
    expect(await ctx.services.disruption.remindOverdue()).toBe(0);
    now = new Date(now.getTime() + 4 * 3_600_000 + 1000);
    expect((await call('officer', 'GET', `/api/v1/disruption-requests/${String(id)}`)).json()).toMatchObject({
      overdue: true,
    });
    expect(await ctx.services.disruption.remindOverdue()).toBe(1);
    expect(await ctx.services.disruption.remindOverdue()).toBe(0);
    expect((await jobsOf(DISRUPTION_WEBHOOK_JOB)).map((j) => j.dedupe_key)).toContain(
      `${DISRUPTION_WEBHOOK_JOB}:${String(id)}:reminder`,
    );
    const unit = (await jobsOf(UNIT_NOTIFICATION_JOB)).map(
      (j) => JSON.parse(j.payload) as { reason: string },
    );
    expect(unit.map((u) => u.reason)).toContain('disruption-overdue');
    await runOutbox();
    expect(deliveries.some((d) => d.body.includes('"event":"reminder"'))).toBe(true);
  });

  it('raises, approves and lists a request in the workspace, in English and Welsh', async () => {
    const officerTotp = await addStaff(ctx.services, {
      email: 'page.officer@police.example',
      role: 'force-officer',
      forceId: 'cumbria',
    });
    const supervisorTotp = await addStaff(ctx.services, {
      email: 'page.supervisor@police.example',
      role: 'force-supervisor',
      forceId: 'cumbria',
    });
    const officer = await signInStaff(ctx.app, 'page.officer@police.example', officerTotp, now);
    const report = await officer.get(`/staff/reports/${reference}/indicators`);
    expect(report.statusCode, report.body.slice(0, 300)).toBe(200);
    expect(report.body).toContain('/staff/disruption/new?report=');
    const form = await officer.get(`/staff/disruption/new?report=${reference}`);
    expect(form.statusCode).toBe(200);
    // Only the suspect's values are offered: the mule account, not the husband's number.
    expect(form.body).toContain(MULE);
    expect(form.body).not.toContain('7922111222');
    const fields = {
      report: reference,
      partner_id: String(partners.Bank?.id),
      type: 'freeze-funds',
      target: `uk-bank-account:${MULE}`,
      urgency: 'routine',
      legal_basis: 'dpa-2018-schedule-2',
      legal_basis_detail: '',
      amount: '£1,250.00',
      transaction_date: '2026-12-02',
      transaction_refs: 'FP-1\nFP-2',
    };
    // The victim's name typed in: the form comes back with the problem on that input.
    await officer.post('/staff/disruption', { ...fields, legal_basis_detail: 'For Zebedee Quillfeather' });
    expect(officer.path).toContain('/staff/disruption/new');
    expect(officer.last?.body).toContain('#legal_basis_detail');
    await officer.post('/staff/disruption', fields);
    const id = /\/staff\/disruption\/(\d+)$/.exec(officer.path)?.[1] ?? '';
    expect(id).not.toBe('');
    expect(officer.last?.body).toContain('Awaiting approval');
    const supervisor = await signInStaff(ctx.app, 'page.supervisor@police.example', supervisorTotp, now);
    await supervisor.post(`/staff/disruption/${id}/approve`, {});
    expect(supervisor.path).toBe(`/staff/disruption/${id}?done=1`);
    expect(supervisor.last?.body).toContain('£1,250.00');
    const list = await officer.get('/staff/disruption?lng=cy');
    expect(list.body).toContain('Wedi’i anfon');
    expect(list.body).toContain(`/staff/disruption/${id}`);
    const figures = await supervisor.get('/staff/disruption/figures');
    expect(figures.statusCode).toBe(200);
    expect(figures.body).toContain('Bank plc');
    // Another force's requests do not exist for them.
    expect((await officer.get('/staff/disruption/999999')).statusCode).toBe(404);
  });

  it('raises from a case (recorded in its decision log) and from an indicator', async () => {
    const opened = await call('officer', 'POST', '/api/v1/cases', {
      title: 'Operation Quill',
      reports: [reference],
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const caseRef = opened.json<{ reference: string }>().reference;
    const fromCase = await call('officer', 'POST', '/api/v1/disruption-requests', {
      ...freezeBody({ report: undefined }),
      case: caseRef,
    });
    expect(fromCase.statusCode, fromCase.body).toBe(201);
    const read = await call('officer', 'GET', `/api/v1/cases/${encodeURIComponent(caseRef)}`);
    expect(read.body).toContain(
      `Disruption request ${String(fromCase.json<{ id: number }>().id)} (freeze-funds)`,
    );
    const indicator = await ctx.services.database.db
      .selectFrom('indicators')
      .select('id')
      .where('type', '=', 'uk-bank-account')
      .where('value', '=', MULE)
      .executeTakeFirstOrThrow();
    const fromIndicator = await call('officer', 'POST', '/api/v1/disruption-requests', {
      ...freezeBody({ report: undefined }),
      indicator_id: indicator.id,
    });
    expect(fromIndicator.statusCode, fromIndicator.body).toBe(201);
    // Another force's officer cannot raise from it.
    const kent = await call('kent', 'POST', '/api/v1/disruption-requests', {
      ...freezeBody({ report: undefined }),
      indicator_id: indicator.id,
    });
    expect(kent.statusCode).toBe(404);
  });
});
