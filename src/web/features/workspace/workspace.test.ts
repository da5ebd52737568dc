import type { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff, signInStaff, submitPartnerReport } from '../../../../test/support/staff-fixtures.ts';
import { makeSubmission } from '../../../../test/support/submissions.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';

/** A date as the pages show it (the views' ukDate filter, in English). */
const shownDate = (iso: string) =>
  new Date(iso).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  });

describe('unit workspace', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const totps = new Map<string, TOTP>();
  let reference = '';

  beforeAll(async () => {
    ctx = await createTestApp();
    totps.set(
      'sup@cumbria.example',
      await addStaff(ctx.services, {
        email: 'sup@cumbria.example',
        role: 'force-supervisor',
        forceId: 'cumbria',
      }),
    );
    totps.set(
      'off@cumbria.example',
      await addStaff(ctx.services, {
        email: 'off@cumbria.example',
        role: 'force-officer',
        forceId: 'cumbria',
      }),
    );
    reference = await submitPartnerReport(ctx.app, ctx.services, {
      reporter: { type: 'individual', name: 'Vic', email: 'vic@example.org', postcode: 'CA1 1AA' },
      incident: { narrative: 'someone hacked my instagram and is messaging my followers', ongoing: true },
      consents: { victim_support: false },
    });
  });
  afterAll(() => ctx.close());

  async function signIn(email: string): Promise<FormClient> {
    const totp = totps.get(email);
    if (totp === undefined) throw new Error(`no account for ${email}`);
    const client = await signInStaff(ctx.app, email, totp);
    expect(client.path).toBe('/staff');
    return client;
  }

  it('asks for sign-in, and shows a GOV.UK error for wrong details', async () => {
    const client = new FormClient(ctx.app);
    await client.get('/staff');
    expect(client.path).toBe('/staff/sign-in');
    const wrong = await client.post('/staff/sign-in', {
      email: 'off@cumbria.example',
      password: 'a long enough password',
      code: '000000',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('The email address, password or security code is not right');
    const empty = await client.post('/staff/sign-in', {});
    expect(empty.body).toContain('href="#code"');
  });

  it('shows the unit’s queue and a report, and every view is audited', async () => {
    const client = await signIn('off@cumbria.example');
    const queue = await client.get('/staff');
    expect(queue.body).toContain(reference);
    expect(queue.body).toContain('Hacking: social media and email');
    const { created_at } = await ctx.services.database.db
      .selectFrom('reports')
      .select('created_at')
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(queue.body).toContain(`<td class="govuk-table__cell app-nowrap">${shownDate(created_at)}</td>`);
    const view = await client.get(`/staff/reports/${reference}`);
    expect(view.statusCode).toBe(200);
    expect(view.body).toContain('someone hacked my instagram');
    // Routing in plain words, the rule's reason said, not "cyber-dependent: cyber-dependent".
    expect(view.body).toContain('Hacking and other crime that needs a computer, against a person');
    expect(view.body).not.toContain('cyber-dependent: cyber-dependent');
    // One task per tab: the overview holds no form, and links to every tab of the report.
    expect(view.body).not.toContain('<form method="post" action="/staff/reports/');
    for (const tab of ['evidence', 'indicators', 'history', 'actions'])
      expect(view.body).toContain(`href="/staff/reports/${reference}/${tab}"`);
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('reference', '=', reference)
      .where('action', '=', 'read-report')
      .execute();
    expect(audit.map((a) => [a.actor, a.detail])).toContainEqual(['off@cumbria.example', 'workspace view']);
  });

  it('says the facts a routing rule used in the page’s language; a report routed before they were coded keeps its sentences', async () => {
    const client = await signIn('off@cumbria.example');
    expect((await client.get(`/staff/reports/${reference}`)).body).toContain(
      '<li>how it uses computers: Cyber-dependent (only possible with computers)</li>',
    );
    const cy = (await client.get(`/staff/reports/${reference}?lng=cy`)).body;
    expect(cy).toContain(
      '<li>sut mae’n defnyddio cyfrifiaduron: Seiber-ddibynnol (dim ond yn bosibl gyda chyfrifiaduron)</li>',
    );
    // A fraud with leads: the type of crime by its Welsh name, the leads in Welsh.
    const fraud = (
      await ctx.services.reportIntake.submit(
        makeSubmission({ category: 'online-shopping-fraud', vulnerability: ['over-70'] }),
      )
    ).reference;
    const fraudCy = (await client.get(`/staff/reports/${fraud}?lng=cy`)).body;
    expect(fraudCy).toContain('<li>y math o drosedd yw Siopa ac arwerthiannau ar-lein</li>');
    expect(fraudCy).toContain(
      '<li>mae gan yr heddlu drywyddau: efallai fod y dioddefwr yn agored i niwed</li>',
    );
    expect(fraudCy).not.toContain('category is');
    // The API and the command line say them in English, as before.
    const officer = await ctx.services.staff.byId(
      (await ctx.services.staff.userIdByEmail('off@cumbria.example'))?.id ?? 0,
    );
    if (officer === null) throw new Error('no officer');
    expect((await ctx.services.staff.readReport(officer, fraud, 'test'))?.routing.reason).toBe(
      'category is online-shopping-fraud; leads: the victim may be vulnerable',
    );
    // Stored before the facts were coded: English sentences, shown as they are.
    await ctx.services.database.db
      .updateTable('reports')
      .set({ routing_reasons: JSON.stringify(['category is online-shopping-fraud']) })
      .where('reference', '=', fraud)
      .execute();
    expect((await client.get(`/staff/reports/${fraud}?lng=cy`)).body).toContain(
      '<li>category is online-shopping-fraud</li>',
    );
  });

  it('shows where the Victim Support referral is and since when', async () => {
    const referred = await submitPartnerReport(ctx.app, ctx.services, {
      reporter: { type: 'individual', name: 'Ann', email: 'ann@example.org', postcode: 'CA1 1AA' },
      incident: { narrative: 'someone hacked my facebook account and is posting as me' },
      consents: { victim_support: true },
    });
    const { updated_at } = await ctx.services.database.db
      .selectFrom('referrals')
      .innerJoin('reports', 'reports.id', 'referrals.report_id')
      .select('referrals.updated_at')
      .where('reports.reference', '=', referred)
      .executeTakeFirstOrThrow();
    const page = await (await signIn('off@cumbria.example')).get(`/staff/reports/${referred}`);
    expect(page.body).toContain(`Being sent (${shownDate(updated_at)})`);
  });

  it('sends a message the victim sees on the progress page, and emails them about it', async () => {
    const client = await signIn('off@cumbria.example');
    await client.get(`/staff/reports/${reference}`);
    await client.post(`/staff/reports/${reference}/message`, {
      text: 'Please keep the messages; an officer will call you tomorrow.',
    });
    expect(client.path).toBe(`/staff/reports/${reference}?done=message`);
    const victim = new FormClient(ctx.app);
    await victim.get('/report/progress');
    const progress = await victim.post('/report/progress', { reference, secret: 'vic@example.org' });
    expect(progress.body).toContain('Please keep the messages; an officer will call you tomorrow.');
    const job = await ctx.services.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('kind', '=', 'update-email')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(job.payload)).toMatchObject({ to: 'vic@example.org', reference });
  });

  it('lets the supervisor allocate and close with an outcome; duplicates leave the figures', async () => {
    const client = await signIn('sup@cumbria.example');
    await client.get(`/staff/reports/${reference}`);
    await client.post(`/staff/reports/${reference}/allocate`, { officer: 'off@cumbria.example' });
    const row = await ctx.services.database.db
      .selectFrom('reports')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ allocated_to: 'off@cumbria.example', status: 'allocated' });
    // The queue names the officer under the status.
    expect((await client.get('/staff')).body).toContain(
      'With an officer</span><br><span class="app-directory-contact">off@cumbria.example</span>',
    );
    const noOutcome = await client.post(`/staff/reports/${reference}/status`, {
      status: 'closed',
      outcome: '',
    });
    expect(noOutcome.body).toContain('govuk-error-summary');
    expect(noOutcome.body).toContain('Select the outcome');
    const before = await ctx.services.statistics.query({ from: '2020-01-01', to: '2030-12-31', groupBy: [] });
    await client.post(`/staff/reports/${reference}/status`, { status: 'duplicate', outcome: '' });
    const after = await ctx.services.statistics.query({ from: '2020-01-01', to: '2030-12-31', groupBy: [] });
    expect(after.total.reports).toBe(before.total.reports - 1);
    await client.post(`/staff/reports/${reference}/status`, {
      status: 'closed',
      outcome: 'suspect-not-identified',
    });
    const back = await ctx.services.statistics.query({ from: '2020-01-01', to: '2030-12-31', groupBy: [] });
    expect(back.total.reports).toBe(before.total.reports);
  });

  it('shows a service’s refusal as a GOV.UK error summary on the form’s page, once, in English and Welsh', async () => {
    const client = await signIn('off@cumbria.example');
    // Only supervisors allocate: the service refuses, and the page says why, linked to the form.
    const en = await client.post(`/staff/reports/${reference}/allocate`, { officer: 'off@cumbria.example' });
    expect(client.path).toBe(`/staff/reports/${reference}/actions/allocate`);
    expect(en.body).toMatch(/govuk-error-summary[\s\S]*Only a supervisor can allocate reports/);
    // Said once: the next visit has no error.
    expect((await client.get(`/staff/reports/${reference}/actions/allocate`)).body).not.toContain(
      'govuk-error-summary',
    );
    // Transferring to the unit that already has it names the unit input, in Welsh.
    await client.get(`/staff/reports/${reference}?lng=cy`);
    const cy = await client.post(`/staff/reports/${reference}/transfer`, {
      unit: 'cumbria-cyber',
      reason: 'Mae’r uned hon yn ei ddal',
    });
    expect(cy.body).toContain('govuk-error-summary');
    expect(cy.body).toContain('href="#unit"');
    expect(cy.body).toContain('Dewiswch uned arall i drosglwyddo’r adroddiad iddi');
    await client.get(`/staff/reports/${reference}?lng=en`);
  });

  it('lets staff change the type of crime with a reason, kept in the history', async () => {
    const client = await signIn('off@cumbria.example');
    await client.get(`/staff/reports/${reference}`);
    const refused = await client.post(`/staff/reports/${reference}/category`, {
      category: 'malware',
      reason: '',
    });
    expect(refused.body).toContain('Give the reason for changing the type of crime');
    await client.post(`/staff/reports/${reference}/category`, {
      category: 'hacking-personal',
      reason: 'Instagram login via a hacked phone',
    });
    const history = await ctx.services.database.db
      .selectFrom('category_changes')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(history).toMatchObject({
      category: 'hacking-personal',
      changed_by: 'off@cumbria.example',
      reason: 'Instagram login via a hacked phone',
    });
  });

  it('gives each tab and each action a page of its own, and checks a transfer before making it', async () => {
    const client = await signIn('off@cumbria.example');
    const titles = { evidence: 'Evidence', indicators: 'Indicators', history: 'History', actions: 'Actions' };
    for (const [tab, title] of Object.entries(titles)) {
      const shown = await client.get(`/staff/reports/${reference}/${tab}`);
      expect(shown.statusCode, tab).toBe(200);
      expect(shown.body).toContain(`<h1 class="govuk-heading-l">${title}`);
      expect(shown.body).toContain(`aria-current="page" href="/staff/reports/${reference}/${tab}"`);
    }
    expect((await client.get(`/staff/reports/${reference}/history`)).body).toContain('moj-timeline__item');
    const actions = (await client.get(`/staff/reports/${reference}/actions`)).body;
    for (const action of ['message', 'note', 'status', 'category', 'transfer'])
      expect(actions).toContain(`href="/staff/reports/${reference}/actions/${action}"`);
    // Officers do not allocate: not offered.
    expect(actions).not.toContain('/actions/allocate"');
    // The same actions, as a button menu in the identity bar of every page of the report (links, no JavaScript).
    const menu = (body: string) =>
      [
        ...(/<div class="moj-button-menu app-report-actions"[\s\S]*?<\/div>/.exec(body)?.[0] ?? '').matchAll(
          /<a href="\/staff\/reports\/[^/]+\/actions\/(\w+)"[^>]*data-report-action="\1"/g,
        ),
      ].map((m) => m[1]);
    const officerActions = ['message', 'note', 'status', 'category', 'transfer'];
    for (const path of ['', '/evidence', '/history', '/actions', '/actions/note'])
      expect(menu((await client.get(`/staff/reports/${reference}${path}`)).body), path).toEqual(
        officerActions,
      );
    const supervisor = await signIn('sup@cumbria.example');
    expect(menu((await supervisor.get(`/staff/reports/${reference}`)).body)).toEqual([
      'message',
      'note',
      'status',
      'allocate',
      'category',
      'transfer',
    ]);
    expect(menu((await supervisor.get(`/staff/reports/${reference}?lng=cy`)).body)).toHaveLength(6);
    expect((await client.get(`/staff/reports/${reference}/nonsense`)).statusCode).toBe(404);
    expect((await client.get(`/staff/reports/${reference}/actions/nonsense`)).statusCode).toBe(404);

    // The message form is a page of its own, and posts to the route it always did.
    const message = await client.get(`/staff/reports/${reference}/actions/message`);
    expect(message.body).toContain(`action="/staff/reports/${reference}/message"`);

    // Transfer: the form goes to check answers first, which says what will happen and changes nothing.
    const form = await client.get(`/staff/reports/${reference}/actions/transfer`);
    expect(form.body).toContain(`action="/staff/reports/${reference}/check/transfer"`);
    const missing = await client.post(`/staff/reports/${reference}/check/transfer`, { unit: '', reason: '' });
    expect(client.path).toBe(`/staff/reports/${reference}/actions/transfer`);
    expect(missing.body).toMatch(/govuk-error-summary[\s\S]*href="#unit"[\s\S]*href="#reason"/);
    const check = await client.post(`/staff/reports/${reference}/check/transfer`, {
      unit: 'nwrocu-rccu',
      reason: 'Linked to an organised group',
    });
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('Check before you change the report');
    expect(check.body).toContain('Linked to an organised group');
    expect(check.body).toContain(`action="/staff/reports/${reference}/transfer"`);
    expect(check.body).toContain('<input type="hidden" name="unit" value="nwrocu-rccu">');
    const row = await ctx.services.database.db
      .selectFrom('reports')
      .select(['unit_id', 'status'])
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(row.unit_id).toBe('cumbria-cyber');
    // "Change" goes back to the form with the answers still in it.
    const change = await client.get(`/staff/reports/${reference}/actions/transfer`);
    expect(change.body).toContain('<option value="nwrocu-rccu" selected>');
    expect(change.body).toContain('Linked to an organised group</textarea>');

    // Closing: checked too, and refused without an outcome before the check is shown.
    const noOutcome = await client.post(`/staff/reports/${reference}/check/status`, {
      status: 'closed',
      outcome: '',
    });
    expect(client.path).toBe(`/staff/reports/${reference}/actions/status`);
    expect(noOutcome.body).toContain('Select the outcome, as the report is being closed');

    // In Welsh: the tabs, the check and its errors.
    const cy = await client.get(`/staff/reports/${reference}/actions?lng=cy`);
    expect(cy.body).toContain('Camau gweithredu');
    const cyMissing = await client.post(`/staff/reports/${reference}/check/category`, {
      category: 'malware',
      reason: '',
    });
    expect(cyMissing.body).toContain('Rhowch y rheswm dros newid y math o drosedd');
    await client.get(`/staff/reports/${reference}?lng=en`);
  });

  it('transfers a report to another unit with a reason: it leaves this queue', async () => {
    const client = await signIn('sup@cumbria.example');
    await client.get(`/staff/reports/${reference}`);
    await client.post(`/staff/reports/${reference}/transfer`, {
      unit: 'nwrocu-rccu',
      reason: 'Linked to an organised group',
    });
    expect(client.path).toBe('/staff?transferred=1');
    expect((await client.get('/staff')).body).not.toContain(reference);
    expect((await client.get(`/staff/reports/${reference}`)).statusCode).toBe(404);
    const row = await ctx.services.database.db
      .selectFrom('reports')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ unit_id: 'nwrocu-rccu', status: 'transferred', routing_rule: 'transferred' });
  });

  it('refuses actions without a CSRF token and after sign-out', async () => {
    const client = await signIn('off@cumbria.example');
    // Signed in, but the form's token is missing: a forged cross-site post.
    const forged = await ctx.app.inject({
      method: 'POST',
      url: `/staff/reports/${reference}/note`,
      headers: { cookie: `bl_session=${client.cookie('bl_session') ?? ''}` },
      payload: { text: 'x' },
    });
    expect(forged.statusCode).toBe(403);
    await client.post('/staff/sign-out');
    await client.get('/staff');
    expect(client.path).toBe('/staff/sign-in');
    // Signed out: the staff gate sends it to sign in before the form is even read.
    const after = await client.post(`/staff/reports/${reference}/note`, { text: 'x' }, { follow: false });
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/staff/sign-in');
  });
});
