import type { Kysely } from 'kysely';

// Retention: when a closed report's personal data was removed, and when an evidence file was last stored (an upload
// of the same bytes again keeps it from being collected while a new draft still points at it).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('reports').addColumn('anonymised_at', 'varchar(32)').execute();
  await db.schema.alterTable('evidence_blobs').addColumn('last_stored_at', 'varchar(32)').execute();
  await db.schema
    .createIndex('reports_status_updated')
    .on('reports')
    .columns(['status', 'updated_at'])
    .execute();
  await db.schema.createIndex('report_evidence_sha256').on('report_evidence').column('sha256').execute();
  await db.schema
    .createIndex('custody_entries_file_sha256')
    .on('custody_entries')
    .column('file_sha256')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('custody_entries_file_sha256').execute();
  await db.schema.dropIndex('report_evidence_sha256').execute();
  await db.schema.dropIndex('reports_status_updated').execute();
  await db.schema.alterTable('evidence_blobs').dropColumn('last_stored_at').execute();
  await db.schema.alterTable('reports').dropColumn('anonymised_at').execute();
}
