import { sql, type Kysely } from 'kysely';
import { isSqlite, withIdColumn } from './column-types.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const blob = isSqlite(db) ? 'blob' : 'bytea';

  // Flags are integers 0/1: the one boolean form both SQLite and PostgreSQL bind and return alike.
  // Server-side sessions: journeys survive restarts and work across app instances.
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('data', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('updated_at', 'varchar(32)', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('sessions_expiry').on('sessions').column('expires_at').execute();

  await withIdColumn(db, db.schema.createTable('reports'))
    .addColumn('reference', 'varchar(16)', (col) => col.notNull().unique())
    .addColumn('status', 'varchar(32)', (col) => col.notNull())
    .addColumn('source', 'varchar(16)', (col) => col.notNull())
    .addColumn('partner_token_id', 'integer')
    .addColumn('reporter_type', 'varchar(16)', (col) => col.notNull())
    .addColumn('category', 'varchar(40)', (col) => col.notNull())
    .addColumn('cyber', 'varchar(16)', (col) => col.notNull())
    .addColumn('recording_code', 'varchar(16)', (col) => col.notNull())
    .addColumn('force_id', 'varchar(40)')
    .addColumn('force_candidates', 'text', (col) => col.notNull())
    .addColumn('postcode', 'varchar(10)')
    .addColumn('contact_email', 'varchar(320)')
    .addColumn('loss_pence', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('vulnerable', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('ongoing', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('victim_support_consent', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('narrative', 'text', (col) => col.notNull())
    .addColumn('answers', 'text', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('updated_at', 'varchar(32)', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('reports_force_created')
    .on('reports')
    .columns(['force_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('reports_category_created')
    .on('reports')
    .columns(['category', 'created_at'])
    .execute();

  // Evidence content is stored once per SHA-256 in the database, so every app instance can read it.
  await db.schema
    .createTable('evidence_blobs')
    .addColumn('sha256', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('size', 'bigint', (col) => col.notNull())
    .addColumn('content', sql.raw(blob), (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .execute();

  await withIdColumn(db, db.schema.createTable('report_evidence'))
    .addColumn('report_id', 'integer', (col) => col.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('sha256', 'varchar(64)', (col) => col.notNull().references('evidence_blobs.sha256'))
    .addColumn('file_name', 'varchar(200)', (col) => col.notNull())
    .addColumn('content_type', 'varchar(64)', (col) => col.notNull())
    .addColumn('size', 'bigint', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('report_evidence_report').on('report_evidence').column('report_id').execute();

  // Updates a victim sees on the progress page (units write them; submission writes the first).
  await withIdColumn(db, db.schema.createTable('report_updates'))
    .addColumn('report_id', 'integer', (col) => col.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(32)', (col) => col.notNull())
    .addColumn('message', 'text', (col) => col.notNull())
    .addColumn('visible_to_victim', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('report_updates_report')
    .on('report_updates')
    .columns(['report_id', 'created_at'])
    .execute();

  await withIdColumn(db, db.schema.createTable('api_tokens'))
    .addColumn('name', 'varchar(120)', (col) => col.notNull())
    .addColumn('scopes', 'varchar(200)', (col) => col.notNull())
    .addColumn('token_hash', 'varchar(64)', (col) => col.notNull().unique())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('revoked_at', 'varchar(32)')
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('token_id', 'integer', (col) => col.notNull())
    .addColumn('key', 'varchar(200)', (col) => col.notNull())
    .addColumn('request_hash', 'varchar(64)', (col) => col.notNull())
    .addColumn('reference', 'varchar(16)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['token_id', 'key'])
    .execute();

  // Fixed-window attempt counters shared by every app instance (progress checks).
  await db.schema
    .createTable('attempt_counters')
    .addColumn('key', 'varchar(200)', (col) => col.notNull())
    .addColumn('window_start', 'varchar(32)', (col) => col.notNull())
    .addColumn('count', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('attempt_counters_pk', ['key', 'window_start'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'attempt_counters',
    'idempotency_keys',
    'api_tokens',
    'report_updates',
    'report_evidence',
    'evidence_blobs',
    'reports',
    'sessions',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
