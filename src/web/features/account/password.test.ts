import type { FastifyInstance } from 'fastify';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditsOf,
  errorSummary,
  onePerRole,
  postForSecret,
  signInAs,
} from '../../../../test/support/admin-fixtures.ts';
import { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff, forgetUsedCodes, STAFF_PASSWORD } from '../../../../test/support/staff-fixtures.ts';
import { createTestServices, testDialect } from '../../../../test/support/test-services.ts';
import { createApp } from '../../app.ts';
import { gatedStaffRoutes } from '../../plugins/staff-gate.ts';

const NEW_PASSWORD = 'four unrelated words together';

describe(`staff passwords: change your own, set your own first, an admin's reset (${testDialect})`, () => {
  const now = new Date();
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let app: FastifyInstance;
  let people: Awaited<ReturnType<typeof onePerRole>>;
  /** Every log line the app wrote: no password may be in any. */
  const logs: string[] = [];
  /** Every password a test typed or was shown, to look for in the logs and the audit log at the end. */
  const typed = new Set<string>([NEW_PASSWORD]);

  beforeAll(async () => {
    services = await createTestServices({ LOG_LEVEL: 'info' }, { clock: () => now });
    app = await createApp(services, { logStream: { write: (line) => logs.push(line) } });
    people = await onePerRole(services);
  });
  afterAll(async () => {
    await app.close();
    await services.cleanup();
  });

  const user = (email: string) =>
    services.database.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
  const audits = (action: string) => auditsOf(services, action);
  const admin = () => signInAs(app, people, 'admin', now);
  /** Signs in through the sign-in page with this password; the client ends where the app sent it. */
  async function signIn(email: string, password: string, totp: TOTP): Promise<FormClient> {
    await forgetUsedCodes(services, email);
    const client = new FormClient(app);
    await client.get('/staff/sign-in');
    await client.post('/staff/sign-in', {
      email,
      password,
      code: totp.generate({ timestamp: now.getTime() }),
    });
    return client;
  }
  const changeForm = (current: string, next: string, confirm = next) => ({
    'current-password': current,
    'new-password': next,
    'confirm-password': confirm,
  });

  it('a member changes their own password: current one and the new one twice; their other sessions end', async () => {
    const email = 'changer@password-test.example';
    const totp = await addStaff(services, { email, role: 'force-officer', forceId: 'cumbria' });
    const here = await signIn(email, STAFF_PASSWORD, totp);
    const elsewhere = await signIn(email, STAFF_PASSWORD, totp);
    expect(here.path).toBe('/staff');
    const queue = await here.get('/staff');
    expect(queue.body).toContain('href="/staff/password"');
    const page = await here.get('/staff/password');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Change your password');

    // Bad input: a GOV.UK error summary linked to each input, nothing changed, nothing typed shown back.
    let res = await here.post('/staff/password', changeForm('', ''));
    expect(here.path).toBe('/staff/password');
    expect(errorSummary(res.body)).toEqual([
      'current-password: Enter your current password',
      'new-password: Enter a new password',
    ]);
    res = await here.post('/staff/password', changeForm(STAFF_PASSWORD, NEW_PASSWORD, `${NEW_PASSWORD}!`));
    expect(errorSummary(res.body)).toEqual([
      'confirm-password: The new passwords do not match. Enter the same password twice',
    ]);
    res = await here.post('/staff/password', changeForm(STAFF_PASSWORD, 'too short'));
    expect(errorSummary(res.body)).toEqual(['new-password: The password must be at least 12 characters']);
    res = await here.post('/staff/password', changeForm(STAFF_PASSWORD, 'x'.repeat(501)));
    expect(errorSummary(res.body)).toEqual(['new-password: The password must be 500 characters or fewer']);
    res = await here.post('/staff/password', changeForm(STAFF_PASSWORD, STAFF_PASSWORD));
    expect(errorSummary(res.body)).toEqual([
      'new-password: Your new password must be different from your current one',
    ]);
    res = await here.post('/staff/password', changeForm('not my password at all', NEW_PASSWORD));
    expect(errorSummary(res.body)).toEqual([
      'current-password: Your current password is not right. Enter the password you sign in with',
    ]);
    expect(res.body).not.toContain(NEW_PASSWORD);
    expect(res.body).not.toContain('not my password at all');
    expect(await audits('password-change-failed')).toContainEqual({
      actor: email,
      detail: 'attempt 1: wrong current password',
    });
    await here.get('/staff/password?lng=cy');
    res = await here.post('/staff/password', changeForm(STAFF_PASSWORD, 'byr'));
    expect(errorSummary(res.body)).toEqual(['new-password: Rhaid i’r cyfrinair fod o leiaf 12 nod']);
    res = await here.post('/staff/password', changeForm('', NEW_PASSWORD, 'arall'));
    expect(errorSummary(res.body)).toEqual([
      'current-password: Rhowch eich cyfrinair presennol',
      'confirm-password: Nid yw’r cyfrineiriau newydd yn cyfateb. Rhowch yr un cyfrinair ddwywaith',
    ]);
    await here.get('/staff/password?lng=en');
    const { password_hash } = await user(email);

    const before = here.cookie('bl_session');
    res = await here.post('/staff/password', changeForm(STAFF_PASSWORD, NEW_PASSWORD));
    expect(here.path).toBe('/staff/password?done=changed');
    expect(res.body).toContain('Your password has been changed');
    expect((await user(email)).password_hash).not.toBe(password_hash);
    // This browser carries on, under a new session id; the old id and every other session are ended.
    expect(here.cookie('bl_session')).not.toBe(before);
    expect((await here.get('/staff')).statusCode).toBe(200);
    await elsewhere.get('/staff');
    expect(elsewhere.path).toBe('/staff/sign-in');
    const replay = await app.inject({ url: '/staff', headers: { cookie: `bl_session=${before ?? ''}` } });
    expect(replay.headers.location).toBe('/staff/sign-in');
    expect(await audits('password-changed')).toContainEqual({
      actor: email,
      detail: `${email}: 2 session(s) ended`,
    });
    // Only the new password signs in now.
    expect((await signIn(email, STAFF_PASSWORD, totp)).path).toBe('/staff/sign-in');
    expect((await signIn(email, NEW_PASSWORD, totp)).path).toBe('/staff');
  });

  it('counts a wrong current password towards the lock-out, so a session left open cannot try passwords for ever', async () => {
    const email = 'guessed@password-test.example';
    const totp = await addStaff(services, { email, role: 'analyst' });
    const client = await signIn(email, STAFF_PASSWORD, totp);
    await client.get('/staff/password');
    for (let attempt = 1; attempt <= 5; attempt++)
      await client.post('/staff/password', changeForm(`guess number ${String(attempt)}`, NEW_PASSWORD));
    expect(await audits('account-locked')).toContainEqual({
      actor: email,
      detail: 'attempt 5: wrong current password',
    });
    // Locked: even the right password is not tried, and sign-in is refused too.
    const res = await client.post('/staff/password', changeForm(STAFF_PASSWORD, NEW_PASSWORD));
    expect(errorSummary(res.body)).toEqual([
      'current-password: There have been too many wrong passwords. Try again in 15 minutes',
    ]);
    expect((await signIn(email, STAFF_PASSWORD, totp)).path).toBe('/staff/sign-in');
  });

  /** Every gated staff page and form, as the person would reach it: where each answer sends them. */
  async function everyStaffRoute(client: FormClient): Promise<Map<string, string>> {
    const answers = new Map<string, string>();
    for (const route of gatedStaffRoutes(app)) {
      if (route.url.startsWith('/api/') || route.method === 'HEAD') continue;
      const url = route.url.replace(/:\w+/g, '1').replace('*', 'x');
      const res =
        route.method === 'GET'
          ? await app.inject({ url, headers: { cookie: `bl_session=${client.cookie('bl_session') ?? ''}` } })
          : await client.post(url, { text: 'x', status: 'closed' }, { follow: false });
      answers.set(
        `${route.method} ${route.url}`,
        `${String(res.statusCode)} ${String(res.headers.location)}`,
      );
    }
    return answers;
  }

  it('a new account must set its own password first: the one its admin chose opens no other staff page', async () => {
    const client = await admin();
    await client.get('/staff/admin/users/new');
    const { shown } = await postForSecret(client, '/staff/admin/users', {
      email: 'newcomer@password-test.example',
      role: 'force-supervisor',
      force: 'cumbria',
    });
    const given = /<code id="password">([\w-]+)<\/code>/.exec(shown.body)?.[1] ?? '';
    const secret = (/<code id="secret">([A-Z2-7 ]+)<\/code>/.exec(shown.body)?.[1] ?? '').replace(/ /g, '');
    typed.add(given);
    const totp = new TOTP({ secret: Secret.fromBase32(secret) });
    const email = 'newcomer@password-test.example';
    expect((await user(email)).password_change_due).toBe(1);

    const person = await signIn(email, given, totp);
    expect(person.path).toBe('/staff/password');
    expect(person.last?.body).toContain('Set your own password');
    // Every other staff page and form sends them back to it, before anything is read or done.
    const answers = await everyStaffRoute(person);
    expect(answers.size).toBeGreaterThan(40);
    for (const [route, answer] of answers)
      if (!route.endsWith(' /staff/password'))
        expect(`${route} → ${answer}`).toBe(`${route} → 303 /staff/password`);
    expect(await audits('read-report')).not.toContainEqual(expect.objectContaining({ actor: email }));

    await person.get('/staff/password');
    await person.post('/staff/password', changeForm(given, NEW_PASSWORD));
    expect(person.path).toBe('/staff/password?done=changed');
    expect((await person.get('/staff')).statusCode).toBe(200);
    expect((await user(email)).password_change_due).toBe(0);
    expect((await audits('password-changed')).map((a) => a.detail)).toContain(
      `${email}: 1 session(s) ended; replaces a password someone else chose`,
    );
    // The admin's password is worthless now.
    expect((await signIn(email, given, totp)).path).toBe('/staff/sign-in');
    expect((await signIn(email, NEW_PASSWORD, totp)).path).toBe('/staff');
  });

  it('an admin resets a password: a one-time password shown once, sessions and API tokens ended, audited', async () => {
    const email = 'forgetful@password-test.example';
    const totp = await addStaff(services, { email, role: 'regional-officer', unitId: 'nwrocu-rccu' });
    const { id } = await user(email);
    const session = await signIn(email, STAFF_PASSWORD, totp);
    const { token } = await services.tokens.create('laptop', ['staff'], id);
    const api = async () =>
      (
        await app.inject({
          url: '/api/v1/reports/CYB-0000-0000-0',
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode;
    expect(await api()).toBe(404);
    // Locked out by their own wrong guesses: the reset lets them in again.
    await services.database.db
      .updateTable('users')
      .set({ failed_attempts: 5, locked_until: new Date(now.getTime() + 600_000).toISOString() })
      .where('id', '=', id)
      .execute();

    const client = await admin();
    const page = await client.get(`/staff/admin/users/${String(id)}`);
    expect(page.body).toContain(`action="/staff/admin/users/${String(id)}/password"`);
    const { location, shown, refreshed } = await postForSecret(
      client,
      `/staff/admin/users/${String(id)}/password`,
    );
    expect(location).toBe(`/staff/admin/users/${String(id)}/temporary-password`);
    const temporary = /<code id="password"[^>]*>([\w-]+)<\/code>/.exec(shown.body)?.[1] ?? '';
    typed.add(temporary);
    expect(temporary.length).toBeGreaterThanOrEqual(16);
    expect(shown.body).toContain(email);
    // Shown once: the refresh neither shows it nor resets again (the one shown is the one that works).
    expect(refreshed.body).not.toContain(temporary);
    expect((await audits('password-reset')).filter((a) => a.detail.startsWith(email))).toEqual([
      { actor: 'admin@admin-test.example', detail: `${email}: 1 session(s) ended, 1 token(s) revoked` },
    ]);
    expect((await session.get('/staff')).statusCode).toBe(200);
    expect(session.path).toBe('/staff/sign-in');
    expect(await api()).toBe(401);

    // Their old password no longer works; the temporary one opens only the password page.
    expect((await signIn(email, STAFF_PASSWORD, totp)).path).toBe('/staff/sign-in');
    const person = await signIn(email, temporary, totp);
    expect(person.path).toBe('/staff/password');
    expect((await person.get('/staff/cases')).statusCode).toBe(200);
    expect(person.path).toBe('/staff/password');
    await person.post('/staff/password', changeForm(temporary, NEW_PASSWORD));
    expect((await person.get('/staff/cases')).statusCode).toBe(200);
    expect(person.path).toBe('/staff/cases');
  });

  it('refuses an admin resetting their own password here, a disabled account, and a reset without the CSRF token', async () => {
    const client = await admin();
    const self = await user('admin@admin-test.example');
    await client.get(`/staff/admin/users/${String(self.id)}`);
    let res = await client.post(`/staff/admin/users/${String(self.id)}/password`);
    expect(errorSummary(res.body)).toEqual([
      'password-reset: You cannot reset your own password here: change it from your own password page',
    ]);
    expect((await user('admin@admin-test.example')).password_hash).toBe(self.password_hash);

    await addStaff(services, { email: 'gone@password-test.example', role: 'analyst' });
    await services.staffAccounts.disable('gone@password-test.example', 'admin@admin-test.example');
    const gone = await user('gone@password-test.example');
    await client.get(`/staff/admin/users/${String(gone.id)}`);
    res = await client.post(`/staff/admin/users/${String(gone.id)}/password`);
    expect(errorSummary(res.body)).toEqual(['password-reset: This account is disabled']);
    expect((await user('gone@password-test.example')).password_hash).toBe(gone.password_hash);

    const analyst = await user('analyst@admin-test.example');
    const cookie = ['bl_session', '_csrf'].map((n) => `${n}=${client.cookie(n) ?? ''}`).join('; ');
    const forged = await app.inject({
      method: 'POST',
      url: `/staff/admin/users/${String(analyst.id)}/password`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '_csrf=forged',
    });
    expect(forged.statusCode).toBe(403);
    expect(await user('analyst@admin-test.example')).toMatchObject({
      password_hash: analyst.password_hash,
      password_change_due: 0,
    });
  });

  it('never writes a password to the logs or the audit log', async () => {
    const audit = JSON.stringify(await services.database.db.selectFrom('audit_log').selectAll().execute());
    expect(logs.length).toBeGreaterThan(10);
    for (const password of [...typed, STAFF_PASSWORD]) {
      expect(logs.join('\n')).not.toContain(password);
      expect(audit).not.toContain(password);
    }
  });
});
