/**
 * Cases: opening one (its reports, team and campaign links, in one transaction), the unit's list, reading a case
 * (audited), and its tasks and decision log.
 */
import { camelKeys } from '../camel-keys.ts';
import { randomBytes } from 'node:crypto';
import type { DbOrTrx } from '../../db/database.ts';
import {
  canDirectCase,
  canJoinTeam,
  canManageTeam,
  canWorkCases,
  isRole,
  type StaffMember,
} from '../../domain/access/access-policy.ts';
import { parseCaseListView } from '../../domain/casework/case-list-view.ts';
import { CROCKFORD } from '../../domain/reference/crime-reference.ts';
import { isServiceError, ServiceError } from '../service-error.ts';
import { sealNewCase } from '../tamper-evidence/custody-seal.ts';
import type { InvestigationsContext } from './context.ts';
import { hashMatchesOf } from './hash-lists.ts';

/** Cases a page of the cases list shows. */
export const CASE_PAGE_SIZE = 20;

export function createCases({ db, clock, repos, access, reportAccess }: InvestigationsContext) {
  /**
   * The reports a new case links: those named (each one this person may act on, held until the case is open) and
   * the campaigns' held by the unit.
   */
  async function reportsToLink(
    trx: DbOrTrx,
    staff: StaffMember,
    unitId: string,
    input: { reports: string[]; campaigns?: number[] },
  ): Promise<number[]> {
    const reportIds: number[] = [];
    for (const named of input.reports) {
      // The case form names the first reference the unit cannot use, rather than refusing the whole list.
      const report = await reportAccess.requireReport(trx, staff, named).catch((error: unknown) => {
        throw isServiceError(error) && error.kind === 'not-found'
          ? new ServiceError('invalid', 'report-unknown', `No report ${named} is available to you`, {
              field: 'reports',
              params: { reference: named },
            })
          : error;
      });
      if (!reportIds.includes(report.id)) reportIds.push(report.id);
    }
    // A campaign brings in every report of it that this unit holds (other forces' stay with them).
    for (const campaignId of input.campaigns ?? []) {
      const held = await repos.cases.campaignReportIdsOfUnit(trx, campaignId, unitId);
      if (held.length === 0)
        throw new ServiceError(
          'invalid',
          'campaign-not-held',
          `Campaign ${campaignId} holds no report of your unit`,
          {
            field: 'campaigns',
            params: { campaign: campaignId },
          },
        );
      for (const id of held) if (!reportIds.includes(id)) reportIds.push(id);
    }
    return reportIds;
  }

  return {
    /** Opens a case: the case, its reports, its team, the campaigns' decision-log entries and the audit row, at once. */
    async createCase(
      staff: StaffMember,
      input: {
        title: string;
        reports: string[];
        restricted: boolean;
        members: string[];
        campaigns?: number[];
      },
    ): Promise<string> {
      if (staff.unitId === null || !canWorkCases(staff))
        throw new ServiceError('not-found', 'case-not-found', 'Your role cannot open cases');
      const unitId = staff.unitId;
      return db.transaction().execute(async (trx) => {
        const reportIds = await reportsToLink(trx, staff, unitId, input);
        const team = (await repos.cases.staffOfUnits(trx, [unitId])).filter(
          (p) => isRole(p.role) && canJoinTeam({ role: p.role, unitId: p.unit_id }, [unitId]),
        );
        const members = [...new Set(input.members.map((m) => m.trim().toLowerCase()))];
        const stranger = members.find((m) => !team.some((t) => t.email === m));
        if (stranger !== undefined)
          throw new ServiceError(
            'invalid',
            'member-not-in-unit',
            `${stranger} is not an officer or supervisor of your unit`,
            {
              field: 'members',
              params: { email: stranger },
            },
          );
        const at = clock().toISOString();
        for (let attempt = 0; attempt < 5; attempt++) {
          const reference = `CASE-${Array.from(randomBytes(8), (b) => CROCKFORD.charAt(b & 31)).join('')}`;
          const caseId = await repos.cases.insertCase(trx, {
            reference,
            title: input.title,
            forceId: staff.forceId,
            unitId,
            officerInCharge: staff.email,
            restricted: input.restricted,
            createdBy: staff.email,
            createdAt: at,
          });
          if (caseId === null) continue;
          await sealNewCase(trx, { id: caseId, reference }, repos);
          await repos.cases.linkCaseReports(trx, caseId, reportIds);
          await repos.cases.addCaseMembers(trx, caseId, [...new Set([staff.email, ...members])]);
          for (const campaignId of input.campaigns ?? [])
            await repos.cases.insertCaseDecision(trx, {
              caseId,
              decidedBy: staff.email,
              decision: `linked campaign ${campaignId}`,
              reason: 'reports linked by shared indicators',
              at,
              coded: { code: 'campaign', subject: String(campaignId) },
            });
          await repos.audit.writeAudit(trx, {
            at: clock().toISOString(),
            actor: staff.email,
            forceId: staff.forceId,
            action: 'case-opened',
            reference,
            detail: input.title,
          });
          return reference;
        }
        throw new Error('could not allocate a case reference');
      });
    },

    /** The unit's cases and those shared with it (restricted ones only for their team), open first; one query. */
    async listCases(staff: StaffMember) {
      const unitId = staff.unitId;
      if (unitId === null || !canWorkCases(staff)) return [];
      const visible = (await repos.cases.casesVisibleTo(db, { unitId, email: staff.email })).map((row) => ({
        ...camelKeys(row),
        restricted: row.restricted === 1,
        shared: row.unit_id !== unitId,
      }));
      return [...visible.filter((c) => c.status === 'open'), ...visible.filter((c) => c.status !== 'open')];
    },

    /**
     * One page of the cases list as the view asks (filters, order), with how many cases each status holds under
     * the other filters, and the units whose cases the person sees (what the unit filter offers). Reads no case.
     */
    async caseList(staff: StaffMember, query: Record<string, unknown>, page: number) {
      const unitId = staff.unitId;
      if (unitId === null || !canWorkCases(staff))
        throw new ServiceError('not-found', 'case-not-found', 'Your role has no cases');
      const viewer = { unitId, email: staff.email };
      const units = await repos.caseList.caseListUnits(db, viewer);
      const view = parseCaseListView(query, units);
      const { rows, total } = await repos.caseList.caseListPage(db, viewer, view, {
        offset: (page - 1) * CASE_PAGE_SIZE,
        limit: CASE_PAGE_SIZE,
      });
      return {
        view,
        rows: rows.map((row) => ({
          ...camelKeys(row),
          restricted: row.restricted === 1,
          shared: row.unit_id !== unitId,
        })),
        total,
        byStatus: await repos.caseList.caseListStatusCounts(db, viewer, view),
        units,
      };
    },

    /**
     * What a form on a case needs before it runs (its reference, unit, restriction and exhibits), or null when the
     * case is not available to this person. Writes nothing: viewing a case is `readCase`, and each use case checks
     * again in its own transaction.
     */
    async findCase(staff: StaffMember, reference: string) {
      const found = await access.findVisibleCase(db, staff, reference);
      if (found === null) return null;
      const { row } = found;
      return {
        reference: row.reference,
        unit: row.unit_id,
        restricted: row.restricted === 1,
        exhibits: (await repos.exhibits.exhibitsOfCase(db, row.id)).map((e) => ({
          id: e.id,
          exhibitRef: e.exhibit_ref,
        })),
      };
    },

    /** Everything on a case, for viewing it (audited as a read), or null when it is not available. */
    async readCase(staff: StaffMember, reference: string) {
      // One transaction: what was read and its audit row (last: it holds the chain's head) commit together.
      return db.transaction().execute(async (trx) => {
        const found = await access.findVisibleCase(trx, staff, reference);
        if (found === null) return null;
        const { row, scope } = found;
        const exhibits = await repos.exhibits.exhibitsOfCase(trx, row.id);
        const files = await repos.custody.custodyFilesOf(trx, row.id);
        const view = {
          reference: row.reference,
          title: row.title,
          unit: row.unit_id,
          officerInCharge: row.officer_in_charge,
          status: row.status,
          outcome: row.outcome,
          restricted: row.restricted === 1,
          reports: (await repos.cases.caseReportsOf(trx, row.id)).map((r) => ({
            reference: r.reference,
            category: r.category,
            urgent: r.urgent === 1,
            vulnerable: r.vulnerable === 1,
          })),
          exhibits: exhibits.map((e) => ({
            id: e.id,
            exhibitRef: e.exhibit_ref,
            kind: e.kind,
            description: e.description,
            seizedBy: e.seized_by,
            seizedAt: e.seized_at,
            seizedWhere: e.seized_where,
            sealNumbers: e.seal_numbers === '' ? [] : e.seal_numbers.split(','),
            files: files
              .filter((f) => f.exhibit_id === e.id)
              .map((f) => ({ name: f.file_name, sha256: f.file_sha256, addedBy: f.actor, addedAt: f.at })),
          })),
          custodyEntries: row.custody_count,
          sharedWith: (await repos.cases.caseSharesOf(trx, row.id)).map((u) => ({
            unit: u.unit_id,
            reason: u.reason,
            at: u.at,
          })),
          tasks: camelKeys(await repos.cases.caseTasksOf(trx, row.id)),
          members: [...scope.members],
          /** What this person may do beyond working the case (pages show only the forms they may use). */
          permissions: {
            shareTransferClose: canDirectCase(staff, scope),
            changeTeam: canManageTeam(staff, scope),
          },
          decisions: camelKeys(await repos.cases.caseDecisionsOf(trx, row.id)),
          examinations: camelKeys(await repos.forensics.forensicRequestsOfCase(trx, row.id)),
          hashMatches: await hashMatchesOf(repos, trx, row.id),
        };
        await repos.audit.writeAudit(trx, {
          at: clock().toISOString(),
          actor: staff.email,
          forceId: staff.forceId,
          action: 'read-case',
          reference: row.reference,
          detail: '',
        });
        return view;
      });
    },

    async addTask(
      staff: StaffMember,
      reference: string,
      task: { title: string; owner: string; dueOn: string },
    ) {
      return db.transaction().execute(async (trx) => {
        const { row } = await access.requireCase(trx, staff, reference);
        const id = await repos.cases.insertCaseTask(trx, {
          caseId: row.id,
          ...task,
          at: clock().toISOString(),
        });
        await repos.audit.writeAudit(trx, {
          at: clock().toISOString(),
          actor: staff.email,
          forceId: staff.forceId,
          action: 'case-task-added',
          reference: row.reference,
          detail: task.title,
        });
        return id;
      });
    },

    async completeTask(staff: StaffMember, reference: string, taskId: number) {
      await db.transaction().execute(async (trx) => {
        const { row } = await access.requireCase(trx, staff, reference);
        if (!(await repos.cases.completeCaseTask(trx, row.id, taskId, clock().toISOString())))
          throw new ServiceError('not-found', 'task-not-found', 'No such task in this case');
        await repos.audit.writeAudit(trx, {
          at: clock().toISOString(),
          actor: staff.email,
          forceId: staff.forceId,
          action: 'case-task-done',
          reference: row.reference,
          detail: String(taskId),
        });
      });
    },

    async addDecision(staff: StaffMember, reference: string, decision: string, reason: string) {
      await db.transaction().execute(async (trx) => {
        const { row } = await access.requireCase(trx, staff, reference);
        await repos.cases.insertCaseDecision(trx, {
          caseId: row.id,
          decidedBy: staff.email,
          decision,
          reason,
          at: clock().toISOString(),
        });
        await repos.audit.writeAudit(trx, {
          at: clock().toISOString(),
          actor: staff.email,
          forceId: staff.forceId,
          action: 'case-decision',
          reference: row.reference,
          detail: decision,
        });
      });
    },
  };
}
