import { PostgresAdapter, sql, type Selectable } from 'kysely';
import { preparedText, type DbOrTrx } from '../database.ts';
import type { ApiTokensTable } from '../schema.ts';

export type ApiTokenRow = Selectable<ApiTokensTable>;

/** A live token with its user's access (null columns for a token of no user). */
export type ActiveTokenRow = ApiTokenRow & {
  user_email: string | null;
  user_role: string | null;
  user_force_id: string | null;
  user_unit_id: string | null;
  user_partner_id: number | null;
};

export async function insertApiToken(
  db: DbOrTrx,
  token: { name: string; scopes: string[]; tokenHash: string; userId: number | null },
  now: Date,
  expiresAt: Date,
): Promise<number> {
  const row = await db
    .insertInto('api_tokens')
    .values({
      name: token.name,
      scopes: token.scopes.join(' '),
      token_hash: token.tokenHash,
      created_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
      revoked_at: null,
      user_id: token.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A token that is not revoked, not expired, and whose staff member (if any) is not disabled. */
export async function findActiveTokenByHash(
  db: DbOrTrx,
  tokenHash: string,
  now: Date,
): Promise<ActiveTokenRow | undefined> {
  return (await findActiveTokensByHash(db, [tokenHash], now))[0];
}

/**
 * The live tokens among these hashes, in one query (tokens checked together by concurrent requests). Every API call
 * runs it: prepared once per connection, whatever the number of hashes (they travel as one array). The staff member
 * comes with each (the staff gate needs them).
 */
export async function findActiveTokensByHash(
  db: DbOrTrx,
  tokenHashes: readonly string[],
  now: Date,
): Promise<ActiveTokenRow[]> {
  // On PostgreSQL a fixed text: every API call runs it, and compiling the builder cost more than the query.
  if (db.getExecutor().adapter instanceof PostgresAdapter)
    return (
      await db.executeQuery(
        preparedText<ActiveTokenRow>(ACTIVE_TOKENS, [[...tokenHashes], now.toISOString()]),
      )
    ).rows;
  const result = await db.executeQuery(
    db
      .selectFrom('api_tokens')
      .leftJoin('users', 'users.id', 'api_tokens.user_id')
      .selectAll('api_tokens')
      .select([
        'users.email as user_email',
        'users.role as user_role',
        'users.force_id as user_force_id',
        'users.unit_id as user_unit_id',
        'users.partner_id as user_partner_id',
      ])
      .where(
        sql<boolean>`api_tokens.token_hash in (select value from json_each(${JSON.stringify(tokenHashes)}))`,
      )
      .where('api_tokens.revoked_at', 'is', null)
      .where('api_tokens.expires_at', '>', now.toISOString())
      .where((eb) => eb.or([eb('api_tokens.user_id', 'is', null), eb('users.disabled_at', 'is', null)]))
      .compile(),
  );
  return result.rows;
}

/** `findActiveTokensByHash` on PostgreSQL: the same conditions as the SQLite builder's. */
const ACTIVE_TOKENS = `select api_tokens.*, users.email as user_email, users.role as user_role,
  users.force_id as user_force_id, users.unit_id as user_unit_id, users.partner_id as user_partner_id
from api_tokens left join users on users.id = api_tokens.user_id
where api_tokens.token_hash = any($1) and api_tokens.revoked_at is null and api_tokens.expires_at > $2
  and (api_tokens.user_id is null or users.disabled_at is null)`;

export async function touchApiToken(db: DbOrTrx, id: number, now: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', id).execute();
}

export async function listApiTokens(db: DbOrTrx) {
  return db
    .selectFrom('api_tokens')
    .leftJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'api_tokens.name',
      'api_tokens.scopes',
      'api_tokens.created_at',
      'api_tokens.expires_at',
      'api_tokens.last_used_at',
      'api_tokens.revoked_at',
      'users.email as user_email',
    ])
    .orderBy('api_tokens.id')
    .execute();
}

export async function findApiToken(db: DbOrTrx, id: number): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Revokes one token if it is still live; returns whether it was. */
export async function revokeApiToken(db: DbOrTrx, id: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Revokes every live token of one staff member; returns how many. */
export async function revokeTokensOfUser(db: DbOrTrx, userId: number, now: Date): Promise<number> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now.toISOString() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** One user's tokens, newest first (a partner user's own list in the portal). */
export async function listApiTokensOfUser(db: DbOrTrx, userId: number) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'scopes', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .execute();
}

/**
 * How many of one user's tokens are live (not revoked, not expired). In a transaction on PostgreSQL the user's row
 * is held first, so two creations at once count one after the other (SQLite runs one writer at a time anyway).
 */
export async function countLiveTokensOfUser(db: DbOrTrx, userId: number, now: Date): Promise<number> {
  if (db.getExecutor().adapter instanceof PostgresAdapter && db.isTransaction)
    await db.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
  const row = await db
    .selectFrom('api_tokens')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
