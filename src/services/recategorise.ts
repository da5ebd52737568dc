/**
 * Changing a report's type of crime: the one way it is done, whoever does it (an officer in the workspace, an
 * operator with `bluelight report recategorise`, a reviewer correcting a doubtful classification). The change
 * re-routes the report, moves its figures, keeps who, why and when in the report's history (`category_changes`,
 * which staff read with the report) and republishes it to partners through the outbox, all in the caller's
 * transaction.
 */
import type { Db, DbOrTrx, Dialect } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { ReportRow } from '../db/repositories/report-repository.ts';
import { cyberFor, isStoredOnline, type StoredOnline } from '../domain/classification/stored.ts';
import { isCategory, recordingCode, type Category } from '../domain/classification/taxonomy.ts';
import type { ReportSubmission } from '../domain/report/report-submission.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import { auditActorOf, createReportAccess, isCliActor, personOf, type Actor } from './report-access.ts';
import { routeSubmission } from './routing.ts';
import { notifyUnit, reportNotice } from './unit-notifications.ts';
import { FINISHED_STATUSES, type Status } from '../domain/casework/status.ts';
import { needsUnitAtOnce } from '../domain/notifications/unit-notification.ts';
import type { RoutingDecision } from '../domain/routing/route-report.ts';
import { ServiceError } from './service-error.ts';
import { EXCLUDED_STATUSES } from './statistics.ts';

export type RecategoriseResult = { kind: 'changed'; previous: string } | { kind: 'unchanged' };

/** What a change of category must say, from the workspace form or the command line alike. */
export const CATEGORY_REASON = { min: 5, max: 2000 } as const;

/** The category and reason as given, checked: the rules the form and the command share. */
export function checkCategoryChange(input: { category: string; reason: string }): {
  category: Category;
  reason: string;
} {
  const reason = input.reason.trim();
  if (!isCategory(input.category))
    throw new ServiceError('invalid', 'category', 'category must be a category slug from the taxonomy', {
      field: 'category',
      params: { category: input.category },
    });
  if (reason.length < CATEGORY_REASON.min || reason.length > CATEGORY_REASON.max)
    throw new ServiceError(
      'invalid',
      'category-reason',
      `Give the reason for changing the type of crime, in ${CATEGORY_REASON.min} to ${CATEGORY_REASON.max.toLocaleString('en-GB')} characters`,
      { field: 'reason' },
    );
  return { category: input.category, reason };
}

/** A change of classification made inside someone's transaction. */
export interface CategoryMove {
  category: Category;
  /** The online element, when it is decided too (a review); otherwise it stays as decided. */
  online?: StoredOnline;
  /** The review state the change settles (a review's decision). */
  review?: 'confirmed' | 'corrected';
  reason: string;
  /** Who the report's history names. */
  by: string;
}

