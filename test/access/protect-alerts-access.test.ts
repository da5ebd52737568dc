/**
 * Protect queue and questionnaire, stay-safe alert, national advice, Prevent and significant incident routes
 * (issue 24) × who calls them: each attack is performed and must fail, and must have changed nothing. Signed out →
 * sign-in page; a role the area is not for → 404; another unit → 404 (as for something that does not exist); a
 * forged questionnaire link → 404; the author approving their own alert, or another unit running an incident it can
 * see → refused; no CSRF token → 403.
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
  nwPrevent: { email: 'prevent@nwrocu.example', role: 'prevent-officer', unitId: 'nwrocu-rccu' },
  eastPrevent: { email: 'prevent@ersou.example', role: 'prevent-officer', unitId: 'ersou-rccu' },
} as const satisfies Record<string, Person>;
type Who = keyof typeof PEOPLE;
interface Route {
  method: 'GET' | 'POST';
  url: string;
  body?: Record<string, string>;
}

describe(`Protect, alert, Prevent and incident routes refuse every caller they are not for (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const clients = new Map<Who, FormClient>();
  let requestId = 0;
  let alertId = 0;
  let referralId = 0;
  let incidentId = 0;
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
    // A school's referral of a young person in Cumbria: routed to the North West's unit.
    const referral = await ctx.services.prevent.referFromPublic(
      {
        kind: 'school',
        name: 'Ms Head',
        email: 'head@school.example',
        phone: null,
        organisation: 'Lakeside Academy',
      },
      {
        youngPerson: 'Sam',
        age: 14,
        forceId: 'cumbria',
        concern: 'Runs a booter service',
        aware: true,
        lng: 'en',
      },
    );
    expect(referral.unitId).toBe('nwrocu-rccu');
    referralId = referral.id;
    // An incident declared by the North West's regional unit.
    incidentId = await ctx.services.incidents.declare(
      { ...PEOPLE.nwProtect, forceId: null },
      {
        name: 'Fake parcel texts',
        nameCy: 'Negeseuon testun parsel ffug',
        description: 'Texts asking for a fee.',
        descriptionCy: 'Negeseuon testun yn gofyn am ffi.',
        indicators: 'https://parcel-fee.co.uk/pay',
        category: null,
        sector: null,
        from: '2026-01-01T00:00:00.000Z',
        to: null,
      },
    );
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
      await db.selectFrom('protect_feedback').selectAll().execute(),
      await db.selectFrom('advice_versions').selectAll().execute(),
      await db.selectFrom('prevent_referrals').selectAll().execute(),
      await db.selectFrom('incidents').selectAll().execute(),
      await db.selectFrom('incident_partners').selectAll().execute(),
      await db.selectFrom('incident_updates').selectAll().execute(),
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
  const preventRoutes = (): Route[] => [
    { method: 'GET', url: '/staff/prevent' },
    { method: 'GET', url: `/staff/prevent/${String(referralId)}` },
    { method: 'POST', url: `/staff/prevent/${String(referralId)}`, body: { action: 'contacted' } },
  ];
  const referralForm = {
    youngPerson: 'K',
    age: '17',
    postcode: 'CA1 1AA',
    concern: 'Found with a RAT builder',
    aware: 'no',
  };
  const referRoutes = (): Route[] => [
    { method: 'GET', url: '/staff/prevent/refer' },
    { method: 'POST', url: '/staff/prevent/refer', body: referralForm },
    { method: 'GET', url: '/staff/prevent/sent?unit=nwrocu-rccu' },
  ];
  const unitFigureRoutes = (): Route[] => [
    { method: 'GET', url: '/staff/unit-figures' },
    { method: 'GET', url: '/staff/unit-figures?unit=nwrocu-rccu&from=2026-01&to=2026-06' },
  ];
  const adviceRoutes = (): Route[] => [
    { method: 'GET', url: '/staff/advice' },
    { method: 'GET', url: '/staff/advice/malware/en' },
    { method: 'POST', url: '/staff/advice/malware/en', body: { title: 'T', body: '## H\n- b' } },
    { method: 'POST', url: '/staff/advice/malware/en/publish', body: {} },
  ];
  const declaration = {
    name: 'Courier fraud calls',
    nameCy: 'Galwadau twyll negesydd',
    description: 'Callers pretend to be police.',
    descriptionCy: 'Mae galwyr yn esgus bod yn heddlu.',
    indicators: '07700 900123',
    category: '',
    sector: '',
    from: '2026-01-01T00:00',
    to: '',
  };
  const incidentSeeRoutes = (): Route[] => [
    { method: 'GET', url: '/staff/incidents' },
    { method: 'GET', url: `/staff/incidents/${String(incidentId)}` },
  ];
  const incidentRunRoutes = (): Route[] => [
    {
      method: 'POST',
      url: `/staff/incidents/${String(incidentId)}/partners`,
      body: { partner: 'UK Finance', note: '' },
    },
    {
      method: 'POST',
      url: `/staff/incidents/${String(incidentId)}/update`,
      body: { message: 'Arrests made.', messageCy: 'Arestiadau.' },
    },
    {
      method: 'POST',
      url: `/staff/incidents/${String(incidentId)}/close`,
      body: { closingNote: 'Done.' },
    },
  ];
  const declareRoute = (): Route => ({ method: 'POST', url: '/staff/incidents', body: declaration });
  const call = (client: FormClient, route: Route) =>
    route.method === 'GET'
      ? client.get(route.url)
      : client.post(route.url, route.body ?? {}, { follow: false });

  it('sends signed-out callers to sign in, before anything is read or changed', async () => {
    const before = await state();
    for (const route of [
      ...protectRoutes(),
      ...alertRoutes(),
      ...preventRoutes(),
      ...referRoutes(),
      ...incidentSeeRoutes(),
      ...incidentRunRoutes(),
      declareRoute(),
      ...adviceRoutes(),
      ...unitFigureRoutes(),
    ]) {
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
    for (const who of ['analyst', 'admin', 'callHandler', 'nwPrevent', 'eastPrevent'] as const)
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

  it('keeps a Prevent referral to its region’s Prevent officers: 404 for everyone else, changing nothing', async () => {
    const before = await state();
    // Nobody but Prevent officers enters the Prevent queue: not the region's own investigators, not its forces.
    for (const who of Object.keys(PEOPLE) as Who[]) {
      if (who === 'nwPrevent' || who === 'eastPrevent') continue;
      for (const route of preventRoutes())
        expect((await call(as(who), route)).statusCode, `${who} ${route.method} ${route.url}`).toBe(404);
    }
    // Another region's Prevent officer: an empty queue, and the referral does not exist.
    const east = await as('eastPrevent').get('/staff/prevent');
    expect(east.statusCode).toBe(200);
    expect(east.body).not.toContain(`/staff/prevent/${String(referralId)}"`);
    for (const route of preventRoutes().slice(1))
      expect((await call(as('eastPrevent'), route)).statusCode, route.url).toBe(404);
    // Prevent officers refer nobody from the workspace; analysts, admins and call handlers neither.
    for (const who of ['nwPrevent', 'eastPrevent', 'analyst', 'admin', 'callHandler'] as const)
      for (const route of referRoutes())
        expect((await call(as(who), route)).statusCode, `${who} ${route.method} ${route.url}`).toBe(404);
    expect(await state()).toBe(before);
    // The region's own Prevent officer sees it.
    expect((await as('nwPrevent').get(`/staff/prevent/${String(referralId)}`)).statusCode).toBe(200);
  });

  it('shows incidents to those who read intelligence, lets only the declaring unit run them, changing nothing', async () => {
    const before = await state();
    // Admins, call handlers and Prevent officers: no incident pages at all.
    for (const who of ['admin', 'callHandler', 'nwPrevent', 'eastPrevent'] as const)
      for (const route of [...incidentSeeRoutes(), ...incidentRunRoutes(), declareRoute()])
        expect((await call(as(who), route)).statusCode, `${who} ${route.method} ${route.url}`).toBe(404);
    // Forces and analysts see it, but neither declare nor run one.
    for (const who of ['cumbriaOfficer', 'cumbriaSupervisor', 'analyst'] as const) {
      for (const route of incidentSeeRoutes())
        expect((await call(as(who), route)).statusCode, `${who} ${route.url}`).toBe(200);
      for (const route of [...incidentRunRoutes(), declareRoute()])
        expect((await call(as(who), route)).statusCode, `${who} ${route.method} ${route.url}`).toBe(404);
    }
    // Another region's unit and the NCCU may declare their own, but not run this one: refused on its page.
    for (const who of ['otherRegion', 'national'] as const)
      for (const route of incidentRunRoutes()) {
        const res = await as(who).post(route.url, route.body ?? {});
        expect(as(who).path, `${who} ${route.url}`).toBe(`/staff/incidents/${String(incidentId)}`);
        expect(errorSummaryOf(res.body), `${who} ${route.url}`).toEqual([
          'incident: Only officers of the unit that declared the incident can do this',
        ]);
      }
    expect(await state()).toBe(before);
  });

  it('answers 404 to the public "affected" journey of a closed or unknown incident, storing no report', async () => {
    const closed = await ctx.services.incidents.declare(
      { ...PEOPLE.nwProtect, forceId: null },
      {
        name: 'Old scam',
        nameCy: 'Hen sgam',
        description: 'Over.',
        descriptionCy: 'Ar ben.',
        indicators: 'https://old-scam.co.uk/pay',
        category: null,
        sector: null,
        from: '2026-01-01T00:00:00.000Z',
        to: null,
      },
    );
    await ctx.services.incidents.close({ ...PEOPLE.nwProtect, forceId: null }, closed, 'Done.');
    const db = ctx.services.database.db;
    const stored = async () =>
      JSON.stringify([
        await db.selectFrom('reports').select('id').execute(),
        await db.selectFrom('incident_reports').selectAll().execute(),
        await state(),
      ]);
    const before = await stored();
    const visitor = new FormClient(ctx.app);
    const report = { narrative: 'I paid the fee', postcode: 'CA1 1AA', email: '' };
    for (const id of [String(closed), '999999', 'x']) {
      expect((await visitor.get(`/incidents/${id}`)).statusCode, id).toBe(404);
      expect(
        (await visitor.post(`/incidents/${id}`, { affected: 'yes' }, { follow: false })).statusCode,
        id,
      ).toBe(404);
      expect((await visitor.get(`/incidents/${id}/report`)).statusCode, id).toBe(404);
      expect((await visitor.post(`/incidents/${id}/report`, report, { follow: false })).statusCode, id).toBe(
        404,
      );
    }
    expect(await stored()).toBe(before);
  });

  it('answers 404 to a forged questionnaire link, storing nothing', async () => {
    const before = await state();
    const visitor = new FormClient(ctx.app);
    for (const token of ['A'.repeat(43), 'not-a-token']) {
      expect((await visitor.get(`/protect/feedback/${token}`)).statusCode, token).toBe(404);
      // With a valid CSRF token: the link is the only authority, and it is refused.
      const res = await visitor.post(
        `/protect/feedback/${token}`,
        { usefulness: '5', willChange: 'yes', comments: 'forged' },
        { follow: false },
      );
      expect(res.statusCode, token).toBe(404);
    }
    expect(await state()).toBe(before);
  });

  it('answers 404 to roles that may not edit the national advice, changing nothing', async () => {
    const before = await state();
    for (const who of [
      'cumbriaOfficer',
      'analyst',
      'admin',
      'callHandler',
      'nwPrevent',
      'eastPrevent',
    ] as const)
      for (const route of adviceRoutes())
        expect((await call(as(who), route)).statusCode, `${who} ${route.method} ${route.url}`).toBe(404);
    expect(await state()).toBe(before);
  });

  it('refuses the national advice author publishing their own draft; another editor publishes it', async () => {
    const author = as('nwProtect');
    await author.post('/staff/advice/malware/cy', {
      title: 'Meddalwedd faleisus',
      body: '## Beth i’w wneud\n- b',
    });
    expect(author.path).toMatch(/^\/staff\/advice\/malware\/cy\?saved=\d+$/);
    const before = await state();
    const own = await author.post('/staff/advice/malware/cy/publish', {});
    expect(errorSummaryOf(own.body)).toEqual([
      'publish: You saved this draft, so another editor must publish it',
    ]);
    expect(await state()).toBe(before);
    await as('national').post('/staff/advice/malware/cy/publish', {});
    expect(as('national').path).toMatch(/^\/staff\/advice\/malware\/cy\?published=\d+$/);
  });

  it('answers 404 to roles the unit figures are not for, and to an unknown incident step, changing nothing', async () => {
    const before = await state();
    for (const who of ['admin', 'callHandler', 'nwPrevent', 'eastPrevent'] as const)
      for (const route of unitFigureRoutes())
        expect((await call(as(who), route)).statusCode, `${who} ${route.url}`).toBe(404);
    // Every role that reads statistics reads any unit's figures (no personal data).
    for (const who of ['cumbriaOfficer', 'otherRegion', 'national', 'analyst'] as const)
      for (const route of unitFigureRoutes())
        expect((await call(as(who), route)).statusCode, `${who} ${route.url}`).toBe(200);
    const step = await as('nwProtect').post(
      `/staff/incidents/${String(incidentId)}/delete`,
      {},
      { follow: false },
    );
    expect(step.statusCode).toBe(404);
    expect(await state()).toBe(before);
  });

  it('answers 404, never a database error, to an id past the integer column, changing nothing', async () => {
    const before = await state();
    const far = '2147483648';
    const ids = [requestId, alertId, referralId, incidentId].map(String);
    const routes = [
      ...protectRoutes(),
      ...alertRoutes(),
      ...preventRoutes(),
      ...incidentSeeRoutes(),
      ...incidentRunRoutes(),
    ]
      .filter((route) => ids.some((id) => route.url.includes(`/${id}`)))
      .map((route) => ({ ...route, url: route.url.replace(/\/\d+(?=\/|$)/, `/${far}`) }));
    expect(routes.length).toBeGreaterThan(8);
    for (const who of Object.keys(PEOPLE) as Who[])
      for (const route of routes)
        expect((await call(as(who), route)).statusCode, `${who} ${route.method} ${route.url}`).toBe(404);
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
