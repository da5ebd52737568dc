import type { Kysely } from 'kysely';

// Unit figures (issue 24): each unit's work counted by month reads these tables by unit and month, so each count is
// an index range, whatever the number of rows of other units or years.
const INDEXES = [
  { name: 'cases_unit_created', table: 'cases', columns: ['unit_id', 'created_at'] },
  { name: 'case_decisions_code_at', table: 'case_decisions', columns: ['code', 'at'] },
  {
    name: 'forensic_requests_unit_requested',
    table: 'forensic_requests',
    columns: ['unit_id', 'requested_at'],
  },
  {
    name: 'forensic_requests_unit_completed',
    table: 'forensic_requests',
    columns: ['unit_id', 'completed_at'],
  },
  { name: 'alerts_unit_published', table: 'alerts', columns: ['unit_id', 'published_at'] },
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const index of INDEXES)
    await db.schema
      .createIndex(index.name)
      .on(index.table)
      .columns([...index.columns])
      .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of INDEXES) await db.schema.dropIndex(index.name).execute();
}
