import type { Db, DbOrTrx, Dialect } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { ReportRow } from '../db/repositories/report-repository.ts';
import { ServiceError } from './service-error.ts';
import { canAllocate, canWorkCases, type StaffMember } from '../domain/access/access-policy.ts';
import {
  FINISHED_STATUSES,
  MESSAGE_TO_VICTIM,
  NEW_STATUSES,
  OUTCOMES,
  SETTABLE,
  STATUSES,
  VICTIM_UPDATE_KINDS,
  isOverdue,
  overdueBefore,
  type Status,
} from '../domain/casework/status.ts';
import type { RoutingFact } from '../domain/routing/route-report.ts';
import { isTlp, TLPS } from '../domain/sharing/tlp.ts';
import { queueViewQuery, parseQueueView, type QueueView } from '../domain/casework/queue-view.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import { createReportAccess } from './report-access.ts';
import { EXCLUDED_STATUSES } from './statistics.ts';
import { notifyUnit, reportNotice } from './unit-notifications.ts';

/** A page of the queue as a view shows it (domain/casework/queue-view.ts reads and writes views). */
export type QueueFilters = Partial<QueueView> & { page: number };

export const PAGE_SIZE = 25;

/** A report as the unit's queue lists it. */
export interface QueueItem {
  reference: string;
  status: string;
  category: string;
  urgent: boolean;
  vulnerable: boolean;
  receivedAt: string;
  allocatedTo: string | null;
  /** Still waiting for first contact after the days the force allows. */
  overdue: boolean;
  /** When the victim last added to it, unopened by the unit since (the queue's "new information" tag). */
  victimNewsAt: string | null;
}

export const INDICATOR_SHARING_ACTIONS = ['hold-back', 'release', 'retract', 'release-to-partners'] as const;
export type IndicatorSharingAction = (typeof INDICATOR_SHARING_ACTIONS)[number];

