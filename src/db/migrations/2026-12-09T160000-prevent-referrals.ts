import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// Prevent (issue 24): referrals of young people drifting into cyber crime, routed to the region's Prevent officers.
// Minimal data; the personal columns are nullable because retention empties them (docs/prepare.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('prevent_referrals'))
    .addColumn('unit_id', 'varchar(60)', (col) => col.notNull())
    .addColumn('region_id', 'varchar(60)', (col) => col.notNull())
    .addColumn('force_id', 'varchar(40)', (col) => col.notNull())
    .addColumn('source', 'varchar(20)', (col) => col.notNull())
    .addColumn('referred_by', 'varchar(320)')
    .addColumn('referrer_name', 'varchar(200)')
    .addColumn('referrer_email', 'varchar(320)')
    .addColumn('referrer_phone', 'varchar(40)')
    .addColumn('referrer_organisation', 'varchar(200)')
    .addColumn('young_person', 'varchar(100)')
    .addColumn('age', 'integer')
    .addColumn('concern', 'text')
    .addColumn('aware', 'integer', (col) => col.notNull())
    .addColumn('lng', 'varchar(2)', (col) => col.notNull())
    .addColumn('status', 'varchar(20)', (col) => col.notNull())
    .addColumn('intervention', 'varchar(40)')
    .addColumn('outcome', 'varchar(40)')
    .addColumn('contacted_at', 'varchar(32)')
    .addColumn('closed_at', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('updated_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('anonymised_at', 'varchar(32)')
    .execute();
  await db.schema
    .createIndex('prevent_referrals_unit')
    .on('prevent_referrals')
    .columns(['unit_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('prevent_referrals_closed')
    .on('prevent_referrals')
    .columns(['status', 'closed_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('prevent_referrals').execute();
}
