import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../test/support/form-client.ts';
import { makeSubmission } from '../../test/support/submissions.ts';
import { createTestApp } from '../../test/support/test-app.ts';
import { testDialect } from '../../test/support/test-services.ts';
import { MAX_JOB_ATTEMPTS, retryDelayMs } from '../domain/outbox/retry.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { createOutboxWorker } from './outbox-worker.ts';
import { createReferrals } from './referrals.ts';
import { ServiceError } from './service-error.ts';
import { signWebhook } from './webhooks.ts';

const SECRET = 'victim-support-shared-secret-0123456789';
const quiet = { info: () => undefined, error: () => undefined };

interface Received {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  raw: string;
}

describe(`Victim Support referrals against a real HTTP receiver (${testDialect})`, () => {
  let now = new Date('2026-11-29T09:00:00.000Z');
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let server: Server;
  const received: Received[] = [];
  // What the receiver does with each request: answer with a status, or drop the connection unanswered.
  let behaviour: (number | 'drop')[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(raw) as Record<string, unknown>, raw });
        const next = behaviour.shift() ?? 200;
        if (next === 'drop') {
          res.destroy();
          return;
        }
        res.statusCode = next;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/referrals`;
    ctx = await createTestApp(
      { VICTIM_SUPPORT_URL: url, VICTIM_SUPPORT_SECRET: SECRET },
      { clock: () => now },
    );
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await ctx.close();
  });

  const services = () => ctx.services;
  const worker = () =>
    createOutboxWorker(
      services().database.db,
      services().database.dialect,
      () => now,
      {
        'victim-support-referral': services().referrals.deliveryHandler(quiet),
        'victim-support-withdrawal': services().referrals.withdrawalHandler(quiet),
        'victim-support-update': services().referrals.updateHandler(quiet),
      },
      quiet,
    );
  const submit = async (consent: boolean) => {
    const report = await services().reportIntake.submit(
      makeSubmission({
        reporter: {
          name: 'Mary Jones',
          victimName: null,
          email: 'mary@example.org',
          phone: '+447700900777',
          preferredContact: 'phone',
        },
        narrative: 'A secret narrative that must never leave the police: my PIN is 4321',
        vulnerability: ['over-70'],
        consents: consent ? { victimSupport: true, contactTime: 'morning' } : { victimSupport: false },
      }),
    );
    await services().intelligence.linkPending();
    const id = (await services().intelligence.reportIdOf(report.reference)) ?? 0;
    return { ...report, reportId: id, referral: await services().referrals.forReport(id) };
  };
  const referralsReceived = (id: string) =>
    received.filter((r) => r.body.referral_id === id && r.body.event === 'referral');
  const jobOf = (id: string) =>
    services()
      .database.db.selectFrom('outbox')
      .selectAll()
      .where('dedupe_key', '=', `referral:${id}`)
      .executeTakeFirstOrThrow();

  it('makes no referral without consent', async () => {
    const report = await submit(false);
    expect(report.referral).toBeUndefined();
  });

  it('sends only what the victim agreed to share, signed, retrying with backoff, with one idempotency key', async () => {
    const report = await submit(true);
    const id = report.referral?.id ?? '';
    expect(report.referral?.status).toBe('pending');
    behaviour = [503];
    await worker().runOnce();
    expect(referralsReceived(id)).toHaveLength(1);
    expect((await jobOf(id)).attempts).toBe(1);
    await worker().runOnce();
    expect(referralsReceived(id)).toHaveLength(1);
    now = new Date(now.getTime() + retryDelayMs(0) + 1000);
    await worker().runOnce();
    const attempts = referralsReceived(id);
    expect(attempts).toHaveLength(2);
    expect(new Set(attempts.map((a) => a.headers['idempotency-key']))).toEqual(new Set([id]));
    const last = attempts[1];
    expect(last?.headers['x-bluelight-signature']).toBe(
      signWebhook(SECRET, String(last?.headers['x-bluelight-timestamp']), last?.raw ?? ''),
    );
    expect(last?.raw).not.toContain(report.reference);
    expect(last?.body).toMatchObject({
      crime_category: report.category,
      person: {
        name: 'Mary Jones',
        email: 'mary@example.org',
        phone: '+447700900777',
        preferred_contact: 'phone',
        preferred_time: 'morning',
      },
      vulnerability: ['over-70'],
    });
    expect(last?.raw).not.toContain('secret narrative');
    expect(last?.raw).not.toContain('4321');
    expect((await services().referrals.forReport(report.reportId))?.status).toBe('delivered');
    expect((await jobOf(id)).status).toBe('done');
  });

  it('survives a delivery cut off mid-way and a worker that died holding the job: no loss, no second referral', async () => {
    const report = await submit(true);
    const id = report.referral?.id ?? '';
    // The receiver takes the request but the connection drops before it answers: we cannot know it arrived.
    behaviour = ['drop'];
    await worker().runOnce();
    expect(referralsReceived(id)).toHaveLength(1);
    // A worker that leased the job and died: the lease runs out and another worker picks it up.
    await services()
      .database.db.updateTable('outbox')
      .set({ run_after: new Date(now.getTime() + 5 * 60_000).toISOString() })
      .where('dedupe_key', '=', `referral:${id}`)
      .execute();
    now = new Date(now.getTime() + 6 * 60_000);
    await worker().runOnce();
    const attempts = referralsReceived(id);
    expect(attempts).toHaveLength(2);
    // Both carry the same key, so Victim Support records one referral.
    expect(new Set(attempts.map((a) => a.headers['idempotency-key'])).size).toBe(1);
    expect((await services().referrals.forReport(report.reportId))?.status).toBe('delivered');
    await worker().runOnce();
    expect(referralsReceived(id)).toHaveLength(2);
  });

  it('dead-letters after the last attempt and shows staff it failed', async () => {
    const report = await submit(true);
    const id = report.referral?.id ?? '';
    behaviour = Array.from({ length: MAX_JOB_ATTEMPTS }, () => 500);
    for (let attempt = 0; attempt < MAX_JOB_ATTEMPTS; attempt++) {
      await worker().runOnce();
      now = new Date(now.getTime() + retryDelayMs(attempt) + 1000);
    }
    expect(referralsReceived(id)).toHaveLength(MAX_JOB_ATTEMPTS);
    expect((await jobOf(id)).status).toBe('dead');
    expect((await services().referrals.forReport(report.reportId))?.status).toBe('failed');
    // An admin retries the dead letter once Victim Support is back: it is sent, and only then delivered.
    await services().jobs.retry((await jobOf(id)).id, 'admin@force.example');
    behaviour = [200];
    await worker().runOnce();
    expect(referralsReceived(id)).toHaveLength(MAX_JOB_ATTEMPTS + 1);
    expect((await services().referrals.forReport(report.reportId))?.status).toBe('delivered');
    expect((await jobOf(id)).status).toBe('done');
  });

  it('cancels an undelivered referral when consent is withdrawn, and asks for deletion of a delivered one', async () => {
    const early = await submit(true);
    expect(await services().referrals.withdraw(early.reportId)).toBe('cancelled');
    await worker().runOnce();
    expect(referralsReceived(early.referral?.id ?? '')).toHaveLength(0);

    const late = await submit(true);
    behaviour = [];
    await worker().runOnce();
    expect(await services().referrals.withdraw(late.reportId)).toBe('withdrawn');
    await worker().runOnce();
    const withdrawal = received.find(
      (r) => r.body.event === 'withdrawal' && r.body.referral_id === late.referral?.id,
    );
    expect(withdrawal?.body).toMatchObject({ action: 'delete' });
    expect((await services().referrals.forReport(late.reportId))?.deletionConfirmedAt).not.toBeNull();
  });

  it('gives Victim Support the victim’s corrected contact details: in a referral not yet sent, as an update to one it holds, never after withdrawal', async () => {
    const correct = (reference: string, phone: string) =>
      services().victimFollowUp.correctContactDetails(
        { reference },
        { email: 'mary.new@example.org', phone, preferredContact: 'phone' },
      );
    const early = await submit(true);
    await correct(early.reference, '+447700900888');
    behaviour = [];
    await worker().runOnce();
    const [sent] = referralsReceived(early.referral?.id ?? '');
    expect(sent?.body.person).toMatchObject({ email: 'mary.new@example.org', phone: '+447700900888' });
    // One referral, sent once: no separate update for details it already carried.
    expect(received.filter((r) => r.body.referral_id === early.referral?.id)).toHaveLength(1);

    const late = await submit(true);
    await worker().runOnce();
    await correct(late.reference, '+447700900999');
    await worker().runOnce();
    const updates = received.filter(
      (r) => r.body.event === 'contact-update' && r.body.referral_id === late.referral?.id,
    );
    expect(updates).toHaveLength(1);
    // Only the contact details: nothing of the report, and no name, crime or needs sent again.
    expect(Object.keys(updates[0]?.body ?? {}).sort()).toEqual([
      'event',
      'person',
      'referral_id',
      'updated_at',
    ]);
    expect(updates[0]?.body.person).toEqual({
      email: 'mary.new@example.org',
      phone: '+447700900999',
      preferred_contact: 'phone',
    });
    expect(updates[0]?.raw).not.toMatch(/PIN|secret narrative|CYB-/);
    const audit = await services()
      .database.db.selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'victim-contact-corrected')
      .where('reference', '=', late.reference)
      .executeTakeFirstOrThrow();
    expect(audit.detail).toMatch(/Victim Support referral updated/);

    // Withdrawn: Victim Support is told to delete it, and gets no new details afterwards.
    expect(await services().referrals.withdraw(late.reportId)).toBe('withdrawn');
    await worker().runOnce();
    const before = received.length;
    await correct(late.reference, '+447700900111');
    await worker().runOnce();
    expect(received.slice(before).filter((r) => r.body.referral_id === late.referral?.id)).toEqual([]);
  });

  it('takes Victim Support’s progress with its own token, shown on the victim’s progress page, and lets the victim withdraw', async () => {
    const report = await submit(true);
    const id = report.referral?.id ?? '';
    behaviour = [];
    await worker().runOnce();
    const { token } = await services().tokens.create('Victim Support', ['referrals:update']);
    const other = (await services().tokens.create('Bank', ['reports:write'])).token;
    const post = (body: object, bearer = token, referral = id) =>
      ctx.app.inject({
        method: 'POST',
        url: `/api/v1/referrals/${referral}/status`,
        headers: { authorization: `Bearer ${bearer}` },
        payload: body,
      });
    expect((await post({ status: 'acknowledged' })).json()).toEqual({ id, status: 'acknowledged' });
    expect((await post({ status: 'acknowledged' }, other)).statusCode).toBe(403);
    expect((await post({ status: 'lost' })).statusCode).toBe(422);
    expect(
      (await post({ status: 'contacted' }, token, '00000000-0000-4000-8000-000000000000')).statusCode,
    ).toBe(404);

    const victim = new FormClient(ctx.app);
    await victim.get('/report/progress');
    let page = await victim.post('/report/progress', {
      reference: report.reference,
      secret: 'mary@example.org',
    });
    expect(page.body).toContain('Victim Support has your details');
    expect((await post({ status: 'contacted' })).json()).toEqual({ id, status: 'contacted' });
    page = await victim.post('/report/progress', { reference: report.reference, secret: 'mary@example.org' });
    expect(page.body).toContain('Victim Support has contacted you.');

    page = await victim.post('/report/progress/withdraw-referral');
    expect(page.body).toContain('Your consent has been withdrawn.');
    expect(page.body).toContain('We have asked Victim Support to delete your details.');
    expect((await post({ status: 'contacted' })).statusCode).toBe(409);
    // Someone who has not checked progress in this session cannot withdraw anything.
    const stranger = new FormClient(ctx.app);
    await stranger.get('/');
    await stranger.post('/report/progress/withdraw-referral');
    expect(stranger.path).toBe('/report/progress');
  });

  it('never overwrites a withdrawal made between reading the referral and recording Victim Support’s progress', async () => {
    const report = await submit(true);
    const id = report.referral?.id ?? '';
    behaviour = [];
    await worker().runOnce();
    // The referral as Victim Support's progress report reads it; then the victim withdraws, before it is written.
    const asRead = await repositories.referrals.findReferral(services().database.db, id);
    expect(asRead?.status).toBe('delivered');
    expect(await services().referrals.withdraw(report.reportId)).toBe('withdrawn');
    let reads = 0;
    const racing: Repositories = {
      ...repositories,
      referrals: {
        ...repositories.referrals,
        findReferral: (...args: Parameters<typeof repositories.referrals.findReferral>) =>
          (reads += 1) === 1 ? Promise.resolve(asRead) : repositories.referrals.findReferral(...args),
      },
    };
    const referrals = createReferrals(
      services().database.db,
      services().database.dialect,
      () => now,
      services().config,
      racing,
    );
    const refused = await referrals.reportStatus(id, 'acknowledged').then(
      () => null,
      (error: unknown) => (error instanceof ServiceError ? error.code : error),
    );
    expect(refused).toBe('referral-withdrawn');
    expect(await repositories.referrals.findReferral(services().database.db, id)).toMatchObject({
      status: 'withdrawn',
      acknowledged_at: null,
    });
  });
});
