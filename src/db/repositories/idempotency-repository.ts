/**
 * Idempotency keys, each claimed in the transaction that records what it stands for: a partner token's
 * (`idempotency_keys`: Idempotency-Key headers and bulk rows) or a staff member's (`staff_idempotency_keys`: the
 * rows of a workspace bulk upload).
 */
import type { DbOrTrx } from '../database.ts';

/** Whose key: a partner's API token or a staff member. */
export type IdempotencyOwner = { tokenId: number } | { userId: number };

export interface IdempotencyKeyRow {
  key: string;
  request_hash: string;
  reference: string;
  created_at: string;
}

/** Claims a key; false when this owner already used it. */
export async function claimIdempotencyKey(
  db: DbOrTrx,
  owner: IdempotencyOwner,
  row: Omit<IdempotencyKeyRow, 'reference'>,
): Promise<boolean> {
  const inserted =
    'tokenId' in owner
      ? await db
          .insertInto('idempotency_keys')
          .values({ ...row, token_id: owner.tokenId, reference: '' })
          .onConflict((oc) => oc.columns(['token_id', 'key']).doNothing())
          .executeTakeFirst()
      : await db
          .insertInto('staff_idempotency_keys')
          .values({ ...row, user_id: owner.userId, reference: '' })
          .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
          .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findIdempotencyKey(
  db: DbOrTrx,
  owner: IdempotencyOwner,
  key: string,
): Promise<IdempotencyKeyRow | undefined> {
  const columns = ['key', 'request_hash', 'reference', 'created_at'] as const;
  return 'tokenId' in owner
    ? db
        .selectFrom('idempotency_keys')
        .select(columns)
        .where('token_id', '=', owner.tokenId)
        .where('key', '=', key)
        .executeTakeFirst()
    : db
        .selectFrom('staff_idempotency_keys')
        .select(columns)
        .where('user_id', '=', owner.userId)
        .where('key', '=', key)
        .executeTakeFirst();
}

export async function setIdempotencyReference(
  db: DbOrTrx,
  owner: IdempotencyOwner,
  key: string,
  reference: string,
): Promise<void> {
  if ('tokenId' in owner)
    await db
      .updateTable('idempotency_keys')
      .set({ reference })
      .where('token_id', '=', owner.tokenId)
      .where('key', '=', key)
      .execute();
  else
    await db
      .updateTable('staff_idempotency_keys')
      .set({ reference })
      .where('user_id', '=', owner.userId)
      .where('key', '=', key)
      .execute();
}

/** Deletes staff members' keys claimed before `before` (they go with their upload's key); answers how many. */
export async function deleteStaffIdempotencyKeysBefore(db: DbOrTrx, before: string): Promise<number> {
  const deleted = await db
    .deleteFrom('staff_idempotency_keys')
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
