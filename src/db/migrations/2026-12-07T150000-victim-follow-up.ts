import type { Kysely } from 'kysely';

// Victims come back (issue 20). `reports.victim_news_at`: when the victim last added information, evidence or
// corrected contact details that no officer of the unit has opened since (the queue's "new information from the
// victim" flag). `saved_drafts`: a journey saved to come back to from an emailed link: only the SHA-256 of the
// link's token is kept, the answers and address are sealed with DATA_KEY, and the row goes 30 days after saving.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('reports').addColumn('victim_news_at', 'varchar(32)').execute();
  await db.schema
    .createTable('saved_drafts')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    // Set when the email is sent (the token exists only in it); null until then.
    .addColumn('token_hash', 'varchar(64)', (col) => col.unique())
    .addColumn('data', 'text', (col) => col.notNull())
    .addColumn('lng', 'varchar(2)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('expires_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('consumed_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('saved_drafts_expires_at').on('saved_drafts').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('saved_drafts').execute();
  await db.schema.alterTable('reports').dropColumn('victim_news_at').execute();
}
