import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../test/support/form-client.ts';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import { createApp } from '../web/app.ts';
import { createTranslator } from '../web/plugins/i18n.ts';
import { jobHandlers } from './background-jobs.ts';
import { logEmailSender } from './email/email-sender.ts';
import { createOutboxWorker } from './outbox-worker.ts';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 7),
]);
/** Everything personal the victim gives; none of it may appear in any log line, in any spelling. */
const PERSONAL = [
  'Ann Example',
  'ann@example.org',
  '07911 123456',
  '7911123456',
  'over-70',
  'puppy',
  'CA1 1AA',
  'ca1 1aa',
  'Ann lives in Kent',
];

describe(`logs hold no personal data, and a log-only delivery is never "delivered" (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let app: FastifyInstance;
  const lines: string[] = [];

  beforeAll(async () => {
    // No SMTP_URL and no VICTIM_SUPPORT_URL: development's log-only delivery.
    services = await createTestServices({ LOG_LEVEL: 'info' });
    app = await createApp(services, { logStream: { write: (line) => lines.push(line) } });
  });
  afterAll(async () => {
    await app.close();
    await services.cleanup();
  });

  async function report(client: FormClient): Promise<string> {
    await client.get('/report/triage/danger');
    await client.post('/report/triage/danger', { answer: 'no' });
    await client.post('/report/triage/reporting-for', { answer: 'myself' });
    await client.post('/report/triage/what', { answer: 'money-or-account' });
    await client.post('/report/about-you', { name: 'Ann Example' });
    await client.post('/report/what-happened', {
      choice: 'bought-something',
      narrative: 'I bought a puppy on a marketplace and paid by bank transfer.',
    });
    await client.post('/report/when', { day: '3', month: '11', year: '2025', ongoing: 'no' });
    await client.post('/report/contact-method', { method: 'marketplace' });
    await client.post('/report/money', { lost: 'no' });
    await client.post('/report/suspect', { names: '', emails: '', phones: '', websites: '', socials: '' });
    await client.upload('/report/evidence/upload', [{ name: 'advert.png', content: PNG }]);
    await client.post('/report/evidence');
    await client.post('/report/vulnerability', { flags: ['over-70'] });
    await client.post('/report/contact-details', {
      email: 'ann@example.org',
      phone: '07911 123456',
      preferred: 'email',
    });
    await client.post('/report/postcode', { postcode: 'CA1 1AA' });
    await client.post('/report/victim-support', { consent: 'yes', contactTime: 'morning' });
    const confirmation = await client.post('/report/submit');
    const reference = /CYB-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]/.exec(confirmation.body)?.[0];
    if (reference === undefined) throw new Error(`no confirmation: ${client.path}`);
    return reference;
  }

  it('writes only references and template ids while the journey, the API and the background jobs run', async () => {
    const reference = await report(new FormClient(app));
    // Query strings and path values (an indicator look-up names a phone number) are not logged either.
    await app.inject('/report/progress?email=ann%40example.org&postcode=CA1%201AA');
    await services.staffAccounts.add({
      email: 'oic@police.example',
      role: 'force-officer',
      forceId: 'cumbria',
      password: 'correct horse battery staple',
    });
    const user = await services.staff.userIdByEmail('oic@police.example');
    const { token } = await services.tokens.create('oic', ['staff'], user?.id ?? null);
    const lookup = await app.inject({
      url: `/api/v1/indicators/phone/${encodeURIComponent('07911 123456')}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(lookup.statusCode).toBeLessThan(500);
    const officer = await services.staff.byId(user?.id ?? 0);
    if (officer === null) throw new Error('no officer');
    // A transfer reason is free text: the unit notification must not carry it into the log.
    await services.casework.transfer(officer, reference, 'dyfed-powys-cyber', 'Ann lives in Kent');

    const translator = await createTranslator();
    const email = logEmailSender(app.log);
    const worker = createOutboxWorker(
      services.database.db,
      services.database.dialect,
      services.clock,
      jobHandlers(services, {
        log: app.log,
        email,
        translate: (lng, key, vars) => translator[lng](key, vars),
      }),
      app.log,
    );
    while ((await worker.runOnce()) > 0);

    // The email was made (in memory, for this test) but only its template and reference were logged.
    expect(email.sent.map((m) => m.to)).toContain('ann@example.org');
    const log = lines.join('');
    expect(log).toContain('email written to log, not sent');
    expect(log).toContain('"template":"email.confirmation"');
    expect(log).toContain(reference);
    expect(log).toContain('Victim Support referral written to log, not sent');
    expect(log).toContain('unit notified');
    for (const personal of PERSONAL)
      for (const spelling of [personal, encodeURIComponent(personal)])
        expect(log.toLowerCase()).not.toContain(spelling.toLowerCase());

    // Staff must see that Victim Support never received it.
    await services.intelligence.linkPending();
    const reportId = (await services.intelligence.reportIdOf(reference)) ?? 0;
    const referral = await services.referrals.forReport(reportId);
    expect(referral?.status).toBe('not-sent');
    expect(referral?.deliveredAt).toBeNull();
  });
});
