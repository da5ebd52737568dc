import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// Partners contribute (issue 21): a partner may be given permission to write to the partner-submissions TAXII
// collection; each value it submits is kept as partner intelligence (one row per partner and value, refreshed when
// submitted again) beside the indicator row it names, which may have no report yet.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('partners')
    .addColumn('can_submit', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();

  await withIdColumn(db, db.schema.createTable('partner_submissions'))
    .addColumn('partner_id', 'integer', (col) => col.notNull().references('partners.id'))
    .addColumn('indicator_id', 'integer', (col) => col.notNull().references('indicators.id'))
    .addColumn('status_id', 'varchar(36)', (col) => col.notNull())
    .addColumn('stix_id', 'varchar(100)', (col) => col.notNull())
    .addColumn('stix_type', 'varchar(40)', (col) => col.notNull())
    .addColumn('tlp', 'varchar(12)', (col) => col.notNull())
    .addColumn('reshare', 'integer', (col) => col.notNull())
    .addColumn('labels', 'varchar(300)', (col) => col.notNull())
    .addColumn('withheld', 'varchar(40)')
    .addColumn('valid_until', 'varchar(30)')
    .addColumn('created_at', 'varchar(30)', (col) => col.notNull())
    .addColumn('updated_at', 'varchar(30)', (col) => col.notNull())
    .addUniqueConstraint('partner_submissions_value', ['partner_id', 'indicator_id'])
    .execute();
  await db.schema
    .createIndex('partner_submissions_indicator')
    .on('partner_submissions')
    .column('indicator_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('partner_submissions').execute();
  await db.schema.alterTable('partners').dropColumn('can_submit').execute();
}
