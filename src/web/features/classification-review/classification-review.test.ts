import { Readable } from 'node:stream';
import type { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../domain/access/access-policy.ts';
import { addStaff, signInStaff, submitPartnerReport } from '../../../../test/support/staff-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';

const PEOPLE: { email: string; role: Role; forceId?: string; unitId?: string }[] = [
  { email: 'sup@cumbria.example', role: 'force-supervisor', forceId: 'cumbria' },
  { email: 'analyst@x.example', role: 'analyst' },
  { email: 'sup@kent.example', role: 'force-supervisor', forceId: 'kent' },
  { email: 'officer@cumbria.example', role: 'force-officer', forceId: 'cumbria' },
  { email: 'regional@nw.example', role: 'regional-officer', unitId: 'nwrocu-rccu' },
  { email: 'admin@x.example', role: 'admin' },
];

describe(`classification review queue (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const now = new Date('2026-11-10T09:00:00Z');
  const totps = new Map<string, TOTP>();
  let reference = '';
  let legacyId = 0;

  const legacyRow = () =>
    ctx.services.database.db
      .selectFrom('legacy_records')
      .selectAll()
      .where('id', '=', legacyId)
      .executeTakeFirstOrThrow();
  const cyberCount = async (cyber: string) =>
    (
      await ctx.services.statistics.query({ from: '2026-11-01', to: '2026-11-30', groupBy: ['cyber'] })
    ).rows.find((r) => r.cyber === cyber)?.reports ?? 0;

  beforeAll(async () => {
    // Every classification waits for review, so the queue has something whatever the classifier's confidence.
    ctx = await createTestApp({ CLASSIFY_REVIEW_BELOW: '1' }, { clock: () => now });
    for (const p of PEOPLE) totps.set(p.email, await addStaff(ctx.services, p));
    reference = await submitPartnerReport(ctx.app, ctx.services, {
      reporter: { type: 'individual', name: 'V', postcode: 'CA1 1AA' },
      incident: {
        narrative:
          'someone hacked my email account ann.v@example.org and sent messages to my friends, call me on 07700 900123',
      },
      consents: { victim_support: false },
    });
    await ctx.services.legacyImport.import(
      Readable.from([
        'crime_ref,recorded_date,offence,summary\nREV/1,2026-11-03,Harassment,Ex keeps sending IP abusive messages on Facebook.\n',
      ]),
      'cumbria',
      { onReject: () => undefined },
    );
    legacyId = (
      await ctx.services.database.db
        .selectFrom('legacy_records')
        .select('id')
        .where('record_id', '=', 'REV/1')
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(() => ctx.close());

  const signIn = async (email: string) => {
    const totp = totps.get(email);
    if (totp === undefined) throw new Error(email);
    return signInStaff(ctx.app, email, totp, now);
  };

  it('lists a force’s doubtful reports and imported records for its supervisor, and every force’s for analysts', async () => {
    for (const email of ['sup@cumbria.example', 'analyst@x.example']) {
      const client = await signIn(email);
      expect((await client.get('/staff')).body, email).toContain('href="/staff/classification-review"');
      const page = await client.get('/staff/classification-review');
      expect(page.statusCode, email).toBe(200);
      expect(page.body).toContain(reference);
      expect(page.body).toContain('REV/1');
      expect(page.body).toContain('govuk-table');
    }
    const kent = await signIn('sup@kent.example');
    const page = await kent.get('/staff/classification-review');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(reference);
    expect(page.body).not.toContain('REV/1');
    expect((await kent.get(`/staff/classification-review/legacy/${String(legacyId)}`)).statusCode).toBe(404);
  });

  it('shows analysts the text with contact and account identifiers masked, the force supervisor all of it; each view is audited', async () => {
    const reportId = Number(
      /\/staff\/classification-review\/report\/(\d+)/.exec(
        (await (await signIn('sup@cumbria.example')).get('/staff/classification-review?subject=report')).body,
      )?.[1],
    );
    const views = async () =>
      (
        await ctx.services.database.db
          .selectFrom('audit_log')
          .select(['actor'])
          .where('action', '=', 'read-classification-review')
          .execute()
      ).map((r) => r.actor);
    const before = await views();
    const analyst = await signIn('analyst@x.example');
    for (const path of [
      '/staff/classification-review',
      `/staff/classification-review/report/${String(reportId)}`,
    ]) {
      const body = (await analyst.get(path)).body;
      expect(body, path).toContain('[email address]');
      expect(body, path).toContain('[number]');
      expect(body, path).not.toContain('ann.v@example.org');
      expect(body, path).not.toContain('900123');
    }
    const supervisor = await signIn('sup@cumbria.example');
    const whole = (await supervisor.get(`/staff/classification-review/report/${String(reportId)}`)).body;
    expect(whole).toContain('ann.v@example.org');
    expect(whole).toContain('07700 900123');
    expect((await views()).slice(before.length)).toEqual(['analyst@x.example', 'sup@cumbria.example']);
  });

  it('masks identifiers with Welsh labels on Welsh pages', async () => {
    const analyst = await signIn('analyst@x.example');
    const queue = (await analyst.get('/staff/classification-review?subject=report&lng=cy')).body;
    const reportPath = /\/staff\/classification-review\/report\/\d+/.exec(queue)?.[0];
    expect(reportPath).toBeDefined();
    for (const body of [queue, (await analyst.get(reportPath ?? '')).body]) {
      expect(body).toContain('<html lang="cy"');
      expect(body).toContain('[cyfeiriad e-bost]');
      expect(body).toContain('[rhif]');
      expect(body).not.toContain('[email address]');
      expect(body).not.toContain('[number]');
      expect(body).not.toContain('ann.v@example.org');
      expect(body).not.toContain('900123');
    }
  });

  it('is not there for officers, regional officers, admins or anyone signed out; their decisions change nothing', async () => {
    for (const email of [
      'officer@cumbria.example',
      'regional@nw.example',
      'admin@x.example',
      'sup@kent.example',
    ]) {
      const client = await signIn(email);
      if (email !== 'sup@kent.example')
        expect((await client.get('/staff/classification-review')).statusCode, email).toBe(404);
      const res = await client.post(
        `/staff/classification-review/legacy/${String(legacyId)}`,
        { category: 'other', online: 'none', reason: 'attack' },
        { follow: false },
      );
      expect(res.statusCode, email).toBe(404);
    }
    const anonymous = await ctx.app.inject({ method: 'GET', url: '/staff/classification-review' });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/staff/sign-in');
    // A partner's API token is not a staff session.
    const { token } = await ctx.services.tokens.create('a partner', ['reports:write']);
    const partner = await ctx.app.inject({
      method: 'GET',
      url: '/staff/classification-review',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(partner.statusCode).not.toBe(200);
    expect((await legacyRow()).review).toBe('pending');
    expect(await ctx.services.database.db.selectFrom('classification_reviews').selectAll().execute()).toEqual(
      [],
    );
  });

  it('refuses a decision without a reason with a GOV.UK error summary naming the field, after a redirect', async () => {
    const client = await signIn('sup@cumbria.example');
    const res = await client.post(`/staff/classification-review/legacy/${String(legacyId)}`, {
      category: 'other',
      online: 'none',
      reason: '',
    });
    // Post/redirect/get: back on the record's page with the summary, shown once.
    expect(client.path).toBe(`/staff/classification-review/legacy/${String(legacyId)}`);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('href="#reason"');
    expect(res.body).toContain('value="other" selected');
    expect((await client.get(client.path)).body).not.toContain('govuk-error-summary');
    expect((await legacyRow()).review).toBe('pending');
  });

  it('a correction moves the record and the figures at once, keeps the history and writes the audit row', async () => {
    expect((await legacyRow()).cyber).toBe('enabled');
    const enabledBefore = await cyberCount('enabled');
    const noneBefore = await cyberCount('none');
    const client = await signIn('sup@cumbria.example');
    const done = await client.post(`/staff/classification-review/legacy/${String(legacyId)}`, {
      category: 'other',
      online: 'none',
      reason: 'The messages were letters, not Facebook',
    });
    expect(done.statusCode).toBe(200);
    expect(client.path).toBe('/staff/classification-review?done=corrected');
    expect(await legacyRow()).toMatchObject({
      category: 'other',
      cyber: 'none',
      online: 'none',
      review: 'corrected',
    });
    expect(await cyberCount('enabled')).toBe(enabledBefore - 1);
    expect(await cyberCount('none')).toBe(noneBefore + 1);
    const history = await ctx.services.database.db.selectFrom('classification_reviews').selectAll().execute();
    expect(history).toMatchObject([
      {
        subject: 'legacy',
        decision: 'corrected',
        previous_category: 'online-harassment',
        previous_online: 'social-media',
        category: 'other',
        online: 'none',
        reviewed_by: 'sup@cumbria.example',
      },
    ]);
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'classification-corrected')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor).toBe('sup@cumbria.example');
    // Done: it leaves the queue, and the record page shows the decision.
    expect((await client.get('/staff/classification-review')).body).not.toContain('REV/1');
    const decided = await client.get(`/staff/classification-review/legacy/${String(legacyId)}`);
    // When, by whom, what it became and why.
    expect(decided.body).toContain(
      '<li><strong>10 November 2026</strong>: sup@cumbria.example: Corrected, Other, No online element: The messages were letters, not Facebook</li>',
    );
  });

  it('an analyst confirms a report as it is; the figures do not move', async () => {
    const client = await signIn('analyst@x.example');
    const queue = await client.get('/staff/classification-review?subject=report');
    const id = /\/staff\/classification-review\/report\/(\d+)/.exec(queue.body)?.[1] ?? '';
    const before = await cyberCount('dependent');
    const page = await client.get(`/staff/classification-review/report/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('govuk-radios');
    await client.post(`/staff/classification-review/report/${id}`, {
      category: 'hacking-social-email',
      online: 'computer-misuse',
      reason: 'Right as it is',
    });
    expect(client.path).toBe('/staff/classification-review?done=confirmed');
    const row = await ctx.services.database.db
      .selectFrom('reports')
      .select(['review', 'category', 'online'])
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ review: 'confirmed', category: 'hacking-social-email', online: 'computer-misuse' });
    expect(await cyberCount('dependent')).toBe(before);
  });

  it('is in Welsh too', async () => {
    const client = await signIn('analyst@x.example');
    const page = await client.get('/staff/classification-review?lng=cy');
    expect(page.body).toContain('Adolygu dosbarthiadau');
    expect(page.body).toContain('lang="cy"');
  });
});
