import type { Kysely } from 'kysely';

// How each report was classified: the extortion flag (recording codes depend on it) and the explanation.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('reports')
    .addColumn('extortion', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('reports')
    .addColumn('classification', 'text', (col) => col.notNull().defaultTo('{}'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('reports').dropColumn('classification').execute();
  await db.schema.alterTable('reports').dropColumn('extortion').execute();
}
