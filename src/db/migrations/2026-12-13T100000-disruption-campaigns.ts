import type { Kysely } from 'kysely';

// Disruption requests raised from a campaign (issue 22): the campaign they came from.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('disruption_requests')
    .addColumn('campaign_id', 'integer', (col) => col.references('campaigns.id'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('disruption_requests').dropColumn('campaign_id').execute();
}
