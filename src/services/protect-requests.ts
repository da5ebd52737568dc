import type { Db, Dialect } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { canWorkCases, type StaffMember } from '../domain/access/access-policy.ts';
import { PROTECT_REQUEST_CATEGORY } from '../domain/notifications/unit-notification.ts';
import { canMoveTo, isProtectStatus, nextStatuses } from '../domain/protect/protect-workflow.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import { ServiceError } from './service-error.ts';
import { notifyUnit } from './unit-notifications.ts';

export const PROTECT_HELP = ['staff-presentation', 'security-review', 'incident-planning', 'other'] as const;
export const PROTECT_REPLY_EMAIL_JOB = 'protect-reply-email';
export const PROTECT_LIMITS = { outcome: 2000, reply: 5000 } as const;

export interface ProtectRequest {
  organisation: string;
  contactName: string;
  email: string;
  phone: string | null;
  postcode: string;
  forceId: string;
  help: string[];
  message: string;
}

/** A request as the unit's Protect queue lists it. */
export interface ProtectQueueItem extends ProtectRequest {
  id: number;
  status: string;
  receivedAt: string;
  allocatedTo: string | null;
  scheduledFor: string | null;
  outcome: string | null;
}

export interface ProtectRequestEvent {
  at: string;
  actor: string;
  kind: string;
  detail: string;
}

/** What the reply email job carries: the request's own address, given to be contacted. */
export interface ProtectReplyJob {
  requestId: number;
  to: string;
  unitId: string;
  message: string;
  lng: 'en' | 'cy';
}

type Row = NonNullable<Awaited<ReturnType<Repositories['protectRequests']['findProtectRequest']>>>;

const item = (r: Row): ProtectQueueItem => ({
  id: r.id,
  organisation: r.organisation,
  contactName: r.contact_name,
  email: r.email,
  phone: r.phone,
  postcode: r.postcode,
  forceId: r.force_id,
  help: r.help.split(' '),
  message: r.message,
  status: r.status,
  receivedAt: r.created_at,
  allocatedTo: r.allocated_to,
  scheduledFor: r.scheduled_for,
  outcome: r.outcome,
});

