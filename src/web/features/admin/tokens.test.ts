import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditsOf,
  errorSummary,
  onePerRole,
  postForSecret,
  signInAs,
} from '../../../../test/support/admin-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';

describe(`admin: API tokens (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let people: Awaited<ReturnType<typeof onePerRole>>;
  const now = new Date();
  const admin = () => signInAs(ctx.app, people, 'admin', now);
  const tokenRow = (name: string) =>
    ctx.services.database.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
  const audits = (action: string) => auditsOf(ctx.services, action);
  const stats = (token: string) =>
    ctx.app.inject({
      url: '/api/v1/statistics?from=2026-01-01&to=2026-01-02',
      headers: { authorization: `Bearer ${token}` },
    });

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    people = await onePerRole(ctx.services);
  });
  afterAll(() => ctx.close());

  it('creates a partner token, shows it once, and lists it without the token; revoking stops it at once', async () => {
    const client = await admin();
    await client.get('/staff/admin/tokens/new');
    const {
      location,
      shown: res,
      refreshed,
    } = await postForSecret(client, '/staff/admin/tokens', {
      name: 'Example Bank',
      scopes: ['statistics:read', 'reports:write'],
      expires: '30',
    });
    const token = /<code id="token"[^>]*>(blt_[\w-]+)<\/code>/.exec(res.body)?.[1] ?? '';
    expect(token).not.toBe('');
    expect(res.body).toContain('statistics:read reports:write');
    expect((await stats(token)).statusCode).toBe(200);
    const row = await tokenRow('Example Bank');
    expect(location).toBe(`/staff/admin/tokens/${String(row.id)}/created`);
    // The refresh neither shows the token nor makes another.
    expect(refreshed.body).not.toContain(token);
    expect((await ctx.services.tokens.list()).filter((t) => t.name === 'Example Bank')).toHaveLength(1);
    expect(row.scopes).toBe('statistics:read reports:write');
    expect(row.expires_at).toBe(new Date(now.getTime() + 30 * 86_400_000).toISOString());
    expect((await audits('token-created')).map((a) => a.actor)).toContain('admin@admin-test.example');
    const list = await client.get('/staff/admin/tokens');
    expect(list.body).toContain('Example Bank');
    expect(list.body).not.toContain(token);
    expect((await client.get('/staff/admin/tokens/new')).body).not.toContain(token);

    await client.post(`/staff/admin/tokens/${String(row.id)}/revoke`);
    expect(client.path).toBe('/staff/admin/tokens?done=revoked');
    expect((await stats(token)).statusCode).toBe(401);
    expect(await audits('token-revoked')).toContainEqual({
      actor: 'admin@admin-test.example',
      detail: `token ${String(row.id)} "Example Bank"`,
    });
    await client.post(`/staff/admin/tokens/${String(row.id)}/revoke`);
    expect(client.path).toBe('/staff/admin/tokens?done=already');
    expect((await client.post('/staff/admin/tokens/99999/revoke', {}, { follow: false })).statusCode).toBe(
      404,
    );
  });

  it('never makes a staff member’s token (it would let an admin act as that officer)', async () => {
    const client = await admin();
    await client.get('/staff/admin/tokens/new');
    const res = await client.post('/staff/admin/tokens', {
      name: 'officer laptop',
      user: 'analyst@admin-test.example',
    });
    expect(errorSummary(res.body)).toEqual([
      'user: Staff tokens are not made here: a staff token acts as that person, so it is made on the command line by the operator (bluelight token create --user)',
    ]);
    expect((await ctx.services.tokens.list()).some((t) => t.name === 'officer laptop')).toBe(false);
  });

  it('shows an error summary for bad input, in English and Welsh, and creates nothing', async () => {
    const client = await admin();
    const count = async () => (await ctx.services.tokens.list()).length;
    const before = await count();
    await client.get('/staff/admin/tokens/new');
    let res = await client.post('/staff/admin/tokens', { name: '', expires: '999' });
    expect(errorSummary(res.body)).toEqual([
      'name: Enter a name of up to 120 characters',
      'scopes: Select what the token may do',
      'expires: Enter a number of days from 1 to 366',
    ]);
    res = await client.post('/staff/admin/tokens', { name: 'x', scopes: 'staff' });
    expect(errorSummary(res.body)).toEqual(['scopes: Select what the token may do']);
    res = await client.post('/staff/admin/tokens', {
      name: 'x',
      user: 'nobody@x.example',
      scopes: 'reports:write',
    });
    expect(errorSummary(res.body)).toEqual([
      'user: Staff tokens are not made here: a staff token acts as that person, so it is made on the command line by the operator (bluelight token create --user)',
    ]);
    await client.get('/staff/admin/tokens/new?lng=cy');
    res = await client.post('/staff/admin/tokens', { name: 'x', scopes: 'reports:write', expires: '0' });
    expect(errorSummary(res.body)).toEqual(['expires: Rhowch nifer o ddiwrnodau o 1 i 366']);
    expect(await count()).toBe(before);
  });

  it('refuses a revoke without the CSRF token, changing nothing', async () => {
    const { id, token } = await ctx.services.tokens.create('kept', ['reports:write']);
    const client = await admin();
    const cookie = ['bl_session', '_csrf'].map((n) => `${n}=${client.cookie(n) ?? ''}`).join('; ');
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/staff/admin/tokens/${String(id)}/revoke`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(res.statusCode).toBe(403);
    expect((await tokenRow('kept')).revoked_at).toBeNull();
    expect(await ctx.services.tokens.verify(token)).not.toBeNull();
  });
});
