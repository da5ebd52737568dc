import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMigratedTestDatabase,
  createTestServices,
  TEST_PASSWORD_HASHER,
  testConfig,
  testReference,
} from '../../test/support/test-services.ts';
import { createDataCipher } from './data-cipher.ts';
import { services } from './index.ts';
import { createStaff, LOCKOUT, SIGN_IN_LIMITS } from './staff.ts';

const PASSWORD = 'a long enough password';
const CLIENT = '192.0.2.10';
/** A client address of its own for each test, so one test's failures do not throttle the next. */
let clients = 0;
const newClient = () => `192.0.2.${++clients}`;

describe('staff sign-in (service)', () => {
  let ctx: Awaited<ReturnType<typeof createTestServices>>;
  let now = new Date('2026-11-23T10:00:00Z');
  let verifyCalls = 0;
  let staff: ReturnType<typeof createStaff>;
  const totps = new Map<string, TOTP>();
  // Every argon2 verify goes through here, so the tests can see the work done for each kind of failure.
  const countingHasher = {
    hash: (password: string) => TEST_PASSWORD_HASHER.hash(password),
    verify: (h: string, password: string) => {
      verifyCalls++;
      return TEST_PASSWORD_HASHER.verify(h, password);
    },
  };
  const code = (email: string, at = now) => totps.get(email)?.generate({ timestamp: at.getTime() }) ?? '';
  const users = () => ctx.database.db.selectFrom('users').selectAll();

  async function add(email: string): Promise<void> {
    const { otpauthUri } = await ctx.staffAccounts.add({
      email,
      role: 'force-officer',
      forceId: 'cumbria',
      password: PASSWORD,
    });
    totps.set(
      email,
      new TOTP({ secret: Secret.fromBase32(new URL(otpauthUri).searchParams.get('secret') ?? '') }),
    );
  }

  beforeAll(async () => {
    ctx = await createTestServices({}, { clock: () => now });
    staff = createStaff(ctx.database.db, () => now, {
      dialect: ctx.database.dialect,
      cipher: createDataCipher(ctx.config.dataKey),
      passwords: countingHasher,
    });
    for (const email of [
      'sam@police.example',
      'replay@police.example',
      'race@police.example',
      'crowd@police.example',
      'gone@police.example',
    ])
      await add(email);
  });
  afterAll(() => ctx.cleanup());

  it('needs the password and the current code', async () => {
    const CLIENT = newClient();
    const email = 'sam@police.example';
    expect(await staff.signIn('Sam@Police.example', PASSWORD, code(email), CLIENT)).toMatchObject({
      email,
      role: 'force-officer',
      unitId: 'cumbria-cyber',
    });
    now = new Date(now.getTime() + 30_000);
    expect(await staff.signIn(email, 'wrong password', code(email), CLIENT)).toBeNull();
    expect(await staff.signIn(email, PASSWORD, '000000', CLIENT)).toBeNull();
    expect(await staff.signIn('nobody@police.example', 'x', '1', CLIENT)).toBeNull();
  });

  it('refuses a code that was already used, and any earlier one', async () => {
    const CLIENT = newClient();
    const email = 'replay@police.example';
    const earlier = code(email, new Date(now.getTime() - 30_000));
    const current = code(email);
    expect(await staff.signIn(email, PASSWORD, current, CLIENT)).not.toBeNull();
    // The attack: the same code (seen over a shoulder, or in a proxy log) signs in again.
    expect(await staff.signIn(email, PASSWORD, current, CLIENT)).toBeNull();
    // A code from the step before is still inside the drift window, but older than the one used.
    expect(await staff.signIn(email, PASSWORD, earlier, CLIENT)).toBeNull();
    const actions = await ctx.database.db
      .selectFrom('audit_log')
      .select('detail')
      .where('actor', '=', email)
      .where('action', '=', 'sign-in-failed')
      .execute();
    expect(actions.map((a) => a.detail)).toEqual([
      'attempt 1: security code already used',
      'attempt 2: security code already used',
    ]);
    now = new Date(now.getTime() + 30_000);
    expect(await staff.signIn(email, PASSWORD, code(email), CLIENT)).not.toBeNull();
  });

  it('lets exactly one of six concurrent sign-ins with the same code in', async () => {
    const CLIENT = newClient();
    const email = 'race@police.example';
    const same = code(email);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => staff.signIn(email, PASSWORD, same, CLIENT)),
    );
    expect(results.filter((r) => r !== null && r !== 'throttled')).toHaveLength(1);
  });

  it('counts every one of 10 concurrent wrong attempts, and locks the account', async () => {
    const CLIENT = newClient();
    const email = 'crowd@police.example';
    now = new Date(now.getTime() + 30_000);
    await Promise.all(Array.from({ length: 10 }, () => staff.signIn(email, 'wrong', code(email), CLIENT)));
    const row = await users().where('email', '=', email).executeTakeFirstOrThrow();
    expect(row.failed_attempts).toBe(10);
    expect(row.locked_until).toBe(new Date(now.getTime() + LOCKOUT.minutes * 60_000).toISOString());
    const audit = await ctx.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('actor', '=', email)
      .where('action', 'in', ['sign-in-failed', 'account-locked'])
      .execute();
    expect(audit).toHaveLength(10);
    expect(audit.filter((a) => a.action === 'account-locked')).toHaveLength(1);
  });

  it('locks for 15 minutes after 5 failures, even for the right answer, then lets them in', async () => {
    const CLIENT = newClient();
    const email = 'sam@police.example';
    now = new Date(now.getTime() + 30_000);
    for (let i = 0; i < LOCKOUT.attempts; i++) await staff.signIn(email, 'wrong', code(email), CLIENT);
    expect(await staff.signIn(email, PASSWORD, code(email), CLIENT)).toBeNull();
    now = new Date(now.getTime() + (LOCKOUT.minutes + 1) * 60_000);
    expect(await staff.signIn(email, PASSWORD, code(email), CLIENT)).toMatchObject({ email });
  });

  it('verifies exactly one password hash for every kind of failure, unknown email included', async () => {
    const CLIENT = newClient();
    now = new Date(now.getTime() + 30_000);
    await ctx.database.db
      .updateTable('users')
      .set({ disabled_at: now.toISOString() })
      .where('email', '=', 'gone@police.example')
      .execute();
    await ctx.database.db
      .updateTable('users')
      .set({ locked_until: new Date(now.getTime() + 60_000).toISOString() })
      .where('email', '=', 'race@police.example')
      .execute();
    const attempts: [string, string, string][] = [
      ['nobody@police.example', PASSWORD, '123456'],
      ['sam@police.example', 'wrong password', code('sam@police.example')],
      ['sam@police.example', PASSWORD, '000000'],
      ['race@police.example', PASSWORD, code('race@police.example')], // locked
      ['gone@police.example', PASSWORD, code('gone@police.example')], // disabled
    ];
    const failuresFor = async (email: string) =>
      (
        await ctx.database.db
          .selectFrom('audit_log')
          .select('id')
          .where('actor', '=', email)
          .where('action', 'in', ['sign-in-failed', 'account-locked'])
          .execute()
      ).length;
    for (const [email, password, totp] of attempts) {
      const before = verifyCalls;
      const failures = await failuresFor(email);
      expect(await staff.signIn(email, password, totp, CLIENT)).toBeNull();
      expect(verifyCalls - before, email).toBe(1);
      // The same database work too (a failure written in one transaction), unknown email included.
      expect(await failuresFor(email), email).toBe(failures + 1);
    }
  });

  it('throttles one client after 20 failures across any accounts, and not another client', async () => {
    now = new Date('2026-11-24T10:00:00Z');
    const sprayer = '198.51.100.7';
    for (let i = 0; i < SIGN_IN_LIMITS.perClient; i++)
      expect(await staff.signIn(`user${i}@police.example`, 'Winter2026!', '123456', sprayer)).toBeNull();
    const before = verifyCalls;
    // Even the right details are refused from that client, without checking them.
    expect(await staff.signIn('sam@police.example', PASSWORD, code('sam@police.example'), sprayer)).toBe(
      'throttled',
    );
    expect(verifyCalls).toBe(before);
    expect(
      await staff.signIn('sam@police.example', PASSWORD, code('sam@police.example'), newClient()),
    ).toMatchObject({
      email: 'sam@police.example',
    });
    now = new Date(now.getTime() + SIGN_IN_LIMITS.windowMinutes * 60_000);
    expect(await staff.signIn('nobody@police.example', 'x', '1', sprayer)).toBeNull();
  });

  it('does not count successful sign-ins towards the client limit', async () => {
    now = new Date('2026-11-25T10:00:00Z');
    const office = '203.0.113.9';
    for (let i = 0; i < SIGN_IN_LIMITS.perClient + 5; i++) {
      now = new Date(now.getTime() + 30_000);
      expect(
        await staff.signIn('sam@police.example', PASSWORD, code('sam@police.example'), office),
      ).not.toBeNull();
    }
  });
});

