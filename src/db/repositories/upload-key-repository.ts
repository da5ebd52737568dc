/** The workspace upload forms' one-time keys (`staff_upload_keys`): claimed once, then holding what the upload made. */
import type { Selectable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { StaffUploadKeysTable } from '../schema.ts';

export type UploadKeyRow = Selectable<StaffUploadKeysTable>;

/** Claims a key for this person; false when it was claimed already (by them or anyone). One statement. */
export async function claimUploadKey(
  db: DbOrTrx,
  row: { key_hash: string; user_id: number; file_hash: string; created_at: string },
): Promise<boolean> {
  const inserted = await db
    .insertInto('staff_upload_keys')
    .values({ ...row, result: null, finished_at: null })
    .onConflict((oc) => oc.column('key_hash').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** This person's key (another person's answers as none). */
export function findUploadKey(
  db: DbOrTrx,
  keyHash: string,
  userId: number,
): Promise<UploadKeyRow | undefined> {
  return db
    .selectFrom('staff_upload_keys')
    .selectAll()
    .where('key_hash', '=', keyHash)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function finishUploadKey(
  db: DbOrTrx,
  keyHash: string,
  userId: number,
  result: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('staff_upload_keys')
    .set({ result, finished_at: at })
    .where('key_hash', '=', keyHash)
    .where('user_id', '=', userId)
    .execute();
}

/** Deletes keys claimed before `before`; answers how many. */
export async function deleteUploadKeysBefore(db: DbOrTrx, before: string): Promise<number> {
  const deleted = await db
    .deleteFrom('staff_upload_keys')
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
