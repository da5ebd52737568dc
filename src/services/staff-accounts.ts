/**
 * Staff accounts as admins manage them: the list, a change of role or unit, a reset of the second factor or of the
 * password.
 * Adding and disabling are services.staff's (the CLI's too). Each change is one transaction with its audit row.
 */
import { randomBytes } from 'node:crypto';
import { Secret } from 'otpauth';
import type { Db, Trx } from '../db/database.ts';

import { isRole, type Role } from '../domain/access/access-policy.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import type { DataCipher } from './data-cipher.ts';
import { ServiceError } from './service-error.ts';
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
  if (role === 'force-officer' || role === 'force-supervisor') {
    if (forceId === undefined || reference.force(forceId) === undefined)
      throw new ServiceError('invalid', 'role-force', `${role} needs --force <force id>`, { field: 'force' });
    return { role, forceId, unitId: reference.unitDirectory.forceUnit(forceId) ?? null };
  }
  if (role === 'regional-officer' || role === 'national-officer') {
    const unit = unitId === undefined ? undefined : reference.unit(unitId);
    const kinds = role === 'regional-officer' ? ['regional'] : ['national', 'fraud-assessment'];
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
  const find = async (q: Db | Parameters<typeof repositories.users.findUserById>[0], id: number) => {
    const user = await repos.users.findUserById(q, id);
    if (user === undefined)
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
  ): Promise<void> {
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
  }

  return {
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
        // The service always keeps one administrator: two admins removing each other at once would leave none.
        if (
          user.role === 'admin' &&
          placement.role !== 'admin' &&
          (await repos.users.otherActiveAdmins(trx, user.id)) === 0
        )
          throw new ServiceError(
            'conflict',
            'last-admin',
            'The service needs at least one active administrator',
          );
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