export function createRecategorise(
  db: Db,
  dialect: Dialect,
  clock: () => Date,
  referenceData: ReferenceData,
  repos: Repositories = repositories,
) {
  const { requireReport } = createReportAccess(dialect, repos);

  /**
   * Moves a report to a category (and online element) inside the caller's transaction, the report row already
   * checked (and held) by the caller: routing runs again on the stored answers, the figures move from the old cell
   * to the new one, the history keeps the change and partners' view follows from the outbox. Writes no audit row:
   * the use case calling it writes its own, last.
   */
  async function moveCategory(trx: DbOrTrx, report: ReportRow, move: CategoryMove): Promise<void> {
    const at = clock();
    const now = at.toISOString();
    const online = move.online ?? (isStoredOnline(report.online) ? report.online : 'unknown');
    const cyber = cyberFor(move.category, online);
    const categoryChanged = report.category !== move.category;
    const extortion = report.extortion === 1;
    // A new category can mean a different unit: routing runs again on the stored answers.
    const routing = categoryChanged
      ? routeSubmission(referenceData, JSON.parse(report.answers) as ReportSubmission, {
          category: move.category,
          cyber,
          extortion,
          vulnerable: report.vulnerable === 1,
        })
      : null;
    await repos.reports.updateReport(trx, report.id, {
      category: move.category,
      cyber,
      recording_code: recordingCode(move.category, extortion),
      ...(move.online === undefined ? {} : { online: move.online }),
      ...(move.review === undefined ? {} : { review: move.review }),
      ...(routing === null
        ? {}
        : {
            status: move.category === 'phishing-attempt' ? 'intelligence' : report.status,
            unit_id: routing.unitId,
            routing_rule: routing.rule,
            routing_reasons: JSON.stringify(routing.because),
            urgent: routing.urgent ? 1 : 0,
          }),
      updated_at: now,
    });
    if (routing !== null) await tellNewUnit(trx, report, move.category, routing, at);
    if (!EXCLUDED_STATUSES.includes(report.status) && (categoryChanged || report.cyber !== cyber)) {
      // Shards are summed when read, so the move can go through shard 0 whichever shard counted the report.
      const key = {
        day: report.created_at.slice(0, 10),
        force_id: report.force_id ?? '',
        source: 'report' as const,
        shard: 0,
      };
      // In key order, as the intake's batches take their counters: the two never deadlock.
      await repos.stats.moveDailyStats(
        trx,
        { ...key, category: report.category, cyber: report.cyber, reports: 1, loss_pence: report.loss_pence },
        { ...key, category: move.category, cyber },
      );
    }
    if (!categoryChanged) return;
    await repos.reports.insertCategoryChange(trx, {
      report_id: report.id,
      category: move.category,
      previous_category: report.category,
      changed_by: move.by,
      reason: move.reason,
      changed_at: now,
    });
    // Category decides sectors and whether it is intelligence only: partners' view follows from the outbox.
    await repos.outbox.enqueueJob(
      trx,
      {
        kind: 'publish-stix',
        dedupeKey: `publish-stix:${report.reference}:category:${now}`,
        payload: { reportId: report.id },
      },
      at,
    );
  }

  /**
   * Routing again can hand the report to another unit, which is told as of a transfer, or make it urgent, which
   * its unit is told once.
   */
  async function tellNewUnit(
    trx: DbOrTrx,
    report: ReportRow,
    category: Category,
    routing: RoutingDecision,
    at: Date,
  ): Promise<void> {
    if (
      routing.unitId === null ||
      category === 'phishing-attempt' ||
      FINISHED_STATUSES.includes(report.status as Status)
    )
      return;
    const moved = { ...report, category, unit_id: routing.unitId, urgent: routing.urgent };
    if (routing.unitId !== report.unit_id)
      await notifyUnit(
        trx,
        reportNotice(moved, 'transfer-in'),
        `${report.reference}:${routing.unitId}:${at.toISOString()}`,
        at,
        repos,
      );
    else if (needsUnitAtOnce(moved) && !needsUnitAtOnce(report))
      await notifyUnit(trx, reportNotice(moved, 'urgent-report'), report.reference, at, repos);
  }

  return {
    moveCategory,

    /**
     * A person overrides a report's category with a reason: one transaction in which access is checked (the
     * report held), the report moved (moveCategory) and the audit row written. Refusals are ServiceErrors:
     * invalid input, or not-found for a report this person may not act on.
     */
    async recategorise(
      actor: Actor,
      referenceInput: string,
      input: { category: string; reason: string },
    ): Promise<RecategoriseResult> {
      const { category, reason } = checkCategoryChange(input);
      return db.transaction().execute(async (trx) => {
        const report = await requireReport(trx, actor, referenceInput);
        if (report.category === category) return { kind: 'unchanged' } as const;
        await moveCategory(trx, report, { category, reason, by: personOf(actor) });
        // Last: the audit writer holds the signed chain's head until commit.
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor: auditActorOf(actor),
          action: 'recategorise',
          reference: report.reference,
          forceId: report.force_id,
          detail: `${report.category} → ${category}${isCliActor(actor) ? ` for ${actor.by}` : ''}: ${reason.slice(0, 200)}`,
        });
        return { kind: 'changed', previous: report.category } as const;
      });
    },
  };
}

export type Recategorise = ReturnType<typeof createRecategorise>;