describe('password hashing', () => {
  it('hashes with argon2id at OWASP’s minimum cost in the services production builds (tests use a cheaper one)', async () => {
    const database = await createMigratedTestDatabase();
    // Built as src/server.ts and the CLI build it: no hasher passed in.
    const production = services(testConfig(database.url), { reference: testReference() });
    try {
      await production.migrate();
      await production.staffAccounts.add({ email: 'p@police.example', role: 'analyst', password: PASSWORD });
      const { password_hash } = await production.database.db
        .selectFrom('users')
        .select('password_hash')
        .where('email', '=', 'p@police.example')
        .executeTakeFirstOrThrow();
      expect(password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(await TEST_PASSWORD_HASHER.hash(PASSWORD)).toMatch(/^\$argon2id\$v=19\$m=8,t=1,p=1\$/);
    } finally {
      await production.close();
      await database.drop();
    }
  });
});

describe('second-factor secrets at rest', () => {
  let ctx: Awaited<ReturnType<typeof createTestServices>>;
  const now = new Date('2026-11-23T10:00:00Z');
  const secrets = new Map<string, string>();

  beforeAll(async () => {
    ctx = await createTestServices({}, { clock: () => now });
    for (const email of ['a@police.example', 'b@police.example']) {
      const { otpauthUri } = await ctx.staffAccounts.add({ email, role: 'analyst', password: PASSWORD });
      secrets.set(email, new URL(otpauthUri).searchParams.get('secret') ?? '');
    }
  });
  afterAll(() => ctx.cleanup());
  const codeFor = (email: string) =>
    new TOTP({ secret: Secret.fromBase32(secrets.get(email) ?? '') }).generate({ timestamp: now.getTime() });
  const stored = async (email: string) =>
    (
      await ctx.database.db
        .selectFrom('users')
        .select('totp_secret')
        .where('email', '=', email)
        .executeTakeFirstOrThrow()
    ).totp_secret;

  it('never stores the base32 secret: only a sealed value', async () => {
    for (const [email, secret] of secrets) {
      const value = await stored(email);
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(value).toMatch(/^v1:/);
      expect(value).not.toContain(secret);
      expect(Buffer.from(value.slice(3), 'base64url').toString('latin1')).not.toContain(secret);
    }
  });

  it('refuses sign-in cleanly, without a crash, when DATA_KEY is not the key the secrets were sealed with', async () => {
    const wrongKey = createStaff(ctx.database.db, () => now, {
      dialect: ctx.database.dialect,
      cipher: createDataCipher(Buffer.alloc(32, 7)),
    });
    expect(
      await wrongKey.signIn('a@police.example', PASSWORD, codeFor('a@police.example'), CLIENT),
    ).toBeNull();
    const audit = await ctx.database.db
      .selectFrom('audit_log')
      .select('detail')
      .where('actor', '=', 'a@police.example')
      .where('action', '=', 'sign-in-failed')
      .execute();
    expect(audit.map((a) => a.detail)).toEqual(['DATA_KEY does not open the second-factor secret']);
    expect(
      await ctx.staff.signIn('a@police.example', PASSWORD, codeFor('a@police.example'), CLIENT),
    ).not.toBeNull();
  });

  it('seals secrets left plain by an older version: at start-up, and on first use', async () => {
    const plain = (email: string) =>
      ctx.database.db
        .updateTable('users')
        .set({ totp_secret: secrets.get(email) ?? '' })
        .where('email', '=', email)
        .execute();
    await plain('a@police.example');
    await ctx.migrate();
    expect(await stored('a@police.example')).toMatch(/^v1:/);

    await plain('b@police.example');
    expect(
      await ctx.staff.signIn('b@police.example', PASSWORD, codeFor('b@police.example'), CLIENT),
    ).not.toBeNull();
    const sealed = await stored('b@police.example');
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain(secrets.get('b@police.example'));
  });

  it('rejects bad accounts clearly', async () => {
    await expect(
      ctx.staffAccounts.add({
        email: 'x@police.example',
        role: 'force-officer',
        password: 'long enough password',
      }),
    ).rejects.toThrow('needs --force');
    await expect(
      ctx.staffAccounts.add({
        email: 'y@police.example',
        role: 'regional-officer',
        unitId: 'nccu',
        password: 'long enough password',
      }),
    ).rejects.toThrow('needs --unit');
    await expect(
      ctx.staffAccounts.add({ email: 'z@police.example', role: 'analyst', password: 'short' }),
    ).rejects.toThrow('at least 12');
    await expect(
      ctx.staffAccounts.add({ email: 'a@police.example', role: 'analyst', password: 'long enough password' }),
    ).rejects.toThrow('already has an account');
  });
});
