import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/support/test-app.ts';
import { apiAuthGuard, guardedApiRoutes, requireScope } from './api-auth.ts';

const concrete = (url: string) =>
  url
    .replace(':reference', 'CYB-0000-0000-0')
    .replace(':type', 'phone')
    .replace(/:[a-z]+/g, '1')
    .replace('*', '07700900123');

describe('API authentication comes before anything is parsed', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let routes: { method: string; url: string }[] = [];
  const badTokens = new Map<string, string>();

  beforeAll(async () => {
    let now = new Date('2026-12-01T09:00:00Z');
    ctx = await createTestApp({}, { clock: () => now });
    await ctx.app.ready();
    routes = guardedApiRoutes(ctx.app).filter((r) => r.method !== 'HEAD');
    const t = ctx.services.tokens;
    const all = ['reports:write', 'statistics:read', 'staff', 'referrals:update'] as const;
    badTokens.set('unknown', `blt_${'x'.repeat(43)}`);
    badTokens.set('revoked', (await t.create('revoked', [...all])).token);
    await t.revoke((await t.list()).find((row) => row.name === 'revoked')?.id ?? 0, 'test');
    badTokens.set(
      'expired',
      (await t.create('expired', [...all], null, { expiresAt: new Date(now.getTime() + 60_000) })).token,
    );
    await ctx.services.staffAccounts.add({
      email: 'gone@nccu.example',
      role: 'national-officer',
      unitId: 'nccu',
      password: 'a long enough password',
    });
    const gone = await ctx.services.staff.userIdByEmail('gone@nccu.example');
    badTokens.set(
      'disabled user',
      (await t.create('gone', ['staff', 'statistics:read'], gone?.id ?? null)).token,
    );
    await ctx.services.staffAccounts.disable('gone@nccu.example', 'test');
    now = new Date(now.getTime() + 120_000);
  });
  afterAll(() => ctx.close());

  it('finds every API route (the table below is complete)', () => {
    const documented = Object.entries(
      (ctx.app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths,
    ).flatMap(([path, methods]) =>
      Object.keys(methods).map(
        (m) => `${m.toUpperCase()} ${path.replace(/\{\*\}/, '*').replace(/\{(\w+)\}/g, ':$1')}`,
      ),
    );
    const found = routes.map((r) => `${r.method} ${r.url}`);
    expect(documented.length).toBeGreaterThan(20);
    for (const route of documented) expect(found).toContain(route);
    expect(found).toContain('POST /api/v1/cases');
    // And the router agrees that each is a real route.
    for (const { method, url } of routes) expect(ctx.app.hasRoute({ method, url })).toBe(true);
  });

  const garbage = [
    { name: 'malformed JSON', type: 'application/json', payload: '{"title": ' },
    { name: 'wrong shape', type: 'application/json', payload: JSON.stringify({ nonsense: [1, 2, 3] }) },
    { name: 'unsupported type', type: 'application/x-bogus', payload: '\u0000\u0001binary' },
  ];

  it('answers 401 problem+json, never 400/415/422, to every route without a token and with a bad body', async () => {
    const answers: string[] = [];
    for (const { method, url } of routes)
      for (const body of garbage) {
        const res = await ctx.app.inject({
          method: method as 'GET',
          url: `${concrete(url)}?limit=banana&from=yesterday&reference=%00`,
          headers: { 'content-type': body.type },
          payload: method === 'GET' ? undefined : body.payload,
        });
        answers.push(
          `${method} ${url} (${body.name}) → ${res.statusCode} ${String(res.headers['content-type'])}`,
        );
        expect(res.statusCode, `${method} ${url} ${body.name}`).toBe(401);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.headers['www-authenticate']).toBe('Bearer realm="bluelight"');
      }
    expect(answers.length).toBe(routes.length * garbage.length);
  });

  it('treats revoked and expired tokens, and tokens of disabled staff, exactly like unknown ones', async () => {
    for (const { method, url } of routes) {
      const bodies = new Set<string>();
      for (const [name, token] of badTokens) {
        const res = await ctx.app.inject({
          method: method as 'GET',
          url: concrete(url),
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          payload: method === 'GET' ? undefined : '{',
        });
        expect(res.statusCode, `${method} ${url} with a ${name} token`).toBe(401);
        bodies.add(res.body);
      }
      expect(bodies.size).toBe(1);
    }
  });
});

describe('the API authentication guard', () => {
  it('refuses to start an app with an API route that checks its token only in preHandler', async () => {
    const app = Fastify();
    await app.register(apiAuthGuard);
    const check = requireScope({} as never, 'reports:write');
    expect(() => app.post('/api/v1/late', { preHandler: check }, () => 'x')).toThrow(
      'API routes must authenticate in onRequest with requireScope',
    );
    expect(() => app.get('/api/v1/open', () => 'x')).toThrow('requireScope');
    expect(() => app.get('/api/v1/fine', { onRequest: check }, () => 'x')).not.toThrow();
    // Staff routes cannot authenticate with a bare scope check: the staff gate also checks the person and role.
    expect(() => requireScope({} as never, 'staff' as never)).toThrow('staff gate');
    await app.close();
  });
});
