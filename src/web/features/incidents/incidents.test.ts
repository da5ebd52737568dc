import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TOTP } from 'otpauth';
import { errorSummaryOf } from '../../../../test/support/error-summary.ts';
import { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff, signInStaff } from '../../../../test/support/staff-fixtures.ts';
import { makeSubmission } from '../../../../test/support/submissions.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';

const DECLARATION = {
  name: 'Courier fraud calls',
  nameCy: 'Galwadau twyll negesydd',
  description: 'Callers pretend to be police officers and send a courier for cash.',
  descriptionCy: 'Mae galwyr yn esgus bod yn swyddogion heddlu ac yn anfon negesydd i nôl arian.',
  indicators: '07700 900123',
  category: '',
  sector: '',
  from: '2026-01-01T00:00',
  to: '',
};

describe('significant incidents on the public site and in the workspace', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const people = new Map<string, TOTP>();
  const as = (email: string) => signInStaff(ctx.app, email, people.get(email) as TOTP);
  let id = 0;
  beforeAll(async () => {
    ctx = await createTestApp();
    for (const [email, role, unit] of [
      ['regional@nw.example', 'regional-officer', { unitId: 'nwrocu-rccu' }],
      ['regional@east.example', 'regional-officer', { unitId: 'ersou-rccu' }],
      ['supervisor@cumbria.example', 'force-supervisor', { forceId: 'cumbria' }],
    ] as const)
      people.set(email, await addStaff(ctx.services, { email, role, ...unit }));
  });
  afterAll(() => ctx.close());

  it('is declared from the workspace by a regional unit, not by a force', async () => {
    const force = await as('supervisor@cumbria.example');
    const list = await force.get('/staff/incidents');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('action="/staff/incidents"');
    expect((await force.post('/staff/incidents', DECLARATION, { follow: false })).statusCode).toBe(404);

    const nw = await as('regional@nw.example');
    await nw.get('/staff/incidents');
    const refused = await nw.post('/staff/incidents', {
      ...DECLARATION,
      nameCy: '',
      indicators: 'nothing here',
      from: 'soon',
    });
    expect(errorSummaryOf(refused.body)).toEqual([
      'nameCy: Enter the incident’s name in Welsh',
      'from: Enter the date and time reports are matched from',
    ]);
    const rules = await nw.post('/staff/incidents', { ...DECLARATION, indicators: 'nothing here' });
    expect(errorSummaryOf(rules.body)).toEqual(['indicators: This is not an indicator: nothing here']);
    await nw.post('/staff/incidents', DECLARATION);
    expect(nw.path).toMatch(/^\/staff\/incidents\/\d+$/);
    id = Number(nw.path.split('/').pop());
    expect(await ctx.services.database.db.selectFrom('incidents').select('id').execute()).toEqual([{ id }]);
  });

  it('asks the public “Were you affected by …?” and records and links their report through the intake', async () => {
    const visitor = new FormClient(ctx.app);
    const home = await visitor.get('/');
    expect(home.body).toContain(`href="/incidents/${id}"`);
    expect(home.body).toContain('Were you affected by Courier fraud calls?');
    expect(home.body).toContain('href="/who-responds"');
    expect((await visitor.get('/report')).body).toContain(`href="/incidents/${id}"`);
    expect((await visitor.get('/?lng=cy')).body).toContain(
      'A gawsoch chi eich effeithio gan Galwadau twyll negesydd?',
    );

    const question = await visitor.post(`/incidents/${id}`, {});
    expect(errorSummaryOf(question.body)).toEqual(['affected: Dewiswch do os cawsoch eich effeithio']);
    await visitor.post(`/incidents/${id}`, { affected: 'yes' });
    expect(visitor.path).toBe(`/incidents/${id}/report`);
    const bad = await visitor.post(`/incidents/${id}/report`, {
      narrative: '',
      postcode: 'nowhere',
      email: 'x',
    });
    expect(errorSummaryOf(bad.body)).toEqual([
      'narrative: Rhowch beth ddigwyddodd i chi',
      'postcode: Rhowch god post go iawn yn y DU, fel CA1 1AA',
      'email: Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.com',
    ]);
    const confirmation = await visitor.post(`/incidents/${id}/report`, {
      narrative: 'A man called from 07700 900123 saying he was a detective and sent a courier for my savings',
      postcode: 'CA1 1AA',
      email: 'victim@home.example',
    });
    expect(visitor.path).toBe('/report/confirmation');
    expect(confirmation.body).toContain('href="/who-responds"');
    const report = await ctx.services.database.db
      .selectFrom('reports')
      .innerJoin('incident_reports', 'incident_reports.report_id', 'reports.id')
      .select(['reports.lng', 'reports.force_id', 'incident_reports.how'])
      .executeTakeFirstOrThrow();
    expect(report).toEqual({ lng: 'cy', force_id: 'cumbria', how: 'reported' });
  });

  it('lets only the declaring unit tell partners, update victims and close; the closed record stays', async () => {
    const east = await as('regional@east.example');
    const page = await east.get(`/staff/incidents/${id}`);
    expect(page.body).toContain('Cumbria');
    expect(page.body).not.toContain(`action="/staff/incidents/${id}/update"`);
    const refused = await east.post(`/staff/incidents/${id}/update`, { message: 'Hi', messageCy: 'Helo' });
    expect(errorSummaryOf(refused.body)).toEqual([
      'incident: Only officers of the unit that declared the incident can do this',
    ]);
    expect(await ctx.services.database.db.selectFrom('incident_updates').selectAll().execute()).toEqual([]);

    const nw = await as('regional@nw.example');
    await nw.get(`/staff/incidents/${id}`);
    await nw.post(`/staff/incidents/${id}/partners`, { partner: 'Telecoms fraud forum', note: '' });
    await nw.post(`/staff/incidents/${id}/update`, {
      message: 'Arrests have been made.',
      messageCy: 'Mae arestiadau wedi’u gwneud.',
    });
    await nw.post(`/staff/incidents/${id}/close`, { closingNote: 'Gang arrested.' });
    const closed = await nw.get(`/staff/incidents/${id}`);
    expect(closed.body).toContain('Telecoms fraud forum');
    expect(closed.body).toContain('Arrests have been made.');
    expect(closed.body).toContain('Gang arrested.');
    expect((await new FormClient(ctx.app).get('/')).body).not.toContain('/incidents/');
    expect((await new FormClient(ctx.app).get(`/incidents/${id}`)).statusCode).toBe(404);
    const update = await ctx.services.database.db
      .selectFrom('report_updates')
      .select('message')
      .where('kind', '=', 'message')
      .executeTakeFirstOrThrow();
    expect(update.message).toBe('Mae arestiadau wedi’u gwneud.');
  });

  it('says who responds, in English and Welsh, with the visitor’s own units and their region’s Cyber Protect team', async () => {
    const visitor = new FormClient(ctx.app);
    const page = await visitor.get('/who-responds?force=cumbria');
    expect(page.body).toContain('The National Cyber Crime Unit (NCCU)');
    expect(page.body).toContain(
      'making sure the UK is prepared and equipped to respond to significant cyber incidents',
    );
    expect(page.body).toContain('Cumbria Constabulary Cyber and Digital Crime Unit');
    expect(page.body).toContain('Cyber Protect team for North West');
    // Each level links to its unit's figures.
    expect(page.body).toContain('href="/units/cumbria-cyber"');
    const general = await visitor.get('/who-responds?force=atlantis&lng=cy');
    expect(general.body).toContain('Yr Uned Seiberdroseddu Genedlaethol (NCCU)');
    expect(general.body).toContain('href="/cyber-protect"');
    // The progress page links to it with the report's force, so it names the victim's own units.
    const { reference } = await ctx.services.reportIntake.submit(makeSubmission());
    await visitor.get('/report/progress?lng=en');
    const progress = await visitor.post('/report/progress', { reference, secret: 'CA1 1AA' });
    expect(progress.body).toContain(reference);
    expect(progress.body).toContain('href="/who-responds?force=cumbria"');
  });
});
