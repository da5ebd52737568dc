import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../domain/access/access-policy.ts';
import { MAX_JOB_ATTEMPTS } from '../../../domain/outbox/retry.ts';
import { enqueueJob } from '../../../db/repositories/outbox-repository.ts';
import { createOutboxWorker } from '../../../services/outbox-worker.ts';
import { errorSummary, onePerRole, signInAs } from '../../../../test/support/admin-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';

const quiet = { info: () => undefined, error: () => undefined };
const PAYLOAD_SECRET = 'victim@example.org';

describe(`admin: background jobs (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let people: Awaited<ReturnType<typeof onePerRole>>;
  let now = new Date();
  let handlerWorks = false;

  const job = (key: string) =>
    ctx.services.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('dedupe_key', '=', key)
      .executeTakeFirstOrThrow();
  const audits = (action: string) =>
    ctx.services.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).execute();
  const worker = () =>
    createOutboxWorker(
      ctx.services.database.db,
      ctx.services.database.dialect,
      () => now,
      {
        'partner-webhook': () =>
          handlerWorks ? Promise.resolve() : Promise.reject(new Error('connect ECONNREFUSED 192.0.2.1:443')),
      },
      quiet,
    );

  /** A job that fails every attempt until it is a dead letter. */
  async function deadLetter(key: string) {
    await enqueueJob(
      ctx.services.database.db,
      { kind: 'partner-webhook', dedupeKey: key, payload: { to: PAYLOAD_SECRET } },
      now,
    );
    for (let i = 0; i < MAX_JOB_ATTEMPTS; i++) {
      await worker().runOnce();
      now = new Date(now.getTime() + 24 * 3600_000);
    }
    const row = await job(key);
    expect(row.status).toBe('dead');
    return row.id;
  }

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    people = await onePerRole(ctx.services);
  });
  afterAll(() => ctx.close());

  it('shows queue depth, the oldest waiting job and dead letters with their last error, never the payload', async () => {
    const id = await deadLetter('dead:shown');
    await enqueueJob(
      ctx.services.database.db,
      { kind: 'update-email', dedupeKey: 'waiting:1', payload: { to: PAYLOAD_SECRET } },
      new Date('2026-01-02T03:04:00Z'),
    );
    const admin = await signInAs(ctx.app, people, 'admin', now);
    const page = await admin.get('/staff/admin/jobs');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const kinds = page.body.slice(page.body.indexOf('id="kinds"'), page.body.indexOf('id="dead-letters"'));
    expect(kinds).toMatch(
      /update-email<\/code><\/th>\s*<td[^>]*>1<\/td>\s*<td[^>]*>2 January 2026 at 03:04<\/td>/,
    );
    expect(kinds).toMatch(
      /partner-webhook<\/code><\/th>\s*<td[^>]*>0<\/td>\s*<td[^>]*>None waiting<\/td>\s*<td[^>]*>1<\/td>/,
    );
    expect(page.body).toContain(`Job ${id} (partner-webhook)`);
    expect(page.body).toContain('connect ECONNREFUSED 192.0.2.1:443');
    expect(page.body).not.toContain(PAYLOAD_SECRET);
    const welsh = await admin.get('/staff/admin/jobs?lng=cy');
    expect(welsh.body).toContain('Llythyrau marw');
    expect(welsh.body).not.toContain(PAYLOAD_SECRET);
    // The queue page links admins here.
    expect((await admin.get('/staff?lng=en')).body).toContain('href="/staff/admin"');
    expect((await admin.get('/staff/admin')).body).toContain('href="/staff/admin/jobs"');
  });

  it('retries a dead letter: pending, attempts reset, due now, audited; the worker then delivers it', async () => {
    const id = await deadLetter('dead:retry');
    const admin = await signInAs(ctx.app, people, 'admin', now);
    const res = await admin.post(`/staff/admin/jobs/${id}/retry`);
    expect(admin.path).toBe('/staff/admin/jobs?done=retried');
    expect(res.body).toContain('The job will run again now.');
    expect(await job('dead:retry')).toMatchObject({
      status: 'pending',
      attempts: 0,
      run_after: now.toISOString(),
    });
    const audit = await audits('job-retried');
    expect(audit.map((a) => [a.actor, a.detail])).toContainEqual([
      'admin@admin-test.example',
      `job ${id} (partner-webhook)`,
    ]);
    handlerWorks = true;
    await worker().runOnce();
    handlerWorks = false;
    expect((await job('dead:retry')).status).toBe('done');
  });

  it('discards a dead letter: a terminal "discarded", never "done", kept with its error, audited', async () => {
    const id = await deadLetter('dead:discard');
    const admin = await signInAs(ctx.app, people, 'admin', now);
    await admin.post(`/staff/admin/jobs/${id}/discard`);
    expect(admin.path).toBe('/staff/admin/jobs?done=discarded');
    const row = await job('dead:discard');
    expect(row).toMatchObject({ status: 'discarded', last_error: 'connect ECONNREFUSED 192.0.2.1:443' });
    expect((await audits('job-discarded')).map((a) => a.detail)).toContain(`job ${id} (partner-webhook)`);
    // Never run again, and gone from the dead letters.
    handlerWorks = true;
    expect(await worker().runOnce()).toBe(0);
    handlerWorks = false;
    expect((await admin.get('/staff/admin/jobs')).body).not.toContain(`Job ${id} (`);
  });

  it('refuses to retry or discard a job that is not a dead letter, with an error summary in English and Welsh', async () => {
    // Discarded by the test before: no longer a dead letter.
    const { id } = await job('dead:discard');
    const admin = await signInAs(ctx.app, people, 'admin', now);
    const before = await job('dead:discard');
    const res = await admin.post(`/staff/admin/jobs/${id}/discard`);
    expect(admin.path).toBe('/staff/admin/jobs');
    expect(errorSummary(res.body)).toEqual([
      `dead-letters: Job ${id} is no longer a dead letter. Refresh the page`,
    ]);
    await admin.get('/staff/admin/jobs?lng=cy');
    const welsh = await admin.post(`/staff/admin/jobs/${id}/retry`);
    expect(errorSummary(welsh.body)).toEqual([
      `dead-letters: Nid yw tasg ${id} yn llythyr marw bellach. Adnewyddwch y dudalen`,
    ]);
    expect(await job('dead:discard')).toEqual(before);
    expect((await admin.post('/staff/admin/jobs/999999/retry', {}, { follow: false })).statusCode).toBe(404);
    expect((await admin.post('/staff/admin/jobs/abc/retry', {}, { follow: false })).statusCode).toBe(404);
  });

  it('refuses a retry without the CSRF token, changing nothing', async () => {
    const id = await deadLetter('dead:csrf');
    const admin = await signInAs(ctx.app, people, 'admin', now);
    const cookie = ['bl_session', '_csrf'].map((n) => `${n}=${admin.cookie(n) ?? ''}`).join('; ');
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/staff/admin/jobs/${id}/retry`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(res.statusCode).toBe(403);
    expect((await job('dead:csrf')).status).toBe('dead');
  });

  it('every other role gets 404 and a visitor the sign-in page, and nothing changes', async () => {
    const id = await deadLetter('dead:matrix');
    const others: Role[] = [
      'force-officer',
      'force-supervisor',
      'regional-officer',
      'national-officer',
      'analyst',
    ];
    for (const role of others) {
      const client = await signInAs(ctx.app, people, role, now);
      expect((await client.get('/staff/admin/jobs')).statusCode, role).toBe(404);
      for (const action of ['retry', 'discard'])
        expect((await client.post(`/staff/admin/jobs/${id}/${action}`)).statusCode, role).toBe(404);
    }
    const visitor = await ctx.app.inject({ method: 'POST', url: `/staff/admin/jobs/${id}/retry` });
    expect([visitor.statusCode, visitor.headers.location]).toEqual([303, '/staff/sign-in']);
    expect((await job('dead:matrix')).status).toBe('dead');
  });
});
