import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { onePerRole, postForSecret, signInAs } from '../../../../test/support/admin-fixtures.ts';
import type { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff, signInStaff, STAFF_PASSWORD } from '../../../../test/support/staff-fixtures.ts';
import {
  createTestServices,
  TEST_PASSWORD_HASHER,
  testDialect,
} from '../../../../test/support/test-services.ts';
import type { PasswordHasher } from '../../../services/staff-sign-in.ts';
import { createApp } from '../../app.ts';

/** A guess whose check the test holds until it releases it: a request still running when something else happens. */
const HELD_GUESS = 'a guess the test holds on to';
let held: { started: boolean; release: () => void; released: Promise<void> } | null = null;
const hasher: PasswordHasher = {
  hash: (password) => TEST_PASSWORD_HASHER.hash(password),
  async verify(h, password) {
    const gate = held;
    if (password === HELD_GUESS && gate !== null) {
      gate.started = true;
      await gate.released;
    }
    return TEST_PASSWORD_HASHER.verify(h, password);
  },
};

/** Every password typed or shown in this file, to look for where none may be. */
const typed = new Set<string>([HELD_GUESS, STAFF_PASSWORD]);
const changeForm = (current: string, next: string) => {
  typed.add(current);
  typed.add(next);
  return {
    'current-password': current,
    'new-password': next,
    'confirm-password': next,
  };
};

