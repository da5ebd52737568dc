import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Killed, killedAt } from '../../test/support/killed-repositories.ts';
import { addStaff, STAFF_PASSWORD } from '../../test/support/staff-fixtures.ts';
import { createTestServices, TEST_PASSWORD_HASHER, testDialect } from '../../test/support/test-services.ts';
import type { Repositories } from '../db/repositories/index.ts';
import { createDataCipher } from './data-cipher.ts';
import { createStaffAccounts } from './staff-accounts.ts';
import { createStaffPasswords } from './staff-passwords.ts';
import { LOCKOUT, type PasswordHasher } from './staff-sign-in.ts';

/** The test hasher, able to hold the next `n` hashes until all `n` have started (two changes at the same moment). */
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
  async verify(h, password) {
    const gate = holdVerifies;
    if (gate !== null) {
      gate.started++;
      await gate.all;
    }
    return TEST_PASSWORD_HASHER.verify(h, password);
  },
};
/** Holds every password verification until released, counting them (many guesses sent at once). */
let holdVerifies: { started: number; all: Promise<void> } | null = null;

describe(`password changes and resets, and disabling an account, are whole or nothing (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  const now = new Date();

  beforeAll(async () => {
    services = await createTestServices({}, { clock: () => now, passwords: hasher });
  });
  afterAll(() => services.cleanup());

  /** The account row, its sessions, its live tokens and the audit log: what a change or reset writes. */
  async function stateOf(email: string) {
    const db = services.database.db;
    const user = await db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    return {
      user,
      sessions: (await db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute())
        .length,
      tokens: (
        await db
          .selectFrom('api_tokens')
          .select('id')
          .where('user_id', '=', user.id)
          .where('revoked_at', 'is', null)
          .execute()
      ).length,
      audit: (await db.selectFrom('audit_log').select('id').execute()).length,
    };
  }
  async function withSessionsAndToken(email: string) {
    const id = (await services.staff.userIdByEmail(email))?.id ?? 0;
    for (let i = 0; i < 2; i++)
      await services.sessions.create(services.sessions.newId(), { staffUserId: id });
    await services.tokens.create(`${email} laptop`, ['staff'], id);
    return id;
  }
  /** Runs `use` with the kill at call 1, 2, 3… until it completes; every killed run must leave `email` as it was. */
  async function killEverywhere(email: string, use: (repos: Repositories) => Promise<unknown>) {
    const before = await stateOf(email);
    for (let at = 1; at < 50; at++) {
      const { repos } = killedAt(at);
      const outcome = await use(repos).then(
        () => 'done',
        (error: unknown) => {
          if (!(error instanceof Killed)) throw error;
          return 'killed';
        },
      );
      if (outcome === 'done') return before;
      expect(await stateOf(email)).toEqual(before);
    }
    throw new Error('never completed');
  }

  it('resets a password with its ended sessions, revoked tokens and audit row, or not at all', async () => {
    const email = 'reset@atomic.example';
    await addStaff(services, { email, role: 'analyst' });
    const id = await withSessionsAndToken(email);
    const cipher = createDataCipher(services.config.dataKey);
    const before = await killEverywhere(email, (repos) =>
      createStaffAccounts(
        services.database.db,
        () => now,
        services.reference,
        cipher,
        hasher,
        repos,
      ).resetPassword(id, 'admin@atomic.example'),
    );
    const after = await stateOf(email);
    expect(after.user.password_hash).not.toBe(before.user.password_hash);
    expect(after).toMatchObject({ sessions: 0, tokens: 0, audit: before.audit + 1 });
    expect(after.user.password_change_due).toBe(1);
  });

  it('disables an account with its ended sessions, revoked tokens and audit row, or not at all', async () => {
    const email = 'leaver@atomic.example';
    await addStaff(services, { email, role: 'analyst' });
    await withSessionsAndToken(email);
    const cipher = createDataCipher(services.config.dataKey);
    const before = await killEverywhere(email, (repos) =>
      createStaffAccounts(services.database.db, () => now, services.reference, cipher, hasher, repos).disable(
        email,
        'admin@atomic.example',
      ),
    );
    const after = await stateOf(email);
    expect(before.user.disabled_at).toBeNull();
    expect(after.user.disabled_at).not.toBeNull();
    expect(after).toMatchObject({ sessions: 0, tokens: 0, audit: before.audit + 1 });
  });

  it('changes a password with its ended sessions and audit row, or not at all', async () => {
    const email = 'change@atomic.example';
    await addStaff(services, { email, role: 'analyst' });
    const id = await withSessionsAndToken(email);
    const before = await killEverywhere(email, (repos) =>
      createStaffPasswords(services.database.db, () => now, hasher, repos).change(
        id,
        STAFF_PASSWORD,
        'another long enough password',
      ),
    );
    const after = await stateOf(email);
    expect(after.user.password_hash).not.toBe(before.user.password_hash);
    // Their own change ends their sessions; their API tokens are theirs to keep.
    expect(after).toMatchObject({ sessions: 0, tokens: 1, audit: before.audit + 1 });
  });

  it('lets one of two changes made at the same moment from the same password win, and tells the other', async () => {
    const email = 'twice@atomic.example';
    await addStaff(services, { email, role: 'analyst' });
    const id = (await services.staff.userIdByEmail(email))?.id ?? 0;
    let release: () => void = () => undefined;
    const all = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Both have verified the current password before either writes.
    together = { n: 2, arrived: 0, release, all };
    const both = await Promise.allSettled([
      services.staffPasswords.change(id, STAFF_PASSWORD, 'first new long password'),
      services.staffPasswords.change(id, STAFF_PASSWORD, 'second new long password'),
    ]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = both.find((r) => r.status === 'rejected');
    expect(refused?.status === 'rejected' ? refused.reason : null).toMatchObject({
      code: 'password-changed-meanwhile',
    });
    const { password_hash } = (await stateOf(email)).user;
    const won = both[0].status === 'fulfilled' ? 'first new long password' : 'second new long password';
    expect(await hasher.verify(password_hash, won)).toBe(true);
  });

  it('tries no more current passwords than the lock-out allows, however many guesses are sent at once', async () => {
    const email = 'sprayed@atomic.example';
    await addStaff(services, { email, role: 'analyst' });
    const id = (await services.staff.userIdByEmail(email))?.id ?? 0;
    let release: () => void = () => undefined;
    const gate = {
      started: 0,
      all: new Promise<void>((resolve) => {
        release = resolve;
      }),
    };
    holdVerifies = gate;
    const guesses = 12;
    let settled = 0;
    // Someone at an unlocked screen (or with a stolen session cookie) sends a dozen guesses at the same moment.
    const attempts = Array.from({ length: guesses }, (_, i) =>
      services.staffPasswords.change(id, `guess number ${String(i)}`, 'a brand new long password').then(
        () => {
          settled++;
          return 'changed';
        },
        (error: unknown) => {
          settled++;
          return (error as { code?: string }).code;
        },
      ),
    );
    try {
      // Each guess is either being checked or already refused, before any check has finished.
      await vi.waitFor(() => {
        expect(gate.started + settled).toBe(guesses);
      });
    } finally {
      holdVerifies = null;
      release();
    }
    const codes = await Promise.all(attempts);
    expect(gate.started).toBe(LOCKOUT.attempts);
    expect(codes.filter((c) => c === 'current-password-wrong')).toHaveLength(LOCKOUT.attempts);
    expect(codes.filter((c) => c === 'password-change-locked')).toHaveLength(guesses - LOCKOUT.attempts);
    const { user } = await stateOf(email);
    expect(user.failed_attempts).toBe(LOCKOUT.attempts);
    expect(user.locked_until).not.toBeNull();
    // Locked: the right password is not tried either.
    await expect(
      services.staffPasswords.change(id, STAFF_PASSWORD, 'a brand new long password'),
    ).rejects.toMatchObject({
      code: 'password-change-locked',
    });
  });

  it('gives back the attempt of a right current password, and counts nothing for a new password equal to it', async () => {
    const email = 'careful@atomic.example';
    await addStaff(services, { email, role: 'analyst' });
    const id = (await services.staff.userIdByEmail(email))?.id ?? 0;
    await expect(
      services.staffPasswords.change(id, 'a wrong guess here', 'a brand new long password'),
    ).rejects.toMatchObject({
      code: 'current-password-wrong',
    });
    await expect(services.staffPasswords.change(id, STAFF_PASSWORD, STAFF_PASSWORD)).rejects.toMatchObject({
      code: 'password-unchanged',
    });
    expect((await stateOf(email)).user.failed_attempts).toBe(1);
    await services.staffPasswords.change(id, STAFF_PASSWORD, 'a brand new long password');
    expect((await stateOf(email)).user).toMatchObject({ failed_attempts: 0, locked_until: null });
  });
});
