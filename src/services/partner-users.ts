/**
 * Partner portal users: a partner organisation's own people, managed by its own partner admins (the first one made
 * by an operator with `bluelight partner user add`). They sign in exactly as staff do, through the same code
 * (staff-sign-in.ts: argon2id, TOTP, lock-out, one answer for every failure), change their password with
 * staff-passwords.ts, and hold sessions of the same store under their own key and cookie. Their rows are `users`
 * rows with a partner: staff sign-in, the staff gate and the staff account pages never admit them, and the portal
 * never admits a staff row. Each change is one transaction with its audit row.
 */
import { Secret } from 'otpauth';
import type { Db, DbOrTrx, Trx } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { UserRow } from '../db/repositories/user-repository.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import {
  canManagePartnerUsers,
  isPartnerRole,
  leavesNoPartnerAdministrator,
  type PartnerRole,
  type PartnerUser,
} from '../domain/access/access-policy.ts';
import { isDemoAccount } from '../domain/access/demo-accounts.ts';
import { isEmailAddress } from '../domain/contact/email-address.ts';
import type { DataCipher } from './data-cipher.ts';
import type { Partner, Partners } from './partners.ts';
import { ServiceError } from './service-error.ts';
import { initialPassword } from './staff-accounts.ts';
import { checkNewPassword } from './staff-passwords.ts';
import { createStaffSignIn, totpContext, totpFor, type PasswordHasher } from './staff-sign-in.ts';

/** Who makes a change: a partner admin in the portal, or an operator on the command line. */
export type PartnerUserActor = { admin: PartnerUser } | { operator: string };

const actorName = (by: PartnerUserActor) => ('admin' in by ? by.admin.email : by.operator);

function toPartnerUser(row: UserRow): PartnerUser | null {
  if (row.partner_id === null || !isPartnerRole(row.role)) return null;
  return { id: row.id, email: row.email, role: row.role, partnerId: row.partner_id };
}

const notFound = () => new ServiceError('not-found', 'account-not-found', 'no such partner user');

