import type { Kysely } from 'kysely';

// Which unit each report went to, by which routing rule and why, and whether it is urgent.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('reports').addColumn('unit_id', 'varchar(60)').execute();
  await db.schema
    .alterTable('reports')
    .addColumn('routing_rule', 'varchar(60)', (col) => col.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('reports')
    .addColumn('routing_reasons', 'text', (col) => col.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .alterTable('reports')
    .addColumn('urgent', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('reports_unit_created')
    .on('reports')
    .columns(['unit_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('reports_unit_created').execute();
  for (const column of ['urgent', 'routing_reasons', 'routing_rule', 'unit_id'])
    await db.schema.alterTable('reports').dropColumn(column).execute();
}
