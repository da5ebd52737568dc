import type { Db } from '../db/database.ts';
import type { ReviewItem, ReviewSubject } from '../db/repositories/classification-review-repository.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { classificationReviewScope, type StaffMember } from '../domain/access/access-policy.ts';
import { cyberFor, isStoredOnline, type StoredOnline } from '../domain/classification/stored.ts';
import { recordingCode, type Category } from '../domain/classification/taxonomy.ts';
import type { Medium } from '../domain/classification/online-cues.ts';
import type { ReportSubmission } from '../domain/report/report-submission.ts';
import { maskIdentifiers } from '../domain/privacy/mask-identifiers.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import { routeSubmission } from './routing.ts';
import { EXCLUDED_STATUSES } from './statistics.ts';

export type { ReviewItem, ReviewSubject };

export interface ReviewDecision {
  category: Category;
  /** The online element as the reviewer judged it: a medium or 'none' ('unknown' only kept from old records). */
  online: StoredOnline;
  reason: string;
}

export type ReviewResult = { kind: 'confirmed' } | { kind: 'corrected' } | { kind: 'not-found' };

/**
 * The classification review queue: reports and imported force records the classifier was not sure of wait here
 * until an analyst or a supervisor confirms or corrects the category and the online element. Each decision is one
 * transaction: the record, the figures, the history and the audit row move together.
 */
