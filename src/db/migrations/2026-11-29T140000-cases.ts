import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// Investigations: cases grouping reports, exhibits with their files, and the hash-chained custody log.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('cases'))
    .addColumn('reference', 'varchar(30)', (col) => col.notNull().unique())
    .addColumn('title', 'varchar(200)', (col) => col.notNull())
    .addColumn('force_id', 'varchar(60)')
    .addColumn('unit_id', 'varchar(60)', (col) => col.notNull())
    .addColumn('officer_in_charge', 'varchar(320)', (col) => col.notNull())
    .addColumn('status', 'varchar(20)', (col) => col.notNull())
    .addColumn('outcome', 'varchar(60)')
    .addColumn('restricted', 'integer', (col) => col.notNull())
    /** The last custody entry's hash and the number of entries: a deleted last entry is caught too. */
    .addColumn('custody_head', 'varchar(64)')
    .addColumn('custody_count', 'integer', (col) => col.notNull())
    .addColumn('created_by', 'varchar(320)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(30)', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('case_reports')
    .addColumn('case_id', 'integer', (col) => col.notNull().references('cases.id'))
    .addColumn('report_id', 'integer', (col) => col.notNull().references('reports.id'))
    .addPrimaryKeyConstraint('case_reports_pk', ['case_id', 'report_id'])
    .execute();
  await db.schema
    .createTable('case_members')
    .addColumn('case_id', 'integer', (col) => col.notNull().references('cases.id'))
    .addColumn('email', 'varchar(320)', (col) => col.notNull())
    .addPrimaryKeyConstraint('case_members_pk', ['case_id', 'email'])
    .execute();
  await withIdColumn(db, db.schema.createTable('exhibits'))
    .addColumn('case_id', 'integer', (col) => col.notNull().references('cases.id'))
    .addColumn('exhibit_ref', 'varchar(20)', (col) => col.notNull())
    .addColumn('kind', 'varchar(30)', (col) => col.notNull())
    .addColumn('description', 'varchar(2000)', (col) => col.notNull())
    .addColumn('seized_by', 'varchar(320)', (col) => col.notNull())
    .addColumn('seized_at', 'varchar(30)', (col) => col.notNull())
    .addColumn('seized_where', 'varchar(500)', (col) => col.notNull())
    .addColumn('seal_numbers', 'varchar(500)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(30)', (col) => col.notNull())
    .addUniqueConstraint('exhibits_case_ref', ['case_id', 'exhibit_ref'])
    .execute();
  await withIdColumn(db, db.schema.createTable('custody_entries'))
    .addColumn('case_id', 'integer', (col) => col.notNull().references('cases.id'))
    .addColumn('seq', 'integer', (col) => col.notNull())
    .addColumn('exhibit_id', 'integer', (col) => col.notNull().references('exhibits.id'))
    .addColumn('event', 'varchar(20)', (col) => col.notNull())
    .addColumn('actor', 'varchar(320)', (col) => col.notNull())
    .addColumn('at', 'varchar(30)', (col) => col.notNull())
    .addColumn('location', 'varchar(500)', (col) => col.notNull())
    .addColumn('note', 'varchar(2000)', (col) => col.notNull())
    .addColumn('file_sha256', 'varchar(64)')
    .addColumn('file_name', 'varchar(200)')
    .addColumn('prev_hash', 'varchar(64)', (col) => col.notNull())
    .addColumn('hash', 'varchar(64)', (col) => col.notNull())
    .addUniqueConstraint('custody_entries_seq', ['case_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['custody_entries', 'exhibits', 'case_members', 'case_reports', 'cases'])
    await db.schema.dropTable(table).execute();
}
