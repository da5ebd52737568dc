import { PostgresAdapter, sql, type Insertable, type Selectable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { UsersTable } from '../schema.ts';

export type UserRow = Selectable<UsersTable>;

export async function findUserByEmail(db: DbOrTrx, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

/**
 * Accepts a sign-in at TOTP time step `step` in one conditional statement: only when that step is later than
 * the last one accepted and the account is neither locked nor disabled. Of two concurrent sign-ins with the same
 * code exactly one wins. Clears the failure count.
 */
export async function claimSignInStep(
  db: DbOrTrx,
  userId: number,
  step: number,
  now: Date,
): Promise<boolean> {
  const nowIso = now.toISOString();
  const result = await db
    .updateTable('users')
    .set({ totp_last_step: step, failed_attempts: 0, locked_until: null, last_sign_in_at: nowIso })
    .where('id', '=', userId)
    .where('totp_last_step', '<', step)
    .where('disabled_at', 'is', null)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Counts one failed sign-in in a single statement (no read-then-write, so concurrent failures all count) and
 * locks the account once `lockAfter` failures are reached. A lock that has run out starts the count again; a
 * lock in force is kept, not extended.
 */
export async function recordFailedSignIn(
  db: DbOrTrx,
  userId: number,
  now: Date,
  lockAfter: number,
  lockUntil: Date,
): Promise<{ failedAttempts: number; lockedUntil: string | null }> {
  const nowIso = now.toISOString();
  const lockOver = sql<boolean>`(locked_until is not null and locked_until <= ${nowIso})`;
  const lockInForce = sql<boolean>`(locked_until is not null and locked_until > ${nowIso})`;
  const next = sql<number>`(case when ${lockOver} then 1 else failed_attempts + 1 end)`;
  const row = await db
    .updateTable('users')
    .set({
      failed_attempts: next,
      locked_until: sql<
        string | null
      >`case when ${lockInForce} then locked_until when ${next} >= ${lockAfter} then ${lockUntil.toISOString()} else null end`,
    })
    .where('id', '=', userId)
    .returning(['failed_attempts', 'locked_until'])
    .executeTakeFirstOrThrow();
  return { failedAttempts: row.failed_attempts, lockedUntil: row.locked_until };
}

/**
 * Counts one attempt at a password check before it is made, in a single statement that refuses (undefined) while
 * the account is locked or disabled: however many requests arrive at once, no more than `lockAfter` are tried
 * before the lock, which the attempt reaching `lockAfter` sets. A lock that has run out starts the count again.
 * The caller gives the attempt back (clearFailedAttempts) when the password was right.
 */
export async function claimPasswordAttempt(
  db: DbOrTrx,
  userId: number,
  now: Date,
  lockAfter: number,
  lockUntil: Date,
): Promise<{ failedAttempts: number; lockedUntil: string | null } | undefined> {
  const nowIso = now.toISOString();
  const lockOver = sql<boolean>`(locked_until is not null and locked_until <= ${nowIso})`;
  const next = sql<number>`(case when ${lockOver} then 1 else failed_attempts + 1 end)`;
  const row = await db
    .updateTable('users')
    .set({
      failed_attempts: next,
      locked_until: sql<
        string | null
      >`case when ${next} >= ${lockAfter} then ${lockUntil.toISOString()} else null end`,
    })
    .where('id', '=', userId)
    .where('disabled_at', 'is', null)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso)]))
    .returning(['failed_attempts', 'locked_until'])
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : { failedAttempts: row.failed_attempts, lockedUntil: row.locked_until };
}

/** The right password was given: the count of failures (and a lock it reached) is cleared, as a sign-in does. */
export async function clearFailedAttempts(db: DbOrTrx, userId: number): Promise<void> {
  await db
    .updateTable('users')
    .set({ failed_attempts: 0, locked_until: null })
    .where('id', '=', userId)
    .execute();
}

/** Replaces a second-factor secret only if it is still `previous` (a concurrent writer wins otherwise). */
export async function replaceTotpSecret(
  db: DbOrTrx,
  userId: number,
  previous: string,
  next: string,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ totp_secret: next })
    .where('id', '=', userId)
    .where('totp_secret', '=', previous)
    .execute();
}

/** Rows whose second-factor secret is still plain (from before secrets were sealed). */
export async function usersWithPlainTotpSecrets(
  db: DbOrTrx,
  sealedPrefix: string,
): Promise<{ id: number; email: string; totp_secret: string }[]> {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'totp_secret'])
    .where('totp_secret', 'not like', `${sealedPrefix}%`)
    .execute();
}

/** Marks a user disabled; false when they already were. */
export async function disableUser(db: DbOrTrx, userId: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ disabled_at: now.toISOString() })
    .where('id', '=', userId)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Adds an account; returns its id. */
export async function insertUser(q: DbOrTrx, row: Insertable<UsersTable>): Promise<number> {
  const created = await q.insertInto('users').values(row).returning('id').executeTakeFirstOrThrow();
  return created.id;
}

