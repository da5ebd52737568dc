import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/support/form-client.ts';
import { Killed, killedAt } from '../../../../test/support/killed-repositories.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';
import { jobHandlers } from '../../../services/background-jobs.ts';
import { createDataCipher } from '../../../services/data-cipher.ts';
import { logEmailSender } from '../../../services/email/email-sender.ts';
import { createOutboxWorker } from '../../../services/outbox-worker.ts';
import { createSavedDrafts, SAVED_DRAFT_EMAILS_PER_ADDRESS } from '../../../services/saved-drafts.ts';
import { createTranslator } from '../../plugins/i18n.ts';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 5),
]);
const quiet = { info: () => undefined, error: () => undefined };
const LINK = /\/report\/return\/([A-Za-z0-9_-]{43})\b/;

describe(`save and come back later: a single-use, 30-day link (${testDialect})`, () => {
  let now = new Date('2026-12-07T10:00:00Z');
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const mail = logEmailSender(quiet);
  let sendEmails: () => Promise<void>;
  let client = 0;
  const browser = () => new FormClient(ctx.app, { remoteAddress: `198.51.100.${++client}` });

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    const translator = await createTranslator();
    const worker = createOutboxWorker(
      ctx.services.database.db,
      ctx.services.database.dialect,
      ctx.services.clock,
      jobHandlers(ctx.services, {
        log: quiet,
        email: mail,
        translate: (lng, key, vars) => translator[lng](key, vars),
      }),
      quiet,
    );
    sendEmails = async () => {
      while ((await worker.runOnce()) > 0);
    };
  });
  afterAll(() => ctx.close());

  /** Through the journey to the vulnerability page, with two files uploaded. */
  async function journey(victim: FormClient, lng: 'en' | 'cy' = 'en') {
    await victim.get(`/report/triage/danger?lng=${lng}`);
    await victim.post('/report/triage/danger', { answer: 'no' });
    await victim.post('/report/triage/reporting-for', { answer: 'myself' });
    await victim.post('/report/triage/what', { answer: 'money-or-account' });
    await victim.post('/report/about-you', { name: 'Ann Example' });
    await victim.post('/report/what-happened', {
      choice: 'bought-something',
      narrative: 'I paid a fake landlord a deposit for a flat that does not exist.',
    });
    await victim.post('/report/when', { day: '3', month: '11', year: '2025', ongoing: 'no' });
    await victim.post('/report/contact-method', { method: 'marketplace' });
    await victim.post('/report/money', { lost: 'no' });
    await victim.post('/report/suspect', { names: '', emails: '', phones: '', websites: '', socials: '' });
    await victim.upload('/report/evidence/upload', [
      { name: 'advert.png', content: PNG },
      { name: 'note.txt', content: 'the landlord said to pay by transfer only' },
    ]);
    await victim.post('/report/evidence');
    expect(victim.path).toBe('/report/vulnerability');
  }

  const savedRows = () => ctx.services.database.db.selectFrom('saved_drafts').selectAll().execute();
  const lastLink = () => LINK.exec(mail.sent.at(-1)?.text ?? '')?.[1] ?? '';

  it('saves from a question page, emails a link whose token only the email holds, and restores the answers once, elsewhere', async () => {
    const victim = browser();
    await journey(victim);
    // The question page's own answer is kept too, then the link is asked for.
    const save = await victim.post('/report/vulnerability', { flags: ['over-70'], saveAndReturn: 'yes' });
    expect(victim.path).toBe('/report/save');
    expect(save.body).toContain('you may need to upload them again');
    const invalid = await victim.post('/report/save', { email: 'not an email' });
    expect(victim.path).toBe('/report/save');
    expect(invalid.body).toContain('govuk-error-summary');
    expect(invalid.body).toContain('href="#email"');
    const sent = await victim.post('/report/save', { email: 'Ann@Example.org' });
    expect(victim.path).toBe('/report/saved');
    expect(sent.body).toContain('ann@example.org');
    // Shown once; the answers have left this browser.
    await victim.get('/report/saved');
    expect(victim.path).toBe('/report');
    await victim.get('/report/check-answers');
    expect(victim.path).toBe('/report/triage/danger');

    // Stored sealed, the job holds nothing but the row's id, and there is no token until the email is sent.
    const [row] = await savedRows();
    expect(row?.token_hash).toBeNull();
    expect(row?.data).toMatch(/^v1:/);
    expect(row?.data).not.toMatch(/landlord|ann@example|Ann Example/);
    const job = await ctx.services.database.db
      .selectFrom('outbox')
      .select('payload')
      .where('kind', '=', 'saved-draft-email')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(job.payload)).toEqual({ id: row?.id });

    await sendEmails();
    const email = mail.sent.at(-1);
    expect(email).toMatchObject({
      to: 'ann@example.org',
      template: 'email.savedDraft',
      subject: 'Continue your cybercrime report',
    });
    const token = lastLink();
    expect(token).toHaveLength(43);
    // Only its SHA-256 is stored: the token itself is in no table.
    const [stored] = await savedRows();
    expect(stored?.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    const everything = JSON.stringify([
      await savedRows(),
      await ctx.services.database.db.selectFrom('outbox').selectAll().execute(),
      await ctx.services.database.db.selectFrom('sessions').selectAll().execute(),
      await ctx.services.database.db.selectFrom('audit_log').selectAll().execute(),
    ]);
    expect(everything).not.toContain(token);

    // Five hours on, retention has collected the files no live draft holds; one was uploaded again meanwhile.
    now = new Date(now.getTime() + 5 * 3_600_000);
    await ctx.services.evidence.store('advert-again.png', PNG);
    await ctx.services.retention.collectOrphanedEvidence();

    const elsewhere = browser();
    // Opening the page uses nothing up (an email scanner may open it first).
    for (let i = 0; i < 2; i++) {
      const page = await elsewhere.get(`/report/return/${token}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Continue your report');
    }
    const restored = await elsewhere.post(`/report/return/${token}`);
    expect(elsewhere.path).toBe('/report/restored');
    expect(restored.body).toContain('Your answers have been restored');
    expect(restored.body).toContain('These files were not kept');
    expect(restored.body).toContain('note.txt');
    expect(restored.body).toContain('href="/report/contact-details"');
    expect((await elsewhere.get('/report/what-happened')).body).toContain('I paid a fake landlord');
    const evidence = await elsewhere.get('/report/evidence');
    expect(evidence.body).toContain('advert.png');
    expect(evidence.body).not.toContain('note.txt');
    await elsewhere.get('/report/check-answers');
    expect(elsewhere.path).toBe('/report/contact-details');

    // Used: refused, whoever opens it, and the sealed answers are gone from the row.
    for (const again of [elsewhere, browser()]) {
      const page = await again.post(`/report/return/${token}`);
      expect(page.statusCode).toBe(410);
      expect(page.body).toContain('This link has already been used');
      expect((await again.get(`/report/return/${token}`)).statusCode).toBe(410);
    }
    const [used] = await savedRows();
    expect(used?.data).toBe('');
    expect(used?.consumed_at).not.toBeNull();
  });

  it('never restores who to contact or what was agreed: a draft saved by someone else cannot carry their details into a victim’s report', async () => {
    // A "recovery" scammer fills in a report with their own contact details and has the service email the link
    // to the person they are deceiving: the email is the service's own.
    const scammer = browser();
    await journey(scammer);
    await scammer.post('/report/vulnerability', { flags: ['none'] });
    await scammer.post('/report/contact-details', {
      email: 'case-handler@recovery-desk.example',
      phone: '07911 123456',
      preferred: 'phone',
      saveAndReturn: 'yes',
    });
    expect(scammer.path).toBe('/report/save');
    await scammer.post('/report/save', { email: 'deceived@example.org' });
    await sendEmails();
    expect(mail.sent.at(-1)?.to).toBe('deceived@example.org');

    const victim = browser();
    const restored = await victim.post(`/report/return/${lastLink()}`);
    expect(restored.body).toContain('give your contact details again');
    expect(restored.body).toContain('href="/report/contact-details"');
    const form = await victim.get('/report/check-answers');
    // Asked again, on an empty form: nothing of the scammer's reaches the report unless typed by the victim.
    expect(victim.path).toBe('/report/contact-details');
    expect(form.body).not.toContain('recovery-desk');
    expect(form.body).not.toContain('7911');
    expect((await victim.get('/report/what-happened')).body).toContain('I paid a fake landlord');
  });

  it('refuses an expired link, writes the email in the journey’s language, and retention deletes the draft', async () => {
    const victim = browser();
    await journey(victim, 'cy');
    await victim.get('/report/save');
    await victim.post('/report/save', { email: 'gwen@example.org' });
    expect(victim.path).toBe('/report/saved');
    await sendEmails();
    expect(mail.sent.at(-1)).toMatchObject({
      to: 'gwen@example.org',
      subject: 'Parhau â’ch adroddiad am seiberdrosedd',
    });
    const token = lastLink();
    expect(mail.sent.at(-1)?.text).toContain('am 30 diwrnod');
    // The link opens the pages in Welsh too.
    expect(mail.sent.at(-1)?.text).toContain(`/report/return/${token}?lng=cy`);

    now = new Date(now.getTime() + 30 * 86_400_000);
    const expired = browser();
    const page = await expired.get(`/report/return/${token}`);
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('This link has expired');
    expect((await expired.post(`/report/return/${token}`)).statusCode).toBe(410);
    await expired.get('/report/check-answers');
    expect(expired.path).toBe('/report/triage/danger');

    const before = (await savedRows()).length;
    expect(await ctx.services.retention.removeExpiredSavedDrafts()).toBe(before);
    expect(await savedRows()).toEqual([]);
    // A link never sent before its draft went is never sent.
    await ctx.services.savedDrafts.save({
      email: 'late@example.org',
      draft: { triage: {}, acknowledged: [] },
      lng: 'en',
    });
    now = new Date(now.getTime() + 31 * 86_400_000);
    await ctx.services.retention.removeExpiredSavedDrafts();
    const count = mail.sent.length;
    await sendEmails();
    expect(mail.sent.length).toBe(count);
  });

  it('lets only one of two opening a link at once have the answers', async () => {
    await ctx.services.savedDrafts.save({
      email: 'race@example.org',
      draft: { triage: { danger: 'no' }, acknowledged: [] },
      lng: 'en',
    });
    await sendEmails();
    const token = lastLink();
    const results = await Promise.all([
      ctx.services.savedDrafts.resume(token),
      ctx.services.savedDrafts.resume(token),
      ctx.services.savedDrafts.resume(token),
    ]);
    expect(results.map((r) => r.kind).sort()).toEqual(['restored', 'used', 'used']);
  });

  it('treats a draft sealed under a DATA_KEY since replaced as lost, not as an error', async () => {
    await ctx.services.savedDrafts.save({
      email: 'rotated@example.org',
      draft: { triage: { danger: 'no' }, acknowledged: [] },
      lng: 'en',
    });
    await sendEmails();
    const token = lastLink();
    const otherKey = createSavedDrafts(
      ctx.services.database.db,
      ctx.services.clock,
      createDataCipher(randomBytes(32)),
      ctx.services.clientLimits,
    );
    expect(await otherKey.resume(token)).toEqual({ kind: 'expired' });
    expect(await ctx.services.savedDrafts.resume(token)).toEqual({ kind: 'used' });
  });

  it('refuses guessed and malformed tokens as expired, and sends one address only so many links a day', async () => {
    const guess = browser();
    for (const token of ['A'.repeat(43), 'short', `${'B'.repeat(42)}%2F`]) {
      const page = await guess.get(`/report/return/${token}`);
      expect(page.statusCode).toBe(410);
      expect(page.body).toContain('This link has expired');
    }
    const draft = { triage: { danger: 'no' }, acknowledged: [] };
    for (let i = 0; i < SAVED_DRAFT_EMAILS_PER_ADDRESS.perAddress; i++)
      await ctx.services.savedDrafts.save({ email: 'flooded@example.org', draft, lng: 'en' });
    await expect(
      ctx.services.savedDrafts.save({ email: 'FLOODED@example.org', draft, lng: 'en' }),
    ).rejects.toMatchObject({ kind: 'invalid', code: 'saved-draft-too-many', field: 'email' });
    const keys = await ctx.services.database.db.selectFrom('attempt_counters').select('key').execute();
    for (const { key } of keys) expect(key).not.toContain('flooded');
    // The page says so with a GOV.UK error summary.
    const victim = browser();
    await victim.get('/report/triage/danger');
    await victim.post('/report/triage/danger', { answer: 'no' });
    await victim.get('/report/save');
    const refused = await victim.post('/report/save', { email: 'flooded@example.org' });
    expect(victim.path).toBe('/report/save');
    expect(refused.body).toContain('We have sent as many links to this address as we can today');
  });

  it('saves whole or not at all: killed between statements, no draft and no email job', async () => {
    const db = ctx.services.database.db;
    const snapshot = async () =>
      JSON.stringify([
        await db.selectFrom('saved_drafts').selectAll().orderBy('id').execute(),
        await db.selectFrom('outbox').selectAll().orderBy('id').execute(),
      ]);
    const cipher = createDataCipher(ctx.services.config.dataKey);
    const draft = { triage: { danger: 'no' }, acknowledged: [] };
    for (let at = 1; ; at++) {
      const before = await snapshot();
      const killed = killedAt(at);
      const drafts = createSavedDrafts(
        db,
        ctx.services.clock,
        cipher,
        ctx.services.clientLimits,
        killed.repos,
      );
      try {
        await drafts.save({ email: 'killed@example.org', draft, lng: 'en' });
      } catch (error) {
        if (!(error instanceof Killed)) throw error;
        expect(await snapshot(), `killed at call ${at}`).toBe(before);
        continue;
      }
      expect(killed.calls()).toBe(at - 1);
      expect(at).toBeGreaterThan(2);
      expect(killed.outside()).toEqual([]);
      expect(await snapshot()).not.toBe(before);
      break;
    }
  });
});
