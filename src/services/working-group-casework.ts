/**
 * Working groups in the staff workspace (issue 21): a unit's groups, one group as its members see it (audited),
 * the admin's membership changes, and linking a partner's answer to a case or report the asking officer may work.
 * The posting, answering and webhook use cases are in working-groups.ts; this file shares its rules: a group that
 * is not the caller's answers as one that does not exist.
 */
import type { Db, DbOrTrx, Dialect } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { canPostToGroup, canWorkCases, type StaffMember } from '../domain/access/access-policy.ts';
import { createCaseAccess } from './investigations/access.ts';
import { createReportAccess } from './report-access.ts';
import { isServiceError, ServiceError } from './service-error.ts';
import { notifyUnit, reportNotice } from './unit-notifications.ts';
import { messageOf } from './working-groups.ts';

const notFound = () => new ServiceError('not-found', 'group-not-found', 'No such group or message');

interface UnitName {
  id: string;
  name: string;
  nameCy: string;
}

export function createWorkingGroupCasework(
  db: Db,
  dialect: Dialect,
  clock: () => Date,
  units: readonly UnitName[],
  repos: Repositories = repositories,
) {
  const reportAccess = createReportAccess(dialect, repos);
  const caseAccess = createCaseAccess(dialect, repos);

  /** The group and its members, when this person may use it (staff of a member unit, or its admin); else null. */
  async function groupOf(q: DbOrTrx, staff: StaffMember, groupId: number) {
    const group = await repos.workingGroups.findGroup(q, groupId);
    if (group === undefined || !canWorkCases(staff)) return null;
    const members = await repos.workingGroups.membersWithNames(q, groupId);
    const isAdmin = group.admin_email === staff.email;
    const canPost = canPostToGroup(
      staff,
      members.map((m) => m.unit_id),
    );
    return isAdmin || canPost ? { group, members, isAdmin, canPost } : null;
  }

  /** The record of an answer, in English as report histories and decision logs are kept. */
  const answerRecord = (
    answer: { partner_name: string; seen: number; comment: string },
    message: { id: number; indicator_value: string | null },
    who: string,
  ) =>
    `${answer.partner_name} ${answer.seen === 1 ? 'has seen' : 'has not seen'} ${message.indicator_value ?? ''} ` +
    `(answer to working group request ${String(message.id)}, linked by ${who})` +
    (answer.comment === '' ? '' : `: ${answer.comment}`);

  return {
    /** The groups of this person's unit, by name. */
    async groupsOfUnit(staff: StaffMember) {
      if (!canWorkCases(staff) || staff.unitId === null) return [];
      const rows = await repos.workingGroups.groupsOfUnit(db, staff.unitId);
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        sector: r.sector,
        isAdmin: r.admin_email === staff.email,
      }));
    },

    /**
     * One group for staff of a member unit (or its admin), audited as a read: members, the newest messages, and
     * for the requests this person's unit asked, the answers and what each is linked to. Null: not theirs.
     */
    async groupForStaff(staff: StaffMember, groupId: number) {
      return db.transaction().execute(async (trx) => {
        const found = await groupOf(trx, staff, groupId);
        if (found === null) return null;
        const { group, members, isAdmin, canPost } = found;
        const rows = await repos.workingGroups.recentMessages(trx, groupId, 100);
        // Answers go to the unit that asked (as over the API's partners' answers are for the asker).
        const ownRequests = rows.filter((r) => r.kind === 'request' && r.unit_id === staff.unitId);
        const answers = await repos.workingGroups.answersToMessages(
          trx,
          ownRequests.map((r) => r.id),
        );
        const links = await repos.workingGroups.linksOfAnswers(
          trx,
          answers.map((a) => a.id),
        );
        const memberPartners = new Set(members.map((m) => m.partner_id));
        const memberUnits = new Set(members.map((m) => m.unit_id));
        const partners = isAdmin
          ? (await repos.partners.listPartners(trx)).filter(
              (p) => p.revoked_at === null && !memberPartners.has(p.id),
            )
          : [];
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor: staff.email,
          action: 'read-group',
          forceId: staff.forceId,
          detail: `group ${String(groupId)}`,
        });
        const now = clock().toISOString();
        return {
          id: group.id,
          name: group.name,
          sector: group.sector,
          isAdmin,
          canPost,
          adminUnit: staff.unitId,
          members: members.map((m) => ({
            partnerId: m.partner_id,
            unitId: m.unit_id,
            partnerName: m.partner_name,
          })),
          messages: rows.map((r) => ({
            ...messageOf(r),
            partnerName: r.partner_name,
            own: r.unit_id === staff.unitId,
            open: r.kind === 'request' && (r.deadline === null || now <= r.deadline),
            answers: answers
              .filter((a) => a.message_id === r.id)
              .map((a) => ({
                id: a.id,
                partner: a.partner_name,
                seen: a.seen === 1,
                comment: a.comment,
                answeredAt: a.created_at,
                links: links
                  .filter((l) => l.answer_id === a.id)
                  .map((l) =>
                    l.case_reference === null
                      ? { kind: 'report' as const, reference: l.report_reference ?? '' }
                      : { kind: 'case' as const, reference: l.case_reference },
                  ),
              })),
          })),
          /** For the admin's form: live partners and units not yet members. */
          addable: {
            partners: partners.map((p) => ({ id: p.id, name: p.name })),
            units: isAdmin ? units.filter((u) => !memberUnits.has(u.id)) : [],
          },
        };
      });
    },

    /**
     * Takes a partner or a unit out of the group; only its admin may, and never the admin's own unit (they would
     * lose the group's messages). One transaction with the audit row. A partner taken out gets no further webhook
     * (the handler checks membership when it sends).
     */
    async removeMember(
      staff: StaffMember,
      groupId: number,
      member: { partnerId?: number; unitId?: string },
    ): Promise<void> {
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const found = await groupOf(trx, staff, groupId);
        if (found === null) throw notFound();
        if (!found.isAdmin)
          throw new ServiceError('forbidden', 'group-admin', 'Only the group’s admin manages its members');
        const partnerId = member.partnerId ?? null;
        const unitId = member.unitId ?? null;
        if ((partnerId === null) === (unitId === null))
          throw new ServiceError('invalid', 'group-member', 'Name one partner_id or one unit_id', {
            field: 'partner_id',
          });
        if (unitId !== null && unitId === staff.unitId)
          throw new ServiceError('invalid', 'group-admin-unit', 'The admin’s own unit stays in the group', {
            field: 'unit_id',
          });
        if (!(await repos.workingGroups.removeMember(trx, groupId, { partnerId, unitId })))
          throw new ServiceError('invalid', 'group-member-unknown', 'That is not a member of the group', {
            field: partnerId === null ? 'unit_id' : 'partner_id',
          });
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'group-member-removed',
          forceId: staff.forceId,
          detail: `group ${String(groupId)}: ${partnerId === null ? `unit ${String(unitId)}` : `partner ${String(partnerId)}`}`,
        });
      });
    },

    /**
     * The asking unit links a partner's answer to one of its requests to a case or a report the person may work:
     * the answer becomes partner intelligence in the report's history or the case's decision log, the unit
     * holding it is told through the outbox, and the link and audit row are written in the same transaction. A
     * case or report the person may not see is refused as one that does not exist (naming the field).
     */
    async linkAnswer(
      staff: StaffMember,
      groupId: number,
      messageId: number,
      answerId: number,
      target: { caseReference?: string; reportReference?: string },
    ): Promise<void> {
      const caseRef = target.caseReference?.trim() ?? '';
      const reportRef = target.reportReference?.trim() ?? '';
      if ((caseRef === '') === (reportRef === ''))
        throw new ServiceError('invalid', 'group-link-target', 'Enter a case or a report reference', {
          field: 'case',
        });
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const found = await groupOf(trx, staff, groupId);
        const message =
          found === null ? undefined : await repos.workingGroups.findMessage(trx, groupId, messageId);
        // Only the unit that asked links its answers.
        if (
          found?.canPost !== true ||
          message === undefined ||
          message.kind !== 'request' ||
          message.unit_id !== staff.unitId
        )
          throw notFound();
        const answer = await repos.workingGroups.findAnswer(trx, messageId, answerId);
        if (answer === undefined) throw notFound();
        const record = answerRecord(answer, message, staff.email);
        let reference: string;
        let linked: boolean;
        if (reportRef !== '') {
          const report = await reportAccess.requireReport(trx, staff, reportRef).catch((error: unknown) => {
            throw isServiceError(error) && error.kind === 'not-found'
              ? new ServiceError(
                  'invalid',
                  'group-link-report',
                  `No report ${reportRef} is available to you`,
                  {
                    field: 'report',
                    params: { reference: reportRef },
                  },
                )
              : error;
          });
          reference = report.reference;
          linked = await repos.workingGroups.insertAnswerLink(trx, {
            answer_id: answer.id,
            case_id: null,
            report_id: report.id,
            linked_by: staff.email,
            linked_at: now.toISOString(),
          });
          if (linked) {
            await repos.reports.insertReportUpdate(trx, {
              report_id: report.id,
              kind: 'partner-intelligence',
              message: record,
              visible_to_victim: 0,
              created_at: now.toISOString(),
            });
            await notifyUnit(
              trx,
              reportNotice(report, 'partner-intelligence'),
              `group-answer-link:${String(answer.id)}:report:${String(report.id)}`,
              now,
              repos,
            );
          }
        } else {
          const visible = await caseAccess.findVisibleCase(trx, staff, caseRef, true);
          if (visible === null)
            throw new ServiceError('invalid', 'group-link-case', `No case ${caseRef} is available to you`, {
              field: 'case',
              params: { reference: caseRef },
            });
          const { row } = visible;
          reference = row.reference;
          linked = await repos.workingGroups.insertAnswerLink(trx, {
            answer_id: answer.id,
            case_id: row.id,
            report_id: null,
            linked_by: staff.email,
            linked_at: now.toISOString(),
          });
          if (linked) {
            await repos.cases.insertCaseDecision(trx, {
              caseId: row.id,
              decidedBy: staff.email,
              decision: record,
              reason: 'Partner intelligence from a working group',
              at: now.toISOString(),
              coded: { code: 'partner-intelligence', subject: `group-answer:${String(answer.id)}` },
            });
            // The case's unit is told, about its first report (unit emails name a report).
            const [first] = await repos.cases.caseReportsOf(trx, row.id);
            const report =
              first === undefined
                ? undefined
                : await repos.reports.findReportByReference(trx, first.reference);
            if (report !== undefined)
              await notifyUnit(
                trx,
                reportNotice(report, 'partner-intelligence', row.unit_id),
                `group-answer-link:${String(answer.id)}:case:${String(row.id)}`,
                now,
                repos,
              );
          }
        }
        if (!linked)
          throw new ServiceError(
            'conflict',
            'group-answer-linked',
            `The answer is already linked to ${reference}`,
            {
              params: { reference },
            },
          );
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'group-answer-linked',
          reference,
          forceId: staff.forceId,
          detail: `group ${String(groupId)}: answer ${String(answer.id)} of partner ${String(answer.partner_id)} to request ${String(messageId)} linked to ${reportRef === '' ? 'case' : 'report'} ${reference}`,
        });
      });
    },
  };
}

export type WorkingGroupCasework = ReturnType<typeof createWorkingGroupCasework>;
