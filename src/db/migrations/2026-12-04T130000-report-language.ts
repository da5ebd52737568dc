import type { Kysely } from 'kysely';

// The language a report was made in, so every email to the person who made it (confirmation, updates) uses it.
// Reports made before this change were all taken in English unless the page said otherwise; 'en' is the best known.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('reports')
    .addColumn('lng', 'varchar(2)', (col) => col.notNull().defaultTo('en'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('reports').dropColumn('lng').execute();
}
