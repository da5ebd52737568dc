import type { Db } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { ReportRow } from '../db/repositories/report-repository.ts';
import { recordingCode, type Category } from '../domain/classification/taxonomy.ts';
import { cyberFor } from '../domain/classification/stored.ts';
import { parseCrimeReference } from '../domain/reference/crime-reference.ts';
import type { ReportSubmission } from '../domain/report/report-submission.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import { routeSubmission } from './routing.ts';
import { EXCLUDED_STATUSES } from './statistics.ts';

export type RecategoriseResult =
  { kind: 'changed'; previous: string } | { kind: 'unchanged' } | { kind: 'not-found' };

/**
 * A person overrides a report's category with a reason. The history keeps every decision (who, why, when) and
 * the figures move from the old category to the new one in the same transaction.
 */
export function createRecategorise(
  db: Db,
  clock: () => Date,
  referenceData: ReferenceData,
  repos: Repositories = repositories,
) {
  return async function recategorise(
    referenceInput: string,
    category: Category,
    reason: string,
    changedBy: string,
    /** Checked inside the transaction: whether this person may act on the report (the workspace's scope). */
    mayChange: (report: ReportRow) => boolean = () => true,
  ): Promise<RecategoriseResult> {
    const reference = parseCrimeReference(referenceInput);
    if (reference === null) return { kind: 'not-found' };
    return db.transaction().execute(async (trx) => {
      const report = await repos.reports.findReportByReference(trx, reference);
      if (report === undefined || !mayChange(report)) return { kind: 'not-found' };
      if (report.category === category) return { kind: 'unchanged' };
      const at = clock();
      const now = at.toISOString();
      // The online element stays as decided; the cyber flag follows from it (issue 17).
      const cyber = cyberFor(category, report.online === 'none' ? 'none' : 'unknown');
      // A new category can mean a different unit: routing runs again on the stored answers.
      const submission = JSON.parse(report.answers) as ReportSubmission;
      const routing = routeSubmission(referenceData, submission, {
        category,
        cyber,
        extortion: report.extortion === 1,
        vulnerable: report.vulnerable === 1,
      });
      await repos.reports.updateReport(trx, report.id, {
        category,
        cyber,
        recording_code: recordingCode(category, report.extortion === 1),
        status: category === 'phishing-attempt' ? 'intelligence' : report.status,
        unit_id: routing.unitId,
        routing_rule: routing.rule,
        routing_reasons: JSON.stringify(routing.because),
        urgent: routing.urgent ? 1 : 0,
        updated_at: now,
      });
      await repos.reports.insertCategoryChange(trx, {
        report_id: report.id,
        category,
        previous_category: report.category,
        changed_by: changedBy,
        reason,
        changed_at: now,
      });
      if (!EXCLUDED_STATUSES.includes(report.status)) {
        // Shards are summed when read, so the move can go through shard 0 whichever shard counted the report.
        const key = {
          day: report.created_at.slice(0, 10),
          force_id: report.force_id ?? '',
          source: 'report' as const,
          shard: 0,
        };
        await repos.stats.addDailyStats(trx, {
          ...key,
          category: report.category,
          cyber: report.cyber,
          reports: -1,
          loss_pence: -report.loss_pence,
        });
        await repos.stats.addDailyStats(trx, {
          ...key,
          category,
          cyber,
          reports: 1,
          loss_pence: report.loss_pence,
        });
      }
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
      return { kind: 'changed', previous: report.category };
    });
  };
}
