import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// Organisations asking their regional Cyber Protect team for help (staff presentations, reviews).
export async function up(db: Kysely<unknown>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('protect_requests'))
    .addColumn('unit_id', 'varchar(60)', (col) => col.notNull())
    .addColumn('force_id', 'varchar(40)', (col) => col.notNull())
    .addColumn('organisation', 'varchar(200)', (col) => col.notNull())
    .addColumn('contact_name', 'varchar(200)', (col) => col.notNull())
    .addColumn('email', 'varchar(320)', (col) => col.notNull())
    .addColumn('phone', 'varchar(40)')
    .addColumn('postcode', 'varchar(10)', (col) => col.notNull())
    .addColumn('help', 'varchar(200)', (col) => col.notNull())
    .addColumn('message', 'text', (col) => col.notNull())
    .addColumn('status', 'varchar(20)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('protect_requests_unit')
    .on('protect_requests')
    .columns(['unit_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('protect_requests').execute();
}
