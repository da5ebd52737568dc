import type { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorSummaryOf } from '../../../../test/support/error-summary.ts';
import type { FormClient } from '../../../../test/support/form-client.ts';
import { addPartnerUser, signInPartner } from '../../../../test/support/partner-fixtures.ts';
import { addStaff } from '../../../../test/support/staff-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';
import type { StaffMember } from '../../../domain/access/access-policy.ts';
import { hashToken } from '../../../services/api-tokens.ts';
import { MAX_PARTNER_USER_TOKENS } from '../../../services/partner-user-tokens.ts';
import { guardedApiRoutes } from '../../plugins/api-auth.ts';

describe(`partner users' personal API tokens (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  /** The app's clock runs with the wall clock (sign-in codes), moved on by `later` to expire tokens. */
  let later = 0;
  const people = new Map<string, { id: number; totp: TOTP }>();
  let bankId = 0;
  let bankGroup = 0;
  let bankRequest = 0;
  let otherRequest = 0;
  let staffToken = '';

  const signIn = async (email: string) => {
    const person = people.get(email);
    if (person === undefined) throw new Error(`no ${email}`);
    return signInPartner(ctx.app, ctx.services, email, person.totp);
  };
  /** Makes a token through the portal's form and reads it from its shown-once page. */
  const makeToken = async (client: FormClient, name: string, expires = '') => {
    await client.get('/partner/tokens');
    const page = await client.post('/partner/tokens', { name, expires });
    expect(client.path).toBe('/partner/tokens/created');
    return /<code id="token">([^<]+)<\/code>/.exec(page.body)?.[1] ?? '';
  };
  const answer = (token: string, request: number, group: number, payload: unknown = { seen: true }) =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/v1/partner/groups/${String(group)}/requests/${String(request)}/answers`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  const answers = () =>
    ctx.services.database.db.selectFrom('group_answers').select(['message_id', 'partner_id']).execute();

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => new Date(Date.now() + later) });
    const bank = await ctx.services.partners.add({ name: 'Big Bank', sectors: ['finance'], tlp: 'amber' });
    const other = await ctx.services.partners.add({ name: 'Other Co', sectors: ['finance'], tlp: 'amber' });
    bankId = bank.id;
    for (const [partnerId, email, role] of [
      [bank.id, 'user@bank.example', 'partner-user'],
      [bank.id, 'admin@bank.example', 'partner-admin'],
      [bank.id, 'leaver@bank.example', 'partner-user'],
      [other.id, 'user@other.example', 'partner-user'],
    ] as const)
      people.set(email, await addPartnerUser(ctx.services, { partnerId, email, role }));
    await addStaff(ctx.services, {
      email: 'super@police.example',
      role: 'force-supervisor',
      forceId: 'cumbria',
    });
    const staffId = (await ctx.services.staff.userIdByEmail('super@police.example'))?.id ?? 0;
    const supervisor = (await ctx.services.staff.byId(staffId)) as StaffMember;
    staffToken = (await ctx.services.tokens.create('staff', ['staff'], staffId)).token;
    const request = (group: number) =>
      ctx.services.workingGroups.post(supervisor, group, {
        kind: 'request',
        text: 'Has anyone seen this domain?',
        tlp: 'green',
        indicatorType: 'domain',
        indicatorValue: 'fake-bank-login-verify.co.uk',
        deadline: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      });
    // The bank is in the first group only; the other partner in the second only.
    bankGroup = await ctx.services.workingGroups.create(supervisor, { name: 'Finance', sector: 'finance' });
    await ctx.services.workingGroups.addMember(supervisor, bankGroup, { partnerId: bank.id });
    bankRequest = await request(bankGroup);
    const otherGroup = await ctx.services.workingGroups.create(supervisor, {
      name: 'Other',
      sector: 'finance',
    });
    await ctx.services.workingGroups.addMember(supervisor, otherGroup, { partnerId: other.id });
    otherRequest = await request(otherGroup);
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('makes a token shown once and stored hashed, lists it, and answers a request over the API as its holder', async () => {
    const client = await signIn('user@bank.example');
    const token = await makeToken(client, 'Laptop script', '30');
    expect(token).toMatch(/^blt_/);
    // Shown once: a second look says so, and the list never shows it.
    expect((await client.get('/partner/tokens/created')).body).toContain('id="shown-already"');
    const list = await client.get('/partner/tokens');
    expect(list.body).toContain('Laptop script');
    expect(list.body).not.toContain(token);
    const row = await ctx.services.database.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('name', '=', 'Laptop script')
      .executeTakeFirstOrThrow();
    expect([row.token_hash, row.scopes, row.user_id]).toEqual([
      hashToken(token),
      'partner-user',
      people.get('user@bank.example')?.id,
    ]);
    // 30 days from when it was made (the two times are read a moment apart).
    expect(
      Math.abs(Date.parse(row.expires_at ?? '') - Date.parse(row.created_at) - 30 * 86_400_000),
    ).toBeLessThan(1000);
    const made = await ctx.services.database.db
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('action', '=', 'token-created')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(made.actor).toBe('user@bank.example');
    expect(made.detail).toContain(`of user@bank.example, partner ${String(bankId)}`);
    // The answer is the organisation's, and the audit row names the person.
    const res = await answer(token, bankRequest, bankGroup, { seen: true, comment: 'in our logs' });
    expect(res.statusCode).toBe(201);
    expect(await answers()).toEqual([{ message_id: bankRequest, partner_id: bankId }]);
    const audited = await ctx.services.database.db
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('action', '=', 'group-answer')
      .execute();
    expect(audited.map((a) => a.actor)).toEqual(['user@bank.example']);
    // The form's own checks and the service's, in the page's language.
    await client.get('/partner/tokens?lng=cy');
    const bad = await client.post('/partner/tokens', { name: '', expires: '999' });
    expect(errorSummaryOf(bad.body)).toEqual([
      'name: Rhowch enw ar gyfer y tocyn',
      'expires: Rhowch nifer o ddiwrnodau o 1 i 366',
    ]);
    await client.get('/partner/tokens?lng=en');
  });

  it('holds at most a few live tokens a user, and revokes one of the holder’s own only', async () => {
    const client = await signIn('admin@bank.example');
    const made = [];
    for (let i = 0; i < MAX_PARTNER_USER_TOKENS; i++)
      made.push(await makeToken(client, `Token ${String(i)}`));
    await client.get('/partner/tokens');
    const over = await client.post('/partner/tokens', { name: 'One too many' });
    expect(errorSummaryOf(over.body)).toEqual([
      `name: You can hold at most ${String(MAX_PARTNER_USER_TOKENS)} active tokens: revoke one first`,
    ]);
    const ids = (
      await ctx.services.database.db
        .selectFrom('api_tokens')
        .select('id')
        .where('user_id', '=', people.get('admin@bank.example')?.id ?? 0)
        .orderBy('id')
        .execute()
    ).map((r) => r.id);
    // Another organisation's user, and another user of the same one, find no such token.
    for (const email of ['user@other.example', 'user@bank.example']) {
      const stranger = await signIn(email);
      await stranger.get('/partner/tokens');
      const res = await stranger.post(`/partner/tokens/${String(ids[0])}/revoke`, {}, { follow: false });
      expect([email, res.statusCode]).toEqual([email, 404]);
    }
    expect((await answer(made[0] ?? '', bankRequest, bankGroup)).statusCode).toBe(201);
    await client.get('/partner/tokens');
    await client.post(`/partner/tokens/${String(ids[0])}/revoke`, {});
    expect(client.path).toBe('/partner/tokens?done=revoked');
    expect(client.last?.body).toContain('The token is revoked');
    // Revoked: 401 before the body is read (malformed JSON, a wrong type, a huge body: still 401).
    for (const payload of ['{"seen":', JSON.stringify({ seen: 'perhaps' }), 'x'.repeat(200_000)]) {
      const res = await answer(made[0] ?? '', bankRequest, bankGroup, payload);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="bluelight"');
    }
  });

  it('refuses another partner’s token, a group the organisation is not in, staff tokens, and a disabled user', async () => {
    const bankUser = await makeToken(await signIn('user@bank.example'), 'Second');
    const otherUser = await makeToken(await signIn('user@other.example'), 'Theirs');
    const before = await answers();
    // A user of the bank answering the other group's request (the bank is not in it): as if it did not exist.
    expect((await answer(bankUser, otherRequest, bankGroup)).statusCode).toBe(404);
    const wrongGroup = await answer(bankUser, otherRequest, bankGroup + 1);
    expect(wrongGroup.statusCode).toBe(404);
    // Another partner's token answers only as that partner: not in the bank's group.
    expect((await answer(otherUser, bankRequest, bankGroup)).statusCode).toBe(404);
    expect(await answers()).toEqual(before);
    // A staff token is no partner's; a partner user's token opens no staff or partner-scope route.
    expect((await answer(staffToken, bankRequest, bankGroup)).statusCode).toBe(401);
    const staffRoute = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/groups',
      headers: { authorization: `Bearer ${bankUser}`, 'content-type': 'application/json' },
      payload: { name: 'Mine', sector: 'finance' },
    });
    expect(staffRoute.statusCode).toBe(403);
    const reports = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/statistics',
      headers: { authorization: `Bearer ${bankUser}` },
    });
    expect(reports.statusCode).toBe(403);
    // Disabled by the organisation's admin: the token stops at once (and is revoked, in the audit row).
    const leaver = await makeToken(await signIn('leaver@bank.example'), 'Leaving');
    expect((await answer(leaver, bankRequest, bankGroup)).statusCode).toBe(201);
    const admin = await signIn('admin@bank.example');
    await admin.get('/partner/users');
    await admin.post(`/partner/users/${String(people.get('leaver@bank.example')?.id)}/disable`, {});
    expect((await answer(leaver, bankRequest, bankGroup)).statusCode).toBe(401);
    const disabled = await ctx.services.database.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'partner-user-disabled')
      .executeTakeFirstOrThrow();
    expect(disabled.detail).toContain('leaver@bank.example: 1 session(s) ended, 1 token(s) revoked');
  });

  it('holds the limit when many tokens are asked for at once', async () => {
    const { id } = await addPartnerUser(ctx.services, {
      partnerId: bankId,
      email: 'racer@bank.example',
      role: 'partner-user',
    });
    const user = (await ctx.services.partnerUsers.sessionUser(id))?.user;
    if (user === undefined) throw new Error('no racer');
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        ctx.services.partnerUserTokens.create(user, { name: `Race ${String(i)}`, days: 30 }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(MAX_PARTNER_USER_TOKENS);
    const live = await ctx.services.database.db
      .selectFrom('api_tokens')
      .select('id')
      .where('user_id', '=', id)
      .execute();
    expect(live).toHaveLength(MAX_PARTNER_USER_TOKENS);
  });

  it('keeps a token’s name to one line: a newline or an override forges no audit line', async () => {
    const client = await signIn('user@other.example');
    await makeToken(client, 'Script\n2026-12-06 admin@police.example token-revoked\u202eevil');
    const row = await ctx.services.database.db
      .selectFrom('api_tokens')
      .select('name')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(row.name).toBe('Script 2026-12-06 admin@police.example token-revoked evil');
    const made = await ctx.services.database.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'token-created')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(made.detail).not.toMatch(/[\p{Cc}\p{Cf}]/u);
  });

  it('opens no other API or TAXII with a personal token, and makes or revokes none without the form’s CSRF token', async () => {
    const client = await signIn('user@bank.example');
    const token = await makeToken(client, 'Probe');
    const own = new Set([
      '/api/v1/partner/groups/:id/requests/:messageId/answers',
      '/api/v1/partner/groups/:id/events',
    ]);
    const routes = guardedApiRoutes(ctx.app).filter((r) => !own.has(r.url) && r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) {
      const res = await ctx.app.inject({
        method: route.method as 'GET',
        url: route.url.replace(/:\w+/g, '1').replace('*', 'x'),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(route.method === 'GET' ? {} : { payload: '{}' }),
      });
      expect([`${route.method} ${route.url}`, [401, 403].includes(res.statusCode)]).toEqual([
        `${route.method} ${route.url}`,
        true,
      ]);
    }
    for (const url of ['/taxii2/', '/taxii2/bluelight/collections/'])
      expect((await ctx.app.inject({ url, headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(
        401,
      );
    // The signed-in user's cookies alone (a forged form on another site): nothing made, nothing revoked.
    const cookie = ['bl_session', 'bl_partner', '_csrf']
      .map((name) => [name, client.cookie(name)] as const)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${name}=${String(value)}`)
      .join('; ');
    const tokensOfUser = () =>
      ctx.services.database.db
        .selectFrom('api_tokens')
        .select(['id', 'revoked_at'])
        .where('user_id', '=', people.get('user@bank.example')?.id ?? 0)
        .orderBy('id')
        .execute();
    const before = await tokensOfUser();
    const probe = before.at(-1)?.id ?? 0;
    for (const url of ['/partner/tokens', `/partner/tokens/${String(probe)}/revoke`]) {
      const forged = await ctx.app.inject({
        method: 'POST',
        url,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'name=Forged&expires=366',
      });
      expect([url, forged.statusCode]).toEqual([url, 403]);
    }
    expect(await tokensOfUser()).toEqual(before);
    expect((await answer(token, bankRequest, bankGroup)).statusCode).toBe(201);
    // Guessing ids, past the integer column too: "not found", never an error.
    for (const id of ['0', '2147483648', '9999999999', '-1', '1e3'])
      expect([
        id,
        (await client.post(`/partner/tokens/${id}/revoke`, {}, { follow: false })).statusCode,
      ]).toEqual([id, 404]);
    expect((await client.get('/partner/groups/2147483648')).statusCode).toBe(404);
    // The token is never written down: not in the audit log.
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .execute();
    expect(audit.filter((row) => `${row.actor} ${row.detail}`.includes(token.slice(4)))).toEqual([]);
  });

  it('stops a token when its holder is reset, and when their organisation is revoked', async () => {
    const { id } = await addPartnerUser(ctx.services, {
      partnerId: bankId,
      email: 'lost-phone@bank.example',
      role: 'partner-user',
    });
    const user = (await ctx.services.partnerUsers.sessionUser(id))?.user;
    if (user === undefined) throw new Error('no user');
    const reset = (await ctx.services.partnerUserTokens.create(user, { name: 'Old laptop', days: 30 })).token;
    expect((await answer(reset, bankRequest, bankGroup)).statusCode).toBe(201);
    await ctx.services.partnerUsers.reset({ operator: 'test' }, id);
    expect((await answer(reset, bankRequest, bankGroup)).statusCode).toBe(401);
    const kept = (await ctx.services.partnerUserTokens.create(user, { name: 'New laptop', days: 30 })).token;
    expect((await answer(kept, bankRequest, bankGroup)).statusCode).toBe(201);
    const db = ctx.services.database.db;
    await db
      .updateTable('partners')
      .set({ revoked_at: new Date().toISOString() })
      .where('id', '=', bankId)
      .execute();
    try {
      expect((await answer(kept, bankRequest, bankGroup)).statusCode).toBe(401);
    } finally {
      await db.updateTable('partners').set({ revoked_at: null }).where('id', '=', bankId).execute();
    }
  });

  it('refuses a token once it has expired', async () => {
    const token = await makeToken(await signIn('user@other.example'), 'Short', '1');
    // The other partner is in the other group: its answer is taken while the token lives.
    expect((await answer(token, otherRequest, bankGroup + 1)).statusCode).toBe(201);
    later = 86_400_000 + 60_000;
    expect((await answer(token, otherRequest, bankGroup + 1, '{"seen":')).statusCode).toBe(401);
  });
});
