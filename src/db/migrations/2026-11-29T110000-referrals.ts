import type { Kysely } from 'kysely';

// Victim Support referrals: made only with the victim's consent, carrying only what they agreed to share.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('referrals')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('report_id', 'integer', (col) => col.notNull().unique().references('reports.id'))
    .addColumn('status', 'varchar(20)', (col) => col.notNull())
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('created_at', 'varchar(30)', (col) => col.notNull())
    .addColumn('updated_at', 'varchar(30)', (col) => col.notNull())
    .addColumn('delivered_at', 'varchar(30)')
    .addColumn('acknowledged_at', 'varchar(30)')
    .addColumn('contacted_at', 'varchar(30)')
    .addColumn('withdrawn_at', 'varchar(30)')
    .addColumn('deletion_confirmed_at', 'varchar(30)')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('referrals').execute();
}
