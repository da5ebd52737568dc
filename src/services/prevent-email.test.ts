/**
 * A new Prevent referral tells the region's Prevent mailbox, its active Prevent officers in copy, through the outbox
 * written in the referral's own transaction, over a real SMTP server: the referral's number and a link, nothing
 * about the young person or who referred them (in the email or in the outbox row).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff } from '../../test/support/staff-fixtures.ts';
import { startSmtpCapture } from '../../test/support/smtp-capture.ts';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import { createTranslator } from '../web/plugins/i18n.ts';
import { jobHandlers } from './background-jobs.ts';
import { smtpEmailSender } from './email/email-sender.ts';
import { createOutboxWorker } from './outbox-worker.ts';
import { PREVENT_REFERRAL_EMAIL_JOB } from './prevent.ts';

const quiet = { info: () => undefined, error: () => undefined };
const BASE_URL = 'https://bluelight.example';
/** Everything personal the referral holds: distinctive, so any trace of it is found. */
const PERSONAL = {
  youngPerson: 'Zebulon',
  concern: 'Runs a booter service called quillstresser from his bedroom',
  name: 'Ms Quillfeather',
  email: 'quillfeather@school.example',
  phone: '07911 123456',
  organisation: 'Lakeside Quill Academy',
};

describe(`a new Prevent referral emails the region's Prevent team (${testDialect})`, () => {
  const now = new Date('2026-03-10T10:00:00.000Z');
  let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let sender: ReturnType<typeof smtpEmailSender>;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    services = await createTestServices({ SMTP_URL: smtp.url, BASE_URL }, { clock: () => now });
    sender = smtpEmailSender(smtp.url, services.config.emailFrom);
    for (const [email, unitId] of [
      ['b.prevent@nw.example', 'nwrocu-rccu'],
      ['a.prevent@nw.example', 'nwrocu-rccu'],
      ['gone.prevent@nw.example', 'nwrocu-rccu'],
      ['prevent@east.example', 'ersou-rccu'],
    ] as const)
      await addStaff(services, { email, role: 'prevent-officer', unitId });
    await addStaff(services, { email: 'rocu@nw.example', role: 'regional-officer', unitId: 'nwrocu-rccu' });
    await services.database.db
      .updateTable('users')
      .set({ disabled_at: now.toISOString() })
      .where('email', '=', 'gone.prevent@nw.example')
      .execute();
  });
  afterAll(async () => {
    sender.close();
    await services.cleanup();
    await smtp.close();
  });

  it('sends the number and a link to the Prevent mailbox, the active Prevent officers in copy', async () => {
    const { id } = await services.prevent.referFromPublic(
      {
        kind: 'school',
        name: PERSONAL.name,
        email: PERSONAL.email,
        phone: PERSONAL.phone,
        organisation: PERSONAL.organisation,
      },
      {
        youngPerson: PERSONAL.youngPerson,
        age: 14,
        forceId: 'cumbria',
        concern: PERSONAL.concern,
        aware: true,
        lng: 'cy',
      },
    );
    const job = await services.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('kind', '=', PREVENT_REFERRAL_EMAIL_JOB)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(job.payload)).toEqual({ referralId: id, unitId: 'nwrocu-rccu' });

    const translator = await createTranslator();
    const worker = createOutboxWorker(
      services.database.db,
      services.database.dialect,
      () => now,
      jobHandlers(services, {
        log: quiet,
        email: sender,
        translate: (lng, key, vars) => translator[lng](key, vars),
      }),
      quiet,
    );
    while ((await worker.runOnce(50)) > 0);
    const emails = await smtp.emails();
    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email?.to).toEqual(['prevent@nwrocu.police.uk']);
    expect(email?.cc).toEqual(['a.prevent@nw.example', 'b.prevent@nw.example']);
    expect(email?.subject).toBe(`New Prevent referral ${String(id)}`);
    expect(email?.text).toContain(`${BASE_URL}/staff/prevent/${String(id)}`);
    for (const value of Object.values(PERSONAL)) {
      expect(email?.raw, value).not.toContain(value);
      expect(email?.text, value).not.toContain(value);
      expect(job.payload, value).not.toContain(value);
    }
  });
});
