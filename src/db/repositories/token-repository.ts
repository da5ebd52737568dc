import type { Selectable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { ApiTokensTable, IdempotencyKeysTable } from '../schema.ts';

export type ApiTokenRow = Selectable<ApiTokensTable>;

export async function insertApiToken(
  db: DbOrTrx,
  name: string,
  scopes: string[],
  tokenHash: string,
  now: Date,
  userId: number | null,
): Promise<number> {
  const row = await db
    .insertInto('api_tokens')
    .values({
      name,
      scopes: scopes.join(' '),
      token_hash: tokenHash,
      created_at: now.toISOString(),
      revoked_at: null,
      user_id: userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findActiveTokenByHash(
  db: DbOrTrx,
  tokenHash: string,
): Promise<ApiTokenRow | undefined> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/** Claims an idempotency key; returns false when the key was already used by this token. */
export async function claimIdempotencyKey(
  db: DbOrTrx,
  row: Omit<Selectable<IdempotencyKeysTable>, 'reference'>,
): Promise<boolean> {
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({ ...row, reference: '' })
    .onConflict((oc) => oc.columns(['token_id', 'key']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findIdempotencyKey(
  db: DbOrTrx,
  tokenId: number,
  key: string,
): Promise<Selectable<IdempotencyKeysTable> | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('token_id', '=', tokenId)
    .where('key', '=', key)
    .executeTakeFirst();
}

export async function setIdempotencyReference(
  db: DbOrTrx,
  tokenId: number,
  key: string,
  reference: string,
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ reference })
    .where('token_id', '=', tokenId)
    .where('key', '=', key)
    .execute();
}
