import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorSummary, onePerRole, signInAs } from '../../../../test/support/admin-fixtures.ts';
import { addStaff } from '../../../../test/support/staff-fixtures.ts';
import { makeSubmission } from '../../../../test/support/submissions.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';
import { MAX_JOB_ATTEMPTS } from '../../../domain/outbox/retry.ts';
import { jobHandlers } from '../../../services/background-jobs.ts';
import { smtpEmailSender } from '../../../services/email/email-sender.ts';
import { createOutboxWorker } from '../../../services/outbox-worker.ts';
import { createTranslator } from '../../plugins/i18n.ts';

const quiet = { info: () => undefined, error: () => undefined };
const DAY = 86_400_000;
const VICTIM = 'mary.jones@example.org';
/** Computer misuse: routed to the force's cyber crime unit, where the officer below works. */
const HACKED = 'someone hacked my email account and sent messages to my contacts';

describe(`retention discards a report's unsent emails: a dead one retried sends nothing (${testDialect})`, () => {
  let now = new Date('2026-03-02T09:00:00.000Z');
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let people: Awaited<ReturnType<typeof onePerRole>>;
  let smtp: SMTPServer;
  let accepting = false;
  const received: string[] = [];
  let sender: ReturnType<typeof smtpEmailSender>;
  let worker: ReturnType<typeof createOutboxWorker>;

  beforeAll(async () => {
    // A real SMTP server that refuses mail until told otherwise, so the confirmation email dies first.
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (accepting) callback();
        else callback(Object.assign(new Error('4.3.2 try later'), { responseCode: 451 }));
      },
      onData(stream, session, callback) {
        stream.on('data', () => undefined);
        stream.on('end', () => {
          received.push(...session.envelope.rcptTo.map((r) => r.address));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const url = `smtp://127.0.0.1:${String((smtp.server.address() as AddressInfo).port)}`;
    ctx = await createTestApp({ SMTP_URL: url, RETENTION_CLOSED_REPORT_DAYS: '30' }, { clock: () => now });
    people = await onePerRole(ctx.services);
    const translator = await createTranslator();
    sender = smtpEmailSender(url, ctx.services.config.emailFrom);
    // What the server runs: the production job handlers, with the SMTP sender.
    worker = createOutboxWorker(
      ctx.services.database.db,
      ctx.services.database.dialect,
      () => now,
      jobHandlers(ctx.services, {
        log: quiet,
        email: sender,
        translate: (lng, key, vars) => translator[lng](key, vars),
      }),
      quiet,
    );
  });
  afterAll(async () => {
    sender.close();
    await ctx.close();
    await new Promise<void>((resolve) => {
      smtp.close(() => {
        resolve();
      });
    });
  });

  const job = (key: string) =>
    ctx.services.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('dedupe_key', '=', key)
      .executeTakeFirstOrThrow();

  it('discards the dead confirmation email with the personal data, refuses its retry, and sends nothing', async () => {
    const { reference } = await ctx.services.reportIntake.submit(
      makeSubmission({
        narrative: HACKED,
        reporter: {
          name: 'Mary Jones',
          victimName: null,
          email: VICTIM,
          phone: null,
          preferredContact: 'email',
        },
      }),
    );
    const key = `confirmation-email:${reference}`;
    for (let attempt = 0; attempt < MAX_JOB_ATTEMPTS; attempt++) {
      await worker.runOnce();
      now = new Date(now.getTime() + DAY);
    }
    expect((await job(key)).status).toBe('dead');

    // Closed, and past the retention period: the person's data goes, and with it the email about it.
    await addStaff(ctx.services, { email: 'oic@police.example', role: 'force-officer', forceId: 'cumbria' });
    const oic = await ctx.services.staff.userIdByEmail('oic@police.example');
    const officer = await ctx.services.staff.byId(oic?.id ?? 0);
    if (officer === null) throw new Error('no officer');
    await ctx.services.casework.setStatus(officer, reference, 'closed', 'advice-given');
    now = new Date(now.getTime() + 31 * DAY);
    expect(await ctx.services.retention.removeExpiredPersonalData()).toBe(1);
    const discarded = await job(key);
    expect(discarded).toMatchObject({ status: 'discarded', payload: '{}' });
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'retention-personal-data-removed')
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(audit.detail).toMatch(/[1-9] unsent email\(s\) discarded/);

    // An admin retrying it from the jobs page is told it is no longer a dead letter.
    accepting = true;
    const admin = await signInAs(ctx.app, people, 'admin', now);
    expect((await admin.get('/staff/admin/jobs')).body).not.toContain(`Job ${String(discarded.id)} (`);
    const res = await admin.post(`/staff/admin/jobs/${String(discarded.id)}/retry`);
    expect(errorSummary(res.body)).toEqual([
      `dead-letters: Job ${String(discarded.id)} is no longer a dead letter. Refresh the page`,
    ]);
    while ((await worker.runOnce()) > 0);
    expect(received).toEqual([]);
  });

  it('the email handler refuses a report whose personal data is gone, even for a job retention did not discard', async () => {
    // As a dead letter left by an older version still holding the address would be.
    const { reference } = await ctx.services.reportIntake.submit(
      makeSubmission({
        narrative: HACKED,
        reporter: { name: 'Ann', victimName: null, email: VICTIM, phone: null, preferredContact: 'email' },
      }),
    );
    const key = `confirmation-email:${reference}`;
    const payload = (await job(key)).payload;
    const oic = await ctx.services.staff.userIdByEmail('oic@police.example');
    const officer = await ctx.services.staff.byId(oic?.id ?? 0);
    if (officer === null) throw new Error('no officer');
    await ctx.services.casework.setStatus(officer, reference, 'closed', 'advice-given');
    now = new Date(now.getTime() + 31 * DAY);
    expect(await ctx.services.retention.removeExpiredPersonalData()).toBe(1);
    await ctx.services.database.db
      .updateTable('outbox')
      .set({ status: 'dead', payload })
      .where('dedupe_key', '=', key)
      .execute();
    const { id } = await job(key);
    accepting = true;
    const admin = await signInAs(ctx.app, people, 'admin', now);
    await admin.post(`/staff/admin/jobs/${String(id)}/retry`);
    expect(admin.path).toBe('/staff/admin/jobs?done=retried');
    while ((await worker.runOnce()) > 0);
    expect(received).toEqual([]);
    // Discarded for good (never 'done', which means delivered), its payload emptied.
    expect(await job(key)).toMatchObject({
      status: 'discarded',
      payload: '{}',
      last_error: 'the report no longer holds personal data; not sent',
    });
  });
});
