import type { Db, Dialect, Trx } from '../db/database.ts';
import type {
  ReviewHistoryEntry,
  ReviewItem,
  ReviewSubject,
} from '../db/repositories/classification-review-repository.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import {
  canReviewRecord,
  classificationReviewScope,
  seesUnmaskedReviewText,
  type StaffMember,
} from '../domain/access/access-policy.ts';
import { cyberFor, isStoredOnline, type StoredOnline } from '../domain/classification/stored.ts';
import { recordingCode, type Category } from '../domain/classification/taxonomy.ts';
import type { Medium } from '../domain/classification/online-cues.ts';
import { maskIdentifiers, type MaskLabels } from '../domain/privacy/mask-identifiers.ts';
import type { Recategorise } from './recategorise.ts';
import { retryOnDeadlock } from '../db/deadlock-retry.ts';
import { auditActorOf, isCliActor, personOf, type Actor, type CliActor } from './report-access.ts';
import { ServiceError } from './service-error.ts';

export type { ReviewHistoryEntry, ReviewItem, ReviewSubject };

export interface ReviewDecision {
  category: Category;
  /** The online element as the reviewer judged it: a medium or 'none' ('unknown' only kept from old records). */
  online: StoredOnline;
  reason: string;
}

export type ReviewResult = { kind: 'confirmed' } | { kind: 'corrected' };

const reviewNotFound = () =>
  new ServiceError(
    'not-found',
    'review-not-found',
    'No record under review with that id is available to you',
  );

/**
 * The classification review queue: reports and imported force records the classifier was not sure of wait here
 * until an analyst or a supervisor confirms or corrects the category and the online element. Each decision is one
 * transaction: the record, the figures, the history and the audit row move together. A report's correction is
 * made by the one category change (`recategorise.moveCategory`), so it is re-routed, republished and kept in the
 * report's history as any other change of category is.
 */
