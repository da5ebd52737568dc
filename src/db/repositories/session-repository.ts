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
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ id, data, expires_at: expiresAt.toISOString(), updated_at: now.toISOString() })
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet({ data, expires_at: expiresAt.toISOString(), updated_at: now.toISOString() }),
    )
    .execute();
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
