import type { Classification } from '../domain/classification/classify.ts';
import { isVulnerable, totalLossPence, type ReportSubmission } from '../domain/report/report-submission.ts';
import { routeReport, type RoutingDecision } from '../domain/routing/route-report.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';

/** Routes a report with the rules and units in the reference data. */
export function routeSubmission(
  reference: ReferenceData,
  submission: ReportSubmission,
  c: Pick<Classification, 'category' | 'cyber' | 'extortion' | 'vulnerable'>,
): RoutingDecision {
  return routeReport(
    {
      category: c.category,
      cyber: c.cyber,
      reporterType: submission.reporterType,
      sector: submission.organisation?.sector ?? null,
      ongoing: submission.ongoing,
      extortion: c.extortion,
      vulnerable: c.vulnerable || isVulnerable(submission),
      forceId: submission.force.id,
      lossPence: totalLossPence(submission),
      suspectNames: submission.suspect.names,
      suspectPhones: submission.suspect.phones,
    },
    reference.routing,
    reference.unitDirectory,
  );
}
