/**
 * Staff accounts, the one place they are managed (the admin pages and the CLI alike): adding, the list, a change of
 * role or unit, disabling, a reset of the second factor or of the password, and the rule that the service always
 * keeps an administrator. Each change is one transaction with its audit row. Signing in and reading as a member of
 * staff are services.staff's; a person changing their own password is staff-passwords.ts's.
 */
import { randomBytes } from 'node:crypto';
import { Secret } from 'otpauth';
import type { Db, DbOrTrx, Trx } from '../db/database.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import {
  isForceRole,
  isRole,
  isUnitRole,
  leavesNoAdministrator,
  UNIT_ROLES,
  type Role,
} from '../domain/access/access-policy.ts';
import { DEMO_DOMAIN, isDemoAccount } from '../domain/access/demo-accounts.ts';
import { isEmailAddress } from '../domain/contact/email-address.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import type { DataCipher } from './data-cipher.ts';
import { ServiceError } from './service-error.ts';
import { checkNewPassword } from './staff-passwords.ts';
import { totpContext, totpFor, type PasswordHasher } from './staff-sign-in.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';

export interface Placement {
  role: Role;
  forceId: string | null;
  unitId: string | null;
}

/**
 * Where a role works: force roles in a force (and its cyber crime unit), regional and national officers in a unit
 * of their kind, analysts and admins nowhere. Refuses anything else, naming the field.
 */
export function placementOf(
  reference: ReferenceData,
  role: string,
  forceId: string | undefined,
  unitId: string | undefined,
): Placement {
  if (!isRole(role)) throw new ServiceError('invalid', 'role', 'choose a role', { field: 'role' });
  if (isForceRole(role)) {
    if (forceId === undefined || reference.force(forceId) === undefined)
      throw new ServiceError('invalid', 'role-force', `${role} needs --force <force id>`, { field: 'force' });
    return { role, forceId, unitId: reference.unitDirectory.forceUnit(forceId) ?? null };
  }
  if (isUnitRole(role)) {
    const unit = unitId === undefined ? undefined : reference.unit(unitId);
    const kinds: readonly string[] = UNIT_ROLES[role];
    if (unit === undefined || !kinds.includes(unit.kind))
      throw new ServiceError('invalid', 'role-unit', `${role} needs --unit <${kinds.join(' or ')} unit id>`, {
        field: 'unit',
        params: { role },
      });
    return { role, forceId: null, unitId: unit.id };
  }
  if (forceId !== undefined || unitId !== undefined)
    throw new ServiceError('invalid', 'role-no-unit', `${role} is not tied to a force or unit`, {
      field: 'role',
    });
  return { role, forceId: null, unitId: null };
}

/**
 * A one-time password for a new account or a reset, shown once: the person signs in with it and their authenticator,
 * and it lets them do nothing but set their own.
 */
export const initialPassword = () => randomBytes(15).toString('base64url');

