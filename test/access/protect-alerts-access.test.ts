/**
 * Protect queue and stay-safe alert routes (issue 24) × who calls them: each attack is performed and must fail,
 * and must have changed nothing. Signed out → sign-in page; a role the area is not for → 404; another unit → 404
 * (as for something that does not exist); the author approving their own alert → refused; no CSRF token → 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/access/access-policy.ts';
import { errorSummaryOf } from '../support/error-summary.ts';
import { FormClient } from '../support/form-client.ts';
import { addStaff, signInStaff } from '../support/staff-fixtures.ts';
import { createTestApp } from '../support/test-app.ts';
import { testDialect } from '../support/test-services.ts';

type Person = { email: string; role: Role; forceId?: string; unitId?: string };
const PEOPLE = {
  nwProtect: { email: 'protect@nwrocu.example', role: 'regional-officer', unitId: 'nwrocu-rccu' },
  nwColleague: { email: 'colleague@nwrocu.example', role: 'regional-officer', unitId: 'nwrocu-rccu' },
  otherRegion: { email: 'protect@ersou.example', role: 'regional-officer', unitId: 'ersou-rccu' },
  cumbriaOfficer: { email: 'officer@cumbria.example', role: 'force-officer', forceId: 'cumbria' },
  cumbriaSupervisor: { email: 'sup@cumbria.example', role: 'force-supervisor', forceId: 'cumbria' },
  otherForce: { email: 'sup@dyfed.example', role: 'force-supervisor', forceId: 'dyfed-powys' },
  national: { email: 'nccu@nca.example', role: 'national-officer', unitId: 'nccu' },
  analyst: { email: 'analyst@nfib.example', role: 'analyst' },
  admin: { email: 'admin@bluelight.example', role: 'admin' },
  callHandler: { email: 'calls@bluelight.example', role: 'call-handler' },
} as const satisfies Record<string, Person>;
type Who = keyof typeof PEOPLE;
interface Route {
  method: 'GET' | 'POST';
  url: string;
  body?: Record<string, string>;
}

describe(`Protect and alert routes refuse every caller they are not for (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const clients = new Map<Who, FormClient>();
  let requestId = 0;
  let alertId = 0;
  const as = (who: Who) => {
    const client = clients.get(who);
    if (client === undefined) throw new Error(who);
    return client;
  };

  beforeAll(async () => {
    ctx = await createTestApp();
    for (const [who, person] of Object.entries(PEOPLE) as [Who, Person][]) {
      const totp = await addStaff(ctx.services, person);
      clients.set(who, await signInStaff(ctx.app, person.email, totp));
    }
    await ctx.services.protectRequests.submit({
      organisation: 'Lakeland Outdoor Ltd',
      contactName: 'Jo Manager',
      email: 'jo@lakeland.example',
      phone: null,
      postcode: 'LA23 1AA',
      forceId: 'cumbria',
      help: ['staff-presentation'],
      message: '',
    });
    const request = await ctx.services.database.db
      .selectFrom('protect_requests')
      .select('id')
      .executeTakeFirstOrThrow();
    requestId = request.id;
    const draft = await as('cumbriaOfficer').post('/staff/alerts', {
      titleEn: 'Courier fraud',
      bodyEn: 'Hang up.',
      titleCy: 'Twyll negesydd',
      bodyCy: 'Rhowch y ffôn i lawr.',
    });
    expect(draft.statusCode).toBe(200);
    alertId = Number(/\/staff\/alerts\/(\d+)$/.exec(as('cumbriaOfficer').path)?.[1]);
  });
  afterAll(() => ctx.close());

  /** Everything these routes could change, to compare before and after each attack. */
  const state = async () => {
    const db = ctx.services.database.db;
    return JSON.stringify([
      await db.selectFrom('protect_requests').selectAll().execute(),
      await db.selectFrom('protect_request_events').selectAll().execute(),
      await db.selectFrom('protect_engagements').selectAll().execute(),
      await db.selectFrom('alerts').selectAll().execute(),
      await db
        .selectFrom('outbox')
        .select(['kind', 'dedupe_key'])
        .where('kind', 'not like', 'unit-%')
        .execute(),
    ]);
  };

  const engagement = {
    type: 'presentation',
    audience: 'business',
    sector: 'retail',
    peopleReached: '10',
    materials: 'Slides',
    deliveredOn: '2026-11-01',
    organisation: 'Somewhere Ltd',
  };
  const alertText = { titleEn: 'Changed', bodyEn: 'x', titleCy: 'Newidiwyd', bodyCy: 'y' };
  const protectRoutes = (): Route[] => [
    { method: 'GET', url: '/staff/protect' },
    { method: 'GET', url: `/staff/protect/requests/${String(requestId)}` },
    {
      method: 'POST',
      url: `/staff/protect/requests/${String(requestId)}/allocate`,
      body: { allocatedTo: '' },
    },
    {
      method: 'POST',
      url: `/staff/protect/requests/${String(requestId)}/status`,
      body: { status: 'contacted' },
    },
    { method: 'POST', url: `/staff/protect/requests/${String(requestId)}/reply`, body: { message: 'Hello' } },
    { method: 'GET', url: '/staff/protect/engagements/new' },
    { method: 'POST', url: '/staff/protect/engagements', body: engagement },
    { method: 'GET', url: '/staff/protect/reach' },
  ];
  const alertRoutes = (): Route[] => [
    { method: 'GET', url: '/staff/alerts' },
    { method: 'GET', url: '/staff/alerts/new' },
    { method: 'POST', url: '/staff/alerts', body: alertText },
    { method: 'GET', url: `/staff/alerts/${String(alertId)}` },
    { method: 'POST', url: `/staff/alerts/${String(alertId)}`, body: alertText },
    { method: 'POST', url: `/staff/alerts/${String(alertId)}/approve`, body: {} },
  ];
  const call = (client: FormClient, route: Route) =>
    route.method === 'GET'
      ? client.get(route.url)
      : client.post(route.url, route.body ?? {}, { follow: false });

  it('sends signed-out callers to sign in, before anything is read or changed', async () => {
    const before = await state();
    for (const route of [...protectRoutes(), ...alertRoutes()]) {
      const res = await ctx.app.inject({
        method: route.method,
        url: route.url,
        payload: route.body ?? {},
      });
      expect([303, 403], `${route.method} ${route.url}`).toContain(res.statusCode);
      if (res.statusCode === 303) expect(res.headers.location).toBe('/staff/sign-in');
    }
    expect(await state()).toBe(before);
  });

  it('answers 404 to roles the Protect queue and alerts are not for', async () => {
    const before = await state();
    for (const who of ['analyst', 'admin', 'callHandler'] as const)
      for (const route of [...protectRoutes(), ...alertRoutes()])
        expect((await call(as(who), route)).statusCode, `${who} ${route.method} ${route.url}`).toBe(404);
    // National units publish no area alerts.
    for (const route of alertRoutes())
      expect((await call(as('national'), route)).statusCode, `national ${route.url}`).toBe(404);
    expect(await state()).toBe(before);
  });

  it('hides one unit’s request and alert from another unit, as if they did not exist', async () => {
    const before = await state();
    for (const route of protectRoutes().filter((r) => r.url.includes('/requests/')))
      expect((await call(as('otherRegion'), route)).statusCode, route.url).toBe(404);
    for (const route of alertRoutes().filter((r) => r.url.includes(`/${String(alertId)}`)))
      expect((await call(as('otherForce'), route)).statusCode, route.url).toBe(404);
    // An engagement for another unit's request.
    const res = await as('otherRegion').post(
      '/staff/protect/engagements',
      { ...engagement, requestId: String(requestId) },
      { follow: false },
    );
    expect(res.statusCode).toBe(404);
    // Allocation to someone outside the unit.
    const refused = await as('nwProtect').post(`/staff/protect/requests/${String(requestId)}/allocate`, {
      allocatedTo: PEOPLE.otherRegion.email,
    });
    expect(errorSummaryOf(refused.body)).toEqual(['allocatedTo: Choose an officer of your unit']);
    // The other unit's lists are empty of them.
    expect((await as('otherRegion').get('/staff/protect')).body).not.toContain('Lakeland Outdoor Ltd');
    expect((await as('otherForce').get('/staff/alerts')).body).not.toContain('Courier fraud');
    expect(await state()).toBe(before);
  });

  it('refuses an invalid status move and the author’s own approval, changing nothing', async () => {
    const before = await state();
    const moved = await as('nwProtect').post(`/staff/protect/requests/${String(requestId)}/status`, {
      status: 'delivered',
      outcome: 'Done',
    });
    expect(errorSummaryOf(moved.body)).toEqual(['status: A request that is new cannot become delivered']);
    const own = await as('cumbriaOfficer').post(`/staff/alerts/${String(alertId)}/approve`, {});
    expect(errorSummaryOf(own.body)).toEqual([
      'approve: You wrote this alert, so someone else in your unit must approve it',
    ]);
    expect(own.body).not.toContain('Approve and publish');
    expect(await state()).toBe(before);
  });

  it('refuses forms posted without the CSRF token', async () => {
    const before = await state();
    const client = as('cumbriaSupervisor');
    const page = await client.get(`/staff/alerts/${String(alertId)}`);
    expect(page.body).toContain('Approve and publish');
    const cookie = ['bl_session', '_csrf'].map((n) => `${n}=${client.cookie(n) ?? ''}`).join('; ');
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/staff/alerts/${String(alertId)}/approve`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(res.statusCode).toBe(403);
    expect(await state()).toBe(before);
    // With the token, the second person of the unit publishes it.
    await client.post(`/staff/alerts/${String(alertId)}/approve`, {});
    expect(client.path).toBe(`/staff/alerts/${String(alertId)}`);
    expect((await ctx.app.inject('/alerts/force/cumbria')).body).toContain('Courier fraud');
  });
});
