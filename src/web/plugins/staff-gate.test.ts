import Fastify from 'fastify';
import type { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPartnerUser } from '../../../test/support/partner-fixtures.ts';
import { addStaff, signInStaff } from '../../../test/support/staff-fixtures.ts';
import { createTestApp } from '../../../test/support/test-app.ts';
import { mayEnter, ROLES, type Role } from '../../domain/access/access-policy.ts';
import { PRIMARY_LINKS, WORKSPACE_LINKS } from '../features/workspace/workspace-nav.ts';
import { apiAuthGuard } from './api-auth.ts';
import { gatedStaffRoutes, staffGatePlugin } from './staff-gate.ts';

const concrete = (url: string) =>
  url
    .replace(':reference', 'CASE-00000000')
    .replace(':category', 'phishing')
    .replace(':lng', 'en')
    .replace(':type', 'phone')
    .replace(/:[a-z]+/g, '1')
    .replace('*', '07700900123');
// A body no route could parse: if the gate came after parsing, these would answer 400 or 415.
const GARBAGE = { 'content-type': 'application/x-bogus' };

describe('the staff gate cannot be forgotten', () => {
  it('refuses to register a /staff page or a staff API route without a gate', async () => {
    const app = Fastify();
    await app.register(staffGatePlugin, { services: {} as never });
    await app.register(apiAuthGuard);
    expect(() => app.get('/staff/forgotten', () => 'x')).toThrow('staff pages need a staff gate');
    expect(() => app.post('/staff', () => 'x')).toThrow('staff gate');
    expect(() => app.get('/api/v1/forgotten', () => 'x')).toThrow('requireScope (or the staff gate)');
    const gated = { config: { staff: { allow: 'unit-work' } } } as const;
    expect(() => app.get('/staff/fine', gated, () => 'x')).not.toThrow();
    expect(() => app.get('/api/v1/fine', gated, () => 'x')).not.toThrow();
    expect(() => app.get('/staff/sign-in', () => 'x')).not.toThrow();
    await app.close();
  });
});

