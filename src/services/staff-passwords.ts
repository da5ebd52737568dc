/**
 * Staff passwords: the rules every new password meets (a new account's, a changed one), and a signed-in person
 * changing their own. Passwords are never logged or audited, only that one changed. An admin's reset is
 * staff-accounts.ts's (it shows a one-time password); both leave the holder's sessions ended.
 */
import type { Db } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { ServiceError } from './service-error.ts';
import { LOCKOUT, type PasswordHasher } from './staff-sign-in.ts';

/** Long enough to resist guessing offline from a stolen hash; bounded so a form or argon2 is never fed megabytes. */
export const PASSWORD_LENGTH = { min: 12, max: 500 } as const;

/** Refuses a new password that breaks the rules, blaming `field`. */
export function checkNewPassword(password: string, field = 'password'): void {
  if (password.length < PASSWORD_LENGTH.min)
    throw new ServiceError(
      'invalid',
      'password-short',
      `password must be at least ${PASSWORD_LENGTH.min} characters`,
      {
        field,
      },
    );
  if (password.length > PASSWORD_LENGTH.max)
    throw new ServiceError(
      'invalid',
      'password-long',
      `password must be at most ${PASSWORD_LENGTH.max} characters`,
      {
        field,
      },
    );
}

export function createStaffPasswords(
  db: Db,
  clock: () => Date,
  passwords: PasswordHasher,
  repos: Repositories = repositories,
) {
  /** A wrong current password counts towards the account's lock-out, as a wrong sign-in does. */
  async function failed(user: { id: number; email: string; force_id: string | null }, now: Date) {
    await db.transaction().execute(async (trx) => {
      const lockUntil = new Date(now.getTime() + LOCKOUT.minutes * 60_000);
      const after = await repos.users.recordFailedSignIn(trx, user.id, now, LOCKOUT.attempts, lockUntil);
      const locked = after.failedAttempts === LOCKOUT.attempts && after.lockedUntil !== null;
      await repos.audit.writeAudit(trx, {
        at: now,
        actor: user.email,
        action: locked ? 'account-locked' : 'password-change-failed',
        forceId: user.force_id,
        detail: `attempt ${after.failedAttempts}: wrong current password`,
      });
    });
  }

  return {
    /**
     * The signed-in person `userId` replaces their password: the current one proves it is them (not someone at
     * their unlocked screen), the new one meets the rules and differs from it. Every session of theirs is ended
     * in the same transaction as the change and its audit row (the caller starts a new one for this browser).
     * A wrong current password counts towards the lock-out; while locked, nothing is tried.
     */
    async change(userId: number, current: string, next: string): Promise<{ sessionsEnded: number }> {
      const user = await repos.users.findActiveUser(db, userId);
      if (user === undefined)
        throw new ServiceError('not-found', 'account-not-found', 'no such staff account');
      const now = clock();
      if (user.locked_until !== null && user.locked_until > now.toISOString())
        throw new ServiceError('conflict', 'password-change-locked', 'too many wrong passwords: try later', {
          field: 'currentPassword',
        });
      checkNewPassword(next, 'newPassword');
      if (!(await passwords.verify(user.password_hash, current))) {
        await failed(user, now);
        throw new ServiceError('invalid', 'current-password-wrong', 'the current password is not right', {
          field: 'currentPassword',
        });
      }
      if (next === current)
        throw new ServiceError('invalid', 'password-unchanged', 'the new password is the current one', {
          field: 'newPassword',
        });
      const hash = await passwords.hash(next);
      return db.transaction().execute(async (trx) => {
        // Only over the hash just verified: of two changes at once, one wins and the other is told.
        const changed = await repos.users.setPasswordHash(trx, user.id, {
          hash,
          due: false,
          previousHash: user.password_hash,
        });
        if (!changed)
          throw new ServiceError('conflict', 'password-changed-meanwhile', 'the password changed meanwhile', {
            field: 'currentPassword',
          });
        const sessionsEnded = await repos.sessions.deleteSessionsOfUser(trx, user.id);
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: user.email,
          action: 'password-changed',
          forceId: user.force_id,
          detail:
            `${user.email}: ${sessionsEnded} session(s) ended` +
            (user.password_change_due === 1 ? '; replaces a password someone else chose' : ''),
        });
        return { sessionsEnded };
      });
    },
  };
}

export type StaffPasswords = ReturnType<typeof createStaffPasswords>;
