import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// Units are told of new work by email (issue 20). Each notification is recorded once (its outbox job's dedupe key)
// so a daily digest can list a unit's non-urgent items and overdue first contact is told only once; staff choose
// whether they also get that digest at their own address.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('unit_notifications'))
    .addColumn('dedupe_key', 'varchar(200)', (col) => col.notNull().unique())
    .addColumn('unit_id', 'varchar(60)', (col) => col.notNull())
    .addColumn('reason', 'varchar(40)', (col) => col.notNull())
    .addColumn('reference', 'varchar(40)')
    .addColumn('protect_request_id', 'integer')
    .addColumn('category', 'varchar(60)', (col) => col.notNull())
    .addColumn('urgent', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('unit_notifications_unit')
    .on('unit_notifications')
    .columns(['unit_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('unit_notifications_reference')
    .on('unit_notifications')
    .columns(['reference', 'reason'])
    .execute();
  // The worker looks for reports whose first contact has just become overdue every minute.
  await db.schema
    .createIndex('reports_status_created')
    .on('reports')
    .columns(['status', 'created_at'])
    .execute();
  // 0: follows the unit mailbox; 1: a daily digest of the unit's non-urgent items at the person's own address.
  await db.schema
    .alterTable('users')
    .addColumn('notification_digest', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('notification_digest').execute();
  await db.schema.dropIndex('reports_status_created').execute();
  await db.schema.dropTable('unit_notifications').execute();
}
