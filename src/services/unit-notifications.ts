/**
 * Units are told of new work by email, through the outbox (the same retries and dead letters as victims' emails):
 * new urgent reports, transfers in, new information from the victim, Cyber Protect requests and overdue first
 * contact. Every item goes at once to the unit's mailbox; an urgent one out of hours also to its out-of-hours
 * contact (out of hours: evenings, weekends and the bank holidays of the unit's force's nation). Staff who choose
 * it get a daily digest of their unit's non-urgent items at their own address. Emails carry the reference, the type
 * of crime, the reason and a link: never anything the victim said or who they are. A unit of Welsh forces is
 * written to in Welsh and English.
 */
import type { Db, DbOrTrx } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { NewOutboxJob, OutboxRow } from '../db/repositories/outbox-repository.ts';
import { canWorkCases, isRole, type StaffMember } from '../domain/access/access-policy.ts';
import { overdueBefore } from '../domain/casework/status.ts';
import {
  isNotificationReason,
  needsUnitAtOnce,
  PROTECT_REQUEST_CATEGORY,
  type NotificationReason,
} from '../domain/notifications/unit-notification.ts';
import {
  DIGEST_HOUR,
  digestDue,
  digestWindow,
  isOutOfHours,
  WORKING_HOURS,
} from '../domain/notifications/working-hours.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import type { EmailSender } from './email/email-sender.ts';
import type { Translate } from './email/victim-emails.ts';
import { DiscardJob, type JobHandler, type WorkerLog } from './outbox-worker.ts';
import { ServiceError } from './service-error.ts';

export const UNIT_NOTIFICATION_JOB = 'unit-notification';
export const DIGEST_JOB = 'unit-notification-digest';

/** Overdue first contact is told for reports that became overdue in the last week only (see operations.md). */
export const OVERDUE_LOOKBACK_DAYS = 7;
/** A digest lists at most this many items, then says how many more the workspace holds. */
export const DIGEST_MAX_ITEMS = 200;

/** The outbox payload of a unit notification: nothing personal, so nothing for retention to remove. */
export interface UnitNotificationJob {
  unit: string;
  reason: NotificationReason;
  /** The crime reference; null for a Protect request. */
  reference: string | null;
  protectRequest: number | null;
  category: string;
  urgent: boolean;
}

/** The report fields a notification about it reads. */
export interface NotifiedReport {
  reference: string;
  unit_id: string | null;
  category: string;
  urgent: number | boolean;
  vulnerable: number | boolean;
}

/**
 * The outbox job telling a unit. `key` makes it unique (once per report for an urgent report or overdue first
 * contact; the moment for events that can happen again): the same key is never told twice.
 */
export function unitNotificationJob(notice: UnitNotificationJob, key: string): NewOutboxJob {
  return {
    kind: UNIT_NOTIFICATION_JOB,
    dedupeKey: `${UNIT_NOTIFICATION_JOB}:${notice.reason}:${key}`,
    payload: notice,
  };
}

/** A notification about a report, to the unit holding it (or `unitId`), urgent when the report needs it at once. */
export function reportNotice(
  report: NotifiedReport,
  reason: NotificationReason,
  unitId: string | null = report.unit_id,
): UnitNotificationJob | null {
  if (unitId === null) return null;
  return {
    unit: unitId,
    reason,
    reference: report.reference,
    protectRequest: null,
    category: report.category,
    urgent: needsUnitAtOnce(report),
  };
}

/**
 * Tells a unit, inside the caller's transaction (the use case that caused it): the job commits with the change or
 * not at all. Returns false when that key was already told (or the report has no unit).
 */
export async function notifyUnit(
  trx: DbOrTrx,
  notice: UnitNotificationJob | null,
  key: string,
  now: Date,
  repos: Repositories = repositories,
): Promise<boolean> {
  if (notice === null) return false;
  return repos.outbox.enqueueJob(trx, unitNotificationJob(notice, key), now);
}

/**
 * For the victim's follow-ups: the unit holding the report is told the victim added information (urgent when the
 * report is). Call it in the transaction that records the addition; `key` names that addition (its id or time).
 */
