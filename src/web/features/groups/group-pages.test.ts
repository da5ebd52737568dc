import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorSummaryOf } from '../../../../test/support/error-summary.ts';
import type { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff, signInStaff } from '../../../../test/support/staff-fixtures.ts';
import { makeSubmission, suspect } from '../../../../test/support/submissions.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';
import { ROLES, type StaffMember } from '../../../domain/access/access-policy.ts';
import type { Partner } from '../../../services/partners.ts';

const DOMAIN = 'fake-bank-login-verify.co.uk';

describe(`working groups in the workspace: pages, forms and linking answers (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const now = new Date('2026-12-09T10:00:00.000Z');
  const clients: Record<string, FormClient> = {};
  let groupId = 0;
  let page = '';
  let bank: Partner;
  let own = '';
  let kentReference = '';

  const member = async (email: string) =>
    (await ctx.services.staff.byId((await ctx.services.staff.userIdByEmail(email))?.id ?? 0)) as StaffMember;
  const audits = async (action: string) =>
    (
      await ctx.services.database.db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', action)
        .execute()
    ).length;

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    for (const [who, role, forceId] of [
      ['admin', 'force-supervisor', 'cumbria'],
      ['officer', 'force-officer', 'cumbria'],
      ['kent', 'force-officer', 'kent'],
    ] as const) {
      const email = `${who}@police.example`;
      const totp = await addStaff(ctx.services, { email, role, forceId });
      clients[who] = await signInStaff(ctx.app, email, totp, now);
    }
    const added = await ctx.services.partners.add({ name: 'Big Bank', sectors: ['finance'], tlp: 'amber' });
    bank = (await ctx.services.partners.byId(added.id)) as Partner;
    const report = await ctx.services.reportIntake.submit(
      makeSubmission({ suspect: suspect({ websites: [`https://${DOMAIN}/login`] }) }),
    );
    own = report.reference;
    const kentReport = await ctx.services.reportIntake.submit(
      makeSubmission({ postcode: 'ME14 1XX', force: { id: 'kent', candidates: ['kent'] } }),
    );
    kentReference = kentReport.reference;
    const db = ctx.services.database.db;
    await db.updateTable('reports').set({ unit_id: 'cumbria-cyber' }).where('reference', '=', own).execute();
    await db
      .updateTable('reports')
      .set({ unit_id: (await member('kent@police.example')).unitId })
      .where('reference', '=', kentReference)
      .execute();
    groupId = await ctx.services.workingGroups.create(await member('admin@police.example'), {
      name: 'Finance fraud',
      sector: 'finance',
    });
    page = `/staff/groups/${String(groupId)}`;
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('lists the unit’s groups and lets the admin alone manage members, with error summaries', async () => {
    const admin = clients.admin as FormClient;
    const list = await admin.get('/staff/groups');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`href="${page}"`);
    expect((await admin.get('/staff')).body).toContain('href="/staff/groups"');
    // Nothing chosen: the error summary links to the select.
    await admin.post(`${page}/members/add`, { member: '' });
    expect(errorSummaryOf(admin.last?.body ?? '')).toEqual(['member: Choose a member']);
    await admin.post(`${page}/members/add`, { member: `partner:${String(bank.id)}` });
    expect(admin.path).toBe(`${page}?done=member-added`);
    expect(admin.last?.body).toContain('Big Bank');
    await admin.post(`${page}/members/add`, { member: 'unit:nccu' });
    expect(await audits('group-member-added')).toBe(2);
    // Another member's officer may not (no form is shown them). Another force's officer finds no group.
    const officer = clients.officer as FormClient;
    expect(
      (await officer.post(`${page}/members/remove`, { member: `partner:${String(bank.id)}` })).statusCode,
    ).toBe(404);
    expect(await audits('group-member-removed')).toBe(0);
    const kent = clients.kent as FormClient;
    expect((await kent.get(page)).statusCode).toBe(404);
    expect((await kent.post(`${page}/members/add`, { member: 'unit:kent-cyber' })).statusCode).toBe(404);
    // The admin's own unit stays; a unit comes out.
    await admin.post(`${page}/members/remove`, { member: 'unit:cumbria-cyber' });
    expect(errorSummaryOf(admin.last?.body ?? '')).toEqual([
      'remove-member: Your own unit stays in the group',
    ]);
    await admin.post(`${page}/members/remove`, { member: 'unit:nccu' });
    expect(admin.path).toBe(`${page}?done=member-removed`);
    expect(await audits('group-member-removed')).toBe(1);
  });

  it('sets a group up from the workspace: form, error summary (en, cy), check answers, audited; group admins only', async () => {
    const admin = clients.admin as FormClient;
    const groupCount = async () =>
      (await ctx.services.database.db.selectFrom('working_groups').select('id').execute()).length;
    const before = { groups: await groupCount(), audited: await audits('group-created') };
    expect((await admin.get('/staff/groups')).body).toContain('href="/staff/groups/new"');
    expect((await admin.get('/staff')).body).toContain('href="/staff/groups/new"');
    await admin.get('/staff/groups/new');
    // Nothing typed, then a name too long and a sector not offered: each named on its input.
    await admin.post('/staff/groups/new/check', { name: '', sector: '' });
    expect(admin.path).toBe('/staff/groups/new');
    expect(errorSummaryOf(admin.last?.body ?? '')).toEqual([
      'name: Enter a name for the group',
      'sector: Choose the group’s sector',
    ]);
    await admin.post('/staff/groups/new/check', { name: 'x'.repeat(201), sector: 'gambling' });
    expect(errorSummaryOf(admin.last?.body ?? '')).toEqual([
      'name: Enter a group name of 200 characters or fewer',
    ]);
    await admin.post('/staff/groups/new/check', { name: 'Fine', sector: 'gambling' });
    expect(errorSummaryOf(admin.last?.body ?? '')).toEqual(['sector: Choose one of the sectors listed']);
    await admin.get('/staff/groups/new?lng=cy');
    await admin.post('/staff/groups/new/check', { name: '', sector: 'finance' });
    expect(errorSummaryOf(admin.last?.body ?? '')).toEqual(['name: Rhowch enw ar gyfer y grŵp']);
    await admin.get('/staff/groups/new?lng=en');
    // Check your answers: nothing is made yet, and "Change" brings the answers back.
    const check = await admin.post('/staff/groups/new/check', {
      name: 'Telecoms fraud',
      sector: 'cross-sector',
    });
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('Check the group before you set it up');
    expect(check.body).toContain('Telecoms fraud');
    expect(check.body).toContain('Cross-sector');
    expect(await groupCount()).toBe(before.groups);
    expect((await admin.get('/staff/groups/new')).body).toContain('value="Telecoms fraud"');
    // A confirmation without its CSRF token, or from an officer (not a group admin's role), makes nothing.
    const forged = await ctx.app.inject({
      method: 'POST',
      url: '/staff/groups/new',
      headers: {
        cookie: `bl_session=${admin.cookie('bl_session') ?? ''}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({ name: 'Forged', sector: 'finance' }).toString(),
    });
    expect(forged.statusCode).toBe(403);
    const officer = clients.officer as FormClient;
    expect((await officer.get('/staff/groups/new')).statusCode).toBe(404);
    expect((await officer.get('/staff/groups')).body).not.toContain('href="/staff/groups/new"');
    for (const path of ['/staff/groups/new', '/staff/groups/new/check'])
      expect(
        (await officer.post(path, { name: 'Mine', sector: 'finance' }, { follow: false })).statusCode,
      ).toBe(404);
    expect(await groupCount()).toBe(before.groups);
    // Confirmed: the group, its admin, the admin's unit as first member, and the audit row.
    await admin.post('/staff/groups/new', { name: 'Telecoms fraud', sector: 'cross-sector' });
    expect(admin.path).toMatch(/^\/staff\/groups\/\d+\?done=created$/);
    expect(admin.last?.body).toContain('The group is set up');
    const id = Number(/groups\/(\d+)/.exec(admin.path)?.[1]);
    const made = await ctx.services.database.db
      .selectFrom('working_groups')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect([made.name, made.sector, made.admin_email]).toEqual([
      'Telecoms fraud',
      'cross-sector',
      'admin@police.example',
    ]);
    expect(await groupCount()).toBe(before.groups + 1);
    expect(await audits('group-created')).toBe(before.audited + 1);
  });

  it('keeps a new group’s name to one line of text: no control or bidirectional characters, markup shown as text', async () => {
    const admin = clients.admin as FormClient;
    await admin.get('/staff/groups/new');
    // A newline would forge a line of the audit detail; a right-to-left override would turn the name around.
    // (A NUL is refused before any route: text-input.test.ts.)
    const forged = 'Fraud\n2026-12-09T10:00:00Z admin@police.example group-created\u202eevil\u0007';
    const check = await admin.post('/staff/groups/new/check', { name: forged, sector: 'finance' });
    for (const forbidden of ['\u0007', '\u202e']) expect(check.body).not.toContain(forbidden);
    await admin.post('/staff/groups/new', { name: forged, sector: 'finance' });
    expect(admin.path).toMatch(/^\/staff\/groups\/\d+\?done=created$/);
    const id = Number(/groups\/(\d+)/.exec(admin.path)?.[1]);
    const made = await ctx.services.database.db
      .selectFrom('working_groups')
      .select('name')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(made.name).toBe('Fraud 2026-12-09T10:00:00Z admin@police.example group-created evil');
    const audited = await ctx.services.database.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'group-created')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audited.detail).not.toMatch(/[\p{Cc}\p{Cf}]/u);
    // Only invisible characters: no name at all.
    await admin.get('/staff/groups/new');
    await admin.post('/staff/groups/new/check', { name: '\u202e\u200b\t', sector: 'finance' });
    expect(admin.path).toBe('/staff/groups/new');
    expect(errorSummaryOf(admin.last?.body ?? '')).toHaveLength(1);
    // Markup is text on the check page and the group's page.
    await admin.get('/staff/groups/new');
    const markup = await admin.post('/staff/groups/new/check', {
      name: '<script>alert(1)</script>',
      sector: 'finance',
    });
    expect(markup.body).not.toContain('<script>alert(1)');
    expect(markup.body).toContain('&lt;script&gt;alert(1)');
    await admin.post('/staff/groups/new', { name: '<script>alert(1)</script>', sector: 'finance' });
    expect(admin.last?.body).not.toContain('<script>alert(1)');
  });

  it('sets up no group for any other role, nor for an allowed role without a unit, whoever calls the service', async () => {
    const count = async () =>
      (await ctx.services.database.db.selectFrom('working_groups').select('id').execute()).length;
    const before = await count();
    const allowed = new Set(['force-supervisor', 'regional-officer', 'national-officer']);
    const callers: StaffMember[] = [
      ...ROLES.filter((role) => !allowed.has(role)).map((role) => ({
        email: `${role}@police.example`,
        role,
        forceId: 'cumbria',
        unitId: 'cumbria-cyber',
      })),
      ...[...allowed].map((role) => ({
        email: `${role}@police.example`,
        role: role as StaffMember['role'],
        forceId: 'cumbria',
        unitId: null,
      })),
    ];
    for (const staff of callers)
      await expect(
        ctx.services.workingGroups.create(staff, { name: 'Mine', sector: 'finance' }),
      ).rejects.toMatchObject({ kind: 'forbidden' });
    expect(await count()).toBe(before);
    // Guessing a group's id, past the integer column too: "not found", never an error.
    for (const id of ['2147483648', '9999999999'])
      expect([id, (await (clients.admin as FormClient).get(`/staff/groups/${id}`)).statusCode]).toEqual([
        id,
        404,
      ]);
  });

  it('asks a request and posts an alert from the page, refusing bad input by field (en, cy) and without CSRF', async () => {
    const officer = clients.officer as FormClient;
    await officer.get(page);
    await officer.post(`${page}/messages`, { kind: 'request' });
    expect(errorSummaryOf(officer.last?.body ?? '')).toEqual([
      'request-text: Enter what you want to know',
      'request-tlp: Choose a TLP',
      'request-indicator-value: Enter the value you are asking about',
      'request-deadline: Enter the date answers are needed by, for example 2026-12-20',
    ]);
    const request = {
      kind: 'request',
      'request-text': 'Has anyone seen this domain?',
      'request-tlp': 'red',
      'request-indicator-type': 'domain',
      'request-indicator-value': DOMAIN,
      'request-deadline': '2026-12-12',
    };
    await officer.post(`${page}/messages`, request);
    expect(errorSummaryOf(officer.last?.body ?? '')).toEqual([
      'request-tlp: Choose TLP:CLEAR, TLP:GREEN or TLP:AMBER, no higher than your organisation receives',
    ]);
    // What was typed is kept.
    expect(officer.last?.body).toContain(`value="${DOMAIN}"`);
    await officer.get(`${page}?lng=cy`);
    await officer.post(`${page}/messages`, {
      ...request,
      'request-deadline': '2027-06-01',
      'request-tlp': 'green',
    });
    expect(errorSummaryOf(officer.last?.body ?? '')).toEqual([
      'request-deadline: Mae angen gwerth a dyddiad ar gyfer atebion o fewn 30 diwrnod ar gais',
    ]);
    await officer.get(`${page}?lng=en`);
    // A form posted without its token changes nothing.
    const before = await audits('group-message');
    const forged = await ctx.app.inject({
      method: 'POST',
      url: `${page}/messages`,
      headers: {
        cookie: `bl_session=${officer.cookie('bl_session') ?? ''}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({ ...request, 'request-tlp': 'green' }).toString(),
    });
    expect(forged.statusCode).toBe(403);
    expect(await audits('group-message')).toBe(before);
    await officer.post(`${page}/messages`, { ...request, 'request-tlp': 'green' });
    expect(officer.path).toBe(`${page}?done=posted`);
    await officer.post(`${page}/messages`, {
      kind: 'alert',
      'alert-text': 'Mule accounts',
      'alert-tlp': 'amber',
    });
    expect(officer.path).toBe(`${page}?done=posted`);
    expect(officer.last?.body).toContain('Mule accounts');
    expect(await audits('group-message')).toBe(before + 2);
    expect((await (clients.kent as FormClient).post(`${page}/messages`, { ...request })).statusCode).toBe(
      404,
    );
  });

  it('shows the asking unit the answers and links one to its report, never to another force’s', async () => {
    const message = await ctx.services.database.db
      .selectFrom('group_messages')
      .select('id')
      .where('kind', '=', 'request')
      .executeTakeFirstOrThrow();
    await ctx.services.workingGroups.answer(bank, groupId, message.id, { seen: true, comment: 'Blocked 3' });
    const answer = await ctx.services.database.db
      .selectFrom('group_answers')
      .select('id')
      .executeTakeFirstOrThrow();
    const officer = clients.officer as FormClient;
    const shown = await officer.get(page);
    expect(shown.body).toContain('Blocked 3');
    // The admin is of the same unit; a unit that did not ask sees no answers (none here).
    const link = `${page}/requests/${String(message.id)}/answers/${String(answer.id)}/link`;
    await officer.post(link, { reference: '' });
    expect(errorSummaryOf(officer.last?.body ?? '')).toEqual([
      `link-${String(answer.id)}: Enter a case reference or a crime reference`,
    ]);
    await officer.post(link, { reference: kentReference });
    expect(errorSummaryOf(officer.last?.body ?? '')).toEqual([
      `link-${String(answer.id)}: There is no report ${kentReference} your unit works`,
    ]);
    await officer.post(link, { reference: 'CASE-NOSUCHCA' });
    expect(errorSummaryOf(officer.last?.body ?? '')).toEqual([
      `link-${String(answer.id)}: There is no case CASE-NOSUCHCA you can work`,
    ]);
    expect(await audits('group-answer-linked')).toBe(0);
    await officer.post(link, { reference: own });
    expect(officer.path).toBe(
      `${page}?message=${String(message.id)}&done=linked#answer-${String(answer.id)}`,
    );
    expect(officer.last?.body).toContain(`Linked to report ${own}`);
    expect(await audits('group-answer-linked')).toBe(1);
    expect((await (clients.kent as FormClient).post(link, { reference: kentReference })).statusCode).toBe(
      404,
    );
  });

  it('pages the messages ten at a time, newest first, and opens the page of a request after linking', async () => {
    const officer = clients.officer as FormClient;
    await officer.get(page);
    for (let i = 1; i <= 9; i += 1)
      await officer.post(`${page}/messages`, {
        kind: 'alert',
        'alert-text': `Paged alert ${String(i)}.`,
        'alert-tlp': 'green',
      });
    const first = await officer.get(page);
    expect(first.body).toContain('Showing messages 1 to 10 of 11, newest first.');
    expect(first.body).toContain('Paged alert 9.');
    expect(first.body).not.toContain('Has anyone seen this domain?');
    expect(first.body).toContain(`href="${page}?page=2#messages"`);
    const second = await officer.get(`${page}?page=2`);
    expect(second.body).toContain('Showing messages 11 to 11 of 11, newest first.');
    expect(second.body).toContain('Has anyone seen this domain?');
    expect(second.body).not.toContain('Paged alert 9.');
    expect((await officer.get(`${page}?page=3`)).statusCode).toBe(404);
    const request = await ctx.services.database.db
      .selectFrom('group_messages')
      .select('id')
      .where('kind', '=', 'request')
      .executeTakeFirstOrThrow();
    expect((await officer.get(`${page}?message=${String(request.id)}`)).body).toContain(
      'Has anyone seen this domain?',
    );
    expect((await officer.get(`${page}?page=2&lng=cy`)).body).toContain('Yn dangos negeseuon 11 i 11 o 11');
  });
});
