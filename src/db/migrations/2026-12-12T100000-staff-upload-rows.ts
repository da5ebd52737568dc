import type { Kysely } from 'kysely';

// A workspace bulk upload stopped half way can be posted again (issue 20): each row claims `ws:<key hash>:<line>`
// for the adviser here, in the transaction that records its report, as a partner's bulk rows claim theirs in
// `idempotency_keys`; a re-post records only the rows missing. The upload key keeps the file's SHA-256, so the same
// form with another file is refused rather than mixed. Both go with the key after UPLOAD_KEY_DAYS (retention).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('staff_idempotency_keys')
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('key', 'varchar(200)', (col) => col.notNull())
    .addColumn('request_hash', 'varchar(64)', (col) => col.notNull())
    .addColumn('reference', 'varchar(16)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addPrimaryKeyConstraint('staff_idempotency_keys_pk', ['user_id', 'key'])
    .execute();
  await db.schema
    .createIndex('staff_idempotency_keys_created')
    .on('staff_idempotency_keys')
    .column('created_at')
    .execute();
  // Null on keys claimed before this migration: those are never resumed (their rows hold no row keys).
  await db.schema.alterTable('staff_upload_keys').addColumn('file_hash', 'varchar(64)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('staff_upload_keys').dropColumn('file_hash').execute();
  await db.schema.dropTable('staff_idempotency_keys').execute();
}
