/**
 * The one check of what a person may do with a report (rules in domain/access/access-policy.ts), as
 * investigations/access.ts is for cases. A report this person may not see answers exactly like one that does not
 * exist. Nothing here writes: `requireReport` is what every writer calls first inside its transaction; it locks, so
 * on PostgreSQL the report row is held from the check to the commit and a concurrent transfer or recategorisation
 * waits for it (SQLite runs one transaction at a time). Reading a report for a person (`staff.readReport`) is what
 * audits a view.
 */
import type { DbOrTrx, Dialect } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { ReportRow } from '../db/repositories/report-repository.ts';
import { canReadReport, type ReportScope, type StaffMember } from '../domain/access/access-policy.ts';
import { parseCrimeReference } from '../domain/reference/crime-reference.ts';
import { ServiceError } from './service-error.ts';

/**
 * Someone running `bluelight` on the server. They hold the database, so every report is theirs to act on; the
 * audit log names their operating-system account (`cli`, from `cliActor`), and `by` the person the change is
 * made for (kept in the report's history).
 */
export interface CliActor {
  cli: string;
  by: string;
}

/** Who acts: a signed-in staff member, or an operator at the command line. */
export type Actor = StaffMember | CliActor;

export const isCliActor = (actor: Actor): actor is CliActor => 'cli' in actor;

/** Who the audit log names for an actor. */
export const auditActorOf = (actor: Actor): string => (isCliActor(actor) ? actor.cli : actor.email);

/** Who a report's history names for an actor (the person, not the account that ran the command). */
export const personOf = (actor: Actor): string => (isCliActor(actor) ? actor.by : actor.email);

export const reportNotFound = () =>
  new ServiceError('not-found', 'report-not-found', 'No report with that reference is available to you');

const scopeOf = (report: ReportRow): ReportScope => ({ unitId: report.unit_id, forceId: report.force_id });

export function createReportAccess(dialect: Dialect, repos: Repositories) {
  const canLock = dialect === 'postgres';

  async function find(q: DbOrTrx, referenceInput: string, lock: boolean) {
    const reference = parseCrimeReference(referenceInput);
    return reference === null
      ? undefined
      : repos.reports.findReportByReference(q, reference, lock && canLock);
  }

  /**
   * The report if this person may see it (by default: read it; `rule` narrows it, e.g. to reading its audit
   * trail), else null, for unknown references too. For readers: nothing is held.
   */
  async function findVisibleReport(
    q: DbOrTrx,
    staff: StaffMember,
    referenceInput: string,
    rule: (staff: StaffMember, report: ReportScope) => boolean = canReadReport,
  ): Promise<ReportRow | null> {
    const report = await find(q, referenceInput, false);
    return report !== undefined && rule(staff, scopeOf(report)) ? report : null;
  }

  /**
   * The report for a writer, held until its transaction ends; not-found (as for no report at all) if this person
   * may not act on it. An operator at the command line may act on any report.
   */
  async function requireReport(trx: DbOrTrx, actor: Actor, referenceInput: string): Promise<ReportRow> {
    const report = await find(trx, referenceInput, true);
    if (report === undefined || (!isCliActor(actor) && !canReadReport(actor, scopeOf(report))))
      throw reportNotFound();
    return report;
  }

  return { findVisibleReport, requireReport };
}

export type ReportAccess = ReturnType<typeof createReportAccess>;
