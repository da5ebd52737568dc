/**
 * Retention. Evidence files nobody refers to (uploaded to a draft that was abandoned or removed) are deleted once
 * every draft that could still refer to them has expired. A closed report keeps the victim's personal data for
 * RETENTION_CLOSED_REPORT_DAYS after it last changed; then, in one audited transaction per report, the answers,
 * narrative, contact details, update messages, referral details, indicator links and evidence files are removed,
 * and the outbox jobs that would act on them (emails, an undelivered Victim Support referral, the link job) are
 * discarded and emptied, while the row the figures are made of (day, force, category, cyber flag, loss, status)
 * stays. Reports linked to an open case, or whose evidence is an exhibit of an open case, are kept. A journey saved
 * to come back to later is deleted once its link expires (services/saved-drafts.ts), and an upload form's one-time
 * key after UPLOAD_KEY_DAYS (services/upload-keys.ts). A Prevent referral's personal
 * details are emptied PREVENT_RETENTION_DAYS after it closed (or last changed), its counted row kept.
 */
import type { Config } from '../config/config.ts';
import type { Db, DbOrTrx } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { PREVENT_RETENTION_DAYS } from '../domain/prevent/prevent-referral.ts';
import { anonymiseSubmission } from '../domain/report/anonymise-submission.ts';
import type { ReportSubmission } from '../domain/report/report-submission.ts';
import { SESSION_TTL_MS } from './sessions.ts';
import { UPLOAD_KEY_DAYS } from './upload-keys.ts';

/** Report statuses after which nothing more happens to the report. */
export const CLOSED_REPORT_STATUSES = ['closed', 'no-crime', 'duplicate'] as const;
export const RETENTION_ACTOR = 'retention';
const DAY_MS = 86_400_000;
const BATCH = 200;

/**
 * Deletes the file only if no report, exhibit or unexpired draft session refers to it, and it was last stored
 * before any live draft could have been saved (an upload stores the file a moment before its draft is saved).
 */
function deleteIfUnreferenced(repos: Repositories, q: DbOrTrx, sha256: string, now: Date): Promise<number> {
  const storedBefore = new Date(now.getTime() - SESSION_TTL_MS).toISOString();
  return repos.retention.deleteBlobIfUnreferenced(q, sha256, now.toISOString(), storedBefore);
}

