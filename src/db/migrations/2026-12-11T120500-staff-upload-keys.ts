import type { Kysely } from 'kysely';

// The workspace's bulk CSV upload is idempotent (issue 20): each form carries a one-time key, and the first POST
// with it claims it here for the staff member and keeps what the upload made; a second POST (a double click, back
// and submit again) records nothing and shows that. Only the key's SHA-256 is kept. Old keys are deleted hourly
// (services/retention.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('staff_upload_keys')
    .addColumn('key_hash', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id').onDelete('cascade'))
    // JSON: the references made (line and reference) and the rows refused (line, field, kind); null while running.
    .addColumn('result', 'text')
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('finished_at', 'varchar(32)')
    .execute();
  await db.schema
    .createIndex('staff_upload_keys_created')
    .on('staff_upload_keys')
    .column('created_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('staff_upload_keys').execute();
}