export function createClassificationReview(
  db: Db,
  clock: () => Date,
  referenceData: ReferenceData,
  repos: Repositories = repositories,
) {
  const inScope = (staff: StaffMember, item: { forceId: string }): boolean => {
    const scope = classificationReviewScope(staff);
    return scope !== null && (scope.forceId === null || scope.forceId === item.forceId);
  };

  /**
   * What a reviewer is shown. Analysts judge every force's records but hold no personal data: contact and account
   * identifiers in the text and the reasons quoting it are masked for them (names cannot be found and stay; each
   * view of a record is audited). A force supervisor sees the record as the force holds it.
   */
  const shownTo = <T extends { text: string; reasons: string; onlineEvidence: string }>(
    staff: StaffMember,
    item: T,
  ): T =>
    staff.role !== 'analyst'
      ? item
      : {
          ...item,
          text: maskIdentifiers(item.text),
          reasons: JSON.stringify((JSON.parse(item.reasons) as string[]).map(maskIdentifiers)),
          onlineEvidence: JSON.stringify(
            (JSON.parse(item.onlineEvidence) as { id: string; words: string }[]).map((e) => ({
              ...e,
              words: maskIdentifiers(e.words),
            })),
          ),
        };

  return {
    async pending(
      staff: StaffMember,
      filter: { subject: ReviewSubject | null; page: number },
    ): Promise<{ items: ReviewItem[]; more: boolean }> {
      const scope = classificationReviewScope(staff);
      if (scope === null) return { items: [], more: false };
      const { items, more } = await repos.classificationReview.listPendingReviews(db, {
        forceId: scope.forceId,
        subject: filter.subject,
        page: filter.page,
      });
      return { items: items.map((item) => shownTo(staff, item)), more };
    },

    /** One record under review, as this reviewer may see it; the view is audited (it shows a victim's account). */
    async get(staff: StaffMember, subject: ReviewSubject, id: number) {
      return db.transaction().execute(async (trx) => {
        const item = await repos.classificationReview.findReviewItem(trx, subject, id);
        if (item === undefined || !inScope(staff, item)) return undefined;
        const history = await repos.classificationReview.reviewHistory(trx, subject, id);
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor: staff.email,
          action: 'read-classification-review',
          reference: subject === 'report' ? item.label : null,
          forceId: item.forceId,
          detail: `${subject} ${item.label}`,
        });
        return { ...shownTo(staff, item), history };
      });
    },

    /** A reviewer's decision, within the reviewer's scope. */
    decide(
      staff: StaffMember,
      subject: ReviewSubject,
      id: number,
      decision: ReviewDecision,
    ): Promise<ReviewResult> {
      return apply(staff.email, subject, id, decision, (item) => inScope(staff, item));
    },

    /**
     * An imported force record recategorised from the command line (bluelight report recategorise --force
     * --record), by the person named; the online element stays as it was unless given.
     */
    async recategoriseLegacy(
      forceId: string,
      recordId: string,
      change: { category: Category; online?: Medium | 'none'; reason: string; by: string },
    ): Promise<ReviewResult & { previous?: string }> {
      const row = await repos.legacy.findLegacyRecord(db, forceId, recordId);
      if (row === undefined) return { kind: 'not-found' };
      const online = change.online ?? (isStoredOnline(row.online) ? row.online : 'unknown');
      const result = await apply(
        change.by,
        'legacy',
        row.id,
        { category: change.category, online, reason: change.reason },
        () => true,
      );
      return { ...result, previous: row.category };
    },
  };

  function apply(
    actor: string,
    subject: ReviewSubject,
    id: number,
    decision: ReviewDecision,
    allowed: (item: ReviewItem) => boolean,
  ): Promise<ReviewResult> {
    return db.transaction().execute(async (trx) => {
      const item = await repos.classificationReview.findReviewItem(trx, subject, id);
      if (item === undefined || !allowed(item)) return { kind: 'not-found' } as const;
      const at = clock();
      const now = at.toISOString();
      const changed = item.category !== decision.category || item.online !== decision.online;
      const review = changed ? ('corrected' as const) : ('confirmed' as const);
      const cyber = cyberFor(decision.category, decision.online);
      const code = recordingCode(decision.category, item.extortion);
      if (subject === 'legacy') {
        await repos.classificationReview.setLegacyClassification(trx, id, {
          category: decision.category,
          cyber,
          recording_code: code,
          online: decision.online,
          review,
        });
      } else {
        const report = await repos.reports.findReportById(trx, id);
        if (report === undefined) throw new Error(`report ${id} is under review but missing`);
        // A new category can mean a different unit: routing runs again on the stored answers.
        const routing = routeSubmission(referenceData, JSON.parse(report.answers) as ReportSubmission, {
          category: decision.category,
          cyber,
          extortion: report.extortion === 1,
          vulnerable: report.vulnerable === 1,
        });
        await repos.reports.updateReport(trx, id, {
          category: decision.category,
          cyber,
          recording_code: code,
          online: decision.online,
          review,
          ...(item.category === decision.category
            ? {}
            : {
                status: decision.category === 'phishing-attempt' ? 'intelligence' : report.status,
                unit_id: routing.unitId,
                routing_rule: routing.rule,
                routing_reasons: JSON.stringify(routing.because),
                urgent: routing.urgent ? 1 : 0,
              }),
          updated_at: now,
        });
        if (item.category !== decision.category)
          await repos.outbox.enqueueJob(
            trx,
            {
              kind: 'publish-stix',
              dedupeKey: `publish-stix:${report.reference}:review:${now}`,
              payload: { reportId: report.id },
            },
            at,
          );
      }
      // Figures follow the decision at once: the record moves from its old cell to the new one.
      const counted = subject === 'legacy' || !EXCLUDED_STATUSES.includes(item.status ?? '');
      if (counted && (item.category !== decision.category || item.cyber !== cyber)) {
        const key = { day: item.day, force_id: item.forceId, source: subject, shard: 0 } as const;
        await repos.stats.addDailyStats(trx, {
          ...key,
          category: item.category,
          cyber: item.cyber,
          reports: -1,
          loss_pence: -item.lossPence,
        });
        await repos.stats.addDailyStats(trx, {
          ...key,
          category: decision.category,
          cyber,
          reports: 1,
          loss_pence: item.lossPence,
        });
      }
      await repos.classificationReview.insertClassificationReview(trx, {
        subject,
        subject_id: id,
        force_id: item.forceId,
        decision: review,
        previous_category: item.category,
        previous_online: item.online,
        category: decision.category,
        online: decision.online,
        reason: decision.reason,
        reviewed_by: actor,
        reviewed_at: now,
      });
      await repos.audit.writeAudit(trx, {
        at,
        actor,
        action: `classification-${review}`,
        reference: subject === 'report' ? item.label : null,
        forceId: item.forceId === '' ? null : item.forceId,
        detail: JSON.stringify({
          subject,
          id,
          record: subject === 'legacy' ? item.label : undefined,
          from: { category: item.category, online: item.online },
          to: { category: decision.category, online: decision.online },
        }),
      });
      return { kind: review };
    });
  }
}

export type ClassificationReview = ReturnType<typeof createClassificationReview>;
