import type { Kysely } from 'kysely';

// Evidence stored from now on is sealed (AES-256-GCM, db/evidence-sealer.ts); rows from before stay readable as they
// are (0) until `bluelight evidence seal` seals them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('evidence_blobs')
    .addColumn('sealed', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('evidence_blobs').dropColumn('sealed').execute();
}
