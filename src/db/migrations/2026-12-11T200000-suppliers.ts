import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// Specialist suppliers (issue 22, MSP): partners flagged as suppliers, their framework (capabilities with day rates,
// accreditations, named staff's vetting), units' budgets per financial year, and taskings with the exhibits they
// release and the deliverables that come back as exhibits.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('partners')
    .addColumn('supplier', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await withIdColumn(db, db.schema.createTable('supplier_capabilities'))
    .addColumn('partner_id', 'integer', (col) => col.notNull().references('partners.id'))
    .addColumn('capability', 'varchar(30)', (col) => col.notNull())
    .addColumn('day_rate_pence', 'bigint', (col) => col.notNull())
    .addUniqueConstraint('supplier_capabilities_one', ['partner_id', 'capability'])
    .execute();
  await withIdColumn(db, db.schema.createTable('supplier_accreditations'))
    .addColumn('partner_id', 'integer', (col) => col.notNull().references('partners.id'))
    .addColumn('name', 'varchar(100)', (col) => col.notNull())
    .addColumn('expires_on', 'varchar(10)', (col) => col.notNull())
    .execute();
  await withIdColumn(db, db.schema.createTable('supplier_staff'))
    .addColumn('partner_id', 'integer', (col) => col.notNull().references('partners.id'))
    .addColumn('name', 'varchar(100)', (col) => col.notNull())
    .addColumn('vetting_level', 'varchar(10)', (col) => col.notNull())
    .addColumn('vetting_expires_on', 'varchar(10)', (col) => col.notNull())
    .execute();
  await withIdColumn(db, db.schema.createTable('supplier_budgets'))
    .addColumn('unit_id', 'varchar(80)', (col) => col.notNull())
    .addColumn('financial_year', 'varchar(7)', (col) => col.notNull())
    .addColumn('budget_pence', 'bigint', (col) => col.notNull())
    .addColumn('set_by', 'varchar(320)', (col) => col.notNull())
    .addColumn('set_at', 'varchar(30)', (col) => col.notNull())
    .addUniqueConstraint('supplier_budgets_one', ['unit_id', 'financial_year'])
    .execute();
  await withIdColumn(db, db.schema.createTable('supplier_taskings'))
    .addColumn('unit_id', 'varchar(80)', (col) => col.notNull())
    .addColumn('partner_id', 'integer', (col) => col.notNull().references('partners.id'))
    .addColumn('case_id', 'integer', (col) => col.notNull().references('cases.id'))
    .addColumn('capability', 'varchar(30)', (col) => col.notNull())
    .addColumn('scope', 'varchar(4000)', (col) => col.notNull())
    .addColumn('deadline', 'varchar(10)', (col) => col.notNull())
    .addColumn('budget_cap_pence', 'bigint', (col) => col.notNull())
    .addColumn('day_rate_pence', 'bigint', (col) => col.notNull())
    .addColumn('financial_year', 'varchar(7)', (col) => col.notNull())
    .addColumn('status', 'varchar(20)', (col) => col.notNull())
    .addColumn('raised_by', 'varchar(320)', (col) => col.notNull())
    .addColumn('raised_at', 'varchar(30)', (col) => col.notNull())
    .addColumn('approved_by', 'varchar(320)')
    .addColumn('approved_at', 'varchar(30)')
    .addColumn('accepted_by', 'varchar(320)')
    .addColumn('accepted_at', 'varchar(30)')
    .addColumn('delivered_at', 'varchar(30)')
    .addColumn('cost_pence', 'bigint')
    .addColumn('days_worked', 'integer')
    .addColumn('closed_by', 'varchar(320)')
    .addColumn('closed_at', 'varchar(30)')
    .addColumn('rating', 'integer')
    .addColumn('outcome', 'varchar(2000)')
    .execute();
  await db.schema
    .createIndex('supplier_taskings_partner')
    .on('supplier_taskings')
    .columns(['partner_id', 'id'])
    .execute();
  await db.schema
    .createIndex('supplier_taskings_unit')
    .on('supplier_taskings')
    .columns(['unit_id', 'financial_year'])
    .execute();
  await db.schema
    .createTable('supplier_tasking_exhibits')
    .addColumn('tasking_id', 'integer', (col) => col.notNull().references('supplier_taskings.id'))
    .addColumn('exhibit_id', 'integer', (col) => col.notNull().references('exhibits.id'))
    .addPrimaryKeyConstraint('supplier_tasking_exhibits_pk', ['tasking_id', 'exhibit_id'])
    .execute();
  await withIdColumn(db, db.schema.createTable('supplier_deliverables'))
    .addColumn('tasking_id', 'integer', (col) => col.notNull().references('supplier_taskings.id'))
    .addColumn('exhibit_id', 'integer', (col) => col.notNull().references('exhibits.id'))
    .addColumn('file_name', 'varchar(200)', (col) => col.notNull())
    .addColumn('sha256', 'varchar(64)', (col) => col.notNull())
    .addColumn('uploaded_by', 'varchar(320)', (col) => col.notNull())
    .addColumn('uploaded_at', 'varchar(30)', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('supplier_deliverables_tasking')
    .on('supplier_deliverables')
    .columns(['tasking_id', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'supplier_deliverables',
    'supplier_tasking_exhibits',
    'supplier_taskings',
    'supplier_budgets',
    'supplier_staff',
    'supplier_accreditations',
    'supplier_capabilities',
  ])
    await db.schema.dropTable(table).execute();
  await db.schema.alterTable('partners').dropColumn('supplier').execute();
}
