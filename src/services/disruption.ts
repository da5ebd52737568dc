/**
 * Disruption requests (issue 22): from a report, case, indicator or campaign, a unit asks a named industry partner to take
 * down a website, suspend a number, freeze or recall funds, or close an account. A supervisor approves it, which
 * sends it (a signed webhook through the outbox); the partner acknowledges it and actions or declines it over the
 * API. Results go to the report's (and case's) history, to the victim's progress page in plain words, and a
 * takedown revokes the value in the feed. Each request has a clock by urgency; a reminder goes to the unit and the
 * partner once it runs out.
 *
 * Each step is one transaction: the access check, the change, the history, any outbox job and the audit row, last.
 * A partner receives only the suspect-side value and what it needs to act, never anything the victims gave about
 * themselves. The use cases take a StaffMember or a Partner, so the partner portal's pages can call them too.
 */
import type { Db, DbOrTrx, Dialect, Trx } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { DisruptionRow } from '../db/repositories/disruption-repository.ts';
import {
  canApproveDisruption,
  canSeeDisruption,
  canWorkCases,
  type StaffMember,
} from '../domain/access/access-policy.ts';
import {
  DISRUPTION_TYPES,
  LEGAL_BASES,
  TARGET_TYPES,
  URGENCIES,
  dueAt,
  isDisruptionType,
  isLegalBasis,
  isMoneyRequest,
  isOpenWithPartner,
  isSuspectSideTarget,
  isUrgency,
  median,
  mentionsPersonalData,
  nextStatus,
  victimNews,
  type DisruptionAction,
  type DisruptionType,
} from '../domain/disruption/disruption.ts';
import { normaliseIndicator } from '../domain/indicators/extract.ts';
import { isIndicatorType } from '../domain/indicators/indicator.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import { createCaseAccess } from './investigations/access.ts';
import type { Partner, Partners } from './partners.ts';
import { createReportAccess } from './report-access.ts';
import { ServiceError } from './service-error.ts';
import { PUBLISH_INDICATORS_JOB } from './sharing.ts';
import { notifyUnit } from './unit-notifications.ts';
import { postPartnerEvent, snakeWire } from './webhooks.ts';

export const DISRUPTION_WEBHOOK_JOB = 'disruption-webhook';
/** The most a money figure may be: £10bn, in pence. */
const MAX_PENCE = 1_000_000_000_000;
const REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ./-]{0,39}$/;
const MAX_REFS = 10;
const SENT_STATUSES = ['sent', 'acknowledged', 'actioned', 'declined'] as const;

/**
 * What a unit raises. Exactly one of `report`, `caseReference`, `indicatorId` and `campaignId` says where it comes
 * from.
 */
export interface DisruptionInput {
  report?: string;
  caseReference?: string;
  indicatorId?: number;
  campaignId?: number;
  partnerId: number;
  type: string;
  targetType: string;
  targetValue: string;
  urgency: string;
  legalBasis: string;
  legalBasisDetail?: string;
  amountPence?: number;
  /** YYYY-MM-DD */
  transactionDate?: string;
  transactionRefs?: string[];
  /** Straight on to awaiting approval (the form's one button); a draft otherwise. */
  submit?: boolean;
}

/** A request as the raising unit sees it. */
export interface DisruptionRequest {
  id: number;
  type: DisruptionType;
  target: { type: string; value: string };
  partner: { id: number; name: string };
  unitId: string;
  status: string;
  urgency: string;
  legalBasis: string;
  legalBasisDetail: string;
  amountPence: number | null;
  transactionDate: string | null;
  transactionRefs: string[];
  origin: {
    kind: string;
    report: string | null;
    caseReference: string | null;
    indicatorId: number | null;
    campaignId: number | null;
  };
  raisedBy: string;
  raisedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  returnedReason: string | null;
  sentAt: string | null;
  dueAt: string | null;
  /** Still with the partner after its clock ran out. */
  overdue: boolean;
  remindedAt: string | null;
  acknowledgedAt: string | null;
  partnerReference: string | null;
  finishedAt: string | null;
  frozenPence: number | null;
  recoveredPence: number | null;
  outcomeNote: string | null;
}

/**
 * A request as its partner sees it: the value to act on and what it needs to act, the requesting unit (not the
 * officer who raised it), the authorising officer and the clock. No crime reference, case or victim detail.
 */
export interface PartnerDisruptionRequest {
  id: number;
  type: string;
  target: { type: string; value: string };
  amountPence: number | null;
  transactionDate: string | null;
  transactionRefs: string[];
  legalBasis: string;
  legalBasisDetail: string;
  urgency: string;
  requestingUnit: string;
  authorisedBy: string | null;
  status: string;
  sentAt: string | null;
  dueAt: string | null;
  acknowledgedAt: string | null;
  partnerReference: string | null;
  finishedAt: string | null;
  frozenPence: number | null;
  recoveredPence: number | null;
  outcomeNote: string | null;
}

const invalid = (code: string, message: string, field: string) =>
  new ServiceError('invalid', code, message, { field });
const notFound = () =>
  new ServiceError(
    'not-found',
    'disruption-not-found',
    'No disruption request with that id is available to you',
  );

const refsOf = (row: { transaction_refs: string | null }) =>
  row.transaction_refs === null || row.transaction_refs === '' ? [] : row.transaction_refs.split(',');

