import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff, signInStaff } from '../../../../test/support/staff-fixtures.ts';
import { makeSubmission, suspect } from '../../../../test/support/submissions.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { readEveryCollection, runPublication } from '../../../../test/support/taxii-publication.ts';

const RIVAL = 'https://rival-bakery.co.uk/';

describe('values only intelligence-only, anonymous or unassessed public reports name wait for a staff release or independent reporters', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let reader = '';
  let analyst: FormClient;
  let officer: FormClient;
  const tokens: Record<string, string> = {};

  const publish = () => runPublication(ctx.services);

  /** The latest version of every indicator in every collection, by pattern. */
  const published = async () => {
    const found = new Map<string, { revoked: boolean; confidence: number }>();
    for (const page of await readEveryCollection(ctx.app, reader, 'match[type]=indicator&limit=50')) {
      const body = JSON.parse(page) as {
        objects?: { pattern: string; revoked: boolean; confidence: number }[];
      };
      for (const o of body.objects ?? []) found.set(o.pattern, o);
    }
    return found;
  };
  const live = async (pattern: string) => {
    const object = (await published()).get(pattern);
    return object !== undefined && !object.revoked;
  };

  /** A suspicious message reported through the public journey, by someone who types any email they like. */
  const reportSuspiciousMessage = async (link: string, email: string) => {
    const client = new FormClient(ctx.app);
    await client.get('/report/triage/danger');
    await client.post('/report/triage/danger', { answer: 'no' });
    await client.post('/report/triage/reporting-for', { answer: 'myself' });
    await client.post('/report/triage/what', { answer: 'suspicious-email' });
    await client.post('/report/help/phishing-email');
    await client.post('/report/suspicious', { sender: '', link, narrative: 'Got this email today' });
    await client.post('/report/evidence');
    await client.post('/report/contact-details', { email, phone: '', preferred: 'email' });
    await client.post('/report/postcode', { postcode: '' });
    expect(client.path).toBe('/report/check-answers');
    await client.post('/report/submit');
    expect(client.path).toBe('/report/confirmation');
  };

  const anonymousIntelligence = async (website: string, clientAddress: string) => {
    const report = await ctx.services.reportIntake.submit(
      makeSubmission({ category: 'phishing-attempt', suspect: suspect({ websites: [website] }) }),
      { clientAddress },
    );
    // Indicators are linked from the outbox after the acknowledgement: link what waits.
    await ctx.services.intelligence.linkPending();
    return report;
  };

  beforeAll(async () => {
    ctx = await createTestApp();
    const partner = await ctx.services.partners.add({
      name: 'Reads everything',
      sectors: ['all-sectors', 'finance', 'telecoms', 'hosting', 'retail', 'public-sector'],
      tlp: 'amber',
    });
    reader = `Bearer ${partner.token}`;
    const analystTotp = await addStaff(ctx.services, { email: 'analyst@nfib.example', role: 'analyst' });
    const officerTotp = await addStaff(ctx.services, {
      email: 'officer@nfib.example',
      role: 'national-officer',
      unitId: 'fraud-assessment',
    });
    analyst = await signInStaff(ctx.app, 'analyst@nfib.example', analystTotp);
    officer = await signInStaff(ctx.app, 'officer@nfib.example', officerTotp);
    for (const email of ['analyst@nfib.example', 'officer@nfib.example']) {
      const user = await ctx.services.staff.userIdByEmail(email);
      tokens[email] = (await ctx.services.tokens.create(email, ['staff'], user?.id ?? null)).token;
    }
  });
  afterAll(() => ctx.close());

  it('never publishes a rival’s website however often one person reports it, whatever emails they type', async () => {
    for (const n of [1, 2, 3, 4]) await reportSuspiciousMessage(RIVAL, `not.me.${n}@mail.example`);
    await publish();
    const patterns = [...(await published()).keys()].join('\n');
    expect(patterns).not.toContain('rival-bakery.co.uk');
    // Kept for police all the same.
    const stored = await ctx.services.database.db
      .selectFrom('indicators')
      .select('value')
      .where('value', '=', RIVAL)
      .execute();
    expect(stored).toHaveLength(1);
  });

  it('holds back what a public crime report with a typed email names until its unit assesses it', async () => {
    const site = 'https://rival-garden-centre.co.uk/';
    const pattern = `[domain-name:value = 'rival-garden-centre.co.uk']`;
    // A full fraud report, with any email the attacker likes: nothing vouches for it.
    const report = await ctx.services.reportIntake.submit(
      makeSubmission({
        category: 'online-shopping-fraud',
        reporter: {
          name: 'Made Up',
          victimName: null,
          email: 'made.up@mail.example',
          phone: null,
          preferredContact: 'email',
        },
        suspect: suspect({ websites: [site] }),
      }),
      { clientAddress: '192.0.2.44' },
    );
    await publish();
    expect(await live(pattern)).toBe(false);
    expect((await analyst.get('/staff/release')).body).toContain(site);
    // The unit it went to assesses it as a crime: the status change republishes from the outbox.
    const set = await officer.post(`/staff/reports/${report.reference}/status`, { status: 'assessed' });
    expect(set.statusCode).toBe(200);
    await publish();
    expect(await live(pattern)).toBe(true);
    // Set aside as no crime: withdrawn again.
    await officer.post(`/staff/reports/${report.reference}/status`, { status: 'no-crime' });
    await publish();
    expect(await live(pattern)).toBe(false);
  });

  it('publishes once enough independent reporters name it; repeats by one reporter add no confidence', async () => {
    const site = 'https://parcel-hold-fees.co.uk/pay';
    const pattern = `[url:value = '${site}']`;
    await anonymousIntelligence(site, '198.51.100.1');
    await anonymousIntelligence(site, '198.51.100.1');
    await anonymousIntelligence(site, '2001:db8:5:5::1');
    await anonymousIntelligence(site, '2001:db8:5:5::2');
    await publish();
    expect(await live(pattern)).toBe(false);
    await anonymousIntelligence(site, '198.51.100.3');
    await publish();
    expect(await live(pattern)).toBe(true);
    // Three reporters in one force: 50 + 10 × 2; the two repeats raise nothing.
    expect((await published()).get(pattern)?.confidence).toBe(70);
  });

  it('counts a business’s CSV, uploaded by an adviser, as one reporter, whatever emails and phones its rows give', async () => {
    const site = 'https://rival-print-shop.co.uk/';
    const pattern = `[domain-name:value = 'rival-print-shop.co.uk']`;
    const adviserTotp = await addStaff(ctx.services, { email: 'adviser@nfib.example', role: 'call-handler' });
    const adviser = await signInStaff(ctx.app, 'adviser@nfib.example', adviserTotp);
    const row = (n: number) =>
      `organisation,Shop ${n} Ltd,accounts${n}@shop${n}.example,07911 12345${n},CA1 1AA,` +
      `Invoice ${n}: a supplier we found on their website took our money,Shop ${n} Ltd,${site}`;
    const csv = [
      'reporter.type,reporter.name,reporter.email,reporter.phone,reporter.postcode,incident.narrative,reporter.organisation.name,suspect.websites',
      row(1),
      row(2),
      row(3),
      row(4),
    ].join('\n');
    const form = await adviser.get('/staff/adviser/bulk');
    // The form's one-time key (a second POST with it would record nothing).
    const formKey = /name="formKey" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const res = await adviser.upload(
      '/staff/adviser/bulk',
      [{ name: 'incidents.csv', content: csv }],
      'file',
      {
        fields: { formKey },
      },
    );
    expect(res.statusCode).toBe(200);
    expect(res.body.match(/CYB-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]/g)).toHaveLength(4);
    await publish();
    // One file is one source: four rows of it corroborate nothing.
    expect(await live(pattern)).toBe(false);
    expect((await analyst.get('/staff/release')).body).toContain(site);
  });

  it('counts one household’s IPv6 /56 as one reporter, however many /64s its devices use', async () => {
    const site = 'https://rival-florist.co.uk/';
    const pattern = `[url:value = '${site}']`;
    for (const address of ['2001:db8:aa:1::1', '2001:db8:aa:2::1', '2001:db8:aa:ff::1'])
      await anonymousIntelligence(site, address);
    await publish();
    expect(await live(pattern)).toBe(false);
  });

  it('lets an analyst release a waiting value from the release page, audit-logged, and publishes it', async () => {
    const site = 'https://hmrc-tax-refund-claim.co.uk/login';
    await reportSuspiciousMessage(site, 'someone@mail.example');
    await publish();
    expect(await live(`[url:value = '${site}']`)).toBe(false);
    const page = await analyst.get('/staff/release');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(site);
    expect(page.body).toContain(RIVAL);
    expect((await analyst.get('/staff/release?lng=cy')).body).toContain('Rhyddhau i bartneriaid');
    await analyst.get('/staff/release?lng=en');
    const done = await analyst.post('/staff/release', { type: 'url', value: site });
    expect(done.body).toContain('Released. Partners receive it within seconds.');
    expect(done.body).not.toContain(`<code>${site}</code>`);
    // Published by the job the release queued, as the server's worker runs it a moment later.
    expect(await live(`[url:value = '${site}']`)).toBe(false);
    await publish();
    expect(await live(`[url:value = '${site}']`)).toBe(true);
    expect(await live(`[url:value = '${RIVAL}']`)).toBe(false);
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('action', '=', 'indicator-release-to-partners')
      .execute();
    expect(audit).toEqual([{ actor: 'analyst@nfib.example', detail: `url ${site}` }]);
    // Officers do not see the page; a value no report names is refused with an error summary.
    expect((await officer.get('/staff/release')).statusCode).toBe(404);
    const unknown = await analyst.post('/staff/release', { type: 'url', value: 'https://nowhere.co.uk/' });
    expect(unknown.body).toContain('govuk-error-summary');
  });

  it('lets an officer release a value their own report names from the report page', async () => {
    const phone = '+447700900246';
    const pattern = `[user-account:account_type = 'phone-number' AND user-account:user_id = '${phone}']`;
    // Only a suspicious-message report names the number as the suspect's …
    await ctx.services.reportIntake.submit(
      makeSubmission({ category: 'phishing-attempt', suspect: suspect({ phones: ['07700 900246'] }) }),
      { clientAddress: '203.0.113.7' },
    );
    // … and a victim mentions it in what happened (a narrative alone never makes a phone number shareable).
    const victim = await ctx.services.reportIntake.submit(
      makeSubmission({
        category: 'online-shopping-fraud',
        reporter: {
          name: 'V',
          victimName: null,
          email: 'v@victims.example',
          phone: null,
          preferredContact: 'email',
        },
        narrative: 'The seller texted me from 07700 900246 and I paid for a sofa that never came',
      }),
    );
    await publish();
    expect(await live(pattern)).toBe(false);
    const page = await officer.get(`/staff/reports/${victim.reference}/indicators`);
    expect(page.body).toContain('Not shared yet: only intelligence, anonymous or unassessed reports name it');
    expect(page.body).toContain('Release to partners');
    await officer.post(`/staff/reports/${victim.reference}/release-to-partners`, {
      type: 'phone',
      value: phone,
    });
    await publish();
    expect(await live(pattern)).toBe(true);
    const after = await officer.get(`/staff/reports/${victim.reference}/indicators`);
    expect(after.body).toContain('Released to partners by officer@nfib.example');
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .select(['actor', 'reference'])
      .where('action', '=', 'indicator-release-to-partners')
      .where('reference', '=', victim.reference)
      .execute();
    expect(audit).toEqual([{ actor: 'officer@nfib.example', reference: victim.reference }]);
  });

  it('releases through the staff API, checking the token before the body', async () => {
    const site = 'https://courier-customs-fee.co.uk/';
    await anonymousIntelligence(site, '192.0.2.44');
    const post = (url: string, token: string | null, payload: unknown) =>
      ctx.app.inject({
        method: 'POST',
        url,
        headers: token === null ? {} : { authorization: `Bearer ${token}` },
        payload: payload as object,
      });
    for (const url of ['/api/v1/indicators/release', '/api/v1/reports/CYB-0000-0000-0/indicators/release']) {
      const anonymous = await post(url, null, { nonsense: true });
      expect(anonymous.statusCode, url).toBe(401);
    }
    const officerToken = tokens['officer@nfib.example'] ?? '';
    const analystToken = tokens['analyst@nfib.example'] ?? '';
    expect(
      (await post('/api/v1/indicators/release', officerToken, { type: 'url', value: site })).statusCode,
    ).toBe(403);
    const missing = await post('/api/v1/indicators/release', analystToken, {
      type: 'url',
      value: 'https://never-reported.co.uk/',
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json<{ errors: { name: string }[] }>().errors[0]?.name).toBe('value');
    const released = await post('/api/v1/indicators/release', analystToken, { type: 'url', value: site });
    expect(released.statusCode).toBe(200);
    await publish();
    expect(await live(`[url:value = '${site}']`)).toBe(true);
  });
});
