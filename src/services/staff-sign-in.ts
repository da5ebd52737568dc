import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { Db } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { UserRow } from '../db/repositories/user-repository.ts';
import { DataCipherError, SEALED_PREFIX, type DataCipher } from './data-cipher.ts';

/** Per account: this many failures lock it for this long. */
export const LOCKOUT = { attempts: 5, minutes: 15 } as const;
/** Per client, across every account (password spraying): failures allowed in one fixed window. */
export const SIGN_IN_LIMITS = { perClient: 20, windowMinutes: 15 } as const;

/** Password hashing, passed in so tests can see that every sign-in verifies exactly one hash. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export function totpFor(email: string, base32Secret: string): TOTP {
  return new TOTP({
    issuer: 'Bluelight',
    label: email,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(base32Secret),
  });
}

/** The associated data a user's sealed secret is bound to: it opens on that user's row only. */
export const totpContext = (email: string) => `users.totp_secret:${email}`;

/**
 * Whose accounts a sign-in admits: staff (rows without a partner) at /staff/sign-in, or partner portal users (rows
 * of a partner) at /partner/sign-in. An account of the other kind is answered exactly as an unknown email.
 */
export type AccountKind = 'staff' | 'partner';

/**
 * Sign-in with password and TOTP code. Every failure gives the same answer (null) after the same work (one
 * argon2 verify, against a dummy hash for unknown emails); 'throttled' only when this client has failed too often
 * across all accounts, which says nothing about any account. The one sign-in of staff and partner portal users.
 */
export function createStaffSignIn(
  db: Db,
  clock: () => Date,
  cipher: DataCipher,
  passwords: PasswordHasher,
  kind: AccountKind = 'staff',
  repos: Repositories = repositories,
) {
  const ofKind = (user: UserRow | undefined) =>
    user !== undefined && (user.partner_id === null) === (kind === 'staff') ? user : undefined;
  let dummyHash: Promise<string> | undefined;
  // Made with the same hasher and parameters as real hashes, so verifying it costs the same.
  const dummy = () => (dummyHash ??= passwords.hash(randomBytes(18).toString('base64')));

  /** The plain base32 secret; rows from before sealing are plain (and are sealed on success). */
  const openSecret = (user: UserRow) =>
    cipher.isSealed(user.totp_secret)
      ? cipher.open(user.totp_secret, totpContext(user.email))
      : user.totp_secret;

  /** The time step the code belongs to (now, or one step either side for clock drift), or null. */
  function matchingStep(user: UserRow, secret: string, code: string, now: Date): number | null {
    const totp = totpFor(user.email, secret);
    const delta = totp.validate({ token: code.replace(/\s/g, ''), timestamp: now.getTime(), window: 1 });
    return delta === null ? null : totp.counter({ timestamp: now.getTime() }) + delta;
  }

  async function succeed(user: UserRow, step: number, now: Date): Promise<boolean> {
    return db.transaction().execute(async (trx) => {
      if (!(await repos.users.claimSignInStep(trx, user.id, step, now))) return false;
      if (!cipher.isSealed(user.totp_secret))
        await repos.users.replaceTotpSecret(
          trx,
          user.id,
          user.totp_secret,
          cipher.seal(user.totp_secret, totpContext(user.email)),
        );
      await repos.audit.writeAudit(trx, {
        at: now,
        actor: user.email,
        action: 'signed-in',
        forceId: user.force_id,
        detail: user.partner_id === null ? '' : `partner portal: partner ${String(user.partner_id)}`,
      });
      return true;
    });
  }

  async function fail(user: UserRow, reason: string, now: Date): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const lockUntil = new Date(now.getTime() + LOCKOUT.minutes * 60_000);
      const after = await repos.users.recordFailedSignIn(trx, user.id, now, LOCKOUT.attempts, lockUntil);
      const locked = after.failedAttempts === LOCKOUT.attempts && after.lockedUntil !== null;
      await repos.audit.writeAudit(trx, {
        at: now,
        actor: user.email,
        action: locked ? 'account-locked' : 'sign-in-failed',
        forceId: user.force_id,
        detail: `attempt ${after.failedAttempts}: ${reason}`,
      });
    });
  }

  /** An unknown email: the same transaction as a real account's failure, so its timing tells nothing apart. */
  async function failUnknown(email: string, now: Date): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await repos.users.countFailedSignInByEmail(trx, email);
      await repos.audit.writeAudit(trx, {
        at: now,
        actor: email,
        action: 'sign-in-failed',
        forceId: null,
        detail: 'no such account',
      });
    });
  }

  return {
    async signIn(emailInput: string, password: string, code: string, clientKey: string) {
      const now = clock();
      const windowMs = SIGN_IN_LIMITS.windowMinutes * 60_000;
      const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs).toISOString();
      const clientCounter = `sign-in:client:${clientKey}`;
      // Counted before trying, and given back on success, so concurrent attempts cannot overshoot the limit.
      if ((await repos.attempts.countAttempt(db, clientCounter, windowStart)) > SIGN_IN_LIMITS.perClient)
        return 'throttled';

      const user = ofKind(await repos.users.findUserByEmail(db, emailInput.trim().toLowerCase()));
      const passwordOk = await passwords.verify(user?.password_hash ?? (await dummy()), password);
      if (user === undefined) {
        await failUnknown(emailInput.trim().toLowerCase().slice(0, 320), now);
        return null;
      }

      let failure: string | null = null;
      let step: number | null = null;
      if (user.disabled_at !== null) failure = 'account disabled';
      else if (user.locked_until !== null && user.locked_until > now.toISOString())
        failure = 'account locked';
      else if (!passwordOk) failure = 'wrong password';
      else {
        let secret: string;
        try {
          secret = openSecret(user);
        } catch (error) {
          if (!(error instanceof DataCipherError)) throw error;
          // The operator's DATA_KEY is wrong: not the person's fault, so it does not count towards a lock.
          await db.transaction().execute((trx) =>
            repos.audit.writeAudit(trx, {
              at: now,
              actor: user.email,
              action: 'sign-in-failed',
              forceId: user.force_id,
              detail: 'DATA_KEY does not open the second-factor secret',
            }),
          );
          return null;
        }
        step = matchingStep(user, secret, code, now);
        if (step === null) failure = 'wrong security code';
      }
      if (failure === null && step !== null) {
        if (await succeed(user, step, now)) {
          await repos.attempts.refundAttempt(db, clientCounter, windowStart);
          return user;
        }
        failure = 'security code already used';
      }
      await fail(user, failure ?? 'refused', now);
      return null;
    },

    /** Seals second-factor secrets still stored plain (rows from before DATA_KEY); run at start-up. */
    async sealPlainSecrets(): Promise<number> {
      const rows = await repos.users.usersWithPlainTotpSecrets(db, SEALED_PREFIX);
      for (const row of rows)
        await repos.users.replaceTotpSecret(
          db,
          row.id,
          row.totp_secret,
          cipher.seal(row.totp_secret, totpContext(row.email)),
        );
      return rows.length;
    },
  };
}
