/**
 * Attacking the cases list (/staff/cases): what an officer may see, count or infer through its filters, tabs, sort
 * keys and pages is exactly what canSeeCase allows (access-policy.ts); forged or malformed queries are ignored, never
 * an error; what a case holds (its title) is escaped.
 */
import type { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shownCases, statusTab } from '../support/case-list-page.ts';
import type { FormClient } from '../support/form-client.ts';
import { addStaff, signInStaff } from '../support/staff-fixtures.ts';
import { createTestApp } from '../support/test-app.ts';
import { testDialect } from '../support/test-services.ts';

const OFFICER = 'oic@cumbria.example';
const COLLEAGUE = 'colleague@cumbria.example';
const SUPERVISOR = 'sup@cumbria.example';
const KENT = 'officer@kent.example';
const KENT_OTHER = 'other@kent.example';

describe(`attacking the cases list (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let now = new Date('2026-11-02T09:00:00Z');
  const totps = new Map<string, TOTP>();
  const refs: Record<string, string> = {};
  let cumbriaUnit = '';
  let kentUnit = '';

  const unitOptions = (body: string) =>
    [
      ...(/<select class="govuk-select[^"]*" id="unit"[\s\S]*?<\/select>/.exec(body)?.[0] ?? '').matchAll(
        /<option value="([^"]*)"/g,
      ),
    ].map((m) => m[1]);
  const signIn = async (email: string): Promise<FormClient> => {
    now = new Date(now.getTime() + 60_000);
    const client = await signInStaff(ctx.app, email, totps.get(email) as TOTP, now);
    expect(client.path).toBe('/staff');
    return client;
  };

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    for (const [email, role, forceId] of [
      [OFFICER, 'force-officer', 'cumbria'],
      [COLLEAGUE, 'force-officer', 'cumbria'],
      [SUPERVISOR, 'force-supervisor', 'cumbria'],
      [KENT, 'force-officer', 'kent'],
      [KENT_OTHER, 'force-officer', 'kent'],
    ] as const)
      totps.set(email, await addStaff(ctx.services, { email, role, forceId }));
    const member = async (email: string) => {
      const found = await ctx.services.staff.byId((await ctx.services.staff.userIdByEmail(email))?.id ?? 0);
      if (found === null) throw new Error(`no ${email}`);
      return found;
    };
    const inv = ctx.services.investigations;
    const open = async (key: string, email: string, title: string, restricted = false) => {
      now = new Date(now.getTime() + 3_600_000);
      refs[key] = await inv.createCase(await member(email), { title, reports: [], restricted, members: [] });
      return refs[key];
    };
    cumbriaUnit = (await member(OFFICER)).unitId ?? '';
    kentUnit = (await member(KENT)).unitId ?? '';
    await open('mine', OFFICER, 'Mine <script>alert(1)</script> & "quoted"');
    // A restricted Cumbria case the officer is not on, shared with Kent: nobody in Kent but its team sees it.
    const secret = await open('secret', COLLEAGUE, 'Operation Secret', true);
    await inv.share(await member(COLLEAGUE), secret, kentUnit, 'Suspect in Kent');
    // A restricted Kent case shared with Cumbria, the Cumbria officer not on it.
    const kentSecret = await open('kentSecret', KENT, 'Kent secret', true);
    await inv.share(await member(KENT), kentSecret, cumbriaUnit, 'Victim in Cumbria');
    // A Kent case never shared: Cumbria never sees it.
    await open('kentOnly', KENT, 'Kent only');
    // A Cumbria case transferred to Kent: no longer Cumbria's.
    const moved = await open('moved', OFFICER, 'Moved away');
    await inv.transfer(await member(OFFICER), moved, {
      unit: kentUnit,
      reason: 'Suspect in Kent',
      officerInCharge: KENT_OTHER,
      members: [],
    });
  });
  afterAll(() => ctx.close());

  it('neither lists, counts nor offers the unit of a case the officer may not see, whatever the query', async () => {
    const officer = await signIn(OFFICER);
    const forbidden = [refs.secret, refs.kentSecret, refs.kentOnly, refs.moved];
    for (const query of [
      '',
      'restricted=yes',
      `unit=${kentUnit}`,
      `unit=${kentUnit}&restricted=yes`,
      'status=open&sort=title',
      'status=closed',
      'mine=yes',
      'sort=officer-desc&page=2',
    ]) {
      const body = (await officer.get(`/staff/cases?${query}`)).body;
      for (const ref of forbidden) expect(body, query).not.toContain(ref);
      expect(body, query).not.toContain('Operation Secret');
      expect(body, query).not.toContain('Kent secret');
      expect(body, query).not.toContain('Moved away');
    }
    const all = (await officer.get('/staff/cases')).body;
    expect(shownCases(all)).toEqual([refs.mine]);
    expect(statusTab(all, 'all')).toBe('All (1)');
    expect(statusTab(all, 'open')).toBe('Open (1)');
    expect(statusTab(all, 'closed')).toBe('Closed (0)');
    // Kent's only case shared with Cumbria is restricted and not the officer's: Kent is no filter, nor offered.
    expect(unitOptions(all)).toEqual(['', cumbriaUnit]);
    const forged = (await officer.get(`/staff/cases?unit=${kentUnit}&restricted=yes`)).body;
    expect(statusTab(forged, 'all')).toBe('All (0)');
    expect(forged).not.toContain('moj-filter__tag">');
    expect(shownCases(forged)).toEqual([]);
    // Its supervisor is not on the restricted case either.
    const supervisor = await signIn(SUPERVISOR);
    const theirs = (await supervisor.get('/staff/cases?restricted=yes')).body;
    expect(statusTab(theirs, 'all')).toBe('All (0)');
    // Kent's other officer sees Kent's cases and the moved one, not Cumbria's restricted case shared with Kent.
    const kent = await signIn(KENT_OTHER);
    const kentAll = (await kent.get('/staff/cases?sort=title')).body;
    expect(shownCases(kentAll)).toEqual([refs.kentOnly, refs.moved]);
    expect(unitOptions(kentAll)).toEqual(['', kentUnit]);
    expect(statusTab((await kent.get(`/staff/cases?unit=${cumbriaUnit}`)).body, 'all')).toBe('All (2)');
  });

  it('escapes what a case holds', async () => {
    const body = (await (await signIn(OFFICER)).get('/staff/cases')).body;
    expect(body).not.toContain('<script>alert(1)</script>');
    expect(body).toContain('Mine &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;');
  });

  it('answers every malformed query with the list, never an error', async () => {
    const officer = await signIn(OFFICER);
    const plain = shownCases((await officer.get('/staff/cases')).body);
    const long = 'x'.repeat(6000);
    for (const query of [
      `unit=${long}&sort=${long}&status=${long}&page=${long}`,
      `unit=${encodeURIComponent('ỳŵ🐉\u0000\u202e')}&sort=${encodeURIComponent('title\u0000')}`,
      `unit=${cumbriaUnit}&unit=${kentUnit}`,
      'page=1&page=2',
      'page[]=2&mine[]=yes&restricted[x]=yes',
      'page=0x10&sort=title%20desc',
      `sort=${encodeURIComponent('title; drop table cases; --')}`,
      `sort=${encodeURIComponent('(select 1)')}`,
      'status=open%00',
      'mine=YES&restricted=true',
      '__proto__[mine]=yes&constructor[prototype][restricted]=yes',
      'form=open&form=closed',
    ]) {
      const list = await officer.get(`/staff/cases?${query}`);
      expect(list.statusCode, query.slice(0, 80)).toBe(200);
      expect(shownCases(list.body), query.slice(0, 80)).toEqual(plain);
      expect(list.body, query.slice(0, 80)).not.toContain('moj-filter__tag');
    }
    // A page past the last is an empty page of the list, not an error, with the way back to the last page.
    const past = await officer.get('/staff/cases?page=99999999999999999999999&sort=title');
    expect(past.statusCode).toBe(200);
    expect(shownCases(past.body)).toEqual([]);
    expect(past.body).toMatch(/href="\/staff\/cases\?sort=title" rel="prev"/);
  });

  it('says "1 case", not "1 cases"', async () => {
    const officer = await signIn(OFFICER);
    expect((await officer.get('/staff/cases')).body).toMatch(/id="case-count">1 case</);
  });

  it('has no English left on the Welsh page, with filters on', async () => {
    const officer = await signIn(OFFICER);
    const cy = (await officer.get(`/staff/cases?lng=cy&unit=${cumbriaUnit}&mine=yes&status=open&page=2`))
      .body;
    const main = /<main[\s\S]*<\/main>/.exec(cy)?.[0] ?? '';
    expect(main).toContain('Achosion yn ôl statws');
    expect(main).toContain('moj-filter__tag');
    expect(main).toContain('rel="prev"');
    for (const english of [
      'Filter',
      'Apply filters',
      'Selected filters',
      'Clear filters',
      'Remove this filter',
      'Held by',
      'Any unit',
      'Unit holding',
      'Cases I am',
      'Restricted cases',
      'Page ',
      'Previous',
      'All (',
      'Open (',
      'Closed (',
      ' cases',
      'Open a case',
    ])
      expect(main, english).not.toContain(english);
  });
});
