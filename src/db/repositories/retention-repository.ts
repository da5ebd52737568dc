/**
 * Retention: which closed reports are due to lose their personal data, removing it, and deleting evidence files
 * nothing refers to. Each delete re-checks every reference at the moment it runs.
 */
import { sql, type Updateable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { ReportsTable } from '../schema.ts';

/** Closed, unchanged since the cut-off, not yet anonymised, and not held by an open case. */
function dueReports(q: DbOrTrx, closedStatuses: readonly string[], cutoff: string) {
  return q
    .selectFrom('reports')
    .select(['reports.id', 'reports.reference', 'reports.force_id'])
    .where('reports.status', 'in', [...closedStatuses])
    .where('reports.updated_at', '<', cutoff)
    .where('reports.anonymised_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('case_reports')
            .innerJoin('cases', 'cases.id', 'case_reports.case_id')
            .select('cases.id')
            .whereRef('case_reports.report_id', '=', 'reports.id')
            .where('cases.status', '!=', 'closed'),
        ),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('report_evidence')
            .innerJoin('custody_entries', 'custody_entries.file_sha256', 'report_evidence.sha256')
            .innerJoin('cases', 'cases.id', 'custody_entries.case_id')
            .select('cases.id')
            .whereRef('report_evidence.report_id', '=', 'reports.id')
            .where('cases.status', '!=', 'closed'),
        ),
      ),
    );
}

/** Up to `limit` reports due, lowest id first. */
export function reportsDueForRetention(
  q: DbOrTrx,
  closedStatuses: readonly string[],
  cutoff: string,
  limit: number,
) {
  return dueReports(q, closedStatuses, cutoff).orderBy('reports.id').limit(limit).execute();
}

/** The report with what anonymising it needs, if it is (still) due. */
export function findReportDueForRetention(
  q: DbOrTrx,
  closedStatuses: readonly string[],
  cutoff: string,
  reportId: number,
) {
  return dueReports(q, closedStatuses, cutoff)
    .select(['reports.answers', 'reports.classification'])
    .where('reports.id', '=', reportId)
    .executeTakeFirst();
}

/** Writes the anonymised report unless it already was; true when it was written. */
export async function anonymiseReport(
  q: DbOrTrx,
  reportId: number,
  change: Updateable<ReportsTable>,
): Promise<boolean> {
  const updated = await q
    .updateTable('reports')
    .set(change)
    .where('id', '=', reportId)
    .where('anonymised_at', 'is', null)
    .executeTakeFirst();
  return updated.numUpdatedRows !== 0n;
}

/** Empties the report's update messages and referral details, and drops its indicator links. */
export async function removeReportDetails(q: DbOrTrx, reportId: number): Promise<void> {
  await q.updateTable('report_updates').set({ message: '' }).where('report_id', '=', reportId).execute();
  await q.updateTable('referrals').set({ payload: '{}' }).where('report_id', '=', reportId).execute();
  await q.deleteFrom('report_indicators').where('report_id', '=', reportId).execute();
}

/** Drops the report's evidence rows; answers the SHA-256 of each (the files themselves stay). */
export async function removeReportEvidence(q: DbOrTrx, reportId: number): Promise<string[]> {
  const files = await q
    .selectFrom('report_evidence')
    .select('sha256')
    .where('report_id', '=', reportId)
    .execute();
  await q.deleteFrom('report_evidence').where('report_id', '=', reportId).execute();
  return files.map((f) => f.sha256);
}

/**
 * Deletes the file only if no report, exhibit or draft session alive at `now` refers to it, and it was last
 * stored before `storedBefore`; answers how many files were deleted (0 or 1).
 */
export async function deleteBlobIfUnreferenced(
  q: DbOrTrx,
  sha256: string,
  now: string,
  storedBefore: string,
): Promise<number> {
  const result = await q
    .deleteFrom('evidence_blobs')
    .where('sha256', '=', sha256)
    .where(sql<string>`coalesce(last_stored_at, created_at)`, '<', storedBefore)
    .where((eb) =>
      eb.and([
        eb.not(eb.exists(eb.selectFrom('report_evidence').select('id').where('sha256', '=', sha256))),
        eb.not(eb.exists(eb.selectFrom('custody_entries').select('id').where('file_sha256', '=', sha256))),
        // A draft keeps its files' SHA-256 in its session data (hex, so no LIKE wildcards).
        eb.not(
          eb.exists(
            eb
              .selectFrom('sessions')
              .select('id')
              .where('expires_at', '>', now)
              .where('data', 'like', `%${sha256}%`),
          ),
        ),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Up to `limit` files last stored before `storedBefore` that no report or exhibit refers to. */
export function orphanedBlobCandidates(q: DbOrTrx, storedBefore: string, limit: number) {
  return q
    .selectFrom('evidence_blobs')
    .select('sha256')
    .where(sql<string>`coalesce(last_stored_at, created_at)`, '<', storedBefore)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('report_evidence')
            .select('id')
            .whereRef('report_evidence.sha256', '=', 'evidence_blobs.sha256'),
        ),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('custody_entries')
            .select('id')
            .whereRef('custody_entries.file_sha256', '=', 'evidence_blobs.sha256'),
        ),
      ),
    )
    .limit(limit)
    .execute();
}
