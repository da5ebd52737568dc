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
  return {
    /**
     * The signed-in person `userId` replaces their password: the current one proves it is them (not someone at
     * their unlocked screen), the new one meets the rules and differs from it. Every session of theirs is ended
     * in the same transaction as the change and its audit row (the caller starts a new one for this browser).
     * Each try of the current password is counted towards the lock-out before it is made, in one statement that
     * refuses while locked, so requests sent at once cannot try more than the lock-out allows. A right one clears
     * the count, as a sign-in does, whether or not the change then goes through.
     */
    async change(userId: number, current: string, next: string): Promise<{ sessionsEnded: number }> {
      const user = await repos.users.findActiveUser(db, userId);
      if (user === undefined) throw new ServiceError('not-found', 'account-not-found', 'no staff account');
      const now = clock();
      checkNewPassword(next, 'newPassword');
      // The two typed values compared: says nothing about the stored password, so it costs no attempt.
      if (next === current)
        throw new ServiceError('invalid', 'password-unchanged', 'the new password is the current one', {
          field: 'newPassword',
        });
      const attempt = await repos.users.claimPasswordAttempt(
        db,
        user.id,
        now,
        LOCKOUT.attempts,
        new Date(now.getTime() + LOCKOUT.minutes * 60_000),
      );
      if (attempt === undefined)
        throw new ServiceError('conflict', 'password-change-locked', 'too many wrong passwords: try later', {
          field: 'currentPassword',
        });
      if (!(await passwords.verify(user.password_hash, current))) {
        // Its own transaction: the attempt above is already counted, and the refusal below rolls nothing back.
        await db.transaction().execute((trx) =>
          repos.audit.writeAudit(trx, {
            at: now,
            actor: user.email,
            action: attempt.lockedUntil === null ? 'password-change-failed' : 'account-locked',
            forceId: user.force_id,
            detail: `attempt ${attempt.failedAttempts}: wrong current password`,
          }),
        );
        throw new ServiceError('invalid', 'current-password-wrong', 'the current password is not right', {
          field: 'currentPassword',
        });
      }
      try {
        const hash = await passwords.hash(next);
        return await db.transaction().execute(async (trx) => {
          // Only over the hash just verified: of two changes at once, one wins and the other is told.
          const changed = await repos.users.setPasswordHash(trx, user.id, {
            hash,
            due: false,
            previousHash: user.password_hash,
            unlock: true,
          });
          if (!changed)
            throw new ServiceError(
              'conflict',
              'password-changed-meanwhile',
              'the password changed meanwhile',
              {
                field: 'currentPassword',
              },
            );
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
      } catch (error) {
        // The current password was right: its attempt is given back though the change did not go through.
        await repos.users.clearFailedAttempts(db, user.id);
        throw error;
      }
    },
  };
}

export type StaffPasswords = ReturnType<typeof createStaffPasswords>;
