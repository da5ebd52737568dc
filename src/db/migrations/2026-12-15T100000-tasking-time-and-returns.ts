import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// Supplier taskings (issue 22): the supplier's time and cost logged as the work goes, an entry a row; and a tasking
// returned to its raiser before approval, by whom, when and why (the latest return; each is in the case's log).
export async function up(db: Kysely<unknown>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('supplier_time_entries'))
    .addColumn('tasking_id', 'integer', (col) => col.notNull().references('supplier_taskings.id'))
    .addColumn('work_date', 'varchar(10)', (col) => col.notNull())
    .addColumn('minutes', 'integer', (col) => col.notNull())
    .addColumn('cost_pence', 'bigint', (col) => col.notNull())
    .addColumn('note', 'varchar(500)', (col) => col.notNull())
    .addColumn('logged_by', 'varchar(320)', (col) => col.notNull())
    .addColumn('logged_at', 'varchar(30)', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('supplier_time_entries_tasking')
    .on('supplier_time_entries')
    .columns(['tasking_id', 'id'])
    .execute();
  for (const [column, type] of [
    ['returned_by', 'varchar(320)'],
    ['returned_at', 'varchar(30)'],
    ['returned_reason', 'varchar(2000)'],
  ] as const)
    await db.schema.alterTable('supplier_taskings').addColumn(column, type).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['returned_by', 'returned_at', 'returned_reason'])
    await db.schema.alterTable('supplier_taskings').dropColumn(column).execute();
  await db.schema.dropTable('supplier_time_entries').execute();
}