export function createClassificationReview(
  db: Db,
  dialect: Dialect,
  clock: () => Date,
  recategorise: Pick<Recategorise, 'moveCategory'>,
  repos: Repositories = repositories,
) {
  const canLock = dialect === 'postgres';

  /**
   * What a reviewer is shown (who sees it unmasked is the access policy's rule): masked, contact and account
   * identifiers in the text and the reasons quoting it are hidden, shown as the labels given in the reviewer's
   * language (names cannot be found and stay; each view of a record is audited).
   */
  const shownTo = <T extends { text: string; reasons: string; onlineEvidence: string }>(
    staff: StaffMember,
    item: T,
    masks: MaskLabels,
  ): T => {
    if (seesUnmaskedReviewText(staff)) return item;
    const mask = (text: string) => maskIdentifiers(text, masks);
    return {
      ...item,
      text: mask(item.text),
      reasons: JSON.stringify((JSON.parse(item.reasons) as string[]).map(mask)),
      onlineEvidence: JSON.stringify(
        (JSON.parse(item.onlineEvidence) as { id: string; words: string }[]).map((e) => ({
          ...e,
          words: mask(e.words),
        })),
      ),
    };
  };

  return {
    /** The queue, least confident first; `masks` are the identifier labels in the reviewer's language. */
    async pending(
      staff: StaffMember,
      filter: { subject: ReviewSubject | null; page: number },
      masks: MaskLabels,
    ): Promise<{ items: ReviewItem[]; more: boolean }> {
      const scope = classificationReviewScope(staff);
      if (scope === null) return { items: [], more: false };
      const { items, more } = await repos.classificationReview.listPendingReviews(db, {
        forceId: scope.forceId,
        subject: filter.subject,
        page: filter.page,
      });
      return { items: items.map((item) => shownTo(staff, item, masks)), more };
    },

    /** One record under review, as this reviewer may see it; the view is audited (it shows a victim's account). */
    async get(staff: StaffMember, subject: ReviewSubject, id: number, masks: MaskLabels) {
      return db.transaction().execute(async (trx) => {
        const item = await repos.classificationReview.findReviewItem(trx, subject, id);
        if (item === undefined || !canReviewRecord(staff, item)) return undefined;
        const history = await repos.classificationReview.reviewHistory(trx, subject, id);
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor: staff.email,
          action: 'read-classification-review',
          reference: subject === 'report' ? item.label : null,
          forceId: item.forceId,
          detail: `${subject} ${item.label}`,
        });
        return { ...shownTo(staff, item, masks), history };
      });
    },

    /** A reviewer's decision, within the reviewer's scope (not-found outside it). */
    decide(
      staff: StaffMember,
      subject: ReviewSubject,
      id: number,
      decision: ReviewDecision,
    ): Promise<ReviewResult> {
      return retryOnDeadlock(() =>
        db
          .transaction()
          .execute((trx) =>
            decideIn(trx, staff, subject, id, decision, (item) => canReviewRecord(staff, item)),
          ),
      );
    },

    /**
     * An imported force record recategorised from the command line (bluelight report recategorise --force
     * --record), for the person named; the online element stays as it was unless given.
     */
    async recategoriseLegacy(
      forceId: string,
      recordId: string,
      change: { category: Category; online?: Medium | 'none'; reason: string },
      actor: CliActor,
    ): Promise<ReviewResult & { previous: string }> {
      return retryOnDeadlock(() =>
        db.transaction().execute(async (trx) => {
          const row = await repos.legacy.findLegacyRecord(trx, forceId, recordId, canLock);
          if (row === undefined)
            throw new ServiceError(
              'not-found',
              'legacy-record-not-found',
              `No imported record ${recordId} for force ${forceId}`,
            );
          const online = change.online ?? (isStoredOnline(row.online) ? row.online : 'unknown');
          const result = await decideIn(
            trx,
            actor,
            'legacy',
            row.id,
            { category: change.category, online, reason: change.reason },
            () => true,
          );
          return { ...result, previous: row.category };
        }),
      );
    },
  };

  async function decideIn(
    trx: Trx,
    actor: Actor,
    subject: ReviewSubject,
    id: number,
    decision: ReviewDecision,
    allowed: (item: ReviewItem) => boolean,
  ): Promise<ReviewResult> {
    // A report is held first (until commit, as every report writer holds it: report-access.ts), then read.
    const report = subject === 'report' ? await repos.reports.findReportById(trx, id, canLock) : undefined;
    // An imported record too (a reclassify or another decision may be changing it): the item below is then current.
    if (subject === 'legacy' && canLock) await repos.legacy.lockLegacyRecord(trx, id);
    const item = await repos.classificationReview.findReviewItem(trx, subject, id);
    if (item === undefined || !allowed(item)) throw reviewNotFound();
    const at = clock();
    const changed = item.category !== decision.category || item.online !== decision.online;
    const review = changed ? ('corrected' as const) : ('confirmed' as const);
    if (subject === 'legacy') {
      const cyber = cyberFor(decision.category, decision.online);
      await repos.classificationReview.setLegacyClassification(trx, id, {
        category: decision.category,
        cyber,
        recording_code: recordingCode(decision.category, item.extortion),
        online: decision.online,
        review,
      });
      // Figures follow the decision at once: the record moves from its old cell to the new one.
      if (item.category !== decision.category || item.cyber !== cyber) {
        const key = { day: item.day, force_id: item.forceId, source: 'legacy', shard: 0 } as const;
        await repos.stats.moveDailyStats(
          trx,
          { ...key, category: item.category, cyber: item.cyber, reports: 1, loss_pence: item.lossPence },
          { ...key, category: decision.category, cyber },
        );
      }
    } else {
      if (report === undefined) throw new Error(`report ${id} is under review but missing`);
      await recategorise.moveCategory(trx, report, {
        category: decision.category,
        online: decision.online,
        review,
        reason: decision.reason,
        by: personOf(actor),
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
      reviewed_by: personOf(actor),
      reviewed_at: at.toISOString(),
    });
    // Last: the audit writer holds the signed chain's head until commit.
    await repos.audit.writeAudit(trx, {
      at,
      actor: auditActorOf(actor),
      action: `classification-${review}`,
      reference: subject === 'report' ? item.label : null,
      forceId: item.forceId === '' ? null : item.forceId,
      detail: JSON.stringify({
        subject,
        id,
        record: subject === 'legacy' ? item.label : undefined,
        from: { category: item.category, online: item.online },
        to: { category: decision.category, online: decision.online },
        by: isCliActor(actor) ? actor.by : undefined,
      }),
    });
    return { kind: review };
  }
}

export type ClassificationReview = ReturnType<typeof createClassificationReview>;