export function createStaffAccounts(
  db: Db,
  clock: () => Date,
  reference: ReferenceData,
  cipher: DataCipher,
  passwords: PasswordHasher,
  repos: Repositories = repositories,
) {
  const find = async (q: DbOrTrx, id: number) => {
    const user = await repos.users.findUserById(q, id);
    // A partner portal user's account is their partner admin's to manage, not a staff account.
    if (user === undefined || user.partner_id !== null)
      throw new ServiceError('not-found', 'account-not-found', `no staff account ${id}`);
    return user;
  };
  /** Ends every session of the person and revokes their API tokens, audited as `action` in the same transaction. */
  async function endAccess(
    trx: Trx,
    id: number,
    user: { email: string; force_id: string | null },
    actor: string,
    action: string,
  ): Promise<{ sessions: number; tokens: number }> {
    const sessions = await repos.sessions.deleteSessionsOfUser(trx, id);
    const now = clock();
    const tokens = await repos.tokens.revokeTokensOfUser(trx, id, now);
    await repos.audit.writeAudit(trx, {
      at: now,
      actor,
      action,
      forceId: user.force_id,
      detail: `${user.email}: ${sessions} session(s) ended, ${tokens} token(s) revoked`,
    });
    return { sessions, tokens };
  }

  /**
   * The one check of the last-administrator rule (access-policy's `leavesNoAdministrator`), inside the change's
   * transaction: two admins removing each other at once would otherwise leave none.
   */
  async function keepAnAdministrator(
    trx: Trx,
    user: { id: number; role: string; disabled_at: string | null },
    after: { role: Role; active: boolean },
  ): Promise<void> {
    const before = { role: user.role as Role, active: user.disabled_at === null };
    // Counted only when it could matter: most changes are not to an active admin.
    if (before.role !== 'admin' || !before.active) return;
    if (leavesNoAdministrator(before, after, await repos.users.otherActiveAdmins(trx, user.id)))
      throw new ServiceError('conflict', 'last-admin', 'The service needs at least one active administrator');
  }

  return {
    /**
     * Creates an account; returns the otpauth:// URI to enrol the second factor in an authenticator app. Whoever
     * made it knows the password, so its holder must set their own at first sign-in (unless they chose it).
     */
    async add(input: {
      email: string;
      role: Role;
      forceId?: string;
      unitId?: string;
      password: string;
      /** Who the audit log names (the CLI passes the operating-system account). */
      actor?: string;
      /** Only `bluelight demo` makes accounts under the demo domain, whose codes `bluelight totp` prints. */
      demo?: boolean;
      /**
       * The person the account is for chose this password (demo accounts, whose passwords are printed for whoever
       * runs the demo). Otherwise whoever made the account knows it, so its holder must set their own at sign-in.
       */
      passwordChosenByHolder?: boolean;
    }): Promise<{ id: number; otpauthUri: string }> {
      const email = input.email.trim().toLowerCase();
      if (!isEmailAddress(email))
        throw new ServiceError('invalid', 'email', 'email must be an email address', { field: 'email' });
      if (isDemoAccount(email) && input.demo !== true)
        throw new ServiceError('invalid', 'email-demo', `${DEMO_DOMAIN} is kept for demo accounts`, {
          field: 'email',
        });
      checkNewPassword(input.password);
      const { forceId, unitId } = placementOf(reference, input.role, input.forceId, input.unitId);
      const exists = () =>
        new ServiceError('conflict', 'account-exists', `${email} already has an account`, { field: 'email' });
      if ((await repos.users.findUserByEmail(db, email)) !== undefined) throw exists();
      const secret = new Secret({ size: 20 }).base32;
      const passwordHash = await passwords.hash(input.password);
      const id = await db
        .transaction()
        .execute(async (trx) => {
          const userId = await repos.users.insertUser(trx, {
            email,
            role: input.role,
            force_id: forceId,
            unit_id: unitId,
            password_hash: passwordHash,
            // Sealed with DATA_KEY: a copy of the database alone does not give anyone's second factor.
            totp_secret: cipher.seal(secret, totpContext(email)),
            locked_until: null,
            created_at: clock().toISOString(),
            password_change_due: input.passwordChosenByHolder === true ? 0 : 1,
          });
          await repos.audit.writeAudit(trx, {
            at: clock(),
            actor: input.actor ?? 'system',
            action: 'user-added',
            forceId,
            detail: `${email} as ${input.role}`,
          });
          return userId;
        })
        .catch((error: unknown) => {
          // A double-submitted form: both requests passed the check above; the unique email decides.
          throw isUniqueViolation(error) ? exists() : error;
        });
      return { id, otpauthUri: totpFor(email, secret).toString() };
    },

    /**
     * Disables an account at once: no more sign-in, every session ended and every API token revoked, audited
     * in the same transaction. 'already' when it was disabled before.
     */
    async disable(emailInput: string, actor: string) {
      const email = emailInput.trim().toLowerCase();
      return db.transaction().execute(async (trx) => {
        const user = await repos.users.findUserByEmail(trx, email);
        if (user === undefined || user.partner_id !== null)
          throw new ServiceError('not-found', 'account-not-found', `no staff account for ${email}`);
        await keepAnAdministrator(trx, user, { role: user.role as Role, active: false });
        if (!(await repos.users.disableUser(trx, user.id, clock())))
          return { state: 'already' as const, sessions: 0, tokens: 0 };
        const ended = await endAccess(trx, user.id, user, actor, 'user-disabled');
        return { state: 'disabled' as const, ...ended };
      });
    },

    list: async () =>
      (await repos.users.listUsers(db)).map((u) => ({
        id: u.id,
        email: u.email,
        role: u.role as Role,
        forceId: u.force_id,
        unitId: u.unit_id,
        disabledAt: u.disabled_at,
        lastSignInAt: u.last_sign_in_at,
        createdAt: u.created_at,
      })),

    async get(id: number) {
      const u = await find(db, id);
      return {
        id: u.id,
        email: u.email,
        role: u.role as Role,
        forceId: u.force_id,
        unitId: u.unit_id,
        disabledAt: u.disabled_at,
        lastSignInAt: u.last_sign_in_at,
        createdAt: u.created_at,
      };
    },

    /** A new role, force or unit; it applies from their next request (the gate reads it every time). */
    async changePlacement(
      id: number,
      input: { role: string; forceId?: string; unitId?: string },
      actor: string,
    ): Promise<'changed' | 'unchanged'> {
      const placement = placementOf(reference, input.role, input.forceId, input.unitId);
      return db.transaction().execute(async (trx) => {
        const user = await find(trx, id);
        if (user.disabled_at !== null)
          throw new ServiceError('conflict', 'account-disabled', `${user.email} is disabled`, {
            field: 'role',
          });
        const before = [user.role, user.force_id ?? user.unit_id ?? '-'].join(' ');
        const after = [placement.role, placement.forceId ?? placement.unitId ?? '-'].join(' ');
        if (
          user.role === placement.role &&
          user.force_id === placement.forceId &&
          user.unit_id === placement.unitId
        )
          return 'unchanged';
        await keepAnAdministrator(trx, user, { role: placement.role, active: true });
        await repos.users.setUserPlacement(trx, id, placement);
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor,
          action: 'user-changed',
          forceId: placement.forceId ?? user.force_id,
          detail: `${user.email}: ${before} → ${after}`,
        });
        return 'changed';
      });
    },

    /**
     * A new second-factor secret (the old one stops working at once), every session of theirs ended and every
     * API token of theirs revoked (a lost phone is often a lost laptop: a token would outlive the reset).
     * Returns the otpauth:// URI and the secret, to show once.
     */
    async resetSecondFactor(
      id: number,
      actor: string,
    ): Promise<{ email: string; otpauthUri: string; secret: string }> {
      return db.transaction().execute(async (trx) => {
        const user = await find(trx, id);
        if (user.disabled_at !== null)
          throw new ServiceError('conflict', 'account-disabled', `${user.email} is disabled`, {
            field: 'reset',
          });
        const secret = new Secret({ size: 20 }).base32;
        await repos.users.setTotpSecret(trx, id, cipher.seal(secret, totpContext(user.email)));
        await endAccess(trx, id, user, actor, 'second-factor-reset');
        return { email: user.email, otpauthUri: totpFor(user.email, secret).toString(), secret };
      });
    },

    /**
     * A forgotten (or known to someone else) password: a new one-time password, to show once, that works only to
     * set their own at sign-in (with their second factor); the old one stops working, a lock-out is lifted, every
     * session of theirs is ended and every API token revoked, audited in the same transaction. Never logged.
     */
    async resetPassword(id: number, actor: string): Promise<{ email: string; password: string }> {
      const password = initialPassword();
      // Hashed before the transaction: argon2 takes a while and holds no lock.
      const hash = await passwords.hash(password);
      return db.transaction().execute(async (trx) => {
        const user = await find(trx, id);
        if (!(await repos.users.setPasswordHash(trx, id, { hash, due: true, unlock: true })))
          throw new ServiceError('conflict', 'account-disabled', `${user.email} is disabled`, {
            field: 'password-reset',
          });
        await endAccess(trx, id, user, actor, 'password-reset');
        return { email: user.email, password };
      });
    },
  };
}
