import type { DbOrTrx } from '../database.ts';

export async function findSession(db: DbOrTrx, id: string, now: Date): Promise<string | null> {
  const row = await db
    .selectFrom('sessions')
    .select('data')
    .where('id', '=', id)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row?.data ?? null;
}

export async function saveSession(
  db: DbOrTrx,
  id: string,
  data: string,
  expiresAt: Date,
  now: Date,
  userId: number | null = null,
): Promise<void> {
  const values = {
    data,
    expires_at: expiresAt.toISOString(),
    updated_at: now.toISOString(),
    user_id: userId,
  };
  await db
    .insertInto('sessions')
    .values({ id, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
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
