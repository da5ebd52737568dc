import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// Stay-safe alerts (issue 24): written by a force or regional unit in English and Welsh, published only once a
// second person of the unit approves. Subscribers keep only their email address and areas; confirmation and
// unsubscribe tokens are derived (HMAC), never stored. `alert_batches` records how far each outbox batch got, so
// a batch retried after a failure does not email anyone twice.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('alerts'))
    .addColumn('unit_id', 'varchar(60)', (col) => col.notNull())
    .addColumn('area', 'varchar(60)', (col) => col.notNull())
    .addColumn('campaign_id', 'integer')
    .addColumn('title_en', 'varchar(200)', (col) => col.notNull())
    .addColumn('body_en', 'text', (col) => col.notNull())
    .addColumn('title_cy', 'varchar(200)', (col) => col.notNull())
    .addColumn('body_cy', 'text', (col) => col.notNull())
    .addColumn('status', 'varchar(20)', (col) => col.notNull())
    .addColumn('author', 'varchar(320)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('approved_by', 'varchar(320)')
    .addColumn('published_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('alerts_area').on('alerts').columns(['area', 'published_at']).execute();
  await db.schema.createIndex('alerts_unit').on('alerts').columns(['unit_id', 'created_at']).execute();

  await withIdColumn(db, db.schema.createTable('alert_subscribers'))
    .addColumn('email', 'varchar(320)', (col) => col.notNull().unique())
    .addColumn('lng', 'varchar(2)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('alert_subscriber_areas')
    .addColumn('subscriber_id', 'integer', (col) => col.notNull())
    .addColumn('area', 'varchar(60)', (col) => col.notNull())
    .addColumn('requested_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('confirmed_at', 'varchar(32)')
    .addPrimaryKeyConstraint('alert_subscriber_areas_pk', ['subscriber_id', 'area'])
    .execute();
  await db.schema
    .createIndex('alert_subscriber_areas_area')
    .on('alert_subscriber_areas')
    .columns(['area', 'subscriber_id'])
    .execute();

  await db.schema
    .createTable('alert_batches')
    .addColumn('alert_id', 'integer', (col) => col.notNull())
    .addColumn('first_id', 'integer', (col) => col.notNull())
    .addColumn('sent_through', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('alert_batches_pk', ['alert_id', 'first_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('alert_batches').execute();
  await db.schema.dropTable('alert_subscriber_areas').execute();
  await db.schema.dropTable('alert_subscribers').execute();
  await db.schema.dropTable('alerts').execute();
}
