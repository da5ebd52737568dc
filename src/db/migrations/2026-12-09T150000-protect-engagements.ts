import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// Protect from request to delivered engagement (issue 24). A request gains an allocated officer, a scheduled date
// and an outcome, and a history (allocation, status changes, replies sent to the organisation). Engagements are
// logged with or without a request; the follow-up questionnaire's link token is kept only as its SHA-256.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('protect_requests').addColumn('allocated_to', 'varchar(320)').execute();
  await db.schema.alterTable('protect_requests').addColumn('scheduled_for', 'varchar(10)').execute();
  await db.schema.alterTable('protect_requests').addColumn('outcome', 'text').execute();
  await db.schema.alterTable('protect_requests').addColumn('updated_at', 'varchar(32)').execute();

  await withIdColumn(db, db.schema.createTable('protect_request_events'))
    .addColumn('request_id', 'integer', (col) => col.notNull())
    .addColumn('at', 'varchar(32)', (col) => col.notNull())
    .addColumn('actor', 'varchar(320)', (col) => col.notNull())
    .addColumn('kind', 'varchar(20)', (col) => col.notNull())
    .addColumn('detail', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('protect_request_events_request')
    .on('protect_request_events')
    .columns(['request_id', 'id'])
    .execute();

  await withIdColumn(db, db.schema.createTable('protect_engagements'))
    .addColumn('unit_id', 'varchar(60)', (col) => col.notNull())
    .addColumn('request_id', 'integer', (col) => col.unique())
    .addColumn('type', 'varchar(30)', (col) => col.notNull())
    .addColumn('audience', 'varchar(40)', (col) => col.notNull())
    .addColumn('sector', 'varchar(40)', (col) => col.notNull())
    .addColumn('people_reached', 'integer', (col) => col.notNull())
    .addColumn('materials', 'text', (col) => col.notNull())
    .addColumn('delivered_on', 'varchar(10)', (col) => col.notNull())
    .addColumn('organisation', 'varchar(200)', (col) => col.notNull())
    .addColumn('contact_email', 'varchar(320)')
    .addColumn('lng', 'varchar(2)', (col) => col.notNull())
    .addColumn('recorded_by', 'varchar(320)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('feedback_token_hash', 'varchar(64)', (col) => col.unique())
    .execute();
  await db.schema
    .createIndex('protect_engagements_unit')
    .on('protect_engagements')
    .columns(['unit_id', 'delivered_on'])
    .execute();

  await db.schema
    .createTable('protect_feedback')
    .addColumn('engagement_id', 'integer', (col) => col.primaryKey())
    .addColumn('unit_id', 'varchar(60)', (col) => col.notNull())
    .addColumn('usefulness', 'integer', (col) => col.notNull())
    .addColumn('will_change', 'varchar(10)', (col) => col.notNull())
    .addColumn('comments', 'text', (col) => col.notNull())
    .addColumn('answered_at', 'varchar(32)', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('protect_feedback_unit').on('protect_feedback').column('unit_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('protect_feedback').execute();
  await db.schema.dropTable('protect_engagements').execute();
  await db.schema.dropTable('protect_request_events').execute();
  for (const column of ['updated_at', 'outcome', 'scheduled_for', 'allocated_to'])
    await db.schema.alterTable('protect_requests').dropColumn(column).execute();
}
