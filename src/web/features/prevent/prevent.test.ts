import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TOTP } from 'otpauth';
import { errorSummaryOf } from '../../../../test/support/error-summary.ts';
import { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff, signInStaff } from '../../../../test/support/staff-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';

const REFERRAL = {
  referrerKind: 'parent',
  referrerName: 'Pat Parent',
  organisation: '',
  referrerEmail: 'pat@home.example',
  referrerPhone: '',
  youngPerson: 'J',
  age: '15',
  postcode: 'LA9 4AA',
  concern: 'Sells game cheats that steal other players’ accounts',
  aware: 'yes',
};

describe('Prevent pages: the public form, the region’s queue and workflow, and who may see them', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const people = new Map<string, TOTP>();
  const as = (email: string) => signInStaff(ctx.app, email, people.get(email) as TOTP);
  beforeAll(async () => {
    ctx = await createTestApp();
    for (const [email, role, unit] of [
      ['prevent@nw.example', 'prevent-officer', { unitId: 'nwrocu-rccu' }],
      ['prevent@east.example', 'prevent-officer', { unitId: 'ersou-rccu' }],
      ['officer@cumbria.example', 'force-officer', { forceId: 'cumbria' }],
      ['analyst@police.example', 'analyst', {}],
    ] as const)
      people.set(email, await addStaff(ctx.services, { email, role, ...unit }));
  });
  afterAll(() => ctx.close());

  it('refuses bad answers with a GOV.UK error summary in English and Welsh, keeping what was typed, and stores nothing', async () => {
    const client = new FormClient(ctx.app);
    expect((await client.get('/prevent')).body).toContain('href="/prevent/refer"');
    await client.get('/prevent/refer');
    const refused = await client.post('/prevent/refer', {
      ...REFERRAL,
      referrerKind: 'officer',
      referrerEmail: 'nope',
      age: '99',
      postcode: 'JE2 3AB',
      concern: '',
      aware: '',
    });
    expect(client.path).toBe('/prevent/refer');
    expect(errorSummaryOf(refused.body)).toEqual([
      'referrerKind: Select who you are',
      'referrerEmail: Enter an email address in the correct format, like name@example.com',
      'age: Enter their age as a number from 8 to 25',
      'postcode: Enter a real postcode in England or Wales, like CA1 1AA',
      'concern: Enter what worries you',
      'aware: Select yes if they know about the referral',
    ]);
    expect(refused.body).toContain('value="Pat Parent"');
    // Shown once: a refresh is the empty form.
    expect(errorSummaryOf((await client.get('/prevent/refer')).body)).toEqual([]);

    await client.get('/prevent/refer?lng=cy');
    const welsh = await client.post('/prevent/refer', {
      ...REFERRAL,
      referrerKind: 'school',
      youngPerson: '',
    });
    expect(errorSummaryOf(welsh.body)).toEqual([
      'organisation: Rhowch enw’r ysgol, y coleg neu’r sefydliad',
      'youngPerson: Rhowch ei enw cyntaf neu ei lythrennau blaen',
    ]);
    expect(await ctx.services.database.db.selectFrom('prevent_referrals').selectAll().execute()).toEqual([]);
  });

  it('sends a parent’s referral to the region’s Prevent officer, who takes it through the workflow; nobody else sees it', async () => {
    const parent = new FormClient(ctx.app);
    await parent.get('/prevent/refer');
    const sent = await parent.post('/prevent/refer', REFERRAL);
    expect(parent.path).toBe('/prevent/sent?unit=nwrocu-rccu');
    expect(sent.body).toContain('North West (NWROCU)');
    const { id } = await ctx.services.database.db
      .selectFrom('prevent_referrals')
      .select('id')
      .executeTakeFirstOrThrow();

    const officer = await as('prevent@nw.example');
    const home = await officer.get('/staff');
    expect(home.body).toContain('href="/staff/prevent"');
    expect(home.body).not.toContain('href="/staff/cases"');
    expect((await officer.get('/staff/prevent')).body).toContain(`href="/staff/prevent/${id}"`);
    const page = await officer.get(`/staff/prevent/${id}`);
    expect(page.body).toContain('Sells game cheats');
    expect(page.body).toContain('pat@home.example');
    await officer.post(`/staff/prevent/${id}`, { action: 'contacted' });
    // An intervention that is not on the list is refused on the page, and nothing moves.
    await officer.post(`/staff/prevent/${id}`, { action: 'intervention', intervention: 'detention' });
    expect(errorSummaryOf((await officer.get(`/staff/prevent/${id}`)).body)).toEqual([]);
    const refused = await officer.post(`/staff/prevent/${id}`, { action: 'intervention', intervention: 'x' });
    expect(errorSummaryOf(refused.body)).toEqual(['intervention: Select an option']);
    await officer.post(`/staff/prevent/${id}`, { action: 'intervention', intervention: 'mentoring' });
    // Out of order (the page was stale): told, nothing changes.
    const stale = await officer.post(`/staff/prevent/${id}`, { action: 'close' });
    expect(errorSummaryOf(stale.body)).toEqual([
      'next: That is not this referral’s next step. Refresh the page to see where it is now',
    ]);
    await officer.post(`/staff/prevent/${id}`, { action: 'outcome', outcome: 'engaged' });
    await officer.post(`/staff/prevent/${id}`, { action: 'close' });
    expect((await officer.get(`/staff/prevent/${id}`)).body).toContain('This referral is closed.');

    // Another region's Prevent officer: as if it did not exist. A force officer or analyst: no Prevent pages at all.
    const east = await as('prevent@east.example');
    expect((await east.get(`/staff/prevent/${id}`)).statusCode).toBe(404);
    expect((await east.post(`/staff/prevent/${id}`, { action: 'close' }, { follow: false })).statusCode).toBe(
      404,
    );
    expect((await east.get('/staff/prevent')).body).not.toContain(`/staff/prevent/${id}`);
    for (const email of ['officer@cumbria.example', 'analyst@police.example']) {
      const other = await as(email);
      expect((await other.get('/staff/prevent')).statusCode, email).toBe(404);
      expect((await other.get(`/staff/prevent/${id}`)).statusCode, email).toBe(404);
    }
    // Prevent officers pass no gate of the unit's casework, intelligence or incidents.
    for (const url of ['/staff/cases', '/staff/campaigns', '/staff/incidents', '/staff/prevent/refer'])
      expect((await officer.get(url)).statusCode, url).toBe(404);
  });

  it('lets a force officer refer from the workspace, with their own address as the contact', async () => {
    const officer = await as('officer@cumbria.example');
    expect((await officer.get('/staff')).body).toContain('href="/staff/prevent/refer"');
    await officer.get('/staff/prevent/refer');
    const refused = await officer.post('/staff/prevent/refer', {
      youngPerson: 'K',
      age: '7',
      postcode: 'CA1 1AA',
    });
    expect(errorSummaryOf(refused.body)).toEqual([
      'age: Enter their age as a number from 8 to 25',
      'concern: Enter what worries you',
      'aware: Select yes if they know about the referral',
    ]);
    await officer.post('/staff/prevent/refer', {
      youngPerson: 'K',
      age: '17',
      postcode: 'CA1 1AA',
      concern: 'Found with a RAT builder during a search',
      aware: 'no',
    });
    expect(officer.path).toBe('/staff/prevent/sent?unit=nwrocu-rccu');
    const row = await ctx.services.database.db
      .selectFrom('prevent_referrals')
      .selectAll()
      .where('source', '=', 'officer')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ referrer_email: 'officer@cumbria.example', aware: 0, age: 17 });
  });
});
