import type { Dialect, DbOrTrx } from '../database.ts';

export async function findSession(db: DbOrTrx, id: string, now: Date): Promise<string | null> {
  const row = await db
    .selectFrom('sessions')
    .select('data')
    .where('id', '=', id)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row?.data ?? null;
}

/** A session's stored data, expired or not, held until the transaction ends (PostgreSQL; SQLite has one writer). */
export async function sessionForUpdate(db: DbOrTrx, id: string, dialect: Dialect): Promise<string | null> {
  const query = db.selectFrom('sessions').select('data').where('id', '=', id);
  const row = await (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
  return row?.data ?? null;
}

/** A new session under a fresh random id (never an id a request brought: those are not adopted). */
export async function insertSession(
  db: DbOrTrx,
  id: string,
  data: string,
  expiresAt: Date,
  now: Date,
  userId: number | null = null,
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ id, data, expires_at: expiresAt.toISOString(), updated_at: now.toISOString(), user_id: userId })
    .execute();
}

/**
 * Saves a session that exists: false when it no longer does. Never inserts: a session ended while a request of it
 * was running (a password change, a reset, a disable, sign-out elsewhere deleted its row) stays ended when that
 * request saves afterwards.
 */
export async function updateSession(
  db: DbOrTrx,
  id: string,
  data: string,
  expiresAt: Date,
  now: Date,
  userId: number | null = null,
): Promise<boolean> {
  const result = await db
    .updateTable('sessions')
    .set({ data, expires_at: expiresAt.toISOString(), updated_at: now.toISOString(), user_id: userId })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Ends every session of one staff member; returns how many there were. */
export async function deleteSessionsOfUser(db: DbOrTrx, userId: number): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteSession(db: DbOrTrx, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteExpiredSessions(db: DbOrTrx, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where('expires_at', '<=', now.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
