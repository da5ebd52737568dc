import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// Staff accounts, their API tokens, and the append-only audit log of every read of a report.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('users'))
    .addColumn('email', 'varchar(320)', (col) => col.notNull().unique())
    .addColumn('role', 'varchar(32)', (col) => col.notNull())
    .addColumn('force_id', 'varchar(40)')
    .addColumn('unit_id', 'varchar(60)')
    .addColumn('password_hash', 'varchar(200)', (col) => col.notNull())
    .addColumn('totp_secret', 'varchar(64)', (col) => col.notNull())
    .addColumn('failed_attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('locked_until', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .execute();
  await db.schema.alterTable('api_tokens').addColumn('user_id', 'integer').execute();
  await withIdColumn(db, db.schema.createTable('audit_log'))
    .addColumn('at', 'varchar(32)', (col) => col.notNull())
    .addColumn('actor', 'varchar(320)', (col) => col.notNull())
    .addColumn('action', 'varchar(60)', (col) => col.notNull())
    .addColumn('reference', 'varchar(16)')
    .addColumn('force_id', 'varchar(40)')
    .addColumn('detail', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('audit_log_reference').on('audit_log').columns(['reference', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_log').execute();
  await db.schema.alterTable('api_tokens').dropColumn('user_id').execute();
  await db.schema.dropTable('users').execute();
}
