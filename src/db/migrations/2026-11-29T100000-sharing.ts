import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// Industry sharing: each report's TLP, a unit's hold-back and retraction of an indicator, vetted partners, the
// published STIX objects (every version, in the order added), partners' sightings and notes, and TAXII status.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('reports')
    .addColumn('tlp', 'varchar(10)', (col) => col.notNull().defaultTo('amber'))
    .execute();
  await db.schema
    .alterTable('indicators')
    .addColumn('held_back', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('indicators')
    .addColumn('retracted', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();

  await withIdColumn(db, db.schema.createTable('partners'))
    .addColumn('name', 'varchar(200)', (col) => col.notNull())
    .addColumn('sectors', 'varchar(200)', (col) => col.notNull())
    .addColumn('tlp', 'varchar(10)', (col) => col.notNull())
    .addColumn('username', 'varchar(64)', (col) => col.notNull().unique())
    .addColumn('password_hash', 'varchar(64)', (col) => col.notNull())
    .addColumn('token_hash', 'varchar(64)', (col) => col.notNull().unique())
    .addColumn('webhook_url', 'varchar(2048)')
    .addColumn('webhook_secret', 'varchar(128)')
    .addColumn('created_at', 'varchar(30)', (col) => col.notNull())
    .addColumn('revoked_at', 'varchar(30)')
    .execute();

  await withIdColumn(db, db.schema.createTable('taxii_objects'))
    .addColumn('stix_id', 'varchar(100)', (col) => col.notNull())
    .addColumn('stix_type', 'varchar(40)', (col) => col.notNull())
    .addColumn('version', 'varchar(30)', (col) => col.notNull())
    .addColumn('date_added', 'varchar(30)', (col) => col.notNull())
    .addColumn('tlp', 'varchar(10)', (col) => col.notNull())
    .addColumn('sectors', 'varchar(200)', (col) => col.notNull())
    .addColumn('latest', 'integer', (col) => col.notNull())
    .addColumn('first', 'integer', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('taxii_objects_latest').on('taxii_objects').columns(['latest', 'id']).execute();
  await db.schema.createIndex('taxii_objects_stix').on('taxii_objects').columns(['stix_id', 'id']).execute();

  await withIdColumn(db, db.schema.createTable('taxii_feedback'))
    .addColumn('partner_id', 'integer', (col) => col.notNull().references('partners.id'))
    .addColumn('stix_id', 'varchar(100)', (col) => col.notNull())
    .addColumn('stix_type', 'varchar(40)', (col) => col.notNull())
    .addColumn('indicator_stix_id', 'varchar(100)', (col) => col.notNull())
    .addColumn('kind', 'varchar(20)', (col) => col.notNull())
    .addColumn('observed_at', 'varchar(30)', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('created_at', 'varchar(30)', (col) => col.notNull())
    .addUniqueConstraint('taxii_feedback_object', ['partner_id', 'stix_id', 'indicator_stix_id'])
    .execute();
  await db.schema
    .createIndex('taxii_feedback_indicator')
    .on('taxii_feedback')
    .column('indicator_stix_id')
    .execute();

  await db.schema
    .createTable('taxii_status')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('partner_id', 'integer', (col) => col.notNull().references('partners.id'))
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('created_at', 'varchar(30)', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['taxii_status', 'taxii_feedback', 'taxii_objects', 'partners'])
    await db.schema.dropTable(table).execute();
  await db.schema.alterTable('indicators').dropColumn('retracted').execute();
  await db.schema.alterTable('indicators').dropColumn('held_back').execute();
  await db.schema.alterTable('reports').dropColumn('tlp').execute();
}