describe(`attacks on staff passwords, the gate and one-time pages (${testDialect})`, () => {
  const now = new Date();
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let app: FastifyInstance;
  let people: Awaited<ReturnType<typeof onePerRole>>;

  beforeAll(async () => {
    services = await createTestServices({}, { clock: () => now, passwords: hasher });
    app = await createApp(services);
    people = await onePerRole(services);
  });
  afterAll(async () => {
    await app.close();
    await services.cleanup();
  });

  const userId = async (email: string) => (await services.staff.userIdByEmail(email))?.id ?? 0;
  const withCookie = (client: FormClient) => ({
    cookie: ['bl_session', '_csrf'].map((n) => `${n}=${client.cookie(n) ?? ''}`).join('; '),
  });

  it('a session ended by a password change stays ended: a request of it still running cannot save it back', async () => {
    const email = 'victim@attacks.example';
    const totp = await addStaff(services, { email, role: 'force-officer', forceId: 'cumbria' });
    const victim = await signInStaff(app, email, totp, now);
    // The attacker holds a copy of a session of theirs (a stolen cookie, a screen left unlocked).
    const attacker = await signInStaff(app, email, totp, now);
    await attacker.get('/staff/password');
    let release: () => void = () => undefined;
    const gate = {
      started: false,
      release: () => undefined,
      released: new Promise<void>((resolve) => {
        release = resolve;
      }),
    };
    held = gate;
    // A request of the attacker's session is running (any form that saves the session when it ends)…
    const inFlight = attacker.post('/staff/password', changeForm(HELD_GUESS, 'whatever they like here'), {
      follow: false,
    });
    try {
      await vi.waitFor(() => {
        expect(gate.started).toBe(true);
      });
      // …when the person changes their password, which ends every session of theirs.
      await victim.get('/staff/password');
      await victim.post('/staff/password', changeForm(STAFF_PASSWORD, 'my own new secret words'));
      expect(victim.path).toBe('/staff/password?done=changed');
      expect(
        await services.database.db
          .selectFrom('sessions')
          .select('id')
          .where('user_id', '=', await userId(email))
          .execute(),
      ).toHaveLength(1);
    } finally {
      held = null;
      release();
    }
    expect((await inFlight).statusCode).toBe(303);
    // The request that was running saved its session when it ended: that must not bring it back.
    await attacker.get('/staff');
    expect(attacker.path).toBe('/staff/sign-in');
    expect(
      await services.database.db
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', await userId(email))
        .execute(),
    ).toHaveLength(1);
    expect((await victim.get('/staff')).statusCode).toBe(200);
    expect(victim.path).toBe('/staff');
  });

  it('an admin resetting their own second factor: their other sessions end, this browser carries on and sees it', async () => {
    const email = 'own-second-factor@attacks.example';
    const totp = await addStaff(services, { email, role: 'admin' });
    const admin = await signInStaff(app, email, totp, now);
    const other = await signInStaff(app, email, totp, now);
    const before = admin.cookie('bl_session');
    const id = await userId(email);
    await admin.get(`/staff/admin/users/${String(id)}`);
    const { shown } = await postForSecret(admin, `/staff/admin/users/${String(id)}/second-factor`);
    expect(shown.body).toMatch(/<code id="secret">[A-Z2-7 ]+<\/code>/);
    expect(admin.cookie('bl_session')).not.toBe(before);
    expect((await admin.get('/staff/admin')).statusCode).toBe(200);
    expect(admin.path).toBe('/staff/admin');
    // The old id, and the other browser, are signed out.
    const replay = await app.inject({
      url: '/staff/admin',
      headers: { cookie: `bl_session=${before ?? ''}` },
    });
    expect(replay.headers.location).toBe('/staff/sign-in');
    await other.get('/staff/admin');
    expect(other.path).toBe('/staff/sign-in');
  });

  it('a one-time page is not used up by a HEAD request (a link checker, a proxy): the GET still shows it', async () => {
    const email = 'headed@attacks.example';
    await addStaff(services, { email, role: 'analyst' });
    const id = await userId(email);
    const admin = await signInAs(app, people, 'admin', now);
    await admin.get(`/staff/admin/users/${String(id)}`);
    const posted = await admin.post(`/staff/admin/users/${String(id)}/password`, {}, { follow: false });
    const location = String(posted.headers.location);
    const head = await app.inject({ method: 'HEAD', url: location, headers: withCookie(admin) });
    expect(head.statusCode).toBe(200);
    expect(head.headers['cache-control']).toBe('no-store');
    const shown = await admin.get(location);
    const temporary = /<code id="password"[^>]*>([\w-]{16,})<\/code>/.exec(shown.body)?.[1] ?? '';
    expect(temporary).not.toBe('');
    typed.add(temporary);
    expect((await admin.get(location)).body).toContain('Already shown');
  });

  it('while a change is due, no staff page, form or API route opens, however the path or method is written', async () => {
    const email = 'due@attacks.example';
    const totp = await addStaff(services, { email, role: 'admin', passwordDue: true });
    const person = await signInStaff(app, email, totp, now);
    expect(person.path).toBe('/staff/password');
    const headers = withCookie(person);
    const answers: string[] = [];
    for (const [method, url] of [
      ['GET', '/staff'],
      ['GET', '/staff/admin'],
      ['GET', '/staff/admin/users?lng=cy'],
      ['GET', '/staff/%61dmin/users'],
      ['GET', '/%73taff/admin'],
      ['GET', '/staff/./admin'],
      ['GET', '/staff/password/../admin'],
      ['HEAD', '/staff/admin/users'],
      ['HEAD', '/staff/cases'],
      ['POST', '/staff/admin/users'],
      ['POST', '/staff/admin/tokens'],
    ] as const)
      answers.push(
        `${method} ${url} ${String((await app.inject({ method, url, headers })).headers.location)}`,
      );
    expect(answers).toEqual(answers.map((a) => a.replace(/ [^ ]+$/, ' /staff/password')));
    // Paths the router does not match (trailing slash, doubled slash, other case, OPTIONS) are not pages at all.
    for (const [method, url] of [
      ['GET', '/staff/admin/'],
      ['GET', '/staff//admin'],
      ['GET', '/STAFF/ADMIN'],
      ['OPTIONS', '/staff/admin/users'],
    ] as const) {
      const res = await app.inject({ method, url, headers });
      expect(`${method} ${url} ${String(res.statusCode)}`).toBe(`${method} ${url} 404`);
      expect(res.body).not.toContain('Sign out');
    }
    // The staff API takes bearer tokens only: the session cookie opens nothing there.
    for (const [method, url] of [
      ['GET', '/api/v1/reports/CYB-0000-0000-0'],
      ['POST', '/api/v1/cases'],
    ] as const)
      expect((await app.inject({ method, url, headers })).statusCode).toBe(401);
    // The password form itself needs its CSRF token.
    const forged = await app.inject({
      method: 'POST',
      url: '/staff/password',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        ...changeForm(STAFF_PASSWORD, 'chosen by someone else'),
        _csrf: 'forged',
      }).toString(),
    });
    expect(forged.statusCode).toBe(403);
    const row = await services.database.db
      .selectFrom('users')
      .select(['password_change_due'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect(row.password_change_due).toBe(1);
  });

  it('a one-time page shows its secret to the session that made it only: not another admin, not the same admin elsewhere', async () => {
    const email = 'shown-once@attacks.example';
    await addStaff(services, { email, role: 'analyst' });
    const id = await userId(email);
    const admin = await signInAs(app, people, 'admin', now);
    const sameAdminElsewhere = await signInAs(app, people, 'admin', now);
    const secondAdmin = await signInStaff(
      app,
      'second-admin@attacks.example',
      await addStaff(services, { email: 'second-admin@attacks.example', role: 'admin' }),
      now,
    );
    await admin.get(`/staff/admin/users/${String(id)}`);
    const posted = await admin.post(`/staff/admin/users/${String(id)}/password`, {}, { follow: false });
    const location = String(posted.headers.location);
    expect(location).toBe(`/staff/admin/users/${String(id)}/temporary-password`);
    for (const other of [secondAdmin, sameAdminElsewhere]) {
      const res = await other.get(location);
      expect(res.body).toContain('Already shown');
      expect(res.body).not.toMatch(/<code id="password"/);
    }
    // The secret is for its own page only: the enrolment page of the same account shows nothing of it.
    expect((await admin.get(`/staff/admin/users/${String(id)}/enrolment`)).body).toContain('Already shown');
    const shown = await admin.get(location);
    const temporary = /<code id="password"[^>]*>([\w-]{16,})<\/code>/.exec(shown.body)?.[1] ?? '';
    expect(temporary).not.toBe('');
    typed.add(temporary);
    // Nothing of it in the cookie the browser holds (a signed random id) or in the URL.
    expect(decodeURIComponent(admin.cookie('bl_session') ?? '')).toMatch(/^[\w-]{43}\.[\w+/=-]+$/);
    expect(location).not.toContain(temporary);
  });

  it('keeps every password out of the sessions table, the outbox and the audit log', async () => {
    const db = services.database.db;
    const stored = JSON.stringify([
      await db.selectFrom('sessions').selectAll().execute(),
      await db.selectFrom('outbox').selectAll().execute(),
      await db.selectFrom('audit_log').selectAll().execute(),
    ]);
    expect(typed.size).toBeGreaterThan(5);
    for (const password of typed) expect(stored).not.toContain(password);
  });
});
