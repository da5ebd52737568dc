import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorSummaryOf } from '../../../../test/support/error-summary.ts';
import { FormClient } from '../../../../test/support/form-client.ts';
import { addPartnerUser, PARTNER_PASSWORD } from '../../../../test/support/partner-fixtures.ts';
import { signInStaff, addStaff, STAFF_PASSWORD } from '../../../../test/support/staff-fixtures.ts';
import { makeSubmission, suspect } from '../../../../test/support/submissions.ts';
import { runPublication, submitAssessed } from '../../../../test/support/taxii-publication.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';
import type { StaffMember } from '../../../domain/access/access-policy.ts';
import { LOCKOUT } from '../../../services/staff-sign-in.ts';
import { gatedPortalRoutes } from '../../plugins/partner-gate.ts';
import { MAX_STREAMS_PER_USER } from './portal-routes.ts';

const PASSWORD = PARTNER_PASSWORD;

describe(`the partner portal (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const totps = new Map<string, TOTP>();
  const ids = new Map<string, number>();
  let bankId = 0;
  let groupId = 0;
  let requestId = 0;
  let staffTotp: TOTP;
  let supervisor: StaffMember;

  /** A portal user whose password is already their own, with their authenticator. */
  const addUser = async (partnerId: number, email: string, role: 'partner-user' | 'partner-admin') => {
    const made = await addPartnerUser(ctx.services, { partnerId, email, role });
    totps.set(email, made.totp);
    ids.set(email, made.id);
    return made;
  };
  const bankPartner = async () => {
    const partner = await ctx.services.partners.byId(bankId);
    if (partner === null) throw new Error('no partner');
    return partner;
  };
  const forgetCodes = (email: string) =>
    ctx.services.database.db
      .updateTable('users')
      .set({ totp_last_step: 0 })
      .where('email', '=', email)
      .execute();
  const signIn = async (email: string, code?: string) => {
    await forgetCodes(email);
    const client = new FormClient(ctx.app);
    await client.get('/partner/sign-in');
    const res = await client.post('/partner/sign-in', {
      email,
      password: PASSWORD,
      code: code ?? totps.get(email)?.generate() ?? '',
    });
    return { client, res };
  };

  beforeAll(async () => {
    ctx = await createTestApp();
    const bank = await ctx.services.partners.add({
      name: 'Big Bank',
      sectors: ['finance'],
      tlp: 'amber',
      canSubmit: true,
    });
    bankId = bank.id;
    const other = await ctx.services.partners.add({ name: 'Other Co', sectors: ['telecoms'], tlp: 'green' });
    await addUser(bank.id, 'admin@bank.example', 'partner-admin');
    await addUser(bank.id, 'user@bank.example', 'partner-user');
    await addUser(bank.id, 'spare@bank.example', 'partner-user');
    await addUser(bank.id, 'locked@bank.example', 'partner-user');
    await addUser(bank.id, 'matrix@bank.example', 'partner-user');
    await addUser(other.id, 'user@other.example', 'partner-user');
    staffTotp = await addStaff(ctx.services, {
      email: 'super@police.example',
      role: 'force-supervisor',
      forceId: 'cumbria',
    });
    const staffId = (await ctx.services.staff.userIdByEmail('super@police.example'))?.id ?? 0;
    supervisor = (await ctx.services.staff.byId(staffId)) as StaffMember;
    groupId = await ctx.services.workingGroups.create(supervisor, {
      name: 'Finance fraud',
      sector: 'finance',
    });
    await ctx.services.workingGroups.addMember(supervisor, groupId, { partnerId: bank.id });
    requestId = await ctx.services.workingGroups.post(supervisor, groupId, {
      kind: 'request',
      text: 'Has anyone seen this domain?',
      tlp: 'green',
      indicatorType: 'domain',
      indicatorValue: 'fake-bank-login-verify.co.uk',
      deadline: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    });
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('signs in with a password and a second factor, one answer for every failure, and locks out', async () => {
    const wrong = await signIn('user@bank.example', '000000');
    expect(wrong.res.statusCode).toBe(400);
    expect(errorSummaryOf(wrong.res.body)).toEqual([
      'email: The email address, password or security code is not right, or the account cannot sign in',
    ]);
    const right = await signIn('user@bank.example');
    expect(right.client.path).toBe('/partner');
    expect(right.res.body).toContain('Signed in to Big Bank as user@bank.example');
    // Staff credentials never open the portal, nor a partner's the workspace.
    const client = new FormClient(ctx.app);
    await forgetCodes('super@police.example');
    const staffTry = await client.post('/partner/sign-in', {
      email: 'super@police.example',
      password: STAFF_PASSWORD,
      code: staffTotp.generate(),
    });
    expect(staffTry.statusCode).toBe(400);
    await forgetCodes('user@bank.example');
    const partnerTry = await client.post('/staff/sign-in', {
      email: 'user@bank.example',
      password: PASSWORD,
      code: totps.get('user@bank.example')?.generate() ?? '',
    });
    expect(partnerTry.statusCode).toBe(400);
    // Lock-out: after LOCKOUT.attempts failures even the right details are refused.
    for (let i = 0; i < LOCKOUT.attempts; i++) await signIn('locked@bank.example', '111111');
    const locked = await signIn('locked@bank.example');
    expect(locked.res.statusCode).toBe(400);
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('actor', '=', 'locked@bank.example')
      .execute();
    expect(audit.map((a) => a.action)).toContain('account-locked');
  });

  it('sends someone whose password another chose to choose their own first', async () => {
    const made = await ctx.services.partnerUsers.add(
      { operator: 'test' },
      { partnerId: bankId, email: 'new@bank.example', role: 'partner-user' },
    );
    const client = new FormClient(ctx.app);
    await client.get('/partner/sign-in');
    await client.post('/partner/sign-in', {
      email: 'new@bank.example',
      password: made.password,
      code: new TOTP({ secret: Secret.fromBase32(made.secret) }).generate(),
    });
    expect(client.path).toBe('/partner/password');
    expect((await client.get('/partner/collections')).statusCode).toBe(200);
    expect(client.path).toBe('/partner/password');
  });

  it('renews the CSRF secret when a password is changed: a form token from before is refused after it', async () => {
    const made = await ctx.services.partnerUsers.add(
      { operator: 'test' },
      { partnerId: bankId, email: 'renewed@bank.example', role: 'partner-user' },
    );
    const client = new FormClient(ctx.app);
    await client.get('/partner/sign-in');
    await client.post('/partner/sign-in', {
      email: 'renewed@bank.example',
      password: made.password,
      code: new TOTP({ secret: Secret.fromBase32(made.secret) }).generate(),
    });
    const tokenOf = (body: string) => /name="csrf-token" content="([^"]+)"/.exec(body)?.[1] ?? '';
    const before = tokenOf((await client.get('/partner/password')).body);
    expect(before).not.toBe('');
    await client.post('/partner/password', {
      'current-password': made.password,
      'new-password': 'a renewed passphrase for the portal',
      'confirm-password': 'a renewed passphrase for the portal',
    });
    expect(client.path).toBe('/partner/password?done=changed');
    const signOut = (token: string) =>
      ctx.app.inject({
        method: 'POST',
        url: '/partner/sign-out',
        headers: { cookie: cookieOf(client), 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(token)}`,
      });
    // A secret seen or planted before the change of privilege mints nothing that works after it.
    expect((await signOut(before)).statusCode).toBe(403);
    const after = tokenOf((await client.get('/partner/password')).body);
    expect(after).not.toBe(before);
    expect((await signOut(after)).statusCode).toBe(303);
  });

  it('holds every portal route to its area for each kind of caller (the access matrix)', async () => {
    const routes = gatedPortalRoutes(ctx.app).filter((r) => r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(15);
    const financeAmber = ctx.services.partnerPortal
      .collections(await bankPartner())
      .find((c) => c.tlp === 'amber')?.id;
    const spare = ids.get('matrix@bank.example') ?? 0;
    const url = (pattern: string) =>
      pattern
        .replace('/collections/:id', `/collections/${financeAmber ?? ''}`)
        .replace('/users/:id/:action', `/users/${String(spare)}/reset`)
        .replace(':messageId', String(requestId))
        .replace(':id', String(groupId));
    const callers: Record<string, FormClient> = {
      none: new FormClient(ctx.app),
      staff: await signInStaff(ctx.app, 'super@police.example', staffTotp),
      user: (await signIn('user@bank.example')).client,
      admin: (await signIn('admin@bank.example')).client,
      other: (await signIn('user@other.example')).client,
    };
    await callers.none?.get('/');
    // No disruption request is sent to anyone here, nor token made: each is 404 to all (attacked in their own tests).
    const noSuchRequest = (path: string) =>
      path.startsWith('/partner/disruption-requests/:id') ||
      // No token of theirs has this id: portal-tokens.test.ts attacks revoking.
      path === '/partner/tokens/:id/revoke';
    const refusedBy: Record<string, (area: string, path: string) => boolean> = {
      none: () => true,
      staff: () => true,
      // Neither partner is a supplier: the taskings pages are not theirs (suppliers.test.ts attacks them).
      user: (area, path) => area === 'portal-users' || area === 'portal-supplier' || noSuchRequest(path),
      admin: (area, path) => area === 'portal-supplier' || noSuchRequest(path),
      // Another partner: not its groups, no submitting (it may not), no users; its own lists are its own.
      other: (area, path) =>
        area !== 'portal-any' ||
        path.startsWith('/partner/groups/:id') ||
        path === '/partner/collections/:id' ||
        noSuchRequest(path),
    };
    for (const route of routes) {
      for (const [who, client] of Object.entries(callers)) {
        const target = url(route.url);
        // An allowed stream never ends: it is tested over HTTP below.
        if (route.url.endsWith('/events') && !(refusedBy[who]?.(route.allow, route.url) ?? true)) continue;
        const res =
          route.method === 'GET'
            ? await ctx.app.inject({ method: 'GET', url: target, headers: { cookie: cookieOf(client) } })
            : await client.post(target, {}, { follow: false });
        const refused = refusedBy[who]?.(route.allow, route.url) ?? true;
        const where = `${who} ${route.method} ${route.url}`;
        if (who === 'none' || who === 'staff') {
          expect([where, res.statusCode, res.headers.location]).toEqual([where, 303, '/partner/sign-in']);
        } else if (refused) {
          expect([where, res.statusCode]).toEqual([where, 404]);
        } else {
          // Admitted, and working: not refused, not sent to sign in, no server error.
          const failed =
            res.statusCode === 404 || res.statusCode >= 500 || res.headers.location === '/partner/sign-in';
          expect([where, failed]).toEqual([where, false]);
        }
      }
    }
    // A partner's session never reaches a staff page.
    const staffPage = await callers.admin?.get('/staff');
    expect(callers.admin?.path).toBe('/staff/sign-in');
    expect(staffPage?.statusCode).toBe(200);
  });

  it('takes a CSV only when every row is valid, naming line and field, through the TAXII use case', async () => {
    const { client } = await signIn('user@bank.example');
    await client.get('/partner/submit');
    const bad = await client.post('/partner/submit/csv', {
      csv: 'type,value,tlp\ndomain,mule-payments-now.co.uk,green\nwidget,x,green\nphone,,amber\nurl,https://a-site.co.uk/x,purple\n',
    });
    expect(client.path).toBe('/partner/submit');
    expect(errorSummaryOf(bad.body)).toEqual([
      'csv: Line 3, type: use one of url, domain, ipv4, ipv6, email, phone, uk-bank-account, iban, btc-address, eth-address, md5, sha1, sha256',
      'csv: Line 4, value: enter the value',
      'csv: Line 5, tlp: use clear, green, amber, amber+strict or red',
    ]);
    const stored = () =>
      ctx.services.database.db
        .selectFrom('partner_submissions')
        .select('id')
        .where('partner_id', '=', bankId)
        .execute();
    expect(await stored()).toHaveLength(0);
    const good = await client.post('/partner/submit/csv', {
      csv: 'domain,mule-payments-now.co.uk,green,yes,mule\ndomain,gmail.com,green\nphone,07700 900123,amber,no\n',
    });
    expect(client.path).toBe('/partner/submit/result');
    expect(good.body).toContain('2 stored, 1 refused');
    expect(good.body).toMatch(/Refused: on a warning list/);
    expect(await stored()).toHaveLength(2);
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('action', '=', 'partner-submission')
      .execute();
    expect(audit.at(-1)?.actor).toBe('user@bank.example');
    // Its own organisation sees the submissions; another partner never does.
    expect((await client.get('/partner/submissions')).body).toContain('mule-payments-now.co.uk');
    const other = (await signIn('user@other.example')).client;
    expect((await other.get('/partner/submissions')).body).not.toContain('mule-payments-now.co.uk');
  });

  it('takes a CSV file upload with the same row checks, errors by line, size-limited, with its CSRF token', async () => {
    const { client } = await signIn('user@bank.example');
    await client.get('/partner/submit');
    const stored = async () =>
      (
        await ctx.services.database.db
          .selectFrom('partner_submissions')
          .select('id')
          .where('partner_id', '=', bankId)
          .execute()
      ).length;
    const before = await stored();
    const upload = (content: string | Buffer) =>
      client.upload('/partner/submit/file', [{ name: 'values.csv', content }], 'file');
    await upload('type,value,tlp\ndomain,upload-mule-now.co.uk,green\nwidget,x,green\nphone,,amber\n');
    expect(client.path).toBe('/partner/submit');
    expect(errorSummaryOf(client.last?.body ?? '')).toEqual([
      'file: Line 3, type: use one of url, domain, ipv4, ipv6, email, phone, uk-bank-account, iban, btc-address, eth-address, md5, sha1, sha256',
      'file: Line 4, value: enter the value',
    ]);
    // Past the size limit: refused before a row is read.
    await upload(`domain,upload-mule-now.co.uk,green\n${'#'.repeat(61 * 1024)}\n`);
    expect(errorSummaryOf(client.last?.body ?? '')).toEqual(['file: The CSV is too large: at most 60 KB']);
    await client.upload('/partner/submit/file', [], 'file');
    expect(errorSummaryOf(client.last?.body ?? '')).toEqual(['file: Select a CSV file']);
    expect(await stored()).toBe(before);
    // Without the form's token nothing is read or stored.
    const boundary = 'x-boundary';
    const forged = await ctx.app.inject({
      method: 'POST',
      url: '/partner/submit/file',
      headers: {
        cookie: cookieOf(client),
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="v.csv"\r\n\r\ndomain,upload-mule-now.co.uk,green\r\n--${boundary}--\r\n`,
    });
    expect(forged.statusCode).toBe(403);
    expect(await stored()).toBe(before);
    // A spreadsheet's export, byte order mark and all.
    await upload(Buffer.from('\uFEFFtype,value,tlp\ndomain,upload-mule-now.co.uk,green\n', 'utf8'));
    expect(client.path).toBe('/partner/submit/result');
    expect(client.last?.body).toContain('1 stored, 0 refused');
    expect(await stored()).toBe(before + 1);
    // The use case's reasons are said in the page's language.
    await client.get('/partner/submit?lng=cy');
    await upload('domain,gmail.com,green\nphone,07700 900123,amber\n');
    expect(client.path).toBe('/partner/submit/result');
    expect(client.last?.body).toContain('ar restr rybuddio');
    expect(client.last?.body).not.toContain('on a warning list');
    await client.get('/partner/submit?lng=en');
  });

  it('refuses an upload under another session’s token, many parts, a field or the wrong type; the page leaks no token by Referer', async () => {
    const { client } = await signIn('user@bank.example');
    const page = await client.get('/partner/submit');
    // The form's token is in its action URL: the page sends no Referer anywhere, and is not cached.
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(String(page.headers['cache-control'])).toMatch(/no-store/);
    const tokenOf = (body: string) => /name="csrf-token" content="([^"]+)"/.exec(body)?.[1] ?? '';
    const own = tokenOf(page.body);
    expect(page.body).toContain(`action="/partner/submit/file?_csrf=${encodeURIComponent(own)}"`);
    const other = (await signIn('user@other.example')).client;
    const theirs = tokenOf((await other.get('/partner/submit')).body);
    expect(theirs).not.toBe('');
    const stored = async () =>
      (await ctx.services.database.db.selectFrom('partner_submissions').select('id').execute()).length;
    const before = await stored();
    const boundary = 'x-attack';
    const part = (name: string, filename: string | null, content: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"` +
      `${filename === null ? '' : `; filename="${filename}"`}\r\n\r\n${content}\r\n`;
    const post = (token: string, payload: string, type = `multipart/form-data; boundary=${boundary}`) =>
      ctx.app.inject({
        method: 'POST',
        url: `/partner/submit/file?_csrf=${encodeURIComponent(token)}`,
        headers: { cookie: cookieOf(client), 'content-type': type },
        payload,
      });
    const row = 'domain,attack-upload-mule.co.uk,green';
    // Another signed-in partner's token (or none at all) does not pass for this session.
    expect((await post(theirs, `${part('file', 'v.csv', row)}--${boundary}--\r\n`)).statusCode).toBe(403);
    expect((await post('', `${part('file', 'v.csv', row)}--${boundary}--\r\n`)).statusCode).toBe(403);
    // Many files, a text field (1 MB), a file with a field before it: refused, nothing stored, no 500.
    const attacks = [
      `${Array.from({ length: 50 }, (_, i) => part('file', `v${String(i)}.csv`, row)).join('')}--${boundary}--\r\n`,
      `${part('note', null, 'x'.repeat(1024 * 1024))}--${boundary}--\r\n`,
      `${part('note', null, 'x')}${part('file', 'v.csv', row)}--${boundary}--\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="v.csv"\r\n\r\n${row}`,
    ];
    for (const payload of attacks) {
      const res = await post(own, payload);
      expect(res.statusCode, payload.slice(0, 80)).toBeGreaterThanOrEqual(300);
      expect(res.statusCode, payload.slice(0, 80)).toBeLessThan(500);
    }
    // Not multipart at all: JSON, plain text, a form post to the file route.
    for (const [type, payload] of [
      ['application/json', JSON.stringify({ file: row })],
      ['text/plain', row],
      ['application/x-www-form-urlencoded', `file=${encodeURIComponent(row)}`],
    ] as const) {
      const res = await post(own, payload, type);
      expect(res.statusCode, type).toBeGreaterThanOrEqual(300);
      expect(res.statusCode, type).toBeLessThan(500);
    }
    expect(await stored()).toBe(before);
    // The token in the URL (kept in history, a proxy's log) is this session's only: once signed out and in
    // again in the same browser, it is refused; the new page's token works.
    await client.post('/partner/sign-out', {});
    expect(client.path).toBe('/partner/sign-in');
    await forgetCodes('user@bank.example');
    await client.post('/partner/sign-in', {
      email: 'user@bank.example',
      password: PASSWORD,
      code: totps.get('user@bank.example')?.generate() ?? '',
    });
    expect(client.path).toBe('/partner');
    const fresh = tokenOf((await client.get('/partner/submit')).body);
    expect((await post(own, `${part('file', 'v.csv', row)}--${boundary}--\r\n`)).statusCode).toBe(403);
    expect(await stored()).toBe(before);
    const taken = await post(fresh, `${part('file', 'v.csv', row)}--${boundary}--\r\n`);
    expect(taken.statusCode).toBe(303);
    expect(taken.headers.location).toBe('/partner/submit/result');
    expect(await stored()).toBe(before + 1);
  });

  it('answers a request for information and posts an alert, each audited, members only', async () => {
    const { client } = await signIn('user@bank.example');
    const page = `/partner/groups/${String(groupId)}`;
    expect((await client.get(page)).body).toContain('fake-bank-login-verify.co.uk');
    await client.post(`${page}/requests/${String(requestId)}/answer`, {
      seen: 'yes',
      comment: 'on our logs',
    });
    expect(client.last?.body).toContain('Your organisation answered: Seen');
    const read = await ctx.services.workingGroups.read(supervisor, groupId, requestId);
    expect(read?.answers).toEqual([
      expect.objectContaining({ partner: 'Big Bank', seen: true, comment: 'on our logs' }),
    ]);
    const missing = await client.post(page + '/alerts', { text: '' });
    expect(errorSummaryOf(missing.body)).toEqual(['alert-text: Enter the alert', 'alert-tlp: Choose a TLP']);
    await client.post(`${page}/alerts`, {
      text: 'Mule accounts opened this week',
      tlp: 'green',
      'indicator-type': 'domain',
      'indicator-value': 'mule-payments-now.co.uk',
    });
    expect(client.last?.body).toContain('Mule accounts opened this week');
    const message = await ctx.services.database.db
      .selectFrom('group_messages')
      .selectAll()
      .where('kind', '=', 'alert')
      .executeTakeFirstOrThrow();
    expect([message.partner_id, message.unit_id, message.author]).toEqual([bankId, '', 'user@bank.example']);
    const actions = await ctx.services.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('actor', '=', 'user@bank.example')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['group-answer', 'group-message']));
    // A partner outside the group can neither read nor post nor answer.
    const other = (await signIn('user@other.example')).client;
    expect((await other.get(page)).statusCode).toBe(404);
    expect(
      (await other.post(`${page}/alerts`, { text: 'x', tlp: 'green' }, { follow: false })).statusCode,
    ).toBe(404);
  });

  it('audits every read of group messages, requests, answers, collections, feedback and submissions: who, which partner, what', async () => {
    const db = ctx.services.database.db;
    const rowsOf = (action: string) =>
      db
        .selectFrom('audit_log')
        .select(['actor', 'detail'])
        .where('action', '=', action)
        .orderBy('id')
        .execute();
    const financeAmber =
      ctx.services.partnerPortal.collections(await bankPartner()).find((c) => c.tlp === 'amber')?.id ?? '';
    const { client } = await signIn('user@bank.example');
    const reads: [string, string, string][] = [
      ['/partner/collections', 'partner-read-collections', 'collection(s)'],
      [
        `/partner/collections/${financeAmber}?q=victim.name%40mail.example&type=email`,
        'partner-read-collection',
        `collection ${financeAmber}: 0 indicator(s) of type email, searched by text`,
      ],
      ['/partner/feedback', 'partner-read-feedback', 'feedback item(s)'],
      ['/partner/submissions', 'partner-read-submissions', 'submitted value(s)'],
      [`/partner/groups/${String(groupId)}`, 'partner-read-group', `group ${String(groupId)}: `],
    ];
    for (const [path, action, what] of reads) {
      const before = (await rowsOf(action)).length;
      expect([path, (await client.get(path)).statusCode]).toEqual([path, 200]);
      const after = await rowsOf(action);
      expect([path, after.length]).toEqual([path, before + 1]);
      expect(after.at(-1)?.actor).toBe('user@bank.example');
      expect(after.at(-1)?.detail).toContain(`partner ${String(bankId)} "Big Bank": `);
      expect(after.at(-1)?.detail).toContain(what);
      // What was typed into a search is not kept: it may name a person.
      expect(after.at(-1)?.detail).not.toContain('victim.name');
    }
    // The group's read says how many messages and answers were seen.
    expect((await rowsOf('partner-read-group')).at(-1)?.detail).toMatch(
      new RegExp(`group ${String(groupId)}: [1-9]\\d* message\\(s\\), \\d+ answer\\(s\\) of its own$`),
    );
    // A group the partner is not in, and a collection it does not read: 404, and nothing read, nothing written.
    const other = (await signIn('user@other.example')).client;
    const count = async () => (await db.selectFrom('audit_log').select('id').execute()).length;
    const before = await count();
    expect((await other.get(`/partner/groups/${String(groupId)}`)).statusCode).toBe(404);
    expect((await other.get(`/partner/collections/${financeAmber}`)).statusCode).toBe(404);
    expect(await count()).toBe(before);
  });

  it('streams group alerts to the portal, at most a few streams a user, and stops a disabled user at once', async () => {
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${String((ctx.app.server.address() as AddressInfo).port)}`;
    const { client } = await signIn('spare@bank.example');
    const cookie = cookieOf(client);
    const open = () =>
      new Promise<{ status: number; text: () => string; ended: Promise<void>; close: () => void }>(
        (resolve) => {
          let text = '';
          const request = get(
            `${base}/partner/groups/${String(groupId)}/events`,
            { headers: { cookie } },
            (res) => {
              const ended = new Promise<void>((done) => res.on('end', done).on('close', done));
              res.on('data', (chunk: Buffer) => (text += chunk.toString()));
              res.on('error', () => undefined);
              resolve({
                status: res.statusCode ?? 0,
                text: () => text,
                ended,
                close: () => request.destroy(),
              });
            },
          );
          request.on('error', () => undefined);
        },
      );
    const streams = [];
    for (let i = 0; i < MAX_STREAMS_PER_USER; i++) streams.push(await open());
    expect(streams.map((s) => s.status)).toEqual(Array(MAX_STREAMS_PER_USER).fill(200));
    const extra = await open();
    expect(extra.status).toBe(429);
    const [first] = streams;
    await ctx.services.workingGroups.postAlert(await bankPartner(), 'admin@bank.example', groupId, {
      text: 'Live alert',
      tlp: 'clear',
    });
    await expect.poll(() => first?.text() ?? '').toContain('Live alert');
    // The messages the stream handed over are audited, naming the person who held it.
    const handed = await ctx.services.database.db
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('action', '=', 'partner-read-group-events')
      .orderBy('id')
      .execute();
    expect(handed.at(-1)?.actor).toBe('spare@bank.example');
    expect(handed.at(-1)?.detail).toMatch(
      new RegExp(`^partner ${String(bankId)} "Big Bank": group ${String(groupId)}: message\\(s\\) \\d+`),
    );
    const admin = (await ctx.services.partnerUsers.sessionUser(ids.get('admin@bank.example') ?? 0))?.user;
    if (admin === undefined) throw new Error('the partner admin is not active');
    await ctx.services.partnerUsers.disable({ admin }, ids.get('spare@bank.example') ?? 0);
    await Promise.all(streams.map((s) => s.ended));
    expect((await client.get('/partner')).statusCode).toBe(200);
    expect(client.path).toBe('/partner/sign-in');
  });

  it('searches the collections a partner reads by part of a value and by type', async () => {
    await submitAssessed(
      ctx.services,
      makeSubmission({
        reporter: {
          name: 'A Victim',
          victimName: null,
          email: 'victim.portal@victims.example',
          phone: null,
          preferredContact: 'email',
        },
        suspect: suspect({ websites: ['https://fake-portal-search.co.uk/login'] }),
      }),
    );
    await runPublication(ctx.services);
    await ctx.services.partners.update(bankId, { sectors: ['all-sectors'], tlp: 'amber' }, 'test');
    const collections = ctx.services.partnerPortal.collections(await bankPartner());
    const allAmber = collections.find((c) => c.sector === 'all-sectors' && c.tlp === 'amber')?.id ?? '';
    const { client } = await signIn('user@bank.example');
    const search = async (query: string) =>
      (await client.get(`/partner/collections/${allAmber}?${query}`)).body;
    expect(await search('q=PORTAL-SEARCH')).toContain('fake-portal-search.co.uk');
    expect(await search('q=portal-search&type=domain')).toContain('fake-portal-search.co.uk');
    expect(await search('q=portal-search&type=phone')).not.toContain('fake-portal-search.co.uk');
    // LIKE's wildcards are taken literally.
    expect(await search('q=%25_')).not.toContain('fake-portal-search.co.uk');
    await ctx.services.partners.update(bankId, { sectors: ['finance'], tlp: 'amber' }, 'test');
    expect((await client.get(`/partner/collections/${allAmber}?q=portal`)).statusCode).toBe(404);
  });

  it('lets a partner admin add and reset users of their own organisation, never removing the last admin', async () => {
    const { client } = await signIn('admin@bank.example');
    await client.get('/partner/users');
    const added = await client.post('/partner/users', { email: 'third@bank.example', role: 'partner-user' });
    expect(client.path).toBe('/partner/users/credentials');
    expect(added.body).toContain('id="password"');
    expect((await client.get('/partner/users/credentials')).body).toContain('id="shown-already"');
    const self = ids.get('admin@bank.example') ?? 0;
    const last = await client.post(`/partner/users/${String(self)}/disable`);
    expect(errorSummaryOf(last.body)).toEqual([
      `user-${String(self)}: Your organisation needs at least one active partner admin: make another first`,
    ]);
    // Another organisation's user is "not found".
    const foreign = ids.get('user@other.example') ?? 0;
    expect(
      (await client.post(`/partner/users/${String(foreign)}/disable`, {}, { follow: false })).statusCode,
    ).toBe(404);
  });
});

/** A client's cookies as a header (FormClient sends every cookie, as a browser would to /partner). */
function cookieOf(client: FormClient): string {
  return ['bl_session', 'bl_partner', '_csrf']
    .map((name) => [name, client.cookie(name)] as const)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}=${String(value)}`)
    .join('; ');
}