export function createRetention(
  db: Db,
  clock: () => Date,
  config: Pick<Config, 'retentionClosedReportDays'>,
  repos: Repositories = repositories,
) {
  async function anonymise(reportId: number, cutoff: string): Promise<boolean> {
    return db.transaction().execute(async (trx) => {
      const at = clock();
      const now = at.toISOString();
      // Checked again inside the transaction: the report may have been reopened or linked to a case meanwhile.
      const report = await repos.retention.findReportDueForRetention(
        trx,
        CLOSED_REPORT_STATUSES,
        cutoff,
        reportId,
      );
      if (report === undefined) return false;
      const classification = JSON.parse(report.classification) as { confidence?: number };
      const updated = await repos.retention.anonymiseReport(trx, reportId, {
        narrative: '',
        answers: JSON.stringify(anonymiseSubmission(JSON.parse(report.answers) as Partial<ReportSubmission>)),
        contact_email: null,
        postcode: null,
        // The classifier's reasons quote the narrative; its confidence stays.
        classification: JSON.stringify({ confidence: classification.confidence ?? 0, reasons: [] }),
        anonymised_at: now,
        updated_at: now,
      });
      if (!updated) return false;
      await repos.retention.removeReportDetails(trx, reportId);
      // A referral not yet delivered never will be: Victim Support would get an empty referral, or none at all.
      const referral = await repos.referrals.referralOfReport(trx, reportId);
      if (referral !== undefined)
        await repos.referrals.updateReferral(trx, referral.id, { status: 'expired', updated_at: now }, [
          'pending',
          'failed',
        ]);
      // Emails not yet sent carry the person's address, the referral job sends their name and contact details, the
      // link job names the suspect: none may run (or be retried) once the data is gone, and none keeps its payload.
      const jobs = await repos.outbox.discardPersonalDataJobsOfReport(
        trx,
        { reference: report.reference, referralId: referral?.id ?? null },
        at,
      );
      const files = await repos.retention.removeReportEvidence(trx, reportId);
      let deleted = 0;
      for (const sha256 of new Set(files)) deleted += await deleteIfUnreferenced(repos, trx, sha256, at);
      await repos.audit.writeAudit(trx, {
        at: now,
        actor: RETENTION_ACTOR,
        action: 'retention-personal-data-removed',
        reference: report.reference,
        forceId: report.force_id,
        detail:
          `closed for more than ${config.retentionClosedReportDays} days: answers, narrative, contact details, ` +
          `messages and ${files.length} evidence file(s) removed (${deleted} no longer held for anything else), ` +
          `${jobs['confirmation-email'] + jobs['update-email'] + jobs['contact-changed-email']} unsent email(s) discarded, ` +
          `${jobs['victim-support-referral']} undelivered Victim Support referral(s) discarded`,
      });
      return true;
    });
  }

  async function collectBatch(): Promise<{ deleted: number; more: boolean }> {
    const now = clock();
    // Older than a draft's lifetime: a draft that could still point at it would have stored it more recently.
    const before = new Date(now.getTime() - SESSION_TTL_MS).toISOString();
    const candidates = await repos.retention.orphanedBlobCandidates(db, before, BATCH);
    let deleted = 0;
    for (const { sha256 } of candidates) {
      // Each delete re-checks every reference at the moment it runs.
      deleted += await deleteIfUnreferenced(repos, db, sha256, now);
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

    /**
     * Deletes saved drafts (save and come back later) past their SAVED_DRAFT_DAYS, used or not: the sealed answers
     * and address of those never used, and the row whose hash says "already used" of the others. Returns how many.
     */
    removeExpiredSavedDrafts: () => repos.savedDrafts.deleteExpiredSavedDrafts(db, clock()),

    /**
     * Deletes upload forms' one-time keys (services/upload-keys.ts) older than UPLOAD_KEY_DAYS, with their rows' keys
     * (no form can be posted again by then); returns how many upload keys.
     */
    async removeOldUploadKeys(): Promise<number> {
      const before = new Date(clock().getTime() - UPLOAD_KEY_DAYS * DAY_MS).toISOString();
      await repos.idempotency.deleteStaffIdempotencyKeysBefore(db, before);
      return repos.uploadKeys.deleteUploadKeysBefore(db, before);
    },

    /**
     * Empties the personal details (names, contact details, age, the concern) of Prevent referrals closed, or left
     * untouched, for more than PREVENT_RETENTION_DAYS, a batch per audited transaction; returns how many.
     */
    async removeExpiredPreventReferrals(): Promise<number> {
      let total = 0;
      for (;;) {
        const now = clock();
        const cutoff = new Date(now.getTime() - PREVENT_RETENTION_DAYS * DAY_MS).toISOString();
        const done = await db.transaction().execute(async (trx) => {
          const due = await repos.prevent.preventReferralsDueForRetention(trx, cutoff, cutoff, BATCH);
          const ids = due.map((d) => d.id);
          const emptied = await repos.prevent.anonymisePreventReferrals(
            trx,
            ids,
            cutoff,
            cutoff,
            now.toISOString(),
          );
          if (emptied > 0)
            await repos.audit.writeAudit(trx, {
              at: now,
              actor: RETENTION_ACTOR,
              action: 'prevent-personal-data-removed',
              detail: `${emptied} Prevent referral(s) closed or idle for more than ${PREVENT_RETENTION_DAYS} days: names, contact details, ages and concerns removed`,
            });
          return { emptied, more: due.length === BATCH };
        });
        total += done.emptied;
        if (!done.more || done.emptied === 0) return total;
      }
    },

    /** Removes the personal data of closed reports past the retention period; returns how many reports. */
    async removeExpiredPersonalData(): Promise<number> {
      const cutoff = new Date(clock().getTime() - config.retentionClosedReportDays * DAY_MS).toISOString();
      let total = 0;
      for (;;) {
        const due = await repos.retention.reportsDueForRetention(db, CLOSED_REPORT_STATUSES, cutoff, BATCH);
        let done = 0;
        for (const report of due) if (await anonymise(report.id, cutoff)) done++;
        total += done;
        if (due.length < BATCH || done === 0) return total;
      }
    },
  };
}

export type Retention = ReturnType<typeof createRetention>;