describe('the staff gate refuses before anything is parsed', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const people: { role: Role; email: string; totp: TOTP; token: string }[] = [];

  beforeAll(async () => {
    ctx = await createTestApp();
    await ctx.app.ready();
    for (const role of ROLES) {
      const email = `${role}@gate.example`;
      const unit = role.startsWith('force-')
        ? { forceId: 'cumbria' }
        : role === 'regional-officer' || role === 'prevent-officer'
          ? { unitId: 'nwrocu-rccu' }
          : role === 'national-officer'
            ? { unitId: 'nccu' }
            : {};
      const totp = await addStaff(ctx.services, { email, role, ...unit });
      const user = await ctx.services.staff.userIdByEmail(email);
      const { token } = await ctx.services.tokens.create(email, ['staff'], user?.id ?? null);
      people.push({ role, email, totp, token });
    }
  });
  afterAll(() => ctx.close());

  const pages = () =>
    gatedStaffRoutes(ctx.app).filter((r) => !r.url.startsWith('/api/') && r.method !== 'HEAD');
  const api = () => gatedStaffRoutes(ctx.app).filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD');

  it('guards every staff page and staff API route', () => {
    const urls = gatedStaffRoutes(ctx.app).map((r) => `${r.method} ${r.url}`);
    for (const expected of [
      'GET /staff',
      'POST /staff/reports/:reference/:action',
      'GET /staff/cases',
      'POST /staff/release',
      'GET /staff/advice',
      'GET /staff/ask',
      'GET /api/v1/campaigns',
      'POST /api/v1/cases',
    ])
      expect(urls).toContain(expected);
  });

  it('sends anyone not signed in to the sign-in page, whatever they send', async () => {
    for (const { method, url } of pages()) {
      const res = await ctx.app.inject({
        method: method as 'GET',
        url: concrete(url),
        headers: GARBAGE,
        payload: method === 'GET' ? undefined : '\u0000garbage',
      });
      expect(res.statusCode, `${method} ${url}`).toBe(303);
      expect(res.headers.location, `${method} ${url}`).toBe('/staff/sign-in');
    }
  });

  it('answers a page not for this role 404, and the staff API 403, before parsing', async () => {
    for (const person of people) {
      const client = await signInStaff(ctx.app, person.email, person.totp);
      expect(client.path).toBe(person.role === 'call-handler' ? '/staff/adviser' : '/staff');
      const cookie = ['bl_session', 'csrf']
        .map((name) => (client.cookie(name) === undefined ? '' : `${name}=${client.cookie(name) ?? ''}`))
        .filter((c) => c !== '')
        .join('; ');
      const byUrl = new Map<string, boolean>();
      for (const { method, url, allow } of pages()) {
        const member = await ctx.services.staff.byId(
          (await ctx.services.staff.userIdByEmail(person.email))?.id ?? 0,
        );
        if (member === null) throw new Error('no such person');
        const allowed = mayEnter(member, allow);
        byUrl.set(url, allowed);
        if (allowed) continue;
        const res = await ctx.app.inject({
          method: method as 'GET',
          url: concrete(url),
          headers: { ...GARBAGE, cookie },
          payload: method === 'GET' ? undefined : '\u0000garbage',
        });
        expect(res.statusCode, `${person.role}: ${method} ${url}`).toBe(404);
      }
      for (const { method, url, allow } of api()) {
        const member = await ctx.services.staff.byId(
          (await ctx.services.staff.userIdByEmail(person.email))?.id ?? 0,
        );
        if (member === null || mayEnter(member, allow)) continue;
        const res = await ctx.app.inject({
          method: method as 'GET',
          url: concrete(url),
          headers: { ...GARBAGE, authorization: `Bearer ${person.token}` },
          payload: method === 'GET' ? undefined : '{',
        });
        expect(res.statusCode, `${person.role}: ${method} ${url}`).toBe(403);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      // Admins work no cases and read no intelligence: the gate, not the handler, keeps them out.
      if (person.role === 'admin') {
        expect(byUrl.get('/staff/cases')).toBe(false);
        expect(byUrl.get('/staff/campaigns')).toBe(false);
      }
    }
  });

  it('offers each person exactly the workspace links whose pages the gate lets them into', async () => {
    const gateOf = (href: string) =>
      gatedStaffRoutes(ctx.app).find((r) => r.method === 'GET' && r.url === href)?.allow;
    for (const link of WORKSPACE_LINKS) expect(gateOf(link.href), link.href).toBe(link.area);
    for (const link of PRIMARY_LINKS) expect(gateOf(link.href), link.href).toBe(link.area);
    const hrefsIn = (body: string, nav: RegExp) =>
      [...(nav.exec(body)?.[0] ?? '').matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    for (const person of people) {
      const client = await signInStaff(ctx.app, person.email, person.totp);
      // Call handlers' home is the adviser journey (the queue sends them there).
      const home = await client.get('/staff');
      const member = await ctx.services.staff.byId(
        (await ctx.services.staff.userIdByEmail(person.email))?.id ?? 0,
      );
      if (member === null) throw new Error('no such person');
      const admits = (href: string) => mayEnter(member, gateOf(href) ?? 'administration');
      // The header's primary navigation: Queue, Cases, Campaigns, Intelligence, Ask the unit, Figures, Admin.
      const primary = PRIMARY_LINKS.filter(
        (l) => admits(l.href) && !(l.href === '/staff' && mayEnter(member, 'adviser-reporting')),
      ).map((l): string => l.href);
      expect(hrefsIn(home.body, /<nav class="moj-primary-navigation"[\s\S]*?<\/nav>/), person.role).toEqual(
        primary,
      );
      // The home page lists the rest of what they may open.
      const rest = WORKSPACE_LINKS.filter((l) => admits(l.href) && !primary.includes(l.href)).map(
        (l) => l.href,
      );
      expect(hrefsIn(home.body, /<nav class="app-other-tools"[\s\S]*?<\/nav>/), person.role).toEqual(rest);
    }
  });

  it('refuses a staff API call with a partner token (403) and with none (401)', async () => {
    const { token } = await ctx.services.tokens.create('bank', ['reports:write']);
    for (const { method, url } of api()) {
      const partner = await ctx.app.inject({
        method: method as 'GET',
        url: concrete(url),
        headers: { ...GARBAGE, authorization: `Bearer ${token}` },
        payload: method === 'GET' ? undefined : '{',
      });
      expect(partner.statusCode, `${method} ${url}`).toBe(403);
      const none = await ctx.app.inject({ method: method as 'GET', url: concrete(url) });
      expect(none.statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it('refuses a staff-scoped token held by a partner portal user, and one whose member was disabled since', async () => {
    const partner = await ctx.services.partners.add({
      name: 'Gate bank',
      sectors: ['finance'],
      tlp: 'green',
    });
    const portal = await addPartnerUser(ctx.services, {
      partnerId: partner.id,
      email: 'portal@gate-bank.example',
      role: 'partner-admin',
    });
    // Only the holder makes a portal user's token, never with the staff scope: forced here, as an insider might.
    const forced = (await ctx.services.tokens.create('forced', ['staff'], portal.id)).token;
    await addStaff(ctx.services, { email: 'leaver@gate.example', role: 'analyst' });
    const leaver = await ctx.services.staff.userIdByEmail('leaver@gate.example');
    const leavers = (await ctx.services.tokens.create('leaver', ['staff'], leaver?.id ?? null)).token;
    const lookup = (token: string) =>
      ctx.app.inject({
        url: '/api/v1/indicators/phone/07700900123',
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await lookup(leavers)).statusCode).toBe(404);
    await ctx.services.staffAccounts.disable('leaver@gate.example', 'test');
    expect((await lookup(leavers)).statusCode).toBe(401);
    const res = await lookup(forced);
    expect(res.statusCode).toBe(403);
    expect(res.json<{ detail: string }>().detail).toContain('staff member');
  });
});