/** What the victims of these reports gave about themselves (never sent to a partner, never a request's target). */
export function personalDetails(
  rows: { contact_email: string | null; postcode: string | null; answers: string }[],
) {
  const out: string[] = [];
  for (const row of rows) {
    const answers = JSON.parse(row.answers) as {
      reporter?: { name?: unknown; victimName?: unknown; email?: unknown; phone?: unknown };
    };
    for (const value of [
      row.contact_email,
      row.postcode,
      answers.reporter?.name,
      answers.reporter?.victimName,
      answers.reporter?.email,
      answers.reporter?.phone,
    ])
      if (typeof value === 'string' && value.trim() !== '') out.push(value);
  }
  return out;
}

/** The suspect's social media or marketplace handles a report's answers name. */
function socialsOf(answers: string): string[] {
  const parsed = JSON.parse(answers) as { suspect?: { socials?: unknown } };
  const socials = parsed.suspect?.socials;
  return Array.isArray(socials) ? socials.filter((s): s is string => typeof s === 'string') : [];
}

export function createDisruption(
  db: Db,
  dialect: Dialect,
  clock: () => Date,
  reference: ReferenceData,
  partners: Partners,
  repos: Repositories = repositories,
) {
  const { requireReport, findVisibleReport } = createReportAccess(dialect, repos);
  const caseAccess = createCaseAccess(dialect, repos);
  const unitName = (id: string) => reference.unit(id)?.name ?? id;

  function view(row: DisruptionRow, now: Date): DisruptionRequest {
    return {
      id: row.id,
      type: row.type as DisruptionType,
      target: { type: row.target_type, value: row.target_value },
      partner: { id: row.partner_id, name: row.partner_name },
      unitId: row.unit_id,
      status: row.status,
      urgency: row.urgency,
      legalBasis: row.legal_basis,
      legalBasisDetail: row.legal_basis_detail,
      amountPence: row.amount_pence,
      transactionDate: row.transaction_date,
      transactionRefs: refsOf(row),
      origin: {
        kind: row.origin,
        report: row.report_reference,
        caseReference: row.case_reference,
        indicatorId: row.indicator_id,
        campaignId: row.campaign_id,
      },
      raisedBy: row.raised_by,
      raisedAt: row.raised_at,
      approvedBy: row.approved_by,
      approvedAt: row.approved_at,
      returnedReason: row.returned_reason,
      sentAt: row.sent_at,
      dueAt: row.due_at,
      overdue: isOpenWithPartner(row.status) && row.due_at !== null && row.due_at <= now.toISOString(),
      remindedAt: row.reminded_at,
      acknowledgedAt: row.acknowledged_at,
      partnerReference: row.partner_reference,
      finishedAt: row.finished_at,
      frozenPence: row.frozen_pence,
      recoveredPence: row.recovered_pence,
      outcomeNote: row.outcome_note,
    };
  }

  function partnerView(row: DisruptionRow): PartnerDisruptionRequest {
    return {
      id: row.id,
      type: row.type,
      target: { type: row.target_type, value: row.target_value },
      amountPence: row.amount_pence,
      transactionDate: row.transaction_date,
      transactionRefs: refsOf(row),
      legalBasis: row.legal_basis,
      legalBasisDetail: row.legal_basis_detail,
      urgency: row.urgency,
      requestingUnit: unitName(row.unit_id),
      authorisedBy: row.approved_by,
      status: row.status,
      sentAt: row.sent_at,
      dueAt: row.due_at,
      acknowledgedAt: row.acknowledged_at,
      partnerReference: row.partner_reference,
      finishedAt: row.finished_at,
      frozenPence: row.frozen_pence,
      recoveredPence: row.recovered_pence,
      outcomeNote: row.outcome_note,
    };
  }

  /** The staff-only entry in the history of the report it came from, and the case's decision log. */
  async function recordHistory(trx: DbOrTrx, row: DisruptionRow, by: string, what: string, now: Date) {
    const message = `Disruption request ${String(row.id)} (${row.type}) to ${row.partner_name}: ${what}`;
    if (row.report_id !== null)
      await repos.reports.insertReportUpdate(trx, {
        report_id: row.report_id,
        kind: 'disruption',
        message,
        visible_to_victim: 0,
        created_at: now.toISOString(),
      });
    if (row.case_id !== null)
      await repos.cases.insertCaseDecision(trx, {
        caseId: row.case_id,
        decidedBy: by,
        decision: message,
        reason: '',
        at: now.toISOString(),
      });
  }

  /** The request for one of its unit's staff, held until the transaction ends; not-found for anyone else. */
  async function requireForStaff(trx: DbOrTrx, staff: StaffMember, id: number): Promise<DisruptionRow> {
    const row = await repos.disruption.findRequest(trx, id, dialect === 'postgres');
    if (row === undefined || !canSeeDisruption(staff, { unitId: row.unit_id })) throw notFound();
    return row;
  }

  /** The request for the partner it was sent to, held; drafts, other partners' requests: not-found. */
  async function requireForPartner(trx: DbOrTrx, partner: Partner, id: number): Promise<DisruptionRow> {
    const row = await repos.disruption.findRequest(trx, id, dialect === 'postgres');
    if (
      row === undefined ||
      row.partner_id !== partner.id ||
      !(SENT_STATUSES as readonly string[]).includes(row.status)
    )
      throw notFound();
    return row;
  }

  /** Moves the request on, or refuses (conflict) when it is not in a state this action starts from. */
  async function move(trx: DbOrTrx, row: DisruptionRow, action: DisruptionAction, change: object) {
    const to = nextStatus(row.status, action);
    if (
      to === null ||
      !(await repos.disruption.moveRequest(trx, row.id, [row.status], { ...change, status: to }))
    )
      throw new ServiceError(
        'conflict',
        'disruption-state',
        `The request is ${row.status}: it cannot be given that step now`,
        { params: { status: row.status } },
      );
    return (await repos.disruption.findRequest(trx, row.id)) ?? row;
  }

  /** Queues the signed webhook telling the partner of a step (sent, reminder); the handler skips partners without one. */
  const queueWebhook = (trx: DbOrTrx, row: DisruptionRow, event: 'sent' | 'reminder', now: Date) =>
    repos.outbox.enqueueJob(
      trx,
      {
        kind: DISRUPTION_WEBHOOK_JOB,
        dedupeKey: `${DISRUPTION_WEBHOOK_JOB}:${String(row.id)}:${event}`,
        payload: { requestId: row.id, partnerId: row.partner_id, event },
      },
      now,
    );

  /** Tells the unit by email through the outbox, about the report the request came from. */
  async function tellUnit(
    trx: DbOrTrx,
    row: DisruptionRow,
    reason: 'disruption-result' | 'disruption-overdue',
    now: Date,
  ) {
    if (row.report_id === null) return;
    const [report] = await repos.disruption.victimDetailsOf(trx, [row.report_id]);
    if (report === undefined) return;
    await notifyUnit(
      trx,
      {
        unit: row.unit_id,
        reason,
        reference: report.reference,
        protectRequest: null,
        category: report.category,
        urgent: row.urgency === 'immediate',
      },
      `${reason}:${String(row.id)}`,
      now,
      repos,
    );
  }

  /** The campaign's reports the unit holds (its live campaign's, if merged since); none for a stranger. */
  async function campaignReports(trx: DbOrTrx, campaignId: number, unitId: string): Promise<number[]> {
    const live = await repos.disruption.liveCampaign(trx, campaignId);
    return live === undefined ? [] : repos.disruption.unitReportsOfCampaign(trx, live, unitId);
  }

  /** The reports a request was raised for that name its target: whose victims hear of the result. */
  async function reportsToTell(trx: DbOrTrx, row: DisruptionRow): Promise<number[]> {
    let reportIds: number[];
    if (row.origin === 'case' && row.case_id !== null)
      reportIds = await repos.disruption.reportIdsOfCase(trx, row.case_id);
    else if (row.origin === 'campaign' && row.campaign_id !== null)
      reportIds = await campaignReports(trx, row.campaign_id, row.unit_id);
    else if (row.origin === 'indicator' && row.indicator_id !== null)
      reportIds = (await repos.disruption.unitReportsNaming(trx, row.indicator_id, row.unit_id)).map(
        (r) => r.id,
      );
    else reportIds = row.report_id === null ? [] : [row.report_id];
    if (row.origin === 'report') return reportIds;
    if (row.target_type === 'social') {
      const reports = await repos.disruption.victimDetailsOf(trx, reportIds);
      const wanted = row.target_value.toLowerCase();
      return reports
        .filter((r) => socialsOf(r.answers).some((s) => s.trim().toLowerCase() === wanted))
        .map((r) => r.id);
    }
    const sources = await repos.disruption.sourcesOfValue(trx, reportIds, row.target_type, row.target_value);
    return [...new Set(sources.map((s) => s.report_id))];
  }

  /** Checks what is typed, before any transaction: every rule names the API field it is about. */
  function checkInput(input: DisruptionInput, now: Date) {
    if (!isDisruptionType(input.type))
      throw invalid('disruption-type', `type must be one of ${DISRUPTION_TYPES.join(', ')}`, 'type');
    const type = input.type;
    if (!TARGET_TYPES[type].includes(input.targetType))
      throw invalid(
        'disruption-target-type',
        `target_type for ${type} must be one of ${TARGET_TYPES[type].join(', ')}`,
        'target_type',
      );
    if (!isUrgency(input.urgency))
      throw invalid('disruption-urgency', `urgency must be one of ${URGENCIES.join(', ')}`, 'urgency');
    if (!isLegalBasis(input.legalBasis))
      throw invalid(
        'disruption-legal-basis',
        `legal_basis must be one of ${LEGAL_BASES.join(', ')}`,
        'legal_basis',
      );
    const detail = (input.legalBasisDetail ?? '').trim();
    if (detail.length > 500)
      throw invalid(
        'disruption-legal-basis-detail',
        'legal_basis_detail must be at most 500 characters',
        'legal_basis_detail',
      );
    if (input.legalBasis === 'court-order' && detail === '')
      throw invalid(
        'disruption-court-order',
        'Give the court order’s reference in legal_basis_detail',
        'legal_basis_detail',
      );
    let money: { amountPence: number; transactionDate: string; refs: string[] } | null = null;
    if (isMoneyRequest(type)) {
      const amount = input.amountPence;
      if (amount === undefined || !Number.isInteger(amount) || amount < 1 || amount > MAX_PENCE)
        throw invalid(
          'disruption-amount',
          'amount_pence must be a whole number of pence, at least 1',
          'amount_pence',
        );
      const date = input.transactionDate ?? '';
      const parsed = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00.000Z`) : null;
      if (
        parsed === null ||
        Number.isNaN(parsed.getTime()) ||
        parsed.toISOString().slice(0, 10) !== date ||
        parsed.getTime() > now.getTime()
      )
        throw invalid(
          'disruption-transaction-date',
          'transaction_date must be a date (YYYY-MM-DD), not in the future',
          'transaction_date',
        );
      const refs = (input.transactionRefs ?? []).map((r) => r.trim()).filter((r) => r !== '');
      if (refs.length === 0 || refs.length > MAX_REFS || !refs.every((r) => REF_PATTERN.test(r)))
        throw invalid(
          'disruption-transaction-refs',
          `transaction_refs must hold 1 to ${String(MAX_REFS)} references of letters, digits, spaces, dots, slashes or hyphens (up to 40 characters each)`,
          'transaction_refs',
        );
      money = { amountPence: amount, transactionDate: date, refs: [...new Set(refs)] };
    } else {
      // Exactly what the partner needs: money fields belong to money requests only.
      for (const [field, given] of [
        ['amount_pence', input.amountPence],
        ['transaction_date', input.transactionDate],
        ['transaction_refs', input.transactionRefs],
      ] as const)
        if (given !== undefined)
          throw invalid(
            'disruption-not-money',
            `${field} is only for freeze-funds and recall-funds requests`,
            field,
          );
    }
    let value: string;
    if (input.targetType === 'social') {
      value = input.targetValue.trim();
      if (value === '' || value.length > 300)
        throw invalid(
          'disruption-target-value',
          'target_value must be the account’s handle or address',
          'target_value',
        );
    } else {
      const normalised = isIndicatorType(input.targetType)
        ? normaliseIndicator(input.targetType, input.targetValue)
        : null;
      if (normalised === null)
        throw invalid(
          'disruption-target-value',
          `target_value is not a valid ${input.targetType}`,
          'target_value',
        );
      value = normalised;
    }
    const origins = [input.report, input.caseReference, input.indicatorId, input.campaignId].filter(
      (o) => o !== undefined,
    );
    if (origins.length !== 1)
      throw invalid(
        'disruption-origin',
        'Name exactly one of report, case, indicator_id or campaign_id',
        'report',
      );
    return { type, urgency: input.urgency, legalBasis: input.legalBasis, detail, money, value };
  }

  return {
    /**
     * Raises a request (a draft, or awaiting approval with `submit`). The value must be one the origin's reports
     * name on the suspect's side, and nothing sent may hold what the victims gave about themselves. Returns its id.
     */
    async raise(staff: StaffMember, input: DisruptionInput): Promise<number> {
      const now = clock();
      const checked = checkInput(input, now);
      if (!canWorkCases(staff) || staff.unitId === null) throw notFound();
      const unitId = staff.unitId;
      return db.transaction().execute(async (trx) => {
        let reportIds: number[];
        let origin: 'report' | 'case' | 'indicator' | 'campaign';
        let campaignId: number | null = null;
        let caseId: number | null = null;
        let auditReference: string | null = null;
        if (input.report !== undefined) {
          const report = await requireReport(trx, staff, input.report);
          origin = 'report';
          reportIds = [report.id];
          auditReference = report.reference;
        } else if (input.caseReference !== undefined) {
          const { row } = await caseAccess.requireCase(trx, staff, input.caseReference);
          origin = 'case';
          caseId = row.id;
          auditReference = row.reference;
          reportIds = await repos.disruption.reportIdsOfCase(trx, row.id);
        } else if (input.campaignId !== undefined) {
          // The campaign's reports the unit holds: as from an indicator, a unit acts on what it may read.
          const live = await repos.disruption.liveCampaign(trx, input.campaignId);
          reportIds =
            live === undefined ? [] : await repos.disruption.unitReportsOfCampaign(trx, live, unitId);
          if (live === undefined || reportIds.length === 0)
            throw new ServiceError(
              'not-found',
              'campaign-not-found',
              'No campaign with that id is available to you',
            );
          origin = 'campaign';
          campaignId = live;
        } else {
          const indicator = await repos.disruption.findIndicatorById(trx, input.indicatorId ?? 0);
          const held =
            indicator === undefined
              ? []
              : await repos.disruption.unitReportsNaming(trx, indicator.id, unitId);
          if (indicator === undefined || held.length === 0)
            throw new ServiceError(
              'not-found',
              'indicator-not-found',
              'No indicator with that id is available to you',
            );
          if (indicator.type !== input.targetType || indicator.value !== checked.value)
            throw invalid(
              'disruption-target-value',
              'target_value must be the indicator’s own value',
              'target_value',
            );
          origin = 'indicator';
          reportIds = held.map((r) => r.id);
        }
        const reports = await repos.disruption.victimDetailsOf(trx, reportIds);
        const personal = personalDetails(reports);
        // Only a value the suspect side of these reports names; never one of the victims' own details.
        let indicatorId: number | null = null;
        let firstReport: number | null = null;
        if (input.targetType === 'social') {
          const wanted = checked.value.toLowerCase();
          firstReport =
            reports.find((r) => socialsOf(r.answers).some((s) => s.trim().toLowerCase() === wanted))?.id ??
            null;
          if (firstReport === null)
            throw invalid(
              'disruption-target-not-named',
              'The suspect answers of these reports do not name that account',
              'target_value',
            );
        } else {
          const sources = await repos.disruption.sourcesOfValue(
            trx,
            reportIds,
            input.targetType,
            checked.value,
          );
          if (sources.length === 0)
            throw invalid(
              'disruption-target-not-named',
              'None of these reports names that value',
              'target_value',
            );
          if (
            !isSuspectSideTarget(
              input.targetType,
              sources.map((s) => s.source),
            )
          )
            throw invalid(
              'disruption-target-not-suspect',
              'That value is not named as the suspect’s: it may be the victim’s own',
              'target_value',
            );
          indicatorId = sources[0]?.indicator_id ?? null;
          firstReport = sources[0]?.report_id ?? null;
        }
        if (mentionsPersonalData(checked.value, personal))
          throw invalid('disruption-target-personal', 'That value is the victim’s own', 'target_value');
        if (mentionsPersonalData(checked.detail, personal))
          throw invalid(
            'disruption-personal-data',
            'legal_basis_detail holds the victim’s personal details',
            'legal_basis_detail',
          );
        if (checked.money !== null && mentionsPersonalData(checked.money.refs.join(' '), personal))
          throw invalid(
            'disruption-personal-data',
            'transaction_refs hold the victim’s personal details',
            'transaction_refs',
          );
        const partner = await repos.partners.findPartner(trx, input.partnerId);
        if (partner === undefined || partner.revoked_at !== null)
          throw invalid('disruption-partner', 'partner_id is not a current partner', 'partner_id');
        const id = await repos.disruption.insertRequest(trx, {
          unit_id: unitId,
          partner_id: partner.id,
          type: checked.type,
          target_type: input.targetType,
          target_value: checked.value,
          amount_pence: checked.money?.amountPence ?? null,
          transaction_date: checked.money?.transactionDate ?? null,
          transaction_refs: checked.money === null ? null : checked.money.refs.join(','),
          legal_basis: checked.legalBasis,
          legal_basis_detail: checked.detail,
          urgency: checked.urgency,
          origin,
          report_id: origin === 'report' ? (reportIds[0] ?? null) : firstReport,
          case_id: caseId,
          indicator_id: origin === 'indicator' ? (input.indicatorId ?? null) : indicatorId,
          campaign_id: campaignId,
          status: input.submit === true ? 'awaiting-approval' : 'draft',
          raised_by: staff.email,
          raised_at: now.toISOString(),
          approved_by: null,
          approved_at: null,
          returned_reason: null,
          sent_at: null,
          due_at: null,
          reminded_at: null,
          acknowledged_at: null,
          partner_reference: null,
          finished_at: null,
          frozen_pence: null,
          recovered_pence: null,
          outcome_note: null,
        });
        const row = await repos.disruption.findRequest(trx, id);
        if (row === undefined) throw notFound();
        await recordHistory(
          trx,
          row,
          staff.email,
          `raised by ${staff.email}${input.submit === true ? ', awaiting approval' : ' as a draft'}`,
          now,
        );
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'disruption-raised',
          reference: auditReference,
          forceId: staff.forceId,
          // The kind of value, never the value: the audit log holds no personal data.
          detail: `request ${String(id)}${campaignId === null ? '' : ` from campaign ${String(campaignId)}`}: ${checked.type} (${input.targetType}) to partner ${String(partner.id)}, ${checked.urgency}, ${row.status}`,
        });
        return id;
      });
    },

    /** The officer sends a draft for approval. */
    async submit(staff: StaffMember, id: number): Promise<void> {
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const row = await requireForStaff(trx, staff, id);
        const moved = await move(trx, row, 'submit', {});
        await recordHistory(trx, moved, staff.email, `sent for approval by ${staff.email}`, now);
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'disruption-submitted',
          reference: row.report_reference ?? row.case_reference,
          forceId: staff.forceId,
          detail: `request ${String(id)}`,
        });
      });
    },

    /**
     * A supervisor of the unit (never the one who raised it) approves: it is sent at once, its clock starts, and
     * the partner's signed webhook is queued in the same transaction.
     */
    async approve(staff: StaffMember, id: number): Promise<void> {
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const row = await requireForStaff(trx, staff, id);
        if (!canApproveDisruption(staff, { unitId: row.unit_id, raisedBy: row.raised_by }))
          throw new ServiceError(
            'forbidden',
            staff.email === row.raised_by ? 'disruption-own-request' : 'disruption-approver',
            staff.email === row.raised_by
              ? 'Someone else must approve a request you raised'
              : 'Only a supervisor of the unit approves disruption requests',
          );
        const partner = await repos.partners.findPartner(trx, row.partner_id);
        if (partner === undefined || partner.revoked_at !== null)
          throw new ServiceError(
            'conflict',
            'disruption-partner-revoked',
            'The partner no longer receives requests',
          );
        const due = dueAt(
          now,
          row.urgency === 'immediate' || row.urgency === 'high' ? row.urgency : 'routine',
        );
        const moved = await move(trx, row, 'approve', {
          approved_by: staff.email,
          approved_at: now.toISOString(),
          sent_at: now.toISOString(),
          due_at: due.toISOString(),
        });
        await queueWebhook(trx, moved, 'sent', now);
        await recordHistory(
          trx,
          moved,
          staff.email,
          `approved by ${staff.email} and sent; to be actioned by ${due.toISOString()}`,
          now,
        );
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'disruption-approved',
          reference: row.report_reference ?? row.case_reference,
          forceId: staff.forceId,
          detail: `request ${String(id)} sent to partner ${String(row.partner_id)}, due ${due.toISOString()}`,
        });
      });
    },

    /** The approver sends it back to draft, saying why. */
    async returnToDraft(staff: StaffMember, id: number, reasonInput: string): Promise<void> {
      const reason = reasonInput.trim();
      if (reason.length < 5 || reason.length > 2000)
        throw invalid('disruption-reason', 'reason must be 5 to 2,000 characters', 'reason');
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const row = await requireForStaff(trx, staff, id);
        if (!canApproveDisruption(staff, { unitId: row.unit_id, raisedBy: row.raised_by }))
          throw new ServiceError(
            'forbidden',
            'disruption-approver',
            'Only a supervisor of the unit approves disruption requests',
          );
        const moved = await move(trx, row, 'return', { returned_reason: reason });
        await recordHistory(trx, moved, staff.email, `returned to draft by ${staff.email}: ${reason}`, now);
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'disruption-returned',
          reference: row.report_reference ?? row.case_reference,
          forceId: staff.forceId,
          detail: `request ${String(id)}`,
        });
      });
    },

    /**
     * What a request may be raised about from this report, case or indicator, for the form: the suspect-side values
     * its reports name (and the suspect's social handles), and the partners. Null when it is not this person's.
     */
    async targetsFor(
      staff: StaffMember,
      from: { report?: string; caseReference?: string; indicatorId?: number; campaignId?: number },
    ): Promise<{
      targets: { type: string; value: string }[];
      partners: { id: number; name: string }[];
    } | null> {
      if (!canWorkCases(staff) || staff.unitId === null) return null;
      let reportIds: number[];
      // From an indicator: that value alone.
      let only: { type: string; value: string } | null = null;
      if (from.report !== undefined) {
        const report = await findVisibleReport(db, staff, from.report);
        if (report === null) return null;
        reportIds = [report.id];
      } else if (from.caseReference !== undefined) {
        const found = await caseAccess.findVisibleCase(db, staff, from.caseReference);
        if (found === null) return null;
        reportIds = await repos.disruption.reportIdsOfCase(db, found.row.id);
      } else if (from.indicatorId !== undefined) {
        only = (await repos.disruption.findIndicatorById(db, from.indicatorId)) ?? null;
        reportIds = (await repos.disruption.unitReportsNaming(db, from.indicatorId, staff.unitId)).map(
          (r) => r.id,
        );
        if (reportIds.length === 0 || only === null) return null;
      } else if (from.campaignId !== undefined) {
        reportIds = await campaignReports(db, from.campaignId, staff.unitId);
        if (reportIds.length === 0) return null;
      } else return null;
      const rows = await repos.disruption.valuesOfReports(db, reportIds);
      const personal = personalDetails(await repos.disruption.victimDetailsOf(db, reportIds));
      const bySource = new Map<string, { type: string; value: string; sources: string[] }>();
      for (const row of rows) {
        const key = `${row.type}:${row.value}`;
        const entry = bySource.get(key) ?? { type: row.type, value: row.value, sources: [] };
        entry.sources.push(row.source);
        bySource.set(key, entry);
      }
      const wanted = new Set(Object.values(TARGET_TYPES).flat());
      const targets = [...bySource.values()]
        .filter(
          (t) =>
            wanted.has(t.type) &&
            (only === null || (t.type === only.type && t.value === only.value)) &&
            isSuspectSideTarget(t.type, t.sources) &&
            !mentionsPersonalData(t.value, personal),
        )
        .map(({ type, value }) => ({ type, value }));
      const reports = await repos.disruption.victimDetailsOf(db, reportIds);
      if (only === null)
        for (const social of new Set(reports.flatMap((r) => socialsOf(r.answers).map((s) => s.trim()))))
          if (social !== '' && !mentionsPersonalData(social, personal))
            targets.push({ type: 'social', value: social });
      return { targets, partners: await repos.disruption.livePartners(db) };
    },

    /** The unit's requests, newest first, with their clocks (one query). */
    async forUnit(staff: StaffMember): Promise<DisruptionRequest[]> {
      if (!canWorkCases(staff) || staff.unitId === null) return [];
      const now = clock();
      return (await repos.disruption.requestsOfUnit(db, staff.unitId)).map((row) => view(row, now));
    },

    /** One of the unit's requests, or null; `canApprove` says whether this person may approve or return it. */
    async detail(staff: StaffMember, id: number) {
      const row = await repos.disruption.findRequest(db, id);
      if (row === undefined || !canSeeDisruption(staff, { unitId: row.unit_id })) return null;
      return {
        request: view(row, clock()),
        canApprove:
          row.status === 'awaiting-approval' &&
          canApproveDisruption(staff, { unitId: row.unit_id, raisedBy: row.raised_by }),
        canSubmit: row.status === 'draft',
      };
    },

    /** The requests sent to this partner, newest first (`status` narrows them), as the partner sees them. */
    async forPartner(partner: Partner, status?: string): Promise<PartnerDisruptionRequest[]> {
      if (status !== undefined && !(SENT_STATUSES as readonly string[]).includes(status))
        throw invalid('disruption-status', `status must be one of ${SENT_STATUSES.join(', ')}`, 'status');
      const rows = await repos.disruption.requestsForPartner(
        db,
        partner.id,
        status === undefined ? SENT_STATUSES : [status],
      );
      return rows.map(partnerView);
    },

    async oneForPartner(partner: Partner, id: number): Promise<PartnerDisruptionRequest> {
      const row = await repos.disruption.findRequest(db, id);
      if (
        row === undefined ||
        row.partner_id !== partner.id ||
        !(SENT_STATUSES as readonly string[]).includes(row.status)
      )
        throw notFound();
      return partnerView(row);
    },

    /**
     * The partner has it in hand (optionally with its own ticket number). `by` names the portal user who did it (the
     * API's callers are the partner's machines); the audit row names them.
     */
    async acknowledge(partner: Partner, id: number, input: { partnerReference?: string }, by?: string) {
      const ref = (input.partnerReference ?? '').trim();
      if (ref !== '' && !REF_PATTERN.test(ref))
        throw invalid(
          'disruption-partner-reference',
          'partner_reference must be up to 40 letters, digits, spaces, dots, slashes or hyphens',
          'partner_reference',
        );
      const now = clock();
      return db.transaction().execute(async (trx) => {
        const row = await requireForPartner(trx, partner, id);
        const moved = await move(trx, row, 'acknowledge', {
          acknowledged_at: now.toISOString(),
          partner_reference: ref === '' ? null : ref,
        });
        await recordHistory(trx, moved, `partner:${String(partner.id)}`, 'acknowledged by the partner', now);
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: by ?? `partner:${String(partner.id)}`,
          action: 'disruption-acknowledged',
          reference: row.report_reference ?? row.case_reference,
          detail: `request ${String(id)} by partner ${String(partner.id)} "${partner.name}"`,
        });
        return partnerView(moved);
      });
    },

    /**
     * The partner did it: for money, with the amounts frozen and recovered. The report's history, the victims'
     * progress pages (plain words, emailed), the case's log, the unit, and for a takedown the feed (the value
     * revoked at the next publication), all from this one transaction.
     */
    async action(
      partner: Partner,
      id: number,
      input: { frozenPence?: number; recoveredPence?: number; note?: string },
      by?: string,
    ) {
      const note = (input.note ?? '').trim();
      if (note.length > 2000)
        throw invalid('disruption-note', 'note must be at most 2,000 characters', 'note');
      for (const [field, value] of [
        ['frozen_pence', input.frozenPence],
        ['recovered_pence', input.recoveredPence],
      ] as const)
        if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > MAX_PENCE))
          throw invalid('disruption-amount', `${field} must be a whole number of pence, 0 or more`, field);
      const now = clock();
      return db.transaction().execute(async (trx) => {
        const row = await requireForPartner(trx, partner, id);
        const type = row.type as DisruptionType;
        if (!isMoneyRequest(type))
          for (const [field, value] of [
            ['frozen_pence', input.frozenPence],
            ['recovered_pence', input.recoveredPence],
          ] as const)
            if (value !== undefined)
              throw invalid(
                'disruption-not-money',
                `${field} is only for freeze-funds and recall-funds requests`,
                field,
              );
        const frozen = isMoneyRequest(type) ? (input.frozenPence ?? 0) : null;
        const recovered = isMoneyRequest(type) ? (input.recoveredPence ?? 0) : null;
        const moved = await move(trx, row, 'action', {
          finished_at: now.toISOString(),
          acknowledged_at: row.acknowledged_at ?? now.toISOString(),
          frozen_pence: frozen,
          recovered_pence: recovered,
          outcome_note: note === '' ? null : note,
        });
        const money =
          frozen === null
            ? ''
            : `; £${(frozen / 100).toFixed(2)} frozen, £${((recovered ?? 0) / 100).toFixed(2)} recovered`;
        await recordHistory(
          trx,
          moved,
          `partner:${String(partner.id)}`,
          `actioned by the partner${money}${note === '' ? '' : `: ${note}`}`,
          now,
        );
        // The victims read it in plain words, without the partner's name or any detail; emailed as any update.
        const news = victimNews(type, { frozenPence: frozen ?? 0, recoveredPence: recovered ?? 0 });
        const told = news.length === 0 ? [] : await reportsToTell(trx, moved);
        for (const report of await repos.disruption.victimDetailsOf(trx, told)) {
          for (const kind of news)
            await repos.reports.insertReportUpdate(trx, {
              report_id: report.id,
              kind,
              message: '',
              visible_to_victim: 1,
              created_at: now.toISOString(),
            });
          const victim = await repos.reports.findReportById(trx, report.id);
          if (victim?.contact_email != null && victim.anonymised_at === null)
            await repos.outbox.enqueueJob(
              trx,
              {
                kind: 'update-email',
                dedupeKey: `update-email:${victim.reference}:disruption:${String(id)}`,
                payload: { to: victim.contact_email, reference: victim.reference, lng: victim.lng },
              },
              now,
            );
        }
        if (type === 'takedown' && row.indicator_id !== null) {
          await repos.disruption.markTakenDown(trx, row.indicator_id, now.toISOString());
          await repos.outbox.enqueueJob(
            trx,
            {
              kind: PUBLISH_INDICATORS_JOB,
              dedupeKey: `${PUBLISH_INDICATORS_JOB}:disruption:${String(id)}`,
              payload: { indicatorIds: [row.indicator_id] },
            },
            now,
          );
        }
        await tellUnit(trx, moved, 'disruption-result', now);
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: by ?? `partner:${String(partner.id)}`,
          action: 'disruption-actioned',
          reference: row.report_reference ?? row.case_reference,
          detail: `request ${String(id)} by partner ${String(partner.id)} "${partner.name}"${money}; ${String(told.length)} victim(s) told`,
        });
        return partnerView(moved);
      });
    },

    /** The partner will not act, saying why (the unit reads the reason; the victim is not told). */
    async decline(partner: Partner, id: number, input: { reason: string }, by?: string) {
      const reason = input.reason.trim();
      if (reason.length < 5 || reason.length > 2000)
        throw invalid('disruption-reason', 'reason must be 5 to 2,000 characters', 'reason');
      const now = clock();
      return db.transaction().execute(async (trx) => {
        const row = await requireForPartner(trx, partner, id);
        const moved = await move(trx, row, 'decline', {
          finished_at: now.toISOString(),
          outcome_note: reason,
        });
        await recordHistory(
          trx,
          moved,
          `partner:${String(partner.id)}`,
          `declined by the partner: ${reason}`,
          now,
        );
        await tellUnit(trx, moved, 'disruption-result', now);
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: by ?? `partner:${String(partner.id)}`,
          action: 'disruption-declined',
          reference: row.report_reference ?? row.case_reference,
          detail: `request ${String(id)} by partner ${String(partner.id)} "${partner.name}"`,
        });
        return partnerView(moved);
      });
    },

    /**
     * Requests whose clock ran out while still with the partner: each reminded once, to the partner (signed
     * webhook) and the unit (email), in a transaction of its own. Run every minute by the worker; returns how many.
     */
    async remindOverdue(limit = 100): Promise<number> {
      const now = clock();
      const due = await repos.disruption.overdueNotReminded(db, now.toISOString(), limit);
      let reminded = 0;
      for (const { id } of due) {
        const done = await db.transaction().execute(async (trx: Trx) => {
          const row = await repos.disruption.findRequest(trx, id, dialect === 'postgres');
          if (row === undefined || row.reminded_at !== null || !isOpenWithPartner(row.status)) return false;
          if (
            !(await repos.disruption.moveRequest(trx, id, [row.status], { reminded_at: now.toISOString() }))
          )
            return false;
          await queueWebhook(trx, row, 'reminder', now);
          await tellUnit(trx, row, 'disruption-overdue', now);
          await recordHistory(
            trx,
            row,
            'system',
            `overdue since ${row.due_at ?? ''}: the unit and partner reminded`,
            now,
          );
          await repos.audit.writeAudit(trx, {
            at: now,
            actor: 'system',
            action: 'disruption-reminder',
            reference: row.report_reference ?? row.case_reference,
            detail: `request ${String(id)} to partner ${String(row.partner_id)} overdue since ${row.due_at ?? ''}`,
          });
          return true;
        });
        if (done) reminded++;
      }
      return reminded;
    },

    /**
     * Figures of the requests sent: by type, partner and unit, by status; median time from sending to action; money
     * frozen and recovered. No personal data, so whoever reads figures reads them all.
     */
    async figures() {
      const rows = await repos.disruption.figures(db);
      const times = await repos.disruption.actionTimes(db);
      const tally = (key: (r: (typeof rows)[number]) => string) => {
        const out = new Map<
          string,
          {
            requests: number;
            actioned: number;
            declined: number;
            frozenPence: number;
            recoveredPence: number;
          }
        >();
        for (const r of rows) {
          const k = key(r);
          const t = out.get(k) ?? {
            requests: 0,
            actioned: 0,
            declined: 0,
            frozenPence: 0,
            recoveredPence: 0,
          };
          const n = Number(r.requests);
          t.requests += n;
          if (r.status === 'actioned') t.actioned += n;
          if (r.status === 'declined') t.declined += n;
          t.frozenPence += Number(r.frozen ?? 0);
          t.recoveredPence += Number(r.recovered ?? 0);
          out.set(k, t);
        }
        return [...out]
          .map(([name, t]) => ({ name, ...t }))
          .sort((a, b) => b.requests - a.requests || a.name.localeCompare(b.name));
      };
      const durations = times
        .filter((t) => t.sent_at !== null && t.finished_at !== null)
        .map((t) => Date.parse(t.finished_at ?? '') - Date.parse(t.sent_at ?? ''));
      const medianMs = median(durations);
      const total = tally(() => 'all')[0];
      return {
        byType: tally((r) => r.type),
        byPartner: tally((r) => r.partner_name),
        byUnit: tally((r) => r.unit_id).map((u) => ({ ...u, unitName: unitName(u.name) })),
        medianHoursToAction: medianMs === null ? null : Math.round((medianMs / 3_600_000) * 10) / 10,
        actioned: durations.length,
        frozenPence: total?.frozenPence ?? 0,
        recoveredPence: total?.recoveredPence ?? 0,
      };
    },

    /** The outbox handler: POSTs one step of one request to its partner's webhook, signed as TAXII pushes are. */
    webhookHandler() {
      return async (payload: unknown, job: { dedupe_key: string }): Promise<void> => {
        const { requestId, partnerId, event } = payload as {
          requestId: number;
          partnerId: number;
          event: string;
        };
        const row = await repos.disruption.findRequest(db, requestId);
        // Not its request (or gone): nothing to send; no webhook (the partner polls the API): the same.
        if (row?.partner_id !== partnerId) return;
        await postPartnerEvent(
          db,
          partners,
          partnerId,
          job.dedupe_key,
          { type: 'disruption-request', event, request: snakeWire(partnerView(row)) },
          clock(),
          repos,
        );
      };
    },
  };
}

export type Disruption = ReturnType<typeof createDisruption>;
