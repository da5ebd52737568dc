import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// Indicators (normalised, one row per type and value), the reports they were seen in, and campaigns: groups of
// reports linked by shared indicators that are not on a warning list.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('campaigns'))
    .addColumn('merged_into', 'integer')
    .addColumn('created_at', 'varchar(30)', (col) => col.notNull())
    .addColumn('updated_at', 'varchar(30)', (col) => col.notNull())
    .execute();

  await withIdColumn(db, db.schema.createTable('indicators'))
    .addColumn('type', 'varchar(20)', (col) => col.notNull())
    .addColumn('value', 'varchar(2048)', (col) => col.notNull())
    .addColumn('warning_list', 'varchar(40)')
    .addColumn('campaign_id', 'integer', (col) => col.references('campaigns.id'))
    .addColumn('first_seen', 'varchar(30)', (col) => col.notNull())
    .addColumn('last_seen', 'varchar(30)', (col) => col.notNull())
    .addUniqueConstraint('indicators_type_value', ['type', 'value'])
    .execute();
  await db.schema.createIndex('indicators_campaign').on('indicators').column('campaign_id').execute();

  await db.schema
    .createTable('report_indicators')
    .addColumn('report_id', 'integer', (col) => col.notNull().references('reports.id'))
    .addColumn('indicator_id', 'integer', (col) => col.notNull().references('indicators.id'))
    .addColumn('source', 'varchar(20)', (col) => col.notNull())
    .addColumn('found_in', 'varchar(500)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(30)', (col) => col.notNull())
    .addPrimaryKeyConstraint('report_indicators_pk', ['report_id', 'indicator_id'])
    .execute();
  await db.schema
    .createIndex('report_indicators_indicator')
    .on('report_indicators')
    .columns(['indicator_id', 'report_id'])
    .execute();

  await db.schema
    .alterTable('reports')
    .addColumn('campaign_id', 'integer', (col) => col.references('campaigns.id'))
    .execute();
  await db.schema.createIndex('reports_campaign').on('reports').column('campaign_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('reports_campaign').execute();
  await db.schema.alterTable('reports').dropColumn('campaign_id').execute();
  await db.schema.dropTable('report_indicators').execute();
  await db.schema.dropTable('indicators').execute();
  await db.schema.dropTable('campaigns').execute();
}
