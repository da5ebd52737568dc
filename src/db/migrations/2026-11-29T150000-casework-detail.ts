import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// Investigations in detail: hash lists (e.g. a national image database export), tasks, the decision log,
// sharing and transfer between units, forensic examination requests, and call data records.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('hashlists'))
    .addColumn('name', 'varchar(100)', (col) => col.notNull().unique())
    .addColumn('entries', 'integer', (col) => col.notNull())
    .addColumn('imported_at', 'varchar(30)', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('hashlist_entries')
    .addColumn('hashlist_id', 'integer', (col) => col.notNull().references('hashlists.id'))
    .addColumn('hash', 'varchar(64)', (col) => col.notNull())
    .addPrimaryKeyConstraint('hashlist_entries_pk', ['hashlist_id', 'hash'])
    .execute();
  await db.schema.createIndex('hashlist_entries_hash').on('hashlist_entries').column('hash').execute();

  await withIdColumn(db, db.schema.createTable('case_tasks'))
    .addColumn('case_id', 'integer', (col) => col.notNull().references('cases.id'))
    .addColumn('title', 'varchar(500)', (col) => col.notNull())
    .addColumn('owner', 'varchar(320)', (col) => col.notNull())
    .addColumn('due_on', 'varchar(10)', (col) => col.notNull())
    .addColumn('status', 'varchar(10)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(30)', (col) => col.notNull())
    .addColumn('done_at', 'varchar(30)')
    .execute();
  await withIdColumn(db, db.schema.createTable('case_decisions'))
    .addColumn('case_id', 'integer', (col) => col.notNull().references('cases.id'))
    .addColumn('decided_by', 'varchar(320)', (col) => col.notNull())
    .addColumn('decision', 'varchar(2000)', (col) => col.notNull())
    .addColumn('reason', 'varchar(2000)', (col) => col.notNull())
    .addColumn('at', 'varchar(30)', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('case_units')
    .addColumn('case_id', 'integer', (col) => col.notNull().references('cases.id'))
    .addColumn('unit_id', 'varchar(60)', (col) => col.notNull())
    .addColumn('shared_by', 'varchar(320)', (col) => col.notNull())
    .addColumn('reason', 'varchar(2000)', (col) => col.notNull())
    .addColumn('at', 'varchar(30)', (col) => col.notNull())
    .addPrimaryKeyConstraint('case_units_pk', ['case_id', 'unit_id'])
    .execute();
  await withIdColumn(db, db.schema.createTable('forensic_requests'))
    .addColumn('case_id', 'integer', (col) => col.notNull().references('cases.id'))
    .addColumn('exhibit_id', 'integer', (col) => col.notNull().references('exhibits.id'))
    .addColumn('unit_id', 'varchar(60)', (col) => col.notNull())
    .addColumn('what', 'varchar(2000)', (col) => col.notNull())
    .addColumn('why', 'varchar(2000)', (col) => col.notNull())
    .addColumn('priority', 'varchar(10)', (col) => col.notNull())
    .addColumn('legal_authority', 'varchar(500)', (col) => col.notNull())
    .addColumn('status', 'varchar(20)', (col) => col.notNull())
    .addColumn('requested_by', 'varchar(320)', (col) => col.notNull())
    .addColumn('requested_at', 'varchar(30)', (col) => col.notNull())
    .addColumn('examiner', 'varchar(320)')
    .addColumn('findings', 'text')
    .addColumn('completed_at', 'varchar(30)')
    .execute();
  await withIdColumn(db, db.schema.createTable('cdr_events'))
    .addColumn('exhibit_id', 'integer', (col) => col.notNull().references('exhibits.id'))
    .addColumn('at', 'varchar(30)', (col) => col.notNull())
    .addColumn('kind', 'varchar(10)', (col) => col.notNull())
    .addColumn('from_number', 'varchar(20)')
    .addColumn('to_number', 'varchar(20)')
    .addColumn('duration_s', 'integer')
    .addColumn('cell_id', 'varchar(40)')
    .addColumn('lat', 'real')
    .addColumn('lon', 'real')
    .addColumn('marked', 'integer', (col) => col.notNull())
    .addColumn('note', 'varchar(500)')
    .execute();
  await db.schema.createIndex('cdr_events_exhibit').on('cdr_events').columns(['exhibit_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'cdr_events',
    'forensic_requests',
    'case_units',
    'case_decisions',
    'case_tasks',
    'hashlist_entries',
    'hashlists',
  ])
    await db.schema.dropTable(table).execute();
}
