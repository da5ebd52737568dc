import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_LIMITS } from '../../../domain/limits/client-limits.ts';
import { parseCrimeReference } from '../../../domain/reference/crime-reference.ts';
import { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff } from '../../../../test/support/staff-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { jobHandlers } from '../../../services/background-jobs.ts';
import { logEmailSender } from '../../../services/email/email-sender.ts';
import { createOutboxWorker } from '../../../services/outbox-worker.ts';
import { createTranslator } from '../../plugins/i18n.ts';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 1),
]);

describe('the report journey', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx.close());

  async function throughTriage(client: FormClient, reportingFor: string) {
    await client.get('/report/triage/danger');
    await client.post('/report/triage/danger', { answer: 'no' });
    await client.post('/report/triage/reporting-for', { answer: reportingFor });
    if (reportingFor === 'organisation') await client.post('/report/triage/live-attack', { answer: 'no' });
    await client.post('/report/triage/what', {
      answer: reportingFor === 'organisation' ? 'hacked-or-attacked' : 'money-or-account',
    });
    if (reportingFor === 'organisation') await client.post('/report/triage/personal-data', { answer: 'no' });
  }

  async function individualReport(
    client: FormClient,
    narrative = 'I bought a puppy on a marketplace and paid by bank transfer.',
  ) {
    await throughTriage(client, 'myself');
    expect(client.path).toBe('/report/about-you');
    await client.post('/report/about-you', { name: 'Ann Example' });
    await client.post('/report/what-happened', { choice: 'bought-something', narrative });
    await client.post('/report/when', { day: '3', month: '11', year: '2026', ongoing: 'no' });
    await client.post('/report/contact-method', { method: 'marketplace' });
    await client.post('/report/money', {
      lost: 'yes',
      amount: '£1,250.50',
      method: 'bank-transfer',
      sortCode: '20-00-00',
      accountNumber: '12345678',
      wallets: '',
    });
    await client.post('/report/suspect', {
      names: 'Puppy Sales Ltd',
      emails: 'sales@puppies.example',
      phones: '',
      websites: '',
      socials: '',
    });
    await client.upload('/report/evidence/upload', [{ name: 'advert.png', content: PNG }]);
    await client.post('/report/evidence');
    await client.post('/report/vulnerability', { flags: ['over-70'] });
    await client.post('/report/contact-details', {
      email: 'Ann@Example.org',
      phone: '07911 123456',
      preferred: 'email',
    });
    await client.post('/report/postcode', { postcode: 'ca1 1aa' });
    return client.post('/report/victim-support', { consent: 'yes' });
  }

  it('takes an individual from start to a crime reference number, storing everything first', async () => {
    const client = new FormClient(ctx.app);
    const check = await individualReport(client);
    expect(client.path).toBe('/report/check-answers');
    for (const shown of [
      'Ann Example',
      'I bought a puppy',
      '£1,250.50',
      '20-00-00 12345678',
      'advert.png',
      'Ann@Example.org',
      'CA1 1AA',
    ]) {
      expect(check.body).toContain(shown);
    }
    const confirmation = await client.post('/report/submit');
    expect(client.path).toBe('/report/confirmation');
    const reference = /CYB-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]/.exec(confirmation.body)?.[0] ?? '';
    expect(parseCrimeReference(reference)).toBe(reference);
    expect(confirmation.body).toContain('govuk-panel--confirmation');
    expect(confirmation.body).toContain('Call your bank or card provider now');
    expect(confirmation.body).toContain('0808 1689111');
    // A copy of what they told us, to keep (and reuse, e.g. for the ICO).
    expect(confirmation.body).toContain('A copy of what you told us');
    expect(confirmation.body).toContain('I bought a puppy on a marketplace and paid by bank transfer.');

    const db = ctx.services.database.db;
    const row = await db
      .selectFrom('reports')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      category: 'online-shopping-fraud',
      cyber: 'enabled',
      recording_code: 'NFIB3A',
      force_id: 'cumbria',
      postcode: 'CA1 1AA',
      contact_email: 'ann@example.org',
      loss_pence: 125050,
      vulnerable: 1,
      victim_support_consent: 1,
      source: 'web',
      reporter_type: 'individual',
      // A fraud with a vulnerable victim has leads: straight to the force, not the national assessment queue.
      unit_id: 'cumbria-cyber',
      routing_rule: 'fraud-with-leads',
    });
    expect(JSON.parse(row.routing_reasons)).toEqual([
      { fact: 'category', category: 'online-shopping-fraud' },
      { fact: 'leads', leads: { kind: 'vulnerable' } },
    ]);
    const answers = JSON.parse(row.answers) as {
      reporter: { phone: string };
      suspect: { bankAccounts: string[] };
    };
    expect(answers.reporter.phone).toBe('+447911123456');
    expect(answers.suspect.bankAccounts).toEqual(['200000-12345678']);
    const evidence = await db
      .selectFrom('report_evidence')
      .selectAll()
      .where('report_id', '=', row.id)
      .execute();
    expect(evidence.map((e) => [e.file_name, e.content_type])).toEqual([['advert.png', 'image/png']]);
    const job = await db
      .selectFrom('outbox')
      .selectAll()
      .where('dedupe_key', '=', `confirmation-email:${reference}`)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(job.payload)).toMatchObject({ to: 'ann@example.org', reference });

    // The draft is gone: going back to the journey starts again.
    await client.get('/report/check-answers');
    expect(client.path).toBe('/report/triage/danger');
  });

  it('shows the copy of the answers only to the browser session that submitted, under a new session id', async () => {
    const client = new FormClient(ctx.app);
    await individualReport(client, 'My neighbour Zed Quill sold me a fake puppy.');
    // The journey's cookie, as someone else might hold it (a shared computer, a planted session id).
    const journeyCookie = `bl_session=${client.cookie('bl_session') ?? ''}`;
    const confirmation = await client.post('/report/submit');
    expect(client.path).toBe('/report/confirmation');
    expect(confirmation.headers['cache-control']).toBe('no-store');
    expect(confirmation.body).toContain('Zed Quill');
    // A reload in the same browser session still shows the copy.
    expect((await client.get('/report/confirmation')).body).toContain('Zed Quill');

    const stranger = new FormClient(ctx.app);
    await stranger.get('/report/triage/danger');
    await stranger.post('/report/triage/danger', { answer: 'no' });
    for (const cookie of [journeyCookie, '', `bl_session=${stranger.cookie('bl_session') ?? ''}`]) {
      const res = await ctx.app.inject({ url: '/report/confirmation', headers: { cookie } });
      expect(res.statusCode).toBe(303);
      for (const personal of ['Zed Quill', 'Ann Example', 'ann@example.org', '07911', 'CYB-'])
        expect(res.body).not.toContain(personal);
    }
    expect(client.cookie('bl_session')).not.toBe(journeyCookie.slice('bl_session='.length));
    // Nothing of it remains under the journey's old id.
    const oldId = ctx.app.unsignCookie(decodeURIComponent(journeyCookie.slice('bl_session='.length))).value;
    expect(await ctx.services.sessions.load(oldId ?? '')).toBeNull();
  });

  it('lets people check progress with the reference and their email or postcode, with one message for any wrong pair', async () => {
    const client = new FormClient(ctx.app);
    await individualReport(client);
    const confirmation = await client.post('/report/submit');
    const reference = /CYB-[0-9A-Z-]{11}/.exec(confirmation.body)?.[0] ?? '';

    const visitor = new FormClient(ctx.app);
    await visitor.get('/report/progress');
    const byEmail = await visitor.post('/report/progress', {
      reference: reference.toLowerCase().replace(/-/g, ' '),
      secret: 'ANN@example.org',
    });
    expect(byEmail.statusCode).toBe(200);
    expect(byEmail.body).toContain(reference);
    expect(byEmail.body).toContain('Received');
    expect(byEmail.body).toContain('Cumbria Constabulary');
    expect(byEmail.body).toContain(
      'Sent to Cumbria Constabulary Cyber and Digital Crime Unit because there are leads your local police force can follow up.',
    );
    const byPostcode = await visitor.post('/report/progress', { reference, secret: 'ca11aa' });
    expect(byPostcode.statusCode).toBe(200);

    const wrongEmail = await visitor.post('/report/progress', { reference, secret: 'someone@else.org' });
    const unknownRef = await visitor.post('/report/progress', {
      reference: 'CYB-0000-0000-0',
      secret: 'ann@example.org',
    });
    for (const res of [wrongEmail, unknownRef]) {
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('We could not find a report with those details');
    }
    const typo = await visitor.post('/report/progress', {
      reference: reference.slice(0, -1) + (reference.endsWith('A') ? 'B' : 'A'),
      secret: 'x',
    });
    expect(typo.body).toContain('Check your crime reference number');
  });

  it('throttles a stranger guessing a reference without locking the victim out', async () => {
    const client = new FormClient(ctx.app);
    await individualReport(client);
    const confirmation = await client.post('/report/submit');
    const reference = /CYB-[0-9A-Z-]{11}/.exec(confirmation.body)?.[0] ?? '';
    const stranger = new FormClient(ctx.app, { remoteAddress: '203.0.113.66' });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++)
      statuses.push(
        (await stranger.post('/report/progress', { reference, secret: `guess${i}@example.org` })).statusCode,
      );
    const allowed = CLIENT_LIMITS['progress-check-reference'].perClient;
    expect(statuses.slice(0, allowed)).toEqual(Array(allowed).fill(400));
    expect(new Set(statuses.slice(allowed))).toEqual(new Set([429]));
    // Even the right answer is refused on the stranger's connection until the window passes.
    const right = await stranger.post('/report/progress', { reference, secret: 'ann@example.org' });
    expect(right.statusCode).toBe(429);
    expect(right.body).toContain('Sorry, there have been too many attempts');

    const victim = new FormClient(ctx.app, { remoteAddress: '198.51.100.66' });
    const own = await victim.post('/report/progress', { reference, secret: 'ann@example.org' });
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain(reference);
  });

  it('returns to check answers after a change, and shows HTML in answers as text', async () => {
    const client = new FormClient(ctx.app);
    await individualReport(client, '<script>alert("x")</script> took my money');
    const check = await client.get('/report/check-answers');
    expect(check.body).not.toContain('<script>alert');
    expect(check.body).toContain('&lt;script&gt;');
    const changePage = await client.get('/report/when?change=1');
    expect(changePage.body).toContain('href="/report/check-answers"');
    await client.post('/report/when?change=1', { day: '1', month: '11', year: '2026', ongoing: 'yes' });
    expect(client.path).toBe('/report/check-answers');
  });

  it('shows GOV.UK errors for bad answers and keeps what was typed', async () => {
    const client = new FormClient(ctx.app);
    await throughTriage(client, 'myself');
    await client.post('/report/about-you', { name: 'Ann Example' });
    await client.post('/report/what-happened', { choice: 'bought-something', narrative: 'x' });
    const future = await client.post('/report/when', { day: '1', month: '1', year: '2999', ongoing: 'no' });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('Date it started must be today or in the past');
    const notReal = await client.post('/report/when', { day: '31', month: '2', year: '2026', ongoing: 'no' });
    expect(notReal.body).toContain('Date it started must be a real date');
    expect(notReal.body).toContain('value="31"');
    await client.post('/report/when', { day: '1', month: '2', year: '2026', ongoing: 'no' });
    await client.post('/report/contact-method', { method: 'email' });
    const money = await client.post('/report/money', {
      lost: 'yes',
      amount: 'lots',
      method: '',
      sortCode: '12',
      accountNumber: '',
    });
    expect(money.statusCode).toBe(400);
    for (const message of [
      'Amount lost must be an amount of money',
      'Select how you paid',
      'Enter a valid sort code',
      'Enter a valid account number',
    ]) {
      expect(money.body).toContain(message);
    }
    const tooLong = await client.post('/report/money', { lost: 'no', wallets: 'x'.repeat(2001) });
    expect(tooLong.body).toContain('Wallet addresses must be 2,000 characters or fewer');
  });

  it('writes to the person in the language they reported in: a Welsh report’s update email is in Welsh', async () => {
    const client = new FormClient(ctx.app);
    await client.get('/report?lng=cy');
    await individualReport(client);
    const confirmation = await client.post('/report/submit');
    const reference = /CYB-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]/.exec(confirmation.body)?.[0] ?? '';
    const db = ctx.services.database.db;
    const row = await db
      .selectFrom('reports')
      .select('lng')
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(row.lng).toBe('cy');

    // Days later, in an English-speaking workspace, an officer sends the victim a message.
    await addStaff(ctx.services, {
      email: 'welsh.oic@police.example',
      role: 'force-officer',
      forceId: 'cumbria',
    });
    const officer = await ctx.services.staff.byId(
      (await ctx.services.staff.userIdByEmail('welsh.oic@police.example'))?.id ?? 0,
    );
    if (officer === null) throw new Error('no officer');
    await ctx.services.casework.addUpdate(officer, reference, 'Rydym wedi siarad â’ch banc.', true);

    const translator = await createTranslator();
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const email = logEmailSender(quiet);
    const worker = createOutboxWorker(
      db,
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
    // Emails to the person (the unit is also told of this vulnerable victim's report, in English).
    const sent = email.sent.filter((m) => m.reference === reference && m.to === 'ann@example.org');
    expect(sent.map((m) => [m.template, m.to, m.subject])).toEqual([
      ['email.confirmation', 'ann@example.org', `Eich adroddiad am seiberdrosedd: ${reference}`],
      ['email.update', 'ann@example.org', `Diweddariad ar eich adroddiad am seiberdrosedd ${reference}`],
    ]);
    expect(sent[1]?.text).toContain('Mae diweddariad ar eich adroddiad');
    // Its link opens the progress page in Welsh.
    expect(sent[1]?.text).toContain('/report/progress?lng=cy');
  });

  it('checks evidence by content, not name, and lets people remove a file', async () => {
    const client = new FormClient(ctx.app);
    await throughTriage(client, 'myself');
    await client.post('/report/about-you', { name: 'Ann' });
    await client.post('/report/what-happened', { choice: 'virus', narrative: 'pop ups' });
    await client.post('/report/when', { day: '1', month: '2', year: '2026', ongoing: 'no' });
    await client.post('/report/contact-method', { method: 'no-contact' });
    await client.post('/report/money', { lost: 'no' });
    await client.post('/report/suspect', {});
    const exe = await client.upload('/report/evidence/upload', [
      { name: 'photo.png', content: Buffer.from('MZ\x90\x00rest-of-an-exe') },
    ]);
    expect(exe.statusCode).toBe(400);
    expect(exe.body).toContain('must be an image, PDF, email (.eml) or text file');
    const renamed = await client.upload('/report/evidence/upload', [{ name: 'notes.txt', content: PNG }]);
    expect(renamed.body).toContain('does not match what is in it');
    const ok = await client.upload('/report/evidence/upload', [
      { name: '../../etc/scam <b>.txt', content: 'Dear customer, pay now' },
      { name: 'screen.png', content: PNG },
    ]);
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('scam b.txt');
    expect(ok.body).not.toContain('<b>');
    const sha = /name="sha256" value="([0-9a-f]{64})"/.exec(ok.body)?.[1] ?? '';
    const removed = await client.post('/report/evidence/remove', { sha256: sha });
    expect((removed.body.match(/name="sha256"/g) ?? []).length).toBe(1);
    // Twenty files a report: the one kept plus 19 more are taken, the 21st is refused.
    const more = Array.from({ length: 20 }, (_, n) => ({ name: `note-${n}.txt`, content: `note ${n}` }));
    const full = await client.upload('/report/evidence/upload', more.slice(0, 19));
    expect((full.body.match(/name="sha256"/g) ?? []).length).toBe(20);
    const over = await client.upload('/report/evidence/upload', more.slice(19));
    expect(over.statusCode).toBe(400);
    expect(over.body).toContain('You can upload up to 20 files');
    expect((over.body.match(/name="sha256"/g) ?? []).length).toBe(20);
  });

  it('asks which force when an organisation’s postcode district is split, and routes there', async () => {
    const client = new FormClient(ctx.app);
    await throughTriage(client, 'organisation');
    expect(client.path).toBe('/report/organisation');
    await client.post('/report/organisation', { name: 'Acme Ltd', sector: 'energy', employees: '50-249' });
    await client.post('/report/about-you', { name: 'Sam Manager' });
    await client.post('/report/what-happened', {
      choice: 'ransomware',
      narrative: 'Files encrypted, ransom note',
    });
    await client.post('/report/when', { day: '1', month: '11', year: '2026', ongoing: 'yes' });
    await client.post('/report/contact-method', { method: 'email' });
    await client.post('/report/money', { lost: 'no' });
    await client.post('/report/suspect', {});
    await client.post('/report/evidence');
    expect(client.path).toBe('/report/contact-details');
    await client.post('/report/contact-details', {
      email: '',
      phone: '+44 808 157 0192',
      preferred: 'phone',
    });
    const split = ctx.services.reference.postcodeAreas.LA?.districts ?? {};
    const district = Object.entries(split).find(([, forces]) => forces.length > 1)?.[0] ?? '';
    expect(district).not.toBe('');
    await client.post('/report/postcode', { postcode: `${district} 1AA` });
    expect(client.path).toBe('/report/force');
    const candidates = split[district] ?? [];
    await client.post('/report/force', { force: candidates[1] ?? '' });
    await client.post('/report/victim-support', { consent: 'no' });
    await client.post('/report/submit');
    const row = await ctx.services.database.db
      .selectFrom('reports')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      reporter_type: 'organisation',
      category: 'hacking-extortion',
      force_id: candidates[1],
      ongoing: 1,
      contact_email: null,
    });
    expect(JSON.parse(row.force_candidates)).toEqual(candidates);
  });

  it('records a suspicious email as intelligence (phishing-attempt) with optional contact details', async () => {
    const client = new FormClient(ctx.app);
    await client.get('/report/triage/danger');
    await client.post('/report/triage/danger', { answer: 'no' });
    await client.post('/report/triage/reporting-for', { answer: 'myself' });
    await client.post('/report/triage/what', { answer: 'suspicious-email' });
    await client.post('/report/help/phishing-email');
    expect(client.path).toBe('/report/suspicious');
    await client.post('/report/suspicious', {
      sender: 'security@hmrc-refunds.example',
      link: 'hxxps://hmrc-refunds[.]example/claim',
      narrative: '',
    });
    await client.post('/report/evidence');
    await client.post('/report/contact-details', { email: '', phone: '', preferred: '' });
    await client.post('/report/postcode', { postcode: '' });
    expect(client.path).toBe('/report/check-answers');
    const confirmation = await client.post('/report/submit');
    expect(confirmation.body).toContain('will be checked and shared with organisations that can block them');
    const row = await ctx.services.database.db
      .selectFrom('reports')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      category: 'phishing-attempt',
      cyber: 'none',
      status: 'intelligence',
      force_id: null,
    });
    expect(row.narrative).toContain('hmrc-refunds[.]example');
  });
});
