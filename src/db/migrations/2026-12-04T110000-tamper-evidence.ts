import type { Kysely } from 'kysely';

// Tamper evidence with a key held outside the database (see domain/tamper-evidence/): audit rows get their
// number, links and signature, one head row holds the signed end of the audit chain, and each case keeps the
// signature of its custody head. Existing rows are chained and signed at the next start (services' migrate),
// because signing needs the key and migrations do not have it.
export async function up(db: Kysely<unknown>): Promise<void> {
  // One column per statement: SQLite adds one at a time.
  const columns = [
    ['seq', 'integer'],
    ['prev_hash', 'varchar(64)'],
    ['hash', 'varchar(64)'],
    ['signature', 'varchar(100)'],
    ['key_id', 'varchar(16)'],
  ] as const;
  for (const [column, type] of columns)
    await db.schema.alterTable('audit_log').addColumn(column, type).execute();
  // One row per number: two writers can never both add row n, and `audit verify` finds rows by number.
  await db.schema.createIndex('audit_log_seq').on('audit_log').column('seq').unique().execute();
  // `audit verify --from --to` looks rows up by time.
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();

  // Exactly one row (id 1); writers lock it to number and chain rows one at a time.
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('count', 'integer', (col) => col.notNull())
    .addColumn('hash', 'varchar(64)', (col) => col.notNull())
    .addColumn('signature', 'varchar(100)', (col) => col.notNull())
    .addColumn('key_id', 'varchar(16)', (col) => col.notNull())
    .execute();

  await db.schema.alterTable('cases').addColumn('custody_signature', 'varchar(100)').execute();
  await db.schema.alterTable('cases').addColumn('custody_key_id', 'varchar(16)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('cases').dropColumn('custody_key_id').execute();
  await db.schema.alterTable('cases').dropColumn('custody_signature').execute();
  await db.schema.dropTable('audit_head').execute();
  await db.schema.dropIndex('audit_log_at').execute();
  await db.schema.dropIndex('audit_log_seq').execute();
  for (const column of ['key_id', 'signature', 'hash', 'prev_hash', 'seq'])
    await db.schema.alterTable('audit_log').dropColumn(column).execute();
}