export function notifyUnitOfVictimInformation(
  trx: DbOrTrx,
  report: NotifiedReport,
  key: string,
  now: Date,
  repos: Repositories = repositories,
): Promise<boolean> {
  return notifyUnit(
    trx,
    reportNotice(report, 'victim-information'),
    `${report.reference}:${key}`,
    now,
    repos,
  );
}

/** A job's payload as this version writes it, or as the version before wrote it ({unit, reference, reason} etc.). */
function readNotice(payload: unknown): Partial<UnitNotificationJob> & { unit?: string } {
  const p = (payload ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const reference = str(p.reference) ?? null;
  const protectRequest = typeof p.protectRequest === 'number' ? p.protectRequest : null;
  return {
    unit: str(p.unit),
    // Before issue 20 a transfer's job carried the officer's free-text reason, and a Protect request's none.
    reason: isNotificationReason(p.reason)
      ? p.reason
      : protectRequest !== null
        ? 'protect-request'
        : 'transfer-in',
    reference,
    protectRequest,
    category: str(p.category),
    urgent: typeof p.urgent === 'boolean' ? p.urgent : undefined,
  };
}

const ukFormat = (lng: Lng) =>
  new Intl.DateTimeFormat(lng === 'cy' ? 'cy-GB' : 'en-GB', {
    timeZone: WORKING_HOURS.timeZone,
    dateStyle: 'long',
    timeStyle: 'short',
  });

type Lng = 'en' | 'cy';
/** Between the Welsh and the English of a bilingual email's body. */
export const BILINGUAL_BREAK = '\n\n— — —\n\n';

/**
 * The languages a unit is written to: Welsh and then English for a unit of Welsh forces only (a Welsh force's
 * cyber crime unit, or the regional unit of the Welsh forces), as Welsh public bodies write; English otherwise.
 */
export function unitLanguages(reference: ReferenceData, unitId: string): readonly Lng[] {
  const forces = reference.forcesOfUnit(unitId);
  return forces.length > 0 && forces.every((f) => f.nation === 'wales') ? ['cy', 'en'] : ['en'];
}

export function createUnitNotifications(
  db: Db,
  clock: () => Date,
  reference: ReferenceData,
  config: { firstContactDays: number; baseUrl: string },
  repos: Repositories = repositories,
) {
  const link = (notice: { reference: string | null }, lng: Lng) => {
    const query = lng === 'cy' ? '?lng=cy' : '';
    return notice.reference === null
      ? `${config.baseUrl}/staff${query}#protect-requests`
      : `${config.baseUrl}/staff/reports/${encodeURIComponent(notice.reference)}${query}`;
  };

  const languagesOf = (unitId: string) => unitLanguages(reference, unitId);

  /** One text in each of the unit's languages: subjects side by side, bodies one after the other. */
  const inLanguages = (
    t: Translate,
    lngs: readonly Lng[],
    key: string,
    vars: (lng: Lng) => Record<string, string>,
  ) => lngs.map((lng) => t(lng, key, vars(lng)));

  /** What one item says, in one language. */
  function describeItem(
    t: Translate,
    lng: Lng,
    item: {
      reason: NotificationReason;
      reference: string | null;
      protectRequest: number | null;
      category: string;
    },
  ) {
    return {
      reference:
        item.reference ?? t(lng, 'email.unit.protectReference', { id: String(item.protectRequest ?? '') }),
      category:
        item.category === PROTECT_REQUEST_CATEGORY
          ? t(lng, 'email.unit.protectCategory')
          : t(lng, `statistics.categories.${item.category}`),
      title: t(lng, `email.unit.reasons.${item.reason}.title`),
      why: t(lng, `email.unit.reasons.${item.reason}.why`, { days: String(config.firstContactDays) }),
      link: link(item, lng),
    };
  }

  /** The notice a job holds, completed from the report for jobs written before issue 20. */
  async function noticeOf(payload: unknown): Promise<UnitNotificationJob> {
    const notice = readNotice(payload);
    if (notice.unit === undefined || notice.reason === undefined)
      throw new DiscardJob('not a unit notification');
    if (notice.category !== undefined && notice.urgent !== undefined) return notice as UnitNotificationJob;
    const report =
      notice.reference === null || notice.reference === undefined
        ? undefined
        : await repos.reports.findReportByReference(db, notice.reference);
    if (notice.reference != null && report === undefined)
      throw new DiscardJob('the report does not exist; not sent');
    return {
      unit: notice.unit,
      reason: notice.reason,
      reference: notice.reference ?? null,
      protectRequest: notice.protectRequest ?? null,
      category: report?.category ?? PROTECT_REQUEST_CATEGORY,
      urgent: report === undefined ? false : needsUnitAtOnce(report),
    };
  }

  return {
    /**
     * Tells units of reports whose first contact has just become overdue (FIRST_CONTACT_DAYS after receipt, still
     * `received`), once each: run every minute by the worker on every instance (the outbox key makes a second
     * run, or another instance, add nothing). Returns how many were told.
     */
    async notifyOverdueFirstContact(limit = 200): Promise<number> {
      const now = clock();
      const before = overdueBefore(now, config.firstContactDays);
      const since = overdueBefore(now, config.firstContactDays + OVERDUE_LOOKBACK_DAYS);
      const reports = await repos.notifications.overdueReportsNotTold(
        db,
        since.toISOString(),
        before.toISOString(),
        limit,
      );
      if (reports.length === 0) return 0;
      return db.transaction().execute(async (trx) => {
        let told = 0;
        for (const report of reports)
          if (
            await notifyUnit(trx, reportNotice(report, 'first-contact-overdue'), report.reference, now, repos)
          )
            told++;
        return told;
      });
    },

    /**
     * Once today's digest hour has come, one digest job per person who chose it, keyed by person and UK day: a
     * restarted worker, or every instance at once, never makes a second for the same day. Returns how many were
     * added.
     */
    async enqueueDigests(): Promise<number> {
      const now = clock();
      const window = digestDue(now);
      if (window === null) return 0;
      const people = await repos.notifications.digestSubscribers(db);
      let added = 0;
      for (const person of people) {
        if (!isRole(person.role) || !canWorkCases({ role: person.role, unitId: person.unit_id })) continue;
        const job = { user: person.id, day: window.day };
        if (
          await repos.outbox.enqueueJob(
            db,
            { kind: DIGEST_JOB, dedupeKey: `${DIGEST_JOB}:${person.id}:${window.day}`, payload: job },
            now,
          )
        )
          added++;
      }
      return added;
    },

    /** The outbox handlers: one email per item to the unit, and the daily digests. */
    handlers(sender: EmailSender, t: Translate, log: WorkerLog): Record<string, JobHandler> {
      return {
        [UNIT_NOTIFICATION_JOB]: async (payload: unknown, job: OutboxRow) => {
          const notice = await noticeOf(payload);
          const unit = reference.unit(notice.unit);
          if (unit === undefined) throw new DiscardJob('the unit is not in the reference data; not sent');
          // Recorded before sending, once, dated when it happened: digests and "told once" read it.
          await repos.notifications.recordUnitNotification(db, {
            dedupe_key: job.dedupe_key,
            unit_id: unit.id,
            reason: notice.reason,
            reference: notice.reference,
            protect_request_id: notice.protectRequest,
            category: notice.category,
            urgent: notice.urgent ? 1 : 0,
            created_at: job.created_at,
          });
          // Out of hours by the unit's own calendar: its force's nation's bank holidays count.
          const outOfHours = notice.urgent && isOutOfHours(clock(), reference.bankHolidaysOfUnit(unit.id));
          const lngs = languagesOf(unit.id);
          const vars = (lng: Lng) => ({
            ...describeItem(t, lng, notice),
            urgent: notice.urgent ? t(lng, 'email.unit.urgentMark') : '',
          });
          await sender.send({
            to: unit.mailbox,
            ...(outOfHours ? { cc: [unit.outOfHours] } : {}),
            subject: inLanguages(t, lngs, 'email.unit.subject', vars).join(' / '),
            text: inLanguages(
              t,
              lngs,
              notice.urgent ? 'email.unit.bodyUrgent' : 'email.unit.body',
              vars,
            ).join(BILINGUAL_BREAK),
            template: `email.unit.${notice.reason}`,
            reference: notice.reference,
          });
          log.info(
            { unit: unit.id, reference: notice.reference, reason: notice.reason, outOfHours },
            'unit notified',
          );
        },

        [DIGEST_JOB]: async (payload: unknown) => {
          const { user, day } = (payload ?? {}) as { user?: unknown; day?: unknown };
          if (typeof user !== 'number' || typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day))
            throw new DiscardJob('not a digest');
          const person = await repos.notifications.digestChoiceOf(db, user);
          // Chosen against since, disabled, or moved out of unit work: nothing is sent.
          if (
            person?.notification_digest !== 1 ||
            !isRole(person.role) ||
            !canWorkCases({ role: person.role, unitId: person.unit_id }) ||
            person.unit_id === null
          )
            throw new DiscardJob('the person no longer takes a digest; not sent');
          const unit = reference.unit(person.unit_id);
          if (unit === undefined) throw new DiscardJob('the unit is not in the reference data; not sent');
          const window = digestWindow(day);
          const rows = await repos.notifications.nonUrgentNotificationsOfUnit(
            db,
            unit.id,
            window.from.toISOString(),
            window.to.toISOString(),
            DIGEST_MAX_ITEMS + 1,
          );
          // Nothing happened: no email.
          if (rows.length === 0) return;
          const lngs = languagesOf(unit.id);
          const vars = (lng: Lng) => {
            const items = rows.slice(0, DIGEST_MAX_ITEMS).map((row) =>
              t(
                lng,
                'email.unit.digest.item',
                describeItem(t, lng, {
                  reason: isNotificationReason(row.reason) ? row.reason : 'transfer-in',
                  reference: row.reference,
                  protectRequest: row.protect_request_id,
                  category: row.category,
                }),
              ),
            );
            if (rows.length > DIGEST_MAX_ITEMS)
              items.push(t(lng, 'email.unit.digest.more', { count: String(rows.length - DIGEST_MAX_ITEMS) }));
            return {
              unit: lng === 'cy' ? unit.nameCy : unit.name,
              count: String(Math.min(rows.length, DIGEST_MAX_ITEMS)),
              from: ukFormat(lng).format(window.from),
              to: ukFormat(lng).format(window.to),
              items: items.join('\n\n'),
              settingsUrl: `${config.baseUrl}/staff/account${lng === 'cy' ? '?lng=cy' : ''}`,
              hour: `${String(DIGEST_HOUR).padStart(2, '0')}:00`,
            };
          };
          await sender.send({
            to: person.email,
            subject: inLanguages(t, lngs, 'email.unit.digest.subject', vars).join(' / '),
            text: inLanguages(t, lngs, 'email.unit.digest.body', vars).join(BILINGUAL_BREAK),
            template: 'email.unit.digest',
            reference: null,
          });
          log.info({ unit: unit.id, user: person.id, day, items: rows.length }, 'daily digest sent');
        },
      };
    },

    /** A staff member's notification setting and what their unit is sent, for their account page. */
    async settingsOf(staff: StaffMember) {
      if (!canWorkCases(staff) || staff.unitId === null) return null;
      const unit = reference.unit(staff.unitId);
      const user = await repos.users.findUserByEmail(db, staff.email);
      return {
        digest: user?.notification_digest === 1,
        mailbox: unit?.mailbox ?? null,
        outOfHours: unit?.outOfHours ?? null,
      };
    },

    /** A staff member chooses the daily digest, or not: their own setting, audited. */
    async chooseDigest(staff: StaffMember, digest: boolean): Promise<void> {
      if (!canWorkCases(staff))
        throw new ServiceError('forbidden', 'digest-unit-work', 'Only a unit’s staff take its digest');
      await db.transaction().execute(async (trx) => {
        const id = await repos.notifications.setNotificationDigest(trx, staff.email, digest);
        if (id === undefined)
          throw new ServiceError('not-found', 'account-not-found', 'No active account for this person');
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor: staff.email,
          action: 'notification-settings',
          forceId: staff.forceId,
          detail: digest ? 'daily digest of the unit’s non-urgent items' : 'unit mailbox only',
        });
      });
    },
  };
}

export type UnitNotifications = ReturnType<typeof createUnitNotifications>;
