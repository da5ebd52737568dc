import type { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff, signInStaff, STAFF_PASSWORD } from '../../../../test/support/staff-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { LOCKOUT, SIGN_IN_LIMITS } from '../../../services/staff.ts';

/** The page with what legitimately differs per request taken out: nonces, CSRF tokens and the typed email. */
const normalise = (body: string) =>
  body
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/name="csrf-token" content="[^"]*"/g, '')
    .replace(/name="_csrf" value="[^"]*"/g, '')
    .replace(/(id="email"[^>]*value=")[^"]*"/g, '$1"');

describe('staff sign-in page', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let now = new Date('2026-12-03T09:00:00Z');
  const totps = new Map<string, TOTP>();
  const code = (email: string) => totps.get(email)?.generate({ timestamp: now.getTime() }) ?? '';
  /** Moves past the client throttle's window, so each test starts with a clean count. */
  const nextWindow = () => {
    now = new Date(now.getTime() + SIGN_IN_LIMITS.windowMinutes * 60_000);
  };

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    for (const email of ['officer@cumbria.example', 'locked@cumbria.example', 'gone@cumbria.example'])
      totps.set(email, await addStaff(ctx.services, { email, role: 'force-officer', forceId: 'cumbria' }));
  });
  afterAll(() => ctx.close());

  async function attempt(fields: Record<string, string>, lng = 'en') {
    const client = new FormClient(ctx.app);
    await client.get(`/staff/sign-in?lng=${lng}`);
    return client.post('/staff/sign-in', fields);
  }

  it('answers unknown email, wrong password, wrong code, locked and disabled alike', async () => {
    // Locked by five wrong tries (from this client too: ten failures in all, under the client limit).
    for (let i = 0; i < LOCKOUT.attempts; i++)
      await attempt({ email: 'locked@cumbria.example', password: 'wrong password', code: '000000' });
    await ctx.services.staffAccounts.disable('gone@cumbria.example', 'test');
    const cases: Record<string, Record<string, string>> = {
      'unknown email': { email: 'nobody@cumbria.example', password: STAFF_PASSWORD, code: '123456' },
      'wrong password': {
        email: 'officer@cumbria.example',
        password: 'not it',
        code: code('officer@cumbria.example'),
      },
      'wrong code': { email: 'officer@cumbria.example', password: STAFF_PASSWORD, code: '000000' },
      locked: {
        email: 'locked@cumbria.example',
        password: STAFF_PASSWORD,
        code: code('locked@cumbria.example'),
      },
      disabled: {
        email: 'gone@cumbria.example',
        password: STAFF_PASSWORD,
        code: code('gone@cumbria.example'),
      },
    };
    const answers = new Map<string, { status: number; body: string }>();
    for (const [name, fields] of Object.entries(cases)) {
      const res = await attempt(fields);
      answers.set(name, { status: res.statusCode, body: normalise(res.body) });
    }
    const first = answers.get('unknown email');
    expect(first?.status).toBe(400);
    expect(first?.body).toContain('The email address, password or security code is not right');
    expect(first?.body).toContain('govuk-error-summary');
    for (const [name, answer] of answers) expect(answer, name).toEqual(first);
  });

  it('lets a security code sign in once: the same code again is refused', async () => {
    nextWindow();
    const email = 'officer@cumbria.example';
    const fields = { email, password: STAFF_PASSWORD, code: code(email) };
    const first = new FormClient(ctx.app);
    await first.get('/staff/sign-in');
    await first.post('/staff/sign-in', fields);
    expect(first.path).toBe('/staff');
    const replay = await attempt(fields);
    expect(replay.statusCode).toBe(400);
    expect(replay.body).toContain('The email address, password or security code is not right');
  });

  it('shows a GOV.UK "too many attempts" page (429) after 20 failures from one client, in Welsh too', async () => {
    nextWindow();
    for (let i = 0; i < SIGN_IN_LIMITS.perClient; i++) {
      const res = await attempt({
        email: `guess${i}@cumbria.example`,
        password: 'Winter2026!',
        code: '123456',
      });
      expect(res.statusCode).toBe(400);
    }
    const email = 'officer@cumbria.example';
    const right = { email, password: STAFF_PASSWORD, code: code(email) };
    const refused = await attempt(right);
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain('govuk-error-summary');
    expect(refused.body).toContain('There have been too many sign-in attempts from your connection');
    const welsh = await attempt(right, 'cy');
    expect(welsh.statusCode).toBe(429);
    expect(welsh.body).toContain('Bu gormod o ymdrechion i fewngofnodi');
    // The counter stands for the client by a keyed hash: the address itself is never stored.
    const keys = await ctx.services.database.db.selectFrom('attempt_counters').select('key').execute();
    expect(keys.some((k) => k.key.startsWith('sign-in:client:'))).toBe(true);
    expect(keys.filter((k) => k.key.includes('127.0.0.1'))).toEqual([]);
    nextWindow();
    expect((await signInStaff(ctx.app, email, totps.get(email) as TOTP, now)).path).toBe('/staff');
  });

  it('disabling a member ends their sessions and API tokens at once', async () => {
    nextWindow();
    const email = 'officer@cumbria.example';
    const totp = totps.get(email) as TOTP;
    const browser = await signInStaff(ctx.app, email, totp, now);
    const older = await signInStaff(ctx.app, email, totp, now);
    expect(browser.path).toBe('/staff');
    // A session saved before sessions knew their user: it must stop working too.
    await ctx.services.database.db
      .updateTable('sessions')
      .set({ user_id: null })
      .where(
        'id',
        '=',
        (
          await ctx.services.database.db
            .selectFrom('sessions')
            .select('id')
            .orderBy('updated_at', 'desc')
            .executeTakeFirstOrThrow()
        ).id,
      )
      .execute();
    const user = await ctx.services.staff.userIdByEmail(email);
    const { token } = await ctx.services.tokens.create('laptop', ['staff'], user?.id ?? null);
    const api = () =>
      ctx.app.inject({
        url: '/api/v1/reports/CYB-0000-0000-0',
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await api()).statusCode).toBe(404);

    const result = await ctx.services.staffAccounts.disable(email, 'cli:admin');
    expect(result).toMatchObject({ state: 'disabled', tokens: 1 });
    expect(result.sessions).toBeGreaterThanOrEqual(1);

    for (const client of [browser, older]) {
      await client.get('/staff');
      expect(client.path).toBe('/staff/sign-in');
    }
    expect((await api()).statusCode).toBe(401);
    const again = await signInStaff(ctx.app, email, totp, now);
    expect(again.path).toBe('/staff/sign-in');
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'user-disabled')
      .where('actor', '=', 'cli:admin')
      .execute();
    expect(audit).toHaveLength(1);
    expect(await ctx.services.staffAccounts.disable(email, 'cli:admin')).toMatchObject({ state: 'already' });
  });
});