export function createPartnerUsers(
  db: Db,
  clock: () => Date,
  options: { cipher: DataCipher; passwords: PasswordHasher; partners: Partners },
  repos: Repositories = repositories,
) {
  const { cipher, passwords, partners } = options;
  const signIn = createStaffSignIn(db, clock, cipher, passwords, 'partner', repos);

  /** The partner whose users `by` may manage: the admin's own, or any live one for an operator. */
  async function partnerFor(q: DbOrTrx, by: PartnerUserActor, partnerId: number) {
    if ('admin' in by && !canManagePartnerUsers(by.admin, { partnerId })) throw notFound();
    const row = await repos.partners.findPartner(q, partnerId);
    if (row === undefined || row.revoked_at !== null)
      throw new ServiceError('not-found', 'partner-not-found', `no partner with id ${String(partnerId)}`);
    return row;
  }

  /** One of the partner's users that `by` may manage (another organisation's, or staff, is "not found"). */
  async function managed(q: DbOrTrx, by: PartnerUserActor, id: number) {
    const row = await repos.users.findUserById(q, id);
    const user = row === undefined ? null : toPartnerUser(row);
    if (row === undefined || user === null) throw notFound();
    if ('admin' in by && !canManagePartnerUsers(by.admin, user)) throw notFound();
    return { row, user };
  }

  /**
   * Every session ended and every personal API token revoked (a lost phone is often a lost laptop), and the change
   * audited, in the change's transaction.
   */
  async function endSessions(trx: Trx, row: UserRow, by: PartnerUserActor, action: string) {
    const now = clock();
    const sessions = await repos.sessions.deleteSessionsOfUser(trx, row.id);
    const tokens = await repos.tokens.revokeTokensOfUser(trx, row.id, now);
    await repos.audit.writeAudit(trx, {
      at: now,
      actor: actorName(by),
      action,
      detail: `partner ${String(row.partner_id)}: ${row.email}: ${String(sessions)} session(s) ended, ${String(tokens)} token(s) revoked`,
    });
  }

  /** The last partner admin of an organisation stays (checked inside the change's transaction). */
  async function keepAPartnerAdmin(trx: Trx, user: PartnerUser, active: boolean, after: PartnerRole) {
    if (user.role !== 'partner-admin') return;
    const others = await repos.users.otherActivePartnerAdmins(trx, user.partnerId, user.id);
    if (leavesNoPartnerAdministrator({ role: user.role, active }, { role: after, active: false }, others))
      throw new ServiceError(
        'conflict',
        'last-partner-admin',
        'The organisation needs at least one active partner admin',
      );
  }

  return {
    /**
     * A new user of a partner: a one-time password (theirs must be chosen at first sign-in) and a second factor to
     * enrol, both to show once. Partner admins add users of their own organisation; the CLI any live partner's.
     */
    async add(
      by: PartnerUserActor,
      input: { partnerId: number; email: string; role: string; password?: string },
    ): Promise<{ id: number; email: string; password: string; otpauthUri: string; secret: string }> {
      const email = input.email.trim().toLowerCase();
      if (!isEmailAddress(email) || isDemoAccount(email))
        throw new ServiceError('invalid', 'email', 'email must be an email address', { field: 'email' });
      if (!isPartnerRole(input.role))
        throw new ServiceError('invalid', 'partner-role', 'role must be partner-user or partner-admin', {
          field: 'role',
        });
      const password = input.password ?? initialPassword();
      checkNewPassword(password);
      const exists = () =>
        new ServiceError('conflict', 'account-exists', `${email} already has an account`, { field: 'email' });
      if ((await repos.users.findUserByEmail(db, email)) !== undefined) throw exists();
      const secret = new Secret({ size: 20 }).base32;
      const hash = await passwords.hash(password);
      const now = clock();
      const role = input.role;
      const id = await db
        .transaction()
        .execute(async (trx) => {
          const partner = await partnerFor(trx, by, input.partnerId);
          const userId = await repos.users.insertUser(trx, {
            email,
            role,
            force_id: null,
            unit_id: null,
            partner_id: partner.id,
            password_hash: hash,
            totp_secret: cipher.seal(secret, totpContext(email)),
            locked_until: null,
            created_at: now.toISOString(),
            password_change_due: 1,
          });
          await repos.audit.writeAudit(trx, {
            at: now,
            actor: actorName(by),
            action: 'partner-user-added',
            detail: `partner ${String(partner.id)} "${partner.name}": ${email} as ${role}`,
          });
          return userId;
        })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? exists() : error;
        });
      return { id, email, password, otpauthUri: totpFor(email, secret).toString(), secret };
    },

    /** The organisation's users, for its partner admin. */
    async list(admin: PartnerUser) {
      if (!canManagePartnerUsers(admin)) throw notFound();
      const rows = await repos.users.listPartnerUsers(db, admin.partnerId);
      return rows.map((r) => ({
        id: r.id,
        email: r.email,
        role: r.role,
        disabledAt: r.disabled_at,
        lastSignInAt: r.last_sign_in_at,
        createdAt: r.created_at,
      }));
    },

    /** Disables a user at once: no sign-in, every session ended. The last partner admin cannot be disabled. */
    async disable(by: PartnerUserActor, id: number): Promise<'disabled' | 'already'> {
      return db.transaction().execute(async (trx) => {
        const { row, user } = await managed(trx, by, id);
        if (row.disabled_at !== null) return 'already';
        await keepAPartnerAdmin(trx, user, true, user.role);
        await repos.users.disableUser(trx, id, clock());
        await endSessions(trx, row, by, 'partner-user-disabled');
        return 'disabled';
      });
    },

    /**
     * A lost password or phone: a new one-time password and a new second factor (the old ones stop at once, a lock
     * is lifted, every session ends), both to show once; the holder sets their own password at sign-in.
     */
    async reset(
      by: PartnerUserActor,
      id: number,
    ): Promise<{ email: string; password: string; otpauthUri: string; secret: string }> {
      const password = initialPassword();
      const hash = await passwords.hash(password);
      const secret = new Secret({ size: 20 }).base32;
      return db.transaction().execute(async (trx) => {
        const { row } = await managed(trx, by, id);
        if (!(await repos.users.setPasswordHash(trx, id, { hash, due: true, unlock: true })))
          throw new ServiceError('conflict', 'account-disabled', `${row.email} is disabled`, {
            field: 'reset',
          });
        await repos.users.setTotpSecret(trx, id, cipher.seal(secret, totpContext(row.email)));
        await endSessions(trx, row, by, 'partner-user-reset');
        return { email: row.email, password, otpauthUri: totpFor(row.email, secret).toString(), secret };
      });
    },

    /**
     * Password and TOTP code at /partner/sign-in: the user, null for any failure (staff accounts included), or
     * 'throttled' when this client failed too often. A user of a revoked partner is refused like any failure.
     */
    async signIn(
      email: string,
      password: string,
      code: string,
      clientKey: string,
    ): Promise<PartnerUser | 'throttled' | null> {
      const result = await signIn.signIn(email, password, code, clientKey);
      if (result === null || result === 'throttled') return result;
      const user = toPartnerUser(result);
      if (user === null) return null;
      const partner = await repos.partners.findPartner(db, user.partnerId);
      return partner === undefined || partner.revoked_at !== null ? null : user;
    },

    /**
     * Whose a portal session is, read on every request: null once the user is disabled or their partner revoked,
     * so a session stops at once; whether they must still choose their own password.
     */
    async sessionUser(
      id: number,
    ): Promise<{ user: PartnerUser; partner: Partner; passwordChangeDue: boolean } | null> {
      const row = await repos.users.findActiveUser(db, id);
      const user = row === undefined ? null : toPartnerUser(row);
      if (row === undefined || user === null) return null;
      const partnerRow = await repos.partners.findPartner(db, user.partnerId);
      if (partnerRow === undefined || partnerRow.revoked_at !== null) return null;
      const partner = await partners.byId(user.partnerId);
      return partner === null ? null : { user, partner, passwordChangeDue: row.password_change_due === 1 };
    },
  };
}

export type PartnerUsers = ReturnType<typeof createPartnerUsers>;
