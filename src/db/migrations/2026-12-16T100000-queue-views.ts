import type { Kysely } from 'kysely';

// The queue's filters and order, remembered per person (issue 23): the canonical query string of their last view.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('queue_view', 'varchar(500)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('queue_view').execute();
}
