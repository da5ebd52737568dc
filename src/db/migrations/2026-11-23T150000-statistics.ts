import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A force's existing records, imported and classified; they count in the statistics, marked as legacy.
  await withIdColumn(db, db.schema.createTable('legacy_records'))
    .addColumn('force_id', 'varchar(40)', (col) => col.notNull())
    .addColumn('record_id', 'varchar(100)', (col) => col.notNull())
    .addColumn('recorded_on', 'varchar(10)', (col) => col.notNull())
    .addColumn('original_type', 'varchar(200)', (col) => col.notNull())
    .addColumn('summary', 'text', (col) => col.notNull())
    .addColumn('postcode', 'varchar(10)')
    .addColumn('loss_pence', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('category', 'varchar(40)', (col) => col.notNull())
    .addColumn('cyber', 'varchar(16)', (col) => col.notNull())
    .addColumn('recording_code', 'varchar(16)', (col) => col.notNull())
    .addColumn('confidence', 'real', (col) => col.notNull())
    .addColumn('extortion', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('vulnerable', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('reasons', 'text', (col) => col.notNull())
    .addColumn('imported_at', 'varchar(32)', (col) => col.notNull())
    .addUniqueConstraint('legacy_records_force_record', ['force_id', 'record_id'])
    .execute();

  // Category decisions over time: the classifier's first, then any staff override with who, why and when.
  await withIdColumn(db, db.schema.createTable('category_changes'))
    .addColumn('report_id', 'integer', (col) => col.notNull().references('reports.id').onDelete('cascade'))
    .addColumn('category', 'varchar(40)', (col) => col.notNull())
    .addColumn('previous_category', 'varchar(40)')
    .addColumn('changed_by', 'varchar(320)', (col) => col.notNull())
    .addColumn('reason', 'text', (col) => col.notNull())
    .addColumn('changed_at', 'varchar(32)', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('category_changes_report').on('category_changes').column('report_id').execute();

  // Counts kept in step with every write, so figures stay instant however many records there are.
  await db.schema
    .createTable('stats_daily')
    .addColumn('day', 'varchar(10)', (col) => col.notNull())
    .addColumn('force_id', 'varchar(40)', (col) => col.notNull())
    .addColumn('category', 'varchar(40)', (col) => col.notNull())
    .addColumn('cyber', 'varchar(16)', (col) => col.notNull())
    .addColumn('source', 'varchar(16)', (col) => col.notNull())
    // Concurrent writers add to one of several rows for the same key, so they rarely wait on each other.
    .addColumn('shard', 'integer', (col) => col.notNull())
    .addColumn('reports', 'bigint', (col) => col.notNull())
    .addColumn('loss_pence', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('stats_daily_pk', ['day', 'force_id', 'category', 'cyber', 'source', 'shard'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['stats_daily', 'category_changes', 'legacy_records'])
    await db.schema.dropTable(table).execute();
}
