import type { Kysely } from 'kysely';
import { isSqlite } from './column-types.ts';

/** Tokens made before expiry existed get this long from the upgrade, so partners have time to rotate. */
const LEGACY_TOKEN_DAYS = 90;

// Sign-in and token controls: each TOTP time step is accepted once (replay), accounts can be disabled, tokens
// expire, and a staff member's sessions are found by user so disabling them ends every session at once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('totp_last_step', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('users').addColumn('disabled_at', 'varchar(32)').execute();
  // Sealed secrets ("v1:" + IV, tag and ciphertext) are longer than the 64 characters a base32 one needed;
  // SQLite does not enforce varchar lengths.
  if (!isSqlite(db))
    await db.schema
      .alterTable('users')
      .alterColumn('totp_secret', (col) => col.setDataType('varchar(200)'))
      .execute();

  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'varchar(32)').execute();
  await db.schema.alterTable('api_tokens').addColumn('last_used_at', 'varchar(32)').execute();
  const legacyExpiry = new Date(Date.now() + LEGACY_TOKEN_DAYS * 86_400_000).toISOString();
  await (db as Kysely<{ api_tokens: { expires_at: string | null } }>)
    .updateTable('api_tokens')
    .set({ expires_at: legacyExpiry })
    .where('expires_at', 'is', null)
    .execute();
  await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();

  await db.schema.alterTable('sessions').addColumn('user_id', 'integer').execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('sessions_user').execute();
  await db.schema.alterTable('sessions').dropColumn('user_id').execute();
  await db.schema.dropIndex('api_tokens_user').execute();
  await db.schema.alterTable('api_tokens').dropColumn('last_used_at').execute();
  await db.schema.alterTable('api_tokens').dropColumn('expires_at').execute();
  await db.schema.alterTable('users').dropColumn('disabled_at').execute();
  await db.schema.alterTable('users').dropColumn('totp_last_step').execute();
}
