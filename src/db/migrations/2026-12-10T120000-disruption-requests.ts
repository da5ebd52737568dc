import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// Disruption requests (issue 22): a unit asks a named partner to take down, suspend, freeze or close; a supervisor
// approves; the partner acknowledges and actions or declines. And when a takedown took an indicator down.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('disruption_requests'))
    .addColumn('unit_id', 'varchar(80)', (col) => col.notNull())
    .addColumn('partner_id', 'integer', (col) => col.notNull().references('partners.id'))
    .addColumn('type', 'varchar(20)', (col) => col.notNull())
    .addColumn('target_type', 'varchar(20)', (col) => col.notNull())
    .addColumn('target_value', 'varchar(2100)', (col) => col.notNull())
    .addColumn('amount_pence', 'bigint')
    .addColumn('transaction_date', 'varchar(10)')
    .addColumn('transaction_refs', 'varchar(500)')
    .addColumn('legal_basis', 'varchar(30)', (col) => col.notNull())
    .addColumn('legal_basis_detail', 'varchar(500)', (col) => col.notNull())
    .addColumn('urgency', 'varchar(10)', (col) => col.notNull())
    .addColumn('origin', 'varchar(10)', (col) => col.notNull())
    .addColumn('report_id', 'integer', (col) => col.references('reports.id'))
    .addColumn('case_id', 'integer', (col) => col.references('cases.id'))
    .addColumn('indicator_id', 'integer', (col) => col.references('indicators.id'))
    .addColumn('status', 'varchar(20)', (col) => col.notNull())
    .addColumn('raised_by', 'varchar(320)', (col) => col.notNull())
    .addColumn('raised_at', 'varchar(30)', (col) => col.notNull())
    .addColumn('approved_by', 'varchar(320)')
    .addColumn('approved_at', 'varchar(30)')
    .addColumn('returned_reason', 'varchar(2000)')
    .addColumn('sent_at', 'varchar(30)')
    .addColumn('due_at', 'varchar(30)')
    .addColumn('reminded_at', 'varchar(30)')
    .addColumn('acknowledged_at', 'varchar(30)')
    .addColumn('partner_reference', 'varchar(100)')
    .addColumn('finished_at', 'varchar(30)')
    .addColumn('frozen_pence', 'bigint')
    .addColumn('recovered_pence', 'bigint')
    .addColumn('outcome_note', 'varchar(2000)')
    .execute();
  await db.schema
    .createIndex('disruption_requests_partner')
    .on('disruption_requests')
    .columns(['partner_id', 'id'])
    .execute();
  await db.schema
    .createIndex('disruption_requests_unit')
    .on('disruption_requests')
    .columns(['unit_id', 'id'])
    .execute();
  await db.schema
    .createIndex('disruption_requests_due')
    .on('disruption_requests')
    .columns(['status', 'due_at'])
    .execute();
  await db.schema.alterTable('indicators').addColumn('taken_down_at', 'varchar(30)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('indicators').dropColumn('taken_down_at').execute();
  await db.schema.dropTable('disruption_requests').execute();
}