/** An account that is not disabled, or undefined. */
export function findActiveUser(q: DbOrTrx, id: number) {
  return q
    .selectFrom('users')
    .selectAll()
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
}

/** The email addresses of a unit's accounts that are not disabled, in order. */
export async function activeEmailsOfUnit(q: DbOrTrx, unitId: string): Promise<string[]> {
  const rows = await q
    .selectFrom('users')
    .select('email')
    .where('unit_id', '=', unitId)
    .where('disabled_at', 'is', null)
    .orderBy('email')
    .execute();
  return rows.map((r) => r.email);
}

export function findUserById(db: DbOrTrx, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every staff account, for admins: never the password hash or second-factor secret (nor partner portal users). */
export function listUsers(db: DbOrTrx) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'role', 'force_id', 'unit_id', 'disabled_at', 'last_sign_in_at', 'created_at'])
    .where('partner_id', 'is', null)
    .orderBy('email')
    .execute();
}

export async function setUserPlacement(
  db: DbOrTrx,
  userId: number,
  placement: { role: string; forceId: string | null; unitId: string | null },
): Promise<void> {
  await db
    .updateTable('users')
    .set({ role: placement.role, force_id: placement.forceId, unit_id: placement.unitId })
    .where('id', '=', userId)
    .execute();
}

/** A new (sealed) second-factor secret; codes of the old one stop working at once. */
export async function setTotpSecret(db: DbOrTrx, userId: number, sealed: string): Promise<void> {
  await db.updateTable('users').set({ totp_secret: sealed }).where('id', '=', userId).execute();
}

/**
 * Active administrators other than `exceptId`. Every active admin row is locked in id order until the transaction
 * ends (PostgreSQL; SQLite has one writer), so two admins removing each other at once are serialised, never both
 * allowed, and never deadlocked.
 */
export async function otherActiveAdmins(q: DbOrTrx, exceptId: number): Promise<number> {
  let query = q
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .orderBy('id');
  if (q.getExecutor().adapter instanceof PostgresAdapter) query = query.forUpdate();
  return (await query.execute()).filter((row) => row.id !== exceptId).length;
}

/** Counts a failed sign-in against whichever account has this email, if any (none: nothing changes). */
export async function countFailedSignInByEmail(db: DbOrTrx, email: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ failed_attempts: sql<number>`failed_attempts + 1` })
    .where('email', '=', email)
    .execute();
}

/**
 * A new password hash. `due`: whether its holder must still choose their own (an admin's reset) or has (their own
 * change). With `previousHash`, only while the hash is still that one (a concurrent change wins otherwise); an
 * admin's reset also lifts a lock-out. True when it was written.
 */
export async function setPasswordHash(
  db: DbOrTrx,
  userId: number,
  change: { hash: string; due: boolean; previousHash?: string; unlock?: boolean },
): Promise<boolean> {
  let query = db
    .updateTable('users')
    .set({
      password_hash: change.hash,
      password_change_due: change.due ? 1 : 0,
      ...(change.unlock === true ? { failed_attempts: 0, locked_until: null } : {}),
    })
    .where('id', '=', userId)
    .where('disabled_at', 'is', null);
  if (change.previousHash !== undefined) query = query.where('password_hash', '=', change.previousHash);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A partner organisation's portal users, for its partner admins: never the password hash or second-factor secret. */
export function listPartnerUsers(db: DbOrTrx, partnerId: number) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'role', 'partner_id', 'disabled_at', 'last_sign_in_at', 'created_at'])
    .where('partner_id', '=', partnerId)
    .orderBy('email')
    .execute();
}

/**
 * A partner's active partner admins other than `exceptId`, locked in id order until the transaction ends
 * (PostgreSQL; SQLite has one writer), so two admins disabling each other at once never leave none.
 */
export async function otherActivePartnerAdmins(
  q: DbOrTrx,
  partnerId: number,
  exceptId: number,
): Promise<number> {
  let query = q
    .selectFrom('users')
    .select('id')
    .where('partner_id', '=', partnerId)
    .where('role', '=', 'partner-admin')
    .where('disabled_at', 'is', null)
    .orderBy('id');
  if (q.getExecutor().adapter instanceof PostgresAdapter) query = query.forUpdate();
  return (await query.execute()).filter((row) => row.id !== exceptId).length;
}

/** The queue view a staff member last chose (null: none yet, or not an active staff account). */
export async function queueViewOf(db: DbOrTrx, email: string): Promise<string | null> {
  const row = await db
    .selectFrom('users')
    .select('queue_view')
    .where('email', '=', email)
    .where('partner_id', 'is', null)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return row?.queue_view ?? null;
}

/** Remembers a staff member's queue view (null forgets it). */
export async function setQueueView(db: DbOrTrx, email: string, view: string | null): Promise<void> {
  await db
    .updateTable('users')
    .set({ queue_view: view })
    .where('email', '=', email)
    .where('partner_id', 'is', null)
    .execute();
}
