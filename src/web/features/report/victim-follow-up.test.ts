import type { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/support/form-client.ts';
import { makeSubmission } from '../../../../test/support/submissions.ts';
import { addStaff, signInStaff } from '../../../../test/support/staff-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';
import { readEveryCollection, runPublication } from '../../../../test/support/taxii-publication.ts';
import { clearVictimNews } from '../../../db/repositories/report-repository.ts';
import { CLIENT_LIMITS } from '../../../domain/limits/client-limits.ts';
import { generateCrimeReference } from '../../../domain/reference/crime-reference.ts';
import { jobHandlers } from '../../../services/background-jobs.ts';
import { logEmailSender } from '../../../services/email/email-sender.ts';
import { createOutboxWorker } from '../../../services/outbox-worker.ts';
import { createTranslator } from '../../plugins/i18n.ts';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 7),
]);
const quiet = { info: () => undefined, error: () => undefined };

describe(`victims come back: add information, evidence and contact details after the progress check (${testDialect})`, () => {
  let now = new Date('2026-12-07T10:00:00Z');
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let officer: TOTP;
  let partnerAuth = '';
  const refs = { ann: '', bob: '', dee: '', gwen: '' };
  let client = 0;
  /** A browser on an address of its own (the per-client limits stay out of the way of other tests). */
  const browser = () => new FormClient(ctx.app, { remoteAddress: `198.51.100.${++client}` });

  /** A report the Cumbria cyber crime unit holds, assessed (so what it alone names may be shared). */
  async function report(email: string, options: { phone?: string; lng?: 'en' | 'cy' } = {}) {
    const { reference } = await ctx.services.reportIntake.submit(
      makeSubmission({
        reporter: {
          name: 'A Person',
          victimName: null,
          email,
          phone: options.phone ?? null,
          preferredContact: 'email',
        },
        narrative: 'someone hacked my email account and is blackmailing me',
      }),
      { lng: options.lng ?? 'en' },
    );
    await ctx.services.intelligence.linkPending();
    await ctx.services.database.db
      .updateTable('reports')
      .set({ status: 'assessed' })
      .where('reference', '=', reference)
      .execute();
    return reference;
  }

  async function proven(reference: string, secret: string) {
    const victim = browser();
    await victim.get('/report/progress');
    const page = await victim.post('/report/progress', { reference, secret });
    expect(victim.path).toBe('/report/progress/your-report');
    return { victim, page };
  }

  const reportRow = (reference: string) =>
    ctx.services.database.db
      .selectFrom('reports')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
  const victimUpdates = async (reference: string) =>
    ctx.services.database.db
      .selectFrom('report_updates')
      .select(['id', 'kind', 'message'])
      .where('report_id', '=', (await reportRow(reference)).id)
      .where('kind', 'like', 'victim.%')
      .orderBy('id')
      .execute();
  const jobsOf = (reference: string) =>
    ctx.services.database.db
      .selectFrom('outbox')
      .select(['kind', 'dedupe_key', 'payload', 'status'])
      .where('dedupe_key', 'like', `%${reference}%`)
      .orderBy('id')
      .execute();
  const auditOf = (reference: string) =>
    ctx.services.database.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'detail'])
      .where('reference', '=', reference)
      .where('actor', '=', 'victim')
      .orderBy('id')
      .execute();

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    officer = await addStaff(ctx.services, {
      email: 'off@cumbria.example',
      role: 'force-officer',
      forceId: 'cumbria',
    });
    const partner = await ctx.services.partners.add({
      name: 'Reads everything',
      sectors: ['all-sectors', 'finance', 'telecoms', 'hosting', 'retail', 'public-sector'],
      tlp: 'amber',
    });
    partnerAuth = `Bearer ${partner.token}`;
    refs.ann = await report('ann@example.org', { phone: '07911 123456' });
    refs.bob = await report('bob@example.org');
    refs.dee = await report('dee@example.org');
    refs.gwen = await report('gwen@example.org', { lng: 'cy' });
  });
  afterAll(() => ctx.close());

  it('adds information in one go: history, queue flag, audit row, unit told, new indicators linked and published without personal data', async () => {
    const { victim, page } = await proven(refs.ann, 'ANN@example.org ');
    expect(page.body).toContain('Add information');
    expect(page.headers['cache-control']).toBe('no-store');

    const empty = await victim.post('/report/progress/add-information', { information: '   ' });
    expect(victim.path).toBe('/report/progress/add-information');
    expect(empty.body).toContain('govuk-error-summary');
    expect(empty.body).toContain('href="#information">Enter the information you want to add');

    const text =
      'They texted again from 07700 900777 and sent me to https://refund-desk-claims.co.uk/claim.\n' +
      'Reach me on 07911 123456 or ann@example.org.';
    const done = await victim.post('/report/progress/add-information', { information: text });
    expect(victim.path).toBe('/report/progress/your-report?done=information');
    expect(done.body).toContain('We have added your information to your report');
    expect(done.body).toContain('You added information to your report.');
    // Never repeated back on the page (a shared computer, someone looking over a shoulder).
    expect(done.body).not.toContain('refund-desk-claims');

    const [entry, ...others] = await victimUpdates(refs.ann);
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ kind: 'victim.information', message: text });
    expect((await reportRow(refs.ann)).victim_news_at).toBe(now.toISOString());
    const id = entry?.id ?? 0;
    const jobs = await jobsOf(refs.ann);
    const notification = jobs.find((j) => j.kind === 'unit-notification');
    expect(notification?.dedupe_key).toBe(`unit-notification:victim-information:${refs.ann}:${id}`);
    // Nothing the victim said and nothing about them: the reference and why.
    const told = await reportRow(refs.ann);
    expect(JSON.parse(notification?.payload ?? '{}')).toEqual({
      unit: told.unit_id,
      reference: refs.ann,
      reason: 'victim-information',
      protectRequest: null,
      category: told.category,
      urgent: expect.any(Boolean) as boolean,
    });
    const link = jobs.find((j) => j.dedupe_key === `link-report:${refs.ann}:victim-${id}`);
    const indicators = (
      JSON.parse(link?.payload ?? '{}') as { indicators: { type: string; value: string; source: string }[] }
    ).indicators.map((i) => `${i.type} ${i.value} ${i.source}`);
    expect(indicators).toContain('url https://refund-desk-claims.co.uk/claim narrative');
    expect(indicators).toContain('phone +447700900777 narrative');
    // The victim's own phone and email are theirs, not the offender's.
    expect(indicators.join()).not.toMatch(/447911123456|ann@example\.org/);
    expect(await auditOf(refs.ann)).toEqual([
      { actor: 'victim', action: 'victim-information-added', detail: `${text.length} character(s)` },
    ]);

    // Linked, then published under a key of its own (the report's first publication is long done).
    await runPublication(ctx.services);
    const published = await ctx.services.database.db
      .selectFrom('outbox')
      .select('status')
      .where('dedupe_key', '=', `publish-stix:${refs.ann}:victim-${id}`)
      .executeTakeFirst();
    expect(published?.status).toBe('done');
    const everything = (
      await readEveryCollection(ctx.app, partnerAuth, 'match[version]=all&limit=50')
    ).join();
    expect(everything).toContain("[url:value = 'https://refund-desk-claims.co.uk/claim']");
    for (const personal of ['+447700900777', '+447911123456', 'ann@example.org', 'Reach me'])
      expect(everything).not.toContain(personal);

    // The unit: a flag on the queue row until an officer opens the report, and a filter.
    const staff = await signInStaff(ctx.app, 'off@cumbria.example', officer, now);
    /** Whether the queue row of this report carries the flag. */
    const row = (body: string, reference: string) =>
      body
        .split('<tr class="govuk-table__row">')
        .find((r) => r.includes(`>${reference}</a>`))
        ?.split('</tr>')[0]
        ?.includes('app-victim-news');
    expect(row((await staff.get('/staff')).body, refs.ann)).toBe(true);
    expect(row((await staff.get('/staff')).body, refs.bob)).toBe(false);
    const filtered = await staff.get('/staff?victim=yes');
    expect(filtered.body).toContain(refs.ann);
    expect(filtered.body).not.toContain(refs.bob);
    // The filter is the officer's until they clear it: the queue opened again shows the same.
    expect((await staff.get('/staff')).body).not.toContain(refs.bob);
    const opened = await staff.get(`/staff/reports/${refs.ann}/history`);
    expect(opened.body).toContain('New information from the victim');
    expect(opened.body).toContain('They texted again from 07700 900777');
    expect(row((await staff.get('/staff?sort=priority')).body, refs.ann)).toBe(false);
    expect((await staff.get('/staff?victim=yes')).body).not.toContain(refs.ann);
  });

  it('keeps the flag when the victim adds more after the report was read', async () => {
    const { victim } = await proven(refs.dee, 'dee@example.org');
    await victim.post('/report/progress/add-information', { information: 'First thing.' });
    const first = (await reportRow(refs.dee)).victim_news_at ?? '';
    now = new Date(now.getTime() + 60_000);
    await victim.post('/report/progress/add-information', { information: 'Second thing.' });
    // An officer who read the report before the second addition clears only what they saw.
    await clearVictimNews(ctx.services.database.db, (await reportRow(refs.dee)).id, first);
    expect((await reportRow(refs.dee)).victim_news_at).toBe(now.toISOString());
  });

  it('tells the unit once until it reads the report: additions cannot flood its mailbox or out-of-hours contact', async () => {
    const reference = await report('eve@example.org');
    const told = async () =>
      (await jobsOf(reference)).filter((j) => j.kind === 'unit-notification').map((j) => j.dedupe_key);
    // Someone with the reference and email, from several addresses, adding as fast as the limits allow.
    for (let n = 0; n < 3; n++) {
      const { victim } = await proven(reference, 'eve@example.org');
      await victim.post('/report/progress/add-information', { information: `Addition ${n}` });
      await victim.upload('/report/progress/add-evidence', [{ name: `n${n}.txt`, content: `note ${n}` }]);
      await victim.post('/report/progress/contact-details', {
        email: 'eve@example.org',
        phone: `07911 12345${n}`,
        preferred: 'email',
      });
    }
    expect((await victimUpdates(reference)).length).toBe(9);
    const [first, ...more] = await told();
    expect(more).toEqual([]);
    expect(first).toMatch(new RegExp(`^unit-notification:victim-information:${reference}:\\d+$`));
    // Once an officer has opened the report, the next addition is news again.
    const staff = await signInStaff(ctx.app, 'off@cumbria.example', officer, now);
    expect((await staff.get(`/staff/reports/${reference}`)).statusCode).toBe(200);
    const { victim } = await proven(reference, 'eve@example.org');
    await victim.post('/report/progress/add-information', { information: 'After the read' });
    expect(await told()).toHaveLength(2);
  });

  it('answers a wrong email exactly as progress does, discloses nothing, and counts it towards the lock-out', async () => {
    const stranger = browser();
    await stranger.get('/report/progress');
    const unknown = generateCrimeReference(() => new Uint8Array(16).fill(9));
    const strip = (body: string) =>
      (/<main[\s\S]*<\/main>/.exec(body)?.[0] ?? '')
        .replace(/name="_csrf" value="[^"]*"/g, '')
        .replaceAll(refs.bob, 'REF')
        .replaceAll(unknown, 'REF');
    const wrong = await stranger.post('/report/progress', {
      reference: refs.bob,
      secret: 'not.bob@example.org',
    });
    const none = await stranger.post('/report/progress', {
      reference: unknown,
      secret: 'not.bob@example.org',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('We could not find a report with those details');
    expect(strip(wrong.body)).toBe(strip(none.body));
    const counter = await ctx.services.database.db
      .selectFrom('attempt_counters')
      .select('count')
      .where('key', '=', `tally:progress-wrong:${refs.bob}`)
      .executeTakeFirst();
    expect(counter?.count).toBe(1);

    // No access: the forms send them back to the check, and nothing is added.
    await stranger.get('/report/progress/add-information');
    expect(stranger.path).toBe('/report/progress');
    const refused = await stranger.post('/report/progress/add-information', { information: 'planted' });
    expect(stranger.path).toBe('/report/progress');
    expect(refused.body).toContain('Check progress again to continue');
    await stranger.upload('/report/progress/add-evidence', [{ name: 'a.txt', content: 'planted' }]);
    await stranger.post('/report/progress/contact-details', {
      email: 'thief@example.org',
      preferred: 'email',
    });
    expect(await victimUpdates(refs.bob)).toEqual([]);
    expect((await reportRow(refs.bob)).contact_email).toBe('bob@example.org');

    // Wrong answers lock this client out of the reference: the right email then opens nothing either.
    const allowed = CLIENT_LIMITS['progress-check-reference'].perClient;
    for (let i = 1; i < allowed; i++)
      await stranger.post('/report/progress', { reference: refs.bob, secret: `guess${i}@example.org` });
    const locked = await stranger.post('/report/progress', {
      reference: refs.bob,
      secret: 'bob@example.org',
    });
    expect(locked.statusCode).toBe(429);
    await stranger.get('/report/progress/add-information');
    expect(stranger.path).toBe('/report/progress');
  });

  it('lets a session proved for one report add nothing to another, whatever the form says', async () => {
    const { victim } = await proven(refs.dee, 'dee@example.org');
    const before = await victimUpdates(refs.bob);
    await victim.post('/report/progress/add-information', {
      information: 'meant for bob',
      reference: refs.bob,
    });
    await victim.post('/report/progress/contact-details', {
      email: 'dee.new@example.org',
      preferred: 'email',
      reference: refs.bob,
    });
    expect(await victimUpdates(refs.bob)).toEqual(before);
    expect((await reportRow(refs.bob)).contact_email).toBe('bob@example.org');
    expect((await victimUpdates(refs.dee)).map((u) => u.message)).toContain('meant for bob');
    expect((await reportRow(refs.dee)).contact_email).toBe('dee.new@example.org');
  });

  it('shows progress to a postcode, but adding needs the email address', async () => {
    const { victim, page } = await proven(refs.bob, 'CA1 1AA');
    expect(page.body).toContain('check progress again with the email address you gave');
    expect(page.body).not.toContain('href="/report/progress/add-information"');
    await victim.get('/report/progress/add-information');
    expect(victim.path).toBe('/report/progress/your-report');
    await victim.post('/report/progress/add-information', { information: 'by postcode' });
    await victim.post('/report/progress/contact-details', { email: 'x@example.org', preferred: 'email' });
    expect((await victimUpdates(refs.bob)).map((u) => u.message)).not.toContain('by postcode');
    expect((await reportRow(refs.bob)).contact_email).toBe('bob@example.org');
  });

  it('ends the victim’s session 30 minutes after the check', async () => {
    const { victim } = await proven(refs.bob, 'bob@example.org');
    expect((await victim.get('/report/progress/add-information')).statusCode).toBe(200);
    now = new Date(now.getTime() + 30 * 60_000);
    const page = await victim.post('/report/progress/add-information', { information: 'too late' });
    expect(victim.path).toBe('/report/progress');
    expect(page.body).toContain('Check progress again to continue');
    expect((await victimUpdates(refs.bob)).map((u) => u.message)).not.toContain('too late');
  });

  it('ends the victim’s access at once with "Finish": the next person at a shared computer, or a copy of the cookie, opens nothing', async () => {
    const reference = await report('fin@example.org');
    const { victim, page } = await proven(reference, 'fin@example.org');
    expect(page.body).toContain('action="/report/progress/finish"');
    const copy = new FormClient(ctx.app, {
      remoteAddress: '198.51.100.250',
      headers: { cookie: `bl_session=${victim.cookie('bl_session') ?? ''}` },
    });
    const before = (await victimUpdates(reference)).length;
    const finished = await victim.post('/report/progress/finish');
    expect(victim.path).toBe('/report/progress?finished=1');
    expect(finished.body).toContain('You have finished');
    for (const browser of [victim, copy]) {
      await browser.get('/report/progress/your-report');
      expect(browser.path).toBe('/report/progress');
      await browser.get('/report/progress/contact-details');
      expect(browser.path).toBe('/report/progress');
    }
    await victim.post('/report/progress/add-information', { information: 'next person' });
    expect(victim.path).toBe('/report/progress');
    expect((await victimUpdates(reference)).length).toBe(before);
  });

  it('checks uploaded evidence exactly as the journey does, and adds a passing upload whole', async () => {
    const { victim } = await proven(refs.bob, 'bob@example.org');
    expect((await victim.get('/report/progress/add-evidence')).body).toContain('Upload more evidence');
    const held = async () =>
      ctx.services.database.db
        .selectFrom('report_evidence')
        .select('file_name')
        .where('report_id', '=', (await reportRow(refs.bob)).id)
        .execute();

    // A program named as a picture, and a picture named as text: refused by content, with the journey's words.
    const exe = await victim.upload('/report/progress/add-evidence', [
      { name: 'photo.png', content: Buffer.from('MZ\x90\x00rest-of-an-exe') },
    ]);
    expect(victim.path).toBe('/report/progress/add-evidence');
    expect(exe.body).toContain('govuk-error-summary');
    expect(exe.body).toContain('must be an image, PDF, email (.eml) or text file');
    const renamed = await victim.upload('/report/progress/add-evidence', [
      { name: 'notes.txt', content: PNG },
      { name: 'fine.txt', content: 'a fine note' },
    ]);
    expect(renamed.body).toContain('does not match what is in it');
    expect(await held()).toEqual([]);
    expect((await victim.upload('/report/progress/add-evidence', [])).body).toContain(
      'Select a file to upload',
    );

    const ok = await victim.upload('/report/progress/add-evidence', [
      { name: 'more <b>.txt', content: 'They now use https://second-wave-refunds.co.uk/start' },
      { name: 'screen.png', content: PNG },
    ]);
    expect(victim.path).toBe('/report/progress/your-report?done=evidence');
    expect(ok.body).toContain('You added evidence to your report.');
    expect((await held()).map((f) => f.file_name).sort()).toEqual(['more b.txt', 'screen.png']);
    const [entry] = (await victimUpdates(refs.bob)).filter((u) => u.kind === 'victim.evidence');
    expect(entry?.message).toBe('more b.txt, screen.png');
    const [audit] = (await auditOf(refs.bob)).filter((a) => a.action === 'victim-evidence-added');
    expect(audit?.detail).toMatch(/^2 file\(s\): [0-9a-f]{64}, [0-9a-f]{64}$/);
    const link = (await jobsOf(refs.bob)).find(
      (j) => j.dedupe_key === `link-report:${refs.bob}:victim-${entry?.id}`,
    );
    expect(link?.payload).toContain('https://second-wave-refunds.co.uk/start');

    // The report's limit counts the files it holds: 20 in all.
    const more = Array.from({ length: 19 }, (_, n) => ({ name: `note-${n}.txt`, content: `note ${n}` }));
    const full = await victim.upload('/report/progress/add-evidence', more);
    expect(full.body).toContain('You can upload up to 20 files');
    expect(await held()).toHaveLength(2);
    await victim.upload('/report/progress/add-evidence', more.slice(0, 18));
    expect(await held()).toHaveLength(20);
  });

  it('corrects contact details as the journey validates them, keeps the values out of history and audit, and tells the old address in the report’s language', async () => {
    const { victim } = await proven(refs.gwen, 'gwen@example.org');
    const invalid = await victim.post('/report/progress/contact-details?lng=cy', {
      email: 'not-an-email',
      phone: '',
      preferred: 'email',
    });
    expect(victim.path).toBe('/report/progress/contact-details');
    expect(invalid.body).toContain('govuk-error-summary');
    expect(invalid.body).toContain('href="#email"');
    expect(invalid.body).toContain('value="not-an-email"');

    const changed = await victim.post('/report/progress/contact-details', {
      email: 'Gwen.New@example.org',
      phone: '07911 123456',
      preferred: 'phone',
    });
    expect(victim.path, /govuk-error-summary[\s\S]*?<\/ul>/.exec(changed.body)?.[0]).toBe(
      '/report/progress/your-report?done=contact',
    );
    const row = await reportRow(refs.gwen);
    expect(row.contact_email).toBe('gwen.new@example.org');
    expect(JSON.parse(row.answers)).toMatchObject({
      reporter: { email: 'gwen.new@example.org', phone: '+447911123456', preferredContact: 'phone' },
    });
    const [entry] = await victimUpdates(refs.gwen);
    expect(entry).toMatchObject({ kind: 'victim.contact', message: '' });
    expect(await auditOf(refs.gwen)).toEqual([
      {
        actor: 'victim',
        action: 'victim-contact-corrected',
        detail: 'changed: email, phone, preferred contact',
      },
    ]);
    const jobs = await jobsOf(refs.gwen);
    expect(jobs.map((j) => j.dedupe_key)).toEqual(
      expect.arrayContaining([
        `publish-stix:${refs.gwen}:victim-${entry?.id}`,
        `contact-changed-email:${refs.gwen}:${entry?.id}`,
      ]),
    );

    // The officer sees that they changed, not what to.
    const staff = await signInStaff(ctx.app, 'off@cumbria.example', officer, now);
    const page = await staff.get(`/staff/reports/${refs.gwen}/history`);
    const history = page.body.slice(page.body.indexOf('<main'), page.body.indexOf('</main>'));
    expect(history).toContain('Contact details corrected by the victim');
    expect(history).not.toMatch(/gwen\.new|447911123456/);

    // The old address hears of it, in Welsh as the report was made; the new address now opens the report.
    const translator = await createTranslator();
    const email = logEmailSender(quiet);
    const worker = createOutboxWorker(
      ctx.services.database.db,
      ctx.services.database.dialect,
      ctx.services.clock,
      jobHandlers(ctx.services, {
        log: quiet,
        email,
        translate: (lng, key, vars) => translator[lng](key, vars),
      }),
      quiet,
    );
    while ((await worker.runOnce()) > 0);
    const sent = email.sent.filter((m) => m.template === 'email.contactChanged' && m.reference === refs.gwen);
    expect(sent.map((m) => [m.to, m.subject])).toEqual([
      [
        'gwen@example.org',
        `Mae’r manylion cyswllt ar gyfer eich adroddiad am seiberdrosedd ${refs.gwen} wedi newid`,
      ],
    ]);
    expect(sent[0]?.text).not.toMatch(/gwen\.new|447911123456/);
    const old = browser();
    await old.get('/report/progress');
    expect(
      (await old.post('/report/progress', { reference: refs.gwen, secret: 'gwen@example.org' })).statusCode,
    ).toBe(400);
    await proven(refs.gwen, 'gwen.new@example.org');
  });

  it('retention discards the additions’ jobs and empties what the victim added', async () => {
    const { victim } = await proven(refs.dee, 'dee.new@example.org');
    await victim.post('/report/progress/contact-details', {
      email: 'dee.third@example.org',
      preferred: 'email',
    });
    const id = (await reportRow(refs.dee)).id;
    await ctx.services.database.db
      .updateTable('reports')
      .set({ status: 'closed', updated_at: now.toISOString() })
      .where('id', '=', id)
      .execute();
    now = new Date(now.getTime() + (ctx.services.config.retentionClosedReportDays + 1) * 86_400_000);
    expect(await ctx.services.retention.removeExpiredPersonalData()).toBeGreaterThanOrEqual(1);
    for (const job of await jobsOf(refs.dee))
      if (['link-report', 'contact-changed-email'].includes(job.kind)) {
        expect(job.payload).toBe('{}');
        expect(job.status).not.toBe('pending');
      }
    expect((await victimUpdates(refs.dee)).every((u) => u.message === '')).toBe(true);
    // And the report's personal data gone, the victim can add nothing more.
    await expect(
      ctx.services.victimFollowUp.addInformation({ reference: refs.dee }, 'after retention'),
    ).rejects.toMatchObject({ kind: 'not-found' });
  });
});
