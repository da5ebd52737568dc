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
import { addStaff, forgetUsedCodes, signInStaff } from '../../../../test/support/staff-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { TEST_PASSWORD_HASHER, testDialect } from '../../../../test/support/test-services.ts';
import type { PasswordHasher } from '../../../services/staff-sign-in.ts';

/**
 * The test hasher, which can hold the next `n` hashes until all `n` have started: two submissions of one form
 * then both pass the "no such account yet" check before either inserts, as a double click can.
 */
let together: { n: number; arrived: number; release: () => void; all: Promise<void> } | null = null;
const hasher: PasswordHasher = {
  async hash(password) {
    const gate = together;
    if (gate !== null) {
      gate.arrived++;
      if (gate.arrived === gate.n) {
        together = null;
        gate.release();
      }
      await gate.all;
    }
    return TEST_PASSWORD_HASHER.hash(password);
  },
  verify: (h, password) => TEST_PASSWORD_HASHER.verify(h, password),
};
function holdHashesTogether(n: number): void {
  let release: () => void = () => undefined;
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  together = { n, arrived: 0, release, all };
}

describe(`admin: staff users (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let people: Awaited<ReturnType<typeof onePerRole>>;
  const now = new Date();

  const user = (email: string) =>
    ctx.services.database.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
  const audits = (action: string) => auditsOf(ctx.services, action);
  const admin = () => signInAs(ctx.app, people, 'admin', now);

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now, passwords: hasher });
    people = await onePerRole(ctx.services);
    await addStaff(ctx.services, { email: 'never@admin-test.example', role: 'analyst' });
  });
  afterAll(() => ctx.close());

  it('lists every account with role, force or unit, status and last sign-in (recorded on sign-in)', async () => {
    await signInAs(ctx.app, people, 'force-officer', now);
    expect((await user('force-officer@admin-test.example')).last_sign_in_at).toBe(now.toISOString());
    const client = await admin();
    const page = await client.get('/staff/admin/users');
    expect(page.statusCode).toBe(200);
    const row = (email: string) => {
      const start = page.body.indexOf(`>${email}</a>`);
      return page.body.slice(start, page.body.indexOf('</tr>', start));
    };
    expect(row('force-officer@admin-test.example')).toContain('Force officer');
    expect(row('force-officer@admin-test.example')).toContain('Cumbria');
    expect(row('force-officer@admin-test.example')).toContain('Active');
    expect(row('force-officer@admin-test.example')).not.toContain('Never');
    expect(row('never@admin-test.example')).toContain('Never');
    expect(row('national-officer@admin-test.example')).toContain('National Crime Agency');
    const welsh = await client.get('/staff/admin/users?lng=cy');
    expect(welsh.body).toContain('Defnyddwyr staff');
    expect(welsh.body).toContain('Swyddog heddlu');
  });

  it('adds a staff member and shows the enrolment once: QR code, setup key and password that sign in', async () => {
    const client = await admin();
    await client.get('/staff/admin/users/new');
    const sessionsAfterPost: string[] = [];
    const form = { email: ' New.Officer@Kent.example ', role: 'force-officer', force: 'kent', unit: 'nccu' };
    const redirect = await client.post('/staff/admin/users', form, { follow: false });
    // Between the POST and the page, the enrolment waits in the session row: sealed, never in clear.
    sessionsAfterPost.push(
      ...(await ctx.services.database.db.selectFrom('sessions').select('data').execute()).map((r) => r.data),
    );
    const row = await user('new.officer@kent.example');
    expect(redirect.statusCode).toBe(303);
    expect(redirect.headers.location).toBe(`/staff/admin/users/${String(row.id)}/enrolment`);
    const res = await client.get(String(redirect.headers.location));
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('<svg role="img" aria-label="QR code to enrol new.officer@kent.example');
    const secret = (/<code id="secret">([A-Z2-7 ]+)<\/code>/.exec(res.body)?.[1] ?? '').replace(/ /g, '');
    const password = /<code id="password">([\w-]+)<\/code>/.exec(res.body)?.[1] ?? '';
    expect(secret).toHaveLength(32);
    expect(password.length).toBeGreaterThanOrEqual(16);
    for (const data of sessionsAfterPost) {
      expect(data).not.toContain(password);
      expect(data).not.toContain(secret);
    }
    // A refresh of the page says it was shown, and neither shows the secrets again nor adds the person again.
    const refreshed = await client.get(String(redirect.headers.location));
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.body).toContain('Already shown');
    expect(refreshed.body).not.toContain(password);
    expect(refreshed.body).not.toContain(secret.slice(0, 4) + ' ' + secret.slice(4, 8));
    expect((await audits('user-added')).filter((a) => a.detail.startsWith('new.officer@'))).toHaveLength(1);
    expect(row).toMatchObject({
      role: 'force-officer',
      force_id: 'kent',
      unit_id: 'kent-cyber',
      disabled_at: null,
    });
    expect(row.totp_secret).not.toContain(secret);
    expect(await audits('user-added')).toContainEqual({
      actor: 'admin@admin-test.example',
      detail: 'new.officer@kent.example as force-officer',
    });
    // The person signs in with what the page showed.
    const person = new FormClient(ctx.app);
    await person.get('/staff/sign-in');
    await person.post('/staff/sign-in', {
      email: 'new.officer@kent.example',
      password,
      code: new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: now.getTime() }),
    });
    // … straight to setting their own password: the one the admin saw opens nothing else (account/password.test.ts).
    expect(person.path).toBe('/staff/password');
    // Never shown again: not on the account's page, the list, or the form.
    for (const url of [
      '/staff/admin/users',
      `/staff/admin/users/${String(row.id)}`,
      '/staff/admin/users/new',
    ]) {
      const again = await client.get(url);
      expect(again.body).not.toContain(password);
      expect(again.body).not.toMatch(new RegExp(secret.slice(0, 4) + ' ' + secret.slice(4, 8)));
    }
  });

  it('shows an error summary for bad input, in English and Welsh, and adds nobody', async () => {
    const client = await admin();
    const count = async () => (await ctx.services.staffAccounts.list()).length;
    const before = await count();
    await client.get('/staff/admin/users/new');
    let res = await client.post('/staff/admin/users', { email: '', role: '' });
    expect(client.path).toBe('/staff/admin/users/new');
    expect(errorSummary(res.body)).toEqual([
      'email: Enter the person’s email address',
      'role: Choose a role',
    ]);
    res = await client.post('/staff/admin/users', { email: 'x@y.example', role: 'force-officer', force: '' });
    expect(errorSummary(res.body)).toEqual(['force: Choose the force this officer or supervisor works in']);
    expect(res.body).toContain('value="x@y.example"');
    res = await client.post('/staff/admin/users', {
      email: 'x@y.example',
      role: 'national-officer',
      unit: 'cumbria-cyber',
    });
    expect(errorSummary(res.body)).toEqual(['unit: Choose a unit of the right kind for this role']);
    res = await client.post('/staff/admin/users', { email: 'not an email', role: 'analyst' });
    expect(errorSummary(res.body)).toEqual([
      'email: Enter an email address in the correct format, like name@force.police.uk',
    ]);
    res = await client.post('/staff/admin/users', { email: 'analyst@admin-test.example', role: 'analyst' });
    expect(errorSummary(res.body)).toEqual(['email: There is already an account with that email address']);
    await client.get('/staff/admin/users/new?lng=cy');
    res = await client.post('/staff/admin/users', { email: '', role: 'force-supervisor' });
    expect(errorSummary(res.body)).toEqual(['email: Rhowch gyfeiriad e-bost y person']);
    res = await client.post('/staff/admin/users', { email: 'z@y.example', role: 'regional-officer' });
    expect(errorSummary(res.body)).toEqual(['unit: Dewiswch uned o’r math cywir ar gyfer y rôl hon']);
    expect(await count()).toBe(before);
  });

  it('answers a double-submitted "add user" form with the error summary, not a 500, and adds the person once', async () => {
    const client = await admin();
    await client.get('/staff/admin/users/new');
    const form = { email: 'double@admin-test.example', role: 'analyst' };
    holdHashesTogether(2);
    const answers = await Promise.all([
      client.post('/staff/admin/users', form, { follow: false }),
      client.post('/staff/admin/users', form, { follow: false }),
    ]);
    // One is added (on to its enrolment page), the other goes back to the form.
    const locations = answers.map((r) => `${String(r.statusCode)} ${String(r.headers.location)}`).sort();
    expect(locations[0]).toMatch(/^303 \/staff\/admin\/users\/\d+\/enrolment$/);
    expect(locations[1]).toBe('303 /staff/admin/users/new');
    const page = await client.get('/staff/admin/users/new');
    expect(errorSummary(page.body)).toEqual(['email: There is already an account with that email address']);
    expect(page.body).toContain('value="double@admin-test.example"');
    const rows = await ctx.services.database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', form.email)
      .execute();
    expect(rows).toHaveLength(1);
    expect((await audits('user-added')).filter((a) => a.detail.startsWith(form.email))).toHaveLength(1);
  });

  it('changes a role and unit, audited, applying from the person’s next page', async () => {
    const totp = await addStaff(ctx.services, {
      email: 'mover@admin-test.example',
      role: 'force-officer',
      forceId: 'cumbria',
    });
    const mover = await signInStaff(ctx.app, 'mover@admin-test.example', totp, now);
    expect((await mover.get('/staff/cases')).statusCode).toBe(200);
    const { id } = await user('mover@admin-test.example');
    const client = await admin();
    // The forms are folded (GOV.UK details): all closed, or the one `?form=` names open.
    expect((await client.get(`/staff/admin/users/${String(id)}`)).body).not.toMatch(/<details[^>]* open>/);
    const asked = (await client.get(`/staff/admin/users/${String(id)}?form=disable`)).body;
    expect(asked.match(/<details[^>]* open>/g)).toEqual([
      '<details class="govuk-details" id="disable" open>',
    ]);
    let res = await client.post(`/staff/admin/users/${String(id)}/role`, {
      role: 'national-officer',
      unit: '',
    });
    expect(errorSummary(res.body)).toEqual(['unit: Choose a unit of the right kind for this role']);
    // Back with problems: that form open, the others folded.
    expect(res.body.match(/<details[^>]* open>/g)).toEqual([
      '<details class="govuk-details" id="change-role" open>',
    ]);
    res = await client.post(`/staff/admin/users/${String(id)}/role`, {
      role: 'analyst',
      force: 'cumbria',
      unit: 'nccu',
    });
    expect(client.path).toBe(`/staff/admin/users/${String(id)}?done=changed`);
    expect(await user('mover@admin-test.example')).toMatchObject({
      role: 'analyst',
      force_id: null,
      unit_id: null,
    });
    expect(await audits('user-changed')).toContainEqual({
      actor: 'admin@admin-test.example',
      detail: 'mover@admin-test.example: force-officer cumbria → analyst -',
    });
    expect((await mover.get('/staff/cases')).statusCode).toBe(404);
    await client.post(`/staff/admin/users/${String(id)}/role`, {
      role: 'regional-officer',
      unit: 'nwrocu-rccu',
    });
    expect(await user('mover@admin-test.example')).toMatchObject({
      role: 'regional-officer',
      unit_id: 'nwrocu-rccu',
    });
    await client.post(`/staff/admin/users/${String(id)}/role`, {
      role: 'regional-officer',
      unit: 'nwrocu-rccu',
    });
    expect(client.path).toBe(`/staff/admin/users/${String(id)}?done=unchanged`);
  });

  /** A staff API token of theirs, and what it is answered now: 404 (accepted; no such report) or 401. */
  async function staffToken(id: number) {
    const { token } = await ctx.services.tokens.create('laptop', ['staff'], id);
    return async () =>
      (
        await ctx.app.inject({
          method: 'GET',
          url: '/api/v1/reports/CYB-0000-0000-0',
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode;
  }
  const liveTokensOf = async (id: number) =>
    (
      await ctx.services.database.db
        .selectFrom('api_tokens')
        .select('id')
        .where('user_id', '=', id)
        .where('revoked_at', 'is', null)
        .execute()
    ).length;

  it('disables an account: sessions end, API tokens revoked, sign-in refused, audited; an admin cannot disable or demote themselves', async () => {
    const totp = await addStaff(ctx.services, { email: 'leaver@admin-test.example', role: 'analyst' });
    const leaver = await signInStaff(ctx.app, 'leaver@admin-test.example', totp, now);
    const { id } = await user('leaver@admin-test.example');
    const tokenAnswer = await staffToken(id);
    expect(await tokenAnswer()).toBe(404);
    const client = await admin();
    await client.get(`/staff/admin/users/${String(id)}`);
    await client.post(`/staff/admin/users/${String(id)}/disable`);
    expect(client.path).toBe(`/staff/admin/users/${String(id)}?done=disabled`);
    expect((await user('leaver@admin-test.example')).disabled_at).toBe(now.toISOString());
    await leaver.get('/staff');
    expect(leaver.path).toBe('/staff/sign-in');
    expect((await signInStaff(ctx.app, 'leaver@admin-test.example', totp, now)).path).toBe('/staff/sign-in');
    expect(await tokenAnswer()).toBe(401);
    expect(await liveTokensOf(id)).toBe(0);
    expect(await audits('user-disabled')).toContainEqual({
      actor: 'admin@admin-test.example',
      detail: 'leaver@admin-test.example: 1 session(s) ended, 1 token(s) revoked',
    });

    const self = (await user('admin@admin-test.example')).id;
    await client.get(`/staff/admin/users/${String(self)}`);
    let res = await client.post(`/staff/admin/users/${String(self)}/disable`);
    expect(errorSummary(res.body)).toEqual(['disable: You cannot change or disable your own account']);
    res = await client.post(`/staff/admin/users/${String(self)}/role`, { role: 'analyst' });
    expect(errorSummary(res.body)).toEqual(['role: You cannot change or disable your own account']);
    expect(await user('admin@admin-test.example')).toMatchObject({ role: 'admin', disabled_at: null });
  });

  it('resets the second factor: new secret shown once, old codes refused, sessions ended, API tokens revoked, audited', async () => {
    const email = 'lost-phone@admin-test.example';
    const oldTotp = await addStaff(ctx.services, { email, role: 'force-supervisor', forceId: 'cumbria' });
    const person = await signInStaff(ctx.app, email, oldTotp, now);
    const { id } = await user(email);
    // Whoever has the lost phone may have the laptop with the person's staff API token on it.
    const tokenAnswer = await staffToken(id);
    expect(await tokenAnswer()).toBe(404);
    const client = await admin();
    await client.get(`/staff/admin/users/${String(id)}`);
    const {
      location,
      shown: res,
      refreshed,
    } = await postForSecret(client, `/staff/admin/users/${String(id)}/second-factor`);
    expect(location).toBe(`/staff/admin/users/${String(id)}/enrolment`);
    expect(res.body).toContain('<svg role="img"');
    expect(res.body).not.toContain('id="password"');
    const secret = (/<code id="secret">([A-Z2-7 ]+)<\/code>/.exec(res.body)?.[1] ?? '').replace(/ /g, '');
    expect(secret).toHaveLength(32);
    // The refresh neither showed the secret nor reset it again: the secret shown is the one that works.
    expect(refreshed.body).not.toContain(secret.slice(0, 4) + ' ' + secret.slice(4, 8));
    expect((await audits('second-factor-reset')).filter((a) => a.detail.startsWith(email))).toHaveLength(1);
    await person.get('/staff');
    expect(person.path).toBe('/staff/sign-in');
    expect((await signInStaff(ctx.app, email, oldTotp, now)).path).toBe('/staff/sign-in');
    await forgetUsedCodes(ctx.services, email);
    const newTotp = new TOTP({ secret: Secret.fromBase32(secret) });
    expect((await signInStaff(ctx.app, email, newTotp, now)).path).toBe('/staff');
    expect(await tokenAnswer()).toBe(401);
    expect(await liveTokensOf(id)).toBe(0);
    expect((await audits('second-factor-reset')).map((a) => a.detail)).toContain(
      `${email}: 1 session(s) ended, 1 token(s) revoked`,
    );
    // The enrolment cannot be fetched again.
    const again = await client.get(`/staff/admin/users/${String(id)}/second-factor`);
    expect(again.statusCode).toBe(404);
    expect(again.body).not.toContain(secret.slice(0, 4) + ' ' + secret.slice(4, 8));
    expect((await client.get(`/staff/admin/users/${String(id)}`)).body).not.toContain(
      secret.slice(0, 4) + ' ',
    );
  });

  it('refuses a reset without the CSRF token, changing nothing', async () => {
    const { id, totp_secret } = await user('analyst@admin-test.example');
    const client = await admin();
    const cookie = ['bl_session', '_csrf'].map((n) => `${n}=${client.cookie(n) ?? ''}`).join('; ');
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/staff/admin/users/${String(id)}/second-factor`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '_csrf=forged',
    });
    expect(res.statusCode).toBe(403);
    expect((await user('analyst@admin-test.example')).totp_secret).toBe(totp_secret);
  });
});
