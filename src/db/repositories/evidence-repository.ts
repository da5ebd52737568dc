import type { DbOrTrx } from '../database.ts';
import { evidenceSealerOf } from '../evidence-sealer.ts';

/**
 * Stores content once per SHA-256, sealed; storing the same bytes again only marks them as stored again (see
 * retention). `size` is the file's own size.
 */
export async function storeEvidenceBlob(
  db: DbOrTrx,
  sha256: string,
  content: Uint8Array,
  now: Date,
): Promise<void> {
  await db
    .insertInto('evidence_blobs')
    .values({
      sha256,
      size: content.byteLength,
      content: evidenceSealerOf(db).seal(sha256, content),
      sealed: 1,
      created_at: now.toISOString(),
      last_stored_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('sha256').doUpdateSet({ last_stored_at: now.toISOString() }))
    .execute();
}

/**
 * The file's bytes, or undefined when no file has that SHA-256. Sealed bytes that do not open (altered, or moved
 * from another row) come back as stored: they are not the file, so the SHA-256 check every reader makes fails and
 * says so ("has been changed", "no longer stored"), exactly as for plain bytes altered in place.
 */
export async function findEvidenceBlob(db: DbOrTrx, sha256: string): Promise<Uint8Array | undefined> {
  const row = await db
    .selectFrom('evidence_blobs')
    .select(['content', 'sealed'])
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  if (row.sealed !== 1) return row.content;
  return evidenceSealerOf(db).open(sha256, row.content) ?? row.content;
}

/** Up to `limit` files stored before sealing began. */
export function plainEvidenceBlobs(db: DbOrTrx, limit: number) {
  return db
    .selectFrom('evidence_blobs')
    .select(['sha256', 'content'])
    .where('sealed', '=', 0)
    .orderBy('sha256')
    .limit(limit)
    .execute();
}

/** Seals a file stored plain, if it still is (another process may have sealed it meanwhile). */
export async function sealPlainEvidenceBlob(
  db: DbOrTrx,
  sha256: string,
  content: Uint8Array,
): Promise<boolean> {
  const result = await db
    .updateTable('evidence_blobs')
    .set({ content: evidenceSealerOf(db).seal(sha256, content), sealed: 1 })
    .where('sha256', '=', sha256)
    .where('sealed', '=', 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A report's evidence files (name, stored type, size, SHA-256, when received), in the order they were given. */
export function evidenceOfReport(db: DbOrTrx, reportId: number) {
  return db
    .selectFrom('report_evidence')
    .select(['id', 'sha256', 'file_name', 'content_type', 'size', 'created_at'])
    .where('report_id', '=', reportId)
    .orderBy('id')
    .execute();
}

/** One evidence file of this report (undefined for another report's file or none). */
export function findReportEvidence(db: DbOrTrx, reportId: number, evidenceId: number) {
  return db
    .selectFrom('report_evidence')
    .select(['id', 'sha256', 'file_name', 'content_type', 'size', 'created_at'])
    .where('report_id', '=', reportId)
    .where('id', '=', evidenceId)
    .executeTakeFirst();
}

export type ReportEvidenceRow = NonNullable<Awaited<ReturnType<typeof findReportEvidence>>>;

/**
 * Marks these files as stored now (so retention keeps them for a draft's lifetime again); answers the SHA-256 of
 * those still held. A saved draft restored after its files were collected gets back only what is left.
 */
export async function touchEvidenceBlobs(
  db: DbOrTrx,
  sha256s: readonly string[],
  now: Date,
): Promise<string[]> {
  if (sha256s.length === 0) return [];
  const rows = await db
    .updateTable('evidence_blobs')
    .set({ last_stored_at: now.toISOString() })
    .where('sha256', 'in', [...sha256s])
    .returning('sha256')
    .execute();
  return rows.map((r) => r.sha256);
}
