/** Saved drafts (save and come back later): a sealed copy of the answers found by the SHA-256 of a link's token. */
import type { Insertable, Selectable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { SavedDraftsTable } from '../schema.ts';

export type SavedDraftRow = Selectable<SavedDraftsTable>;

export async function insertSavedDraft(db: DbOrTrx, row: Insertable<SavedDraftsTable>): Promise<void> {
  await db.insertInto('saved_drafts').values(row).execute();
}

export function findSavedDraft(db: DbOrTrx, id: string): Promise<SavedDraftRow | undefined> {
  return db.selectFrom('saved_drafts').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findSavedDraftByTokenHash(
  db: DbOrTrx,
  tokenHash: string,
): Promise<SavedDraftRow | undefined> {
  return db.selectFrom('saved_drafts').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/**
 * Gives the draft the hash of a new link's token, replacing any earlier one (an email sent again), while it is
 * unused and unexpired; false otherwise.
 */
export async function setSavedDraftToken(
  db: DbOrTrx,
  id: string,
  tokenHash: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('saved_drafts')
    .set({ token_hash: tokenHash })
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Uses the link: one conditional update, so of two opening it at once exactly one changes the row (the other's
 * update finds it used, or waits for it on PostgreSQL and then finds it used). The sealed data goes with it.
 */
export async function consumeSavedDraft(db: DbOrTrx, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('saved_drafts')
    .set({ consumed_at: now.toISOString(), data: '' })
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deletes saved drafts whose 30 days have passed, used or not; answers how many. */
export async function deleteExpiredSavedDrafts(db: DbOrTrx, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('saved_drafts')
    .where('expires_at', '<=', now.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
