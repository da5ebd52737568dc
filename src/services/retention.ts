/**
 * Retention. Evidence files nobody refers to (uploaded to a draft that was abandoned or removed) are deleted once
 * every draft that could still refer to them has expired. A closed report keeps the victim's personal data for
 * RETENTION_CLOSED_REPORT_DAYS after it last changed; then, in one audited transaction per report, the answers,
 * narrative, contact details, update messages, referral details, indicator links and evidence files are removed
 * while the row the figures are made of (day, force, category, cyber flag, loss, status) stays. Reports linked to
 * an open case, or whose evidence is an exhibit of an open case, are kept.
 */
import { writeAudit } from '../db/repositories/audit-repository.ts';
import { discardPersonalDataJobsOfReport } from '../db/repositories/outbox-repository.ts';
import { sql } from 'kysely';
import type { Config } from '../config/config.ts';
import type { Db, DbOrTrx } from '../db/database.ts';
import { anonymiseSubmission } from '../domain/report/anonymise-submission.ts';
import type { ReportSubmission } from '../domain/report/report-submission.ts';
import { SESSION_TTL_MS } from './sessions.ts';

/** Report statuses after which nothing more happens to the report. */
export const CLOSED_REPORT_STATUSES = ['closed', 'no-crime', 'duplicate'] as const;
export const RETENTION_ACTOR = 'retention';
const DAY_MS = 86_400_000;
const BATCH = 200;

/**
 * Deletes the file only if no report, exhibit or unexpired draft session refers to it, and it was last stored
 * before any live draft could have been saved (an upload stores the file a moment before its draft is saved).
 */
function deleteIfUnreferenced(db: DbOrTrx, sha256: string, now: Date) {
  const storedBefore = new Date(now.getTime() - SESSION_TTL_MS).toISOString();
  return db
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
              .where('expires_at', '>', now.toISOString())
              .where('data', 'like', `%${sha256}%`),
          ),
        ),
      ]),
    );
}

export function createRetention(
  db: Db,
  clock: () => Date,
  config: Pick<Config, 'retentionClosedReportDays'>,
) {
  /** Closed, unchanged since the cut-off, not yet anonymised, and not held by an open case. */
  function dueReports(trx: DbOrTrx, cutoff: string) {
    return trx
      .selectFrom('reports')
      .select(['reports.id', 'reports.reference', 'reports.force_id'])
      .where('reports.status', 'in', [...CLOSED_REPORT_STATUSES])
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

  async function anonymise(reportId: number, cutoff: string): Promise<boolean> {
    return db.transaction().execute(async (trx) => {
      const at = clock();
      const now = at.toISOString();
      // Checked again inside the transaction: the report may have been reopened or linked to a case meanwhile.
      const report = await dueReports(trx, cutoff)
        .select(['reports.answers', 'reports.classification'])
        .where('reports.id', '=', reportId)
        .executeTakeFirst();
      if (report === undefined) return false;
      const classification = JSON.parse(report.classification) as { confidence?: number };
      const updated = await trx
        .updateTable('reports')
        .set({
          narrative: '',
          answers: JSON.stringify(
            anonymiseSubmission(JSON.parse(report.answers) as Partial<ReportSubmission>),
          ),
          contact_email: null,
          postcode: null,
          // The classifier's reasons quote the narrative; its confidence stays.
          classification: JSON.stringify({ confidence: classification.confidence ?? 0, reasons: [] }),
          anonymised_at: now,
          updated_at: now,
        })
        .where('id', '=', reportId)
        .where('anonymised_at', 'is', null)
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) return false;
      await trx
        .updateTable('report_updates')
        .set({ message: '' })
        .where('report_id', '=', reportId)
        .execute();
      await trx.updateTable('referrals').set({ payload: '{}' }).where('report_id', '=', reportId).execute();
      await trx.deleteFrom('report_indicators').where('report_id', '=', reportId).execute();
      // Emails not yet sent carry the person's address: none may be sent (or retried) once the data is gone.
      const jobs = await discardPersonalDataJobsOfReport(trx, report.reference, at);
      const files = await trx
        .selectFrom('report_evidence')
        .select('sha256')
        .where('report_id', '=', reportId)
        .execute();
      await trx.deleteFrom('report_evidence').where('report_id', '=', reportId).execute();
      let deleted = 0;
      for (const sha256 of new Set(files.map((f) => f.sha256))) {
        const result = await deleteIfUnreferenced(trx, sha256, at).executeTakeFirst();
        deleted += Number(result.numDeletedRows);
      }
      await writeAudit(trx, {
        at: now,
        actor: RETENTION_ACTOR,
        action: 'retention-personal-data-removed',
        reference: report.reference,
        forceId: report.force_id,
        detail:
          `closed for more than ${config.retentionClosedReportDays} days: answers, narrative, contact details, ` +
          `messages and ${files.length} evidence file(s) removed (${deleted} no longer held for anything else), ` +
          `${jobs} unsent email(s) discarded`,
      });
      return true;
    });
  }

  async function collectBatch(): Promise<{ deleted: number; more: boolean }> {
    const now = clock();
    // Older than a draft's lifetime: a draft that could still point at it would have stored it more recently.
    const before = new Date(now.getTime() - SESSION_TTL_MS).toISOString();
    const candidates = await db
      .selectFrom('evidence_blobs')
      .select('sha256')
      .where(sql<string>`coalesce(last_stored_at, created_at)`, '<', before)
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
      .limit(BATCH)
      .execute();
    let deleted = 0;
    for (const { sha256 } of candidates) {
      // Each delete re-checks every reference at the moment it runs.
      const result = await deleteIfUnreferenced(db, sha256, now).executeTakeFirst();
      deleted += Number(result.numDeletedRows);
    }
    return { deleted, more: candidates.length === BATCH };
  }

  return {
    /** Deletes evidence files no report, exhibit or live draft refers to; returns how many. */
    async collectOrphanedEvidence(): Promise<number> {
      let total = 0;
      for (;;) {
        const { deleted, more } = await collectBatch();
        total += deleted;
        if (!more || deleted === 0) return total;
      }
    },

    /** Removes the personal data of closed reports past the retention period; returns how many reports. */
    async removeExpiredPersonalData(): Promise<number> {
      const cutoff = new Date(clock().getTime() - config.retentionClosedReportDays * DAY_MS).toISOString();
      let total = 0;
      for (;;) {
        const due = await dueReports(db, cutoff).orderBy('reports.id').limit(BATCH).execute();
        let done = 0;
        for (const report of due) if (await anonymise(report.id, cutoff)) done++;
        total += done;
        if (due.length < BATCH || done === 0) return total;
      }
    },
  };
}

export type Retention = ReturnType<typeof createRetention>;
