import type { Kysely } from 'kysely';

// Supplier taskings that end early (issue 22): declined by the supplier or cancelled by the raiser, by whom, when
// and why.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [column, type] of [
    ['ended_by', 'varchar(320)'],
    ['ended_at', 'varchar(30)'],
    ['ended_reason', 'varchar(2000)'],
  ] as const)
    await db.schema.alterTable('supplier_taskings').addColumn(column, type).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['ended_by', 'ended_at', 'ended_reason'])
    await db.schema.alterTable('supplier_taskings').dropColumn(column).execute();
}