/** A real calendar date, YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

const notFound = () => new ServiceError('not-found', 'protect-request-not-found', 'No such Protect request');

/** Requests for Cyber Protect help land in the regional unit's Protect queue (the force unit where no region has one). */
export function createProtectRequests(
  db: Db,
  clock: () => Date,
  reference: ReferenceData,
  dialect: Dialect = 'sqlite',
  repos: Repositories = repositories,
) {
  /** The request, held for the change, when it is this person's unit's; otherwise "not found". */
  async function requireRequest(
    trx: Parameters<typeof repos.protectRequests.findProtectRequest>[0],
    staff: StaffMember,
    id: number,
  ) {
    if (!canWorkCases(staff)) throw notFound();
    const row = await repos.protectRequests.lockProtectRequest(trx, id, dialect);
    if (row?.unit_id !== staff.unitId) throw notFound();
    return row;
  }

  return {
    async submit(request: ProtectRequest): Promise<{ unitId: string }> {
      const units = reference.unitDirectory;
      const unitId =
        units.regionalUnit(request.forceId) ?? units.forceUnit(request.forceId) ?? units.nationalUnit;
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const id = await repos.protectRequests.insertProtectRequest(trx, {
          unit_id: unitId,
          force_id: request.forceId,
          organisation: request.organisation,
          contact_name: request.contactName,
          email: request.email,
          phone: request.phone,
          postcode: request.postcode,
          help: request.help.join(' '),
          message: request.message,
          status: 'new',
          created_at: now.toISOString(),
        });
        await notifyUnit(
          trx,
          {
            unit: unitId,
            reason: 'protect-request',
            reference: null,
            protectRequest: id,
            category: PROTECT_REQUEST_CATEGORY,
            urgent: false,
          },
          String(id),
          now,
          repos,
        );
      });
      return { unitId };
    },

    /** The unit's Protect queue, newest first (contact details are the organisation's own, given to be contacted). */
    async forUnit(staff: StaffMember): Promise<ProtectQueueItem[]> {
      if (!canWorkCases(staff) || staff.unitId === null) return [];
      const rows = await repos.protectRequests.protectRequestsOfUnit(db, staff.unitId, 50);
      return rows.map(item);
    },

    /** One request of the unit with its history, who it may be allocated to and what status may come next. */
    async detail(staff: StaffMember, id: number) {
      if (!canWorkCases(staff) || staff.unitId === null) throw notFound();
      const row = await repos.protectRequests.findProtectRequest(db, id);
      if (row?.unit_id !== staff.unitId) throw notFound();
      const [events, colleagues, engagement] = await Promise.all([
        repos.protectRequests.eventsOfProtectRequest(db, id),
        repos.users.activeEmailsOfUnit(db, staff.unitId),
        repos.protectRequests.engagementForRequest(db, id),
      ]);
      return {
        request: item(row),
        events: events.map((e): ProtectRequestEvent => ({
          at: e.at,
          actor: e.actor,
          kind: e.kind,
          detail: e.detail,
        })),
        colleagues,
        next: nextStatuses(row.status),
        engagementId: engagement?.id ?? null,
      };
    },

    /** Gives the request to an officer of the unit (or takes it back: null). */
    async allocate(staff: StaffMember, id: number, to: string | null): Promise<void> {
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const row = await requireRequest(trx, staff, id);
        if (to !== null) {
          const colleagues = await repos.users.activeEmailsOfUnit(trx, row.unit_id);
          if (!colleagues.includes(to))
            throw new ServiceError(
              'invalid',
              'protect-allocate-outside-unit',
              'Allocate to an officer of the unit',
              {
                field: 'allocatedTo',
              },
            );
        }
        await repos.protectRequests.updateProtectRequest(trx, id, {
          allocated_to: to,
          updated_at: now.toISOString(),
        });
        await repos.protectRequests.insertProtectRequestEvent(trx, {
          request_id: id,
          at: now.toISOString(),
          actor: staff.email,
          kind: 'allocated',
          detail: to ?? '',
        });
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'protect-allocate',
          detail: `Protect request ${String(id)} allocated to ${to ?? 'nobody'}`,
        });
      });
    },

    /**
     * Moves the request on: new → contacted → scheduled (with the date agreed) → delivered, or declined before
     * delivery; delivered and declined record the outcome. Any other move is refused.
     */
    async setStatus(
      staff: StaffMember,
      id: number,
      input: { status: string; scheduledFor?: string | null; outcome?: string | null },
    ): Promise<void> {
      const now = clock();
      const status = input.status;
      if (!isProtectStatus(status))
        throw new ServiceError('invalid', 'protect-status', 'Choose a status', { field: 'status' });
      const scheduledFor = input.scheduledFor?.trim() ?? '';
      const outcome = input.outcome?.trim() ?? '';
      if (status === 'scheduled' && !isCalendarDate(scheduledFor))
        throw new ServiceError('invalid', 'protect-scheduled-date', 'Enter the date agreed', {
          field: 'scheduledFor',
        });
      if ((status === 'delivered' || status === 'declined') && outcome === '')
        throw new ServiceError('invalid', 'protect-outcome', 'Enter the outcome', { field: 'outcome' });
      if (outcome.length > PROTECT_LIMITS.outcome)
        throw new ServiceError('invalid', 'protect-outcome-too-long', 'The outcome is too long', {
          field: 'outcome',
          params: { max: PROTECT_LIMITS.outcome },
        });
      await db.transaction().execute(async (trx) => {
        const row = await requireRequest(trx, staff, id);
        if (!canMoveTo(row.status, status))
          throw new ServiceError(
            'conflict',
            'protect-transition',
            `A ${row.status} request cannot become ${status}`,
            { field: 'status', params: { from: row.status, to: status } },
          );
        await repos.protectRequests.updateProtectRequest(trx, id, {
          status,
          ...(status === 'scheduled' ? { scheduled_for: scheduledFor } : {}),
          ...(outcome === '' ? {} : { outcome }),
          updated_at: now.toISOString(),
        });
        await repos.protectRequests.insertProtectRequestEvent(trx, {
          request_id: id,
          at: now.toISOString(),
          actor: staff.email,
          kind: 'status',
          detail: [status, status === 'scheduled' ? scheduledFor : outcome]
            .filter((s) => s !== '')
            .join(': '),
        });
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'protect-status',
          detail: `Protect request ${String(id)} ${row.status} → ${status}`,
        });
      });
    },

    /** Replies to the organisation by email (through the outbox, in the same transaction as its history entry). */
    async reply(staff: StaffMember, id: number, message: string, lng: 'en' | 'cy'): Promise<void> {
      const text = message.trim();
      if (text === '')
        throw new ServiceError('invalid', 'protect-reply', 'Enter the reply', { field: 'message' });
      if (text.length > PROTECT_LIMITS.reply)
        throw new ServiceError('invalid', 'protect-reply-too-long', 'The reply is too long', {
          field: 'message',
          params: { max: PROTECT_LIMITS.reply },
        });
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const row = await requireRequest(trx, staff, id);
        const events = await repos.protectRequests.eventsOfProtectRequest(trx, id);
        await repos.protectRequests.insertProtectRequestEvent(trx, {
          request_id: id,
          at: now.toISOString(),
          actor: staff.email,
          kind: 'reply',
          detail: text,
        });
        const job: ProtectReplyJob = {
          requestId: id,
          to: row.email,
          unitId: row.unit_id,
          message: text,
          lng,
        };
        await repos.outbox.enqueueJob(
          trx,
          {
            kind: PROTECT_REPLY_EMAIL_JOB,
            dedupeKey: `protect-reply:${String(id)}:${String(events.length)}`,
            payload: job,
          },
          now,
        );
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'protect-reply',
          detail: `Protect request ${String(id)}: reply emailed to the organisation`,
        });
      });
    },
  };
}

export type ProtectRequests = ReturnType<typeof createProtectRequests>;
