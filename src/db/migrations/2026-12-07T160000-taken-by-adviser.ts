import type { Kysely } from 'kysely';

// A report a call handler (adviser) took by phone or web chat for a caller names the adviser: their account and
// the name they signed in with, kept even if the account is later removed. Null on every report made online.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('reports').addColumn('adviser_user_id', 'integer').execute();
  await db.schema.alterTable('reports').addColumn('adviser_name', 'varchar(320)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('reports').dropColumn('adviser_name').execute();
  await db.schema.alterTable('reports').dropColumn('adviser_user_id').execute();
}
