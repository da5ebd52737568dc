import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff } from '../../test/support/staff-fixtures.ts';
import { makeSubmission, suspect } from '../../test/support/submissions.ts';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import type { StaffMember } from '../domain/access/access-policy.ts';
import { MAX_JOB_ATTEMPTS, retryDelayMs } from '../domain/outbox/retry.ts';
import { jobHandlers } from './background-jobs.ts';
import { createOutboxWorker } from './outbox-worker.ts';

const quiet = { info: () => undefined, error: () => undefined };
const DAY = 86_400_000;
const NAME = 'Mary Jones';
const PHONE = '+447700900777';
const SUSPECT_PHONE = '+447700900123';

/**
 * Retention and Victim Support referrals, against a real receiver: once a closed report's personal data is removed,
 * no referral of it may reach Victim Support (it would be an empty one, or, from a job an older version left, the
 * person's details), and the outbox keeps none of it.
 */
describe(`retention discards a report's undelivered Victim Support referral (${testDialect})`, () => {
  let now = new Date('2026-04-06T09:00:00.000Z');
  let ctx: Awaited<ReturnType<typeof createTestServices>>;
  let server: Server;
  let officer: StaffMember;
  /** The delivery id (the referral id for a referral) of every request Victim Support received. */
  const received: string[] = [];
  let answers: number[] = [];
  let worker: ReturnType<typeof createOutboxWorker>;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        // By delivery id: an emptied referral carries no referral_id in its body, but is still a delivery.
        received.push(String(req.headers['idempotency-key']));
        res.statusCode = answers.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/referrals`;
    ctx = await createTestServices(
      {
        VICTIM_SUPPORT_URL: url,
        VICTIM_SUPPORT_SECRET: 'victim-support-secret-0123456789',
        RETENTION_CLOSED_REPORT_DAYS: '30',
      },
      { clock: () => now },
    );
    await addStaff(ctx, { email: 'oic@police.example', role: 'force-officer', forceId: 'cumbria' });
    const oic = await ctx.staff.userIdByEmail('oic@police.example');
    const member = await ctx.staff.byId(oic?.id ?? 0);
    if (member === null) throw new Error('no officer');
    officer = member;
    // What the server runs: the production job handlers (emails go nowhere here).
    worker = createOutboxWorker(
      ctx.database.db,
      ctx.database.dialect,
      () => now,
      jobHandlers(ctx, { log: quiet, email: { send: () => Promise.resolve() }, translate: (_l, key) => key }),
      quiet,
    );
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await ctx.cleanup();
  });

  const db = () => ctx.database.db;
  async function submit() {
    const report = await ctx.reportIntake.submit(
      makeSubmission({
        narrative: 'someone hacked my email account and sent messages to my contacts',
        reporter: { name: NAME, victimName: null, email: null, phone: PHONE, preferredContact: 'phone' },
        suspect: suspect({ phones: [SUSPECT_PHONE] }),
        consents: { victimSupport: true, contactTime: 'morning' },
      }),
    );
    // Intake links in the background; link now so the link job is done before the test goes on.
    await ctx.intelligence.linkPending();
    const reportId = (await ctx.intelligence.reportIdOf(report.reference)) ?? 0;
    const referral = await ctx.referrals.forReport(reportId);
    if (referral === undefined) throw new Error('no referral');
    return { reference: report.reference, reportId, referralId: referral.id };
  }
  const referralJob = (id: string) =>
    db()
      .selectFrom('outbox')
      .selectAll()
      .where('dedupe_key', '=', `referral:${id}`)
      .executeTakeFirstOrThrow();
  const referralRow = (id: string) =>
    db().selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const sentTimes = (id: string) => received.filter((r) => r === id).length;
  async function closeAndRetain(...references: string[]) {
    for (const reference of references)
      await ctx.casework.setStatus(officer, reference, 'closed', 'advice-given');
    now = new Date(now.getTime() + 31 * DAY);
    expect(await ctx.retention.removeExpiredPersonalData()).toBe(references.length);
  }
  const runAll = async () => {
    for (let round = 0; round < 20 && (await worker.runOnce()) > 0; round++);
  };

  it('discards the dead and the pending referral jobs and empties every job of the report: a retry sends nothing', async () => {
    // Victim Support is down until the referral dies.
    const dead = await submit();
    answers = Array.from({ length: MAX_JOB_ATTEMPTS }, () => 503);
    for (let attempt = 0; attempt < MAX_JOB_ATTEMPTS; attempt++) {
      await worker.runOnce();
      now = new Date(now.getTime() + retryDelayMs(attempt) + 1000);
    }
    expect(sentTimes(dead.referralId)).toBe(MAX_JOB_ATTEMPTS);
    expect((await referralJob(dead.referralId)).status).toBe('dead');
    expect((await referralRow(dead.referralId)).status).toBe('failed');
    // Another waits its turn (no worker ran since it was made).
    const pending = await submit();
    expect((await referralJob(pending.referralId)).status).toBe('pending');

    await closeAndRetain(dead.reference, pending.reference);
    for (const report of [dead, pending]) {
      expect(await referralJob(report.referralId)).toMatchObject({ status: 'discarded', payload: '{}' });
      expect(await referralRow(report.referralId)).toMatchObject({ status: 'expired', payload: '{}' });
      const audit = await db()
        .selectFrom('audit_log')
        .select('detail')
        .where('action', '=', 'retention-personal-data-removed')
        .where('reference', '=', report.reference)
        .executeTakeFirstOrThrow();
      expect(audit.detail).toContain('1 undelivered Victim Support referral(s) discarded');
      // Nothing in the outbox still names the person or the suspect (the link job listed the suspect's number).
      const payloads = await db()
        .selectFrom('outbox')
        .select(['kind', 'payload'])
        .where('dedupe_key', 'like', `%${report.reference}%`)
        .execute();
      expect(payloads.map((p) => p.kind)).toContain('link-report');
      expect(JSON.stringify(payloads)).not.toContain('7700900123');
    }

    // Victim Support is back; an admin tries the dead letter: it is not one any more, and nothing is sent.
    answers = [];
    await expect(
      ctx.jobs.retry((await referralJob(dead.referralId)).id, 'admin@force.example'),
    ).rejects.toThrow(/not a dead letter/);
    await runAll();
    expect(sentTimes(dead.referralId)).toBe(MAX_JOB_ATTEMPTS);
    expect(sentTimes(pending.referralId)).toBe(0);
  });

  it('the referral handler refuses a report whose personal data is gone, even for a job retention did not discard', async () => {
    const report = await submit();
    const { payload } = await referralJob(report.referralId);
    await closeAndRetain(report.reference);
    // As a dead letter an older version left (job and referral as they were) would be, retried by an admin.
    await db()
      .updateTable('outbox')
      .set({ status: 'dead', payload, attempts: MAX_JOB_ATTEMPTS })
      .where('dedupe_key', '=', `referral:${report.referralId}`)
      .execute();
    await db()
      .updateTable('referrals')
      .set({ status: 'failed' })
      .where('id', '=', report.referralId)
      .execute();
    answers = [];
    await ctx.jobs.retry((await referralJob(report.referralId)).id, 'admin@force.example');
    await runAll();
    expect(sentTimes(report.referralId)).toBe(0);
    // Discarded for good (never 'done', which means delivered), its payload emptied.
    expect(await referralJob(report.referralId)).toMatchObject({
      status: 'discarded',
      payload: '{}',
      last_error: 'the report no longer holds personal data; referral not sent',
    });
  });

  it('never links a report whose personal data is gone, even from a link job retention did not discard', async () => {
    const report = await submit();
    const linkJob = await db()
      .selectFrom('outbox')
      .select('payload')
      .where('dedupe_key', '=', `link-report:${report.reference}`)
      .executeTakeFirstOrThrow();
    expect(linkJob.payload).toContain('7700900123');
    await closeAndRetain(report.reference);
    // A link job still waiting (as an older version could leave one) runs after the data is gone.
    await db()
      .updateTable('outbox')
      .set({ status: 'pending', payload: linkJob.payload })
      .where('dedupe_key', '=', `link-report:${report.reference}`)
      .execute();
    await ctx.intelligence.linkPending();
    const links = await db()
      .selectFrom('report_indicators')
      .select('indicator_id')
      .where('report_id', '=', report.reportId)
      .execute();
    expect(links).toEqual([]);
  });
});