/** A unit's work on the reports routed to it: queue, status, notes, messages to the victim, allocation, transfer. */
export function createCasework(
  db: Db,
  dialect: Dialect,
  clock: () => Date,
  reference: ReferenceData,
  firstContactDays: number,
  repos: Repositories = repositories,
) {
  const { enqueueJob } = repos.outbox;
  const { insertReportUpdate, updateReport } = repos.reports;
  const { requireReport } = createReportAccess(dialect, repos);

  /** Partners' view of the report follows from the outbox once this transaction commits. */
  const republish = (trx: DbOrTrx, report: ReportRow, action: string, now: Date) =>
    enqueueJob(
      trx,
      {
        kind: 'publish-stix',
        dedupeKey: `publish-stix:${report.reference}:${action}:${now.toISOString()}`,
        payload: { reportId: report.id },
      },
      now,
    );

  return {
    /** Sets how far what the report holds may be shared (TLP); returns the report id to republish. */
    async setTlp(staff: StaffMember, referenceInput: string, tlp: string): Promise<number> {
      if (!isTlp(tlp))
        throw new ServiceError('invalid', 'tlp', `tlp must be one of ${TLPS.join(', ')}`, { field: 'tlp' });
      return db.transaction().execute(async (trx) => {
        const report = await requireReport(trx, staff, referenceInput);
        await updateReport(trx, report.id, { tlp });
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor: staff.email,
          action: 'set-tlp',
          reference: report.reference,
          forceId: report.force_id,
          detail: tlp,
        });
        await republish(trx, report, 'tlp', clock());
        return report.id;
      });
    },

    /**
     * Holds one of the report's indicators back from industry, lets it go, retracts it as wrong, or releases it to
     * partners (needed when only intelligence-only or anonymous reports name it). Audited, and republished from the
     * outbox, in one transaction; returns the indicator id.
     */
    async setIndicatorSharing(
      staff: StaffMember,
      referenceInput: string,
      indicator: { type: string; value: string },
      action: IndicatorSharingAction,
    ): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const report = await requireReport(trx, staff, referenceInput);
        const id = await repos.indicators.findReportIndicator(trx, report.id, indicator);
        if (id === undefined)
          throw new ServiceError(
            'invalid',
            'indicator-unknown',
            'The report has no indicator of that type and value',
            {
              field: 'value',
            },
          );
        const now = clock();
        const change =
          action === 'retract'
            ? { retracted: 1 }
            : action === 'release-to-partners'
              ? { released_at: now.toISOString(), released_by: staff.email }
              : { held_back: action === 'hold-back' ? 1 : 0 };
        await repos.indicators.updateIndicatorSharing(trx, id, change);
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor: staff.email,
          action: `indicator-${action}`,
          reference: report.reference,
          forceId: report.force_id,
          detail: `${indicator.type} ${indicator.value}`,
        });
        await republish(trx, report, `${action}:${id}`, now);
        return id;
      });
    },

    /** One page of the unit's queue, how many reports match, and how many each status holds (its tabs). */
    async queue(
      staff: StaffMember,
      filters: QueueFilters,
    ): Promise<{ rows: QueueItem[]; total: number; byStatus: Record<string, number> }> {
      if (!canWorkCases(staff) || staff.unitId === null) return { rows: [], total: 0, byStatus: {} };
      const { rows, total } = await repos.reports.unitQueue(
        db,
        staff.unitId,
        filters,
        { offset: (Math.max(1, filters.page) - 1) * PAGE_SIZE, limit: PAGE_SIZE },
        STATUSES,
      );
      const now = clock();
      return {
        rows: rows.map((r) => ({
          reference: r.reference,
          status: r.status,
          category: r.category,
          urgent: r.urgent === 1,
          vulnerable: r.vulnerable === 1,
          receivedAt: r.created_at,
          allocatedTo: r.allocated_to,
          overdue: isOverdue(r.status, r.created_at, now, firstContactDays),
          victimNewsAt: r.victim_news_at,
        })),
        total,
        byStatus: await repos.reports.unitQueueStatusCounts(db, staff.unitId, filters),
      };
    },

    /** The queue view this person last chose, to show when they come back (the default when none). */
    async rememberedQueueView(staff: StaffMember): Promise<QueueView> {
      const saved = await repos.users.queueViewOf(db, staff.email);
      return parseQueueView(Object.fromEntries(new URLSearchParams(saved ?? '')));
    },

    /** Remembers the view this person chose (a preference of theirs: nothing about a report changes). */
    async rememberQueueView(staff: StaffMember, view: QueueView): Promise<void> {
      const query = queueViewQuery(view);
      if ((await repos.users.queueViewOf(db, staff.email)) !== query)
        await repos.users.setQueueView(db, staff.email, query);
    },

    /**
     * The unit's workload for its home page, counted in one query: new, first contact overdue, awaiting the victim,
     * and urgent or vulnerable reports nobody is allocated. Null for someone who works no unit's reports.
     */
    async unitCounts(staff: StaffMember) {
      if (!canWorkCases(staff) || staff.unitId === null) return null;
      return repos.reports.unitCounts(db, staff.unitId, {
        newStatuses: NEW_STATUSES,
        overdueBefore: overdueBefore(clock(), firstContactDays).toISOString(),
        finishedStatuses: FINISHED_STATUSES,
        messageKind: MESSAGE_TO_VICTIM,
        victimKinds: VICTIM_UPDATE_KINDS,
      });
    },

    async setStatus(
      staff: StaffMember,
      referenceInput: string,
      status: Status,
      outcome: string | null,
    ): Promise<void> {
      const at = clock();
      const now = at.toISOString();
      await db.transaction().execute(async (trx) => {
        const report = await requireReport(trx, staff, referenceInput);
        if (!SETTABLE.includes(status))
          throw new ServiceError('invalid', 'status', 'That status cannot be set', { field: 'status' });
        if (status === 'closed' && (outcome === null || !(OUTCOMES as readonly string[]).includes(outcome)))
          throw new ServiceError('invalid', 'outcome', 'Choose an outcome to close the report', {
            field: 'outcome',
          });
        await updateReport(trx, report.id, { status, updated_at: now });
        // Duplicates and no-crime leave the figures; a report taken back out of them returns.
        const wasCounted = !EXCLUDED_STATUSES.includes(report.status);
        const isCounted = !EXCLUDED_STATUSES.includes(status);
        if (wasCounted !== isCounted) {
          const sign = isCounted ? 1 : -1;
          await repos.stats.addDailyStats(trx, {
            day: report.created_at.slice(0, 10),
            force_id: report.force_id ?? '',
            category: report.category,
            cyber: report.cyber,
            source: 'report',
            shard: 0,
            reports: sign,
            loss_pence: sign * report.loss_pence,
          });
        }
        await insertReportUpdate(trx, {
          report_id: report.id,
          kind: outcome ? `outcome.${outcome}` : `status.${status}`,
          message: '',
          visible_to_victim: 1,
          created_at: now,
        });
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor: staff.email,
          action: 'status',
          reference: report.reference,
          forceId: report.force_id,
          detail: `${report.status} → ${status}${outcome ? ` (${outcome})` : ''}`,
        });
        // Assessing a public report can make what it names shareable; no-crime or duplicate can withdraw it.
        await republish(trx, report, 'status', at);
      });
    },

    /** An internal note, or a message the victim sees on the progress page and is emailed about. */
    async addUpdate(
      staff: StaffMember,
      referenceInput: string,
      text: string,
      toVictim: boolean,
    ): Promise<void> {
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const report = await requireReport(trx, staff, referenceInput);
        await insertReportUpdate(trx, {
          report_id: report.id,
          kind: toVictim ? MESSAGE_TO_VICTIM : 'note',
          message: text,
          visible_to_victim: toVictim ? 1 : 0,
          created_at: now.toISOString(),
        });
        if (toVictim && report.contact_email !== null) {
          await enqueueJob(
            trx,
            {
              kind: 'update-email',
              dedupeKey: `update-email:${report.reference}:${now.toISOString()}`,
              payload: { to: report.contact_email, reference: report.reference, lng: report.lng },
            },
            now,
          );
        }
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor: staff.email,
          action: toVictim ? 'message-victim' : 'note',
          reference: report.reference,
          forceId: report.force_id,
          detail: text.slice(0, 200),
        });
      });
    },

    async allocate(staff: StaffMember, referenceInput: string, officerEmail: string): Promise<void> {
      if (!canAllocate(staff))
        throw new ServiceError('forbidden', 'allocate-supervisor', 'Only supervisors allocate reports');
      const at = clock();
      const now = at.toISOString();
      await db.transaction().execute(async (trx) => {
        const report = await requireReport(trx, staff, referenceInput);
        const officer = await repos.users.findUserByEmail(trx, officerEmail.trim().toLowerCase());
        if (officer === undefined || officer.unit_id !== staff.unitId)
          throw new ServiceError('invalid', 'allocate-officer', 'Choose an officer of your unit', {
            field: 'officer',
          });
        await updateReport(trx, report.id, {
          allocated_to: officer.email,
          status: 'allocated',
          updated_at: now,
        });
        await insertReportUpdate(trx, {
          report_id: report.id,
          kind: 'status.allocated',
          message: '',
          visible_to_victim: 1,
          created_at: now,
        });
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor: staff.email,
          action: 'allocate',
          reference: report.reference,
          forceId: report.force_id,
          detail: officer.email,
        });
        await republish(trx, report, 'allocate', at);
      });
    },

    /** Sends a report to another unit with a reason; it leaves this unit's queue and the receiving unit is told. */
    async transfer(
      staff: StaffMember,
      referenceInput: string,
      unitId: string,
      reason: string,
    ): Promise<void> {
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const report = await requireReport(trx, staff, referenceInput);
        const unit = reference.unit(unitId);
        if (unit === undefined || unit.id === report.unit_id)
          throw new ServiceError('invalid', 'transfer-unit', 'Choose another unit', { field: 'unit' });
        await updateReport(trx, report.id, {
          unit_id: unit.id,
          allocated_to: null,
          status: 'transferred',
          routing_rule: 'transferred',
          routing_reasons: JSON.stringify([
            { fact: 'transferred', by: staff.email, reason } satisfies RoutingFact,
          ]),
          updated_at: now.toISOString(),
        });
        await insertReportUpdate(trx, {
          report_id: report.id,
          kind: 'status.transferred',
          message: '',
          visible_to_victim: 1,
          created_at: now.toISOString(),
        });
        // The receiving unit is told (never the reason: free text stays in the report).
        await notifyUnit(
          trx,
          reportNotice(report, 'transfer-in', unit.id),
          `${report.reference}:${unit.id}:${now.toISOString()}`,
          now,
          repos,
        );
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor: staff.email,
          action: 'transfer',
          reference: report.reference,
          forceId: report.force_id,
          detail: `to ${unit.id}: ${reason}`,
        });
        // Routing changed: the report's sector and unit identity in the feed follow.
        await republish(trx, report, 'transfer', now);
      });
    },
  };
}
