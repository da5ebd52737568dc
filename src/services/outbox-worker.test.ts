import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import { enqueueJob } from '../db/repositories/outbox-repository.ts';
import { MAX_JOB_ATTEMPTS, retryDelayMs } from '../domain/outbox/retry.ts';
import { createTranslator } from '../web/plugins/i18n.ts';
import { confirmationEmailHandler } from './email/victim-emails.ts';
import { logEmailSender } from './email/email-sender.ts';
import { createOutboxWorker } from './outbox-worker.ts';

const quiet = { info: () => undefined, error: () => undefined };

describe(`outbox worker (${testDialect})`, () => {
  let now = new Date('2026-11-23T10:00:00.000Z');
  let services: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    services = await createTestServices();
  });
  afterAll(() => services.cleanup());

  const worker = (handlers: Parameters<typeof createOutboxWorker>[3]) =>
    createOutboxWorker(services.database.db, services.database.dialect, () => now, handlers, quiet);

  it('sends the confirmation email for a submitted report, in the reporter’s language, once', async () => {
    const translator = await createTranslator();
    const sender = logEmailSender(quiet);
    const handler = confirmationEmailHandler(
      sender,
      (lng, key, vars) => translator[lng](key, vars),
      'https://bluelight.example',
      // The report still holds the person's data (retention.test.ts covers when it does not).
      () => Promise.resolve(true),
    );
    await enqueueJob(
      services.database.db,
      {
        kind: 'confirmation-email',
        dedupeKey: 'confirmation-email:CYB-TEST',
        payload: { to: 'a@example.org', reference: 'CYB-1111-2222-3', category: 'other', lng: 'cy' },
      },
      now,
    );
    const w = worker({ 'confirmation-email': handler });
    expect(await w.runOnce()).toBe(1);
    expect(await w.runOnce()).toBe(0);
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]?.subject).toBe('Eich adroddiad am seiberdrosedd: CYB-1111-2222-3');
    expect(sender.sent[0]?.text).toContain('https://bluelight.example/report/progress');
    const row = await services.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('dedupe_key', '=', 'confirmation-email:CYB-TEST')
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('done');
  });

  it('retries a failing job with growing delays, then marks it dead and keeps it', async () => {
    await enqueueJob(services.database.db, { kind: 'flaky', dedupeKey: 'flaky:1', payload: {} }, now);
    let calls = 0;
    const w = worker({
      flaky: () => {
        calls++;
        return Promise.reject(new Error('endpoint down'));
      },
    });
    for (let attempt = 0; attempt < MAX_JOB_ATTEMPTS; attempt++) {
      expect(await w.runOnce()).toBe(1);
      // Not due again until its backoff has passed.
      expect(await w.runOnce()).toBe(0);
      now = new Date(now.getTime() + retryDelayMs(attempt) + 1000);
    }
    expect(calls).toBe(MAX_JOB_ATTEMPTS);
    expect(await w.runOnce()).toBe(0);
    const row = await services.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('dedupe_key', '=', 'flaky:1')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'dead', attempts: MAX_JOB_ATTEMPTS, last_error: 'endpoint down' });
  });

  it('runs a job again if a worker died holding it, once the lease ends', async () => {
    await enqueueJob(services.database.db, { kind: 'slow', dedupeKey: 'slow:1', payload: {} }, now);
    let calls = 0;
    let claimed: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (claimed = resolve));
    const crashed = worker({
      slow: () => {
        calls++;
        claimed();
        return new Promise<void>(() => undefined); // never finishes: the process "died"
      },
    });
    void crashed.runOnce();
    // The crashed worker holds the job (its lease taken) once its handler runs.
    await running;
    const healthy = worker({
      slow: () => {
        calls++;
        return Promise.resolve();
      },
    });
    expect(await healthy.runOnce()).toBe(0);
    now = new Date(now.getTime() + 6 * 60 * 1000);
    expect(await healthy.runOnce()).toBe(1);
    expect(calls).toBe(2);
  });

  it('never hands the same job to two workers at once', async () => {
    for (let i = 0; i < 30; i++)
      await enqueueJob(services.database.db, { kind: 'count', dedupeKey: `count:${i}`, payload: { i } }, now);
    const seen: number[] = [];
    const handler = (payload: unknown) => {
      seen.push((payload as { i: number }).i);
      // Finishes on a later turn of the event loop, so the other workers claim while this one works.
      return new Promise<void>((r) => setImmediate(r));
    };
    const [a, b, c] = [worker({ count: handler }), worker({ count: handler }), worker({ count: handler })];
    await Promise.all([a.runOnce(10), b.runOnce(10), c.runOnce(10), a.runOnce(10)]);
    expect(seen.length).toBe(new Set(seen).size);
    expect(new Set(seen).size).toBe(30);
  });
});
