import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../../domain/access/access-policy.ts';
import { enqueueJob, markJobFailed } from '../../../db/repositories/outbox-repository.ts';
import { onePerRole, signInAs } from '../../../../test/support/admin-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';
import { gatedStaffRoutes } from '../../plugins/staff-gate.ts';

// Bodies an admin's request would succeed with, so a refusal is the gate's and not bad input's.
const BODIES: Record<string, Record<string, string | string[]>> = {
  'POST /staff/admin/users': { email: 'intruder@admin-test.example', role: 'admin' },
  'POST /staff/admin/users/:id/role': { role: 'admin' },
  'POST /staff/admin/tokens': { name: 'intruder', scopes: ['reports:write', 'statistics:read'] },
  'POST /staff/admin/partners': { name: 'Intruder plc', sectors: 'financial-services', tlp: 'green' },
  'POST /staff/admin/partners/:id': { sectors: 'telecoms', tlp: 'clear' },
  'POST /staff/admin/partners/:id/webhook': { url: 'https://intruder.example/hook' },
};

describe(`admin pages: the access matrix (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let people: Awaited<ReturnType<typeof onePerRole>>;
  const now = new Date();
  const ids: Record<string, number> = {};

  const concrete = (url: string) => {
    const section = /^\/staff\/admin\/(\w+)\/:id/.exec(url)?.[1];
    return section === undefined ? url : url.replace(':id', String(ids[section] ?? 0));
  };
  /** Everything an admin page can change, without what signing in itself writes. */
  async function state() {
    const db = ctx.services.database.db;
    const users = await db
      .selectFrom('users')
      .select(['id', 'email', 'role', 'force_id', 'unit_id', 'totp_secret', 'password_hash', 'disabled_at'])
      .orderBy('id')
      .execute();
    const tokens = await db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'scopes', 'revoked_at'])
      .orderBy('id')
      .execute();
    const jobs = await db
      .selectFrom('outbox')
      .select(['id', 'status', 'attempts', 'run_after'])
      .orderBy('id')
      .execute();
    const partners = await db.selectFrom('partners').selectAll().orderBy('id').execute();
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '!=', 'signed-in')
      .orderBy('id')
      .execute();
    return { users, tokens, jobs, partners, audit };
  }

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    people = await onePerRole(ctx.services);
    const db = ctx.services.database.db;
    await enqueueJob(db, { kind: 'partner-webhook', dedupeKey: 'matrix', payload: {} }, now);
    const job = await db
      .selectFrom('outbox')
      .select(['id', 'attempts'])
      .where('dedupe_key', '=', 'matrix')
      .executeTakeFirstOrThrow();
    await markJobFailed(db, job, 'down', null, now);
    ids.jobs = job.id;
    ids.users = (await ctx.services.staff.userIdByEmail('analyst@admin-test.example'))?.id ?? 0;
    ids.tokens = (await ctx.services.tokens.create('matrix', ['reports:write'])).id;
    ids.partners = (
      await ctx.services.partners.add({ name: 'Matrix', sectors: ['finance'], tlp: 'green' })
    ).id;
  });
  afterAll(() => ctx.close());

  const adminRoutes = () =>
    gatedStaffRoutes(ctx.app).filter((r) => r.allow === 'administration' && r.method !== 'HEAD');

  it('gates every admin page to the administration area, admins only', () => {
    const urls = adminRoutes().map((r) => `${r.method} ${r.url}`);
    for (const expected of [
      'GET /staff/admin',
      'GET /staff/admin/jobs',
      'POST /staff/admin/jobs/:id/retry',
      'POST /staff/admin/jobs/:id/discard',
      'GET /staff/admin/users',
      'POST /staff/admin/users',
      'POST /staff/admin/users/:id/second-factor',
      'GET /staff/admin/tokens',
      'POST /staff/admin/tokens/:id/revoke',
      'GET /staff/admin/partners/:id',
      'POST /staff/admin/partners/:id/credentials',
      'POST /staff/admin/partners/:id/webhook/remove',
    ])
      expect(urls).toContain(expected);
    expect(
      gatedStaffRoutes(ctx.app).filter(
        (r) => r.url.startsWith('/staff/admin') && r.allow !== 'administration',
      ),
    ).toEqual([]);
  });

  it('opens every admin page for an admin', async () => {
    const client = await signInAs(ctx.app, people, 'admin', now);
    for (const { url } of adminRoutes().filter((r) => r.method === 'GET')) {
      const res = await client.get(concrete(url));
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
  });

  it('answers every other role 404 and a visitor the sign-in page, on every GET and POST, changing nothing', async () => {
    const before = await state();
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      const client = await signInAs(ctx.app, people, role, now);
      // Each role lands on its own home: call handlers on the adviser journey (they have no queue).
      expect(client.path, role).toBe(role === 'call-handler' ? '/staff/adviser' : '/staff');
      for (const { method, url } of adminRoutes()) {
        const res =
          method === 'GET'
            ? await client.get(concrete(url))
            : await client.post(concrete(url), BODIES[`${method} ${url}`] ?? {}, { follow: false });
        expect(res.statusCode, `${role}: ${method} ${url}`).toBe(404);
      }
    }
    for (const { method, url } of adminRoutes()) {
      const res = await ctx.app.inject({
        method: method as 'GET',
        url: concrete(url),
        ...(method === 'POST'
          ? {
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              payload: new URLSearchParams(BODIES[`${method} ${url}`] as Record<string, string>).toString(),
            }
          : {}),
      });
      expect([res.statusCode, res.headers.location], `visitor: ${method} ${url}`).toEqual([
        303,
        '/staff/sign-in',
      ]);
    }
    expect(await state()).toEqual(before);
  });
});
