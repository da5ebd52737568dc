/**
 * What the server runs in the background, wired once so tests run exactly what production runs: the outbox job
 * handlers, the notification checks every minute and the hourly housekeeping.
 */
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { EmailSender } from './email/email-sender.ts';
import {
  confirmationEmailHandler,
  contactChangedEmailHandler,
  type Translate,
  updateEmailHandler,
} from './email/victim-emails.ts';
import { SAVED_DRAFT_EMAIL_JOB } from './saved-drafts.ts';
import type { Services } from './index.ts';
import type { JobHandler, WorkerLog } from './outbox-worker.ts';
import { PUBLISH_INDICATORS_JOB, publishIndicatorsHandler, publishStixHandler } from './sharing.ts';
import { webhookHandler } from './webhooks.ts';
import { GROUP_WEBHOOK_JOB } from './working-groups.ts';
import { INCIDENT_MATCH_JOB, INCIDENT_SCAN_JOB } from './incidents.ts';
import { DISRUPTION_WEBHOOK_JOB } from './disruption.ts';
import { bankHolidayCoverage } from '../domain/notifications/bank-holidays.ts';

export function jobHandlers(
  services: Services,
  deps: { log: WorkerLog; email: EmailSender; translate: Translate },
  repos: Repositories = repositories,
): Readonly<Record<string, JobHandler>> {
  const { log, email, translate } = deps;
  const { baseUrl } = services.config;
  const heldPersonalData = async (reference: string) => {
    const report = await repos.reports.findReportByReference(services.database.db, reference);
    return report !== undefined && report.anonymised_at === null;
  };
  return {
    'confirmation-email': confirmationEmailHandler(email, translate, baseUrl, heldPersonalData),
    'update-email': updateEmailHandler(email, translate, baseUrl, heldPersonalData),
    'contact-changed-email': contactChangedEmailHandler(email, translate, baseUrl, heldPersonalData),
    [SAVED_DRAFT_EMAIL_JOB]: services.savedDrafts.emailHandler(email, translate, baseUrl),
    'publish-stix': publishStixHandler(services.sharing),
    [PUBLISH_INDICATORS_JOB]: publishIndicatorsHandler(services.sharing),
    'victim-support-referral': services.referrals.deliveryHandler(log),
    'victim-support-withdrawal': services.referrals.withdrawalHandler(log),
    'victim-support-update': services.referrals.updateHandler(log),
    [INCIDENT_SCAN_JOB]: services.incidents.scanHandler(),
    [INCIDENT_MATCH_JOB]: services.incidents.matchHandler(),
    'partner-webhook': webhookHandler(services.database.db, services.partners, services.clock),
    [GROUP_WEBHOOK_JOB]: services.workingGroups.webhookHandler(),
    [DISRUPTION_WEBHOOK_JOB]: services.disruption.webhookHandler(),
    ...services.suppliers.webhookHandlers(services.partners),
    // Emails to units (each item to the unit mailbox; daily digests to the staff who chose them).
    ...services.unitNotifications.handlers(email, translate, log),
    // Protect replies and questionnaires; stay-safe alert confirmations and batches (issue 24).
    ...services.protectEngagements.handlers(email, translate, baseUrl),
    ...services.alertSubscriptions.handlers(email, translate, baseUrl),
    // New Prevent referrals, to the region's Prevent mailbox.
    ...services.prevent.handlers(email, translate, baseUrl),
    // Supplier taskings: the unit and the supplier told of each other's steps (reference and link only).
    ...services.suppliers.emailHandlers(email, translate, baseUrl),
  };
}

/**
 * Every minute: units are told of first contact that has just become overdue, and once the digest hour has come,
 * today's digests are queued; overdue disruption requests are reminded. Each is keyed in the outbox or marked once
 * done, so every instance may run them at once.
 */
export async function runNotificationChecks(services: Services, log: WorkerLog): Promise<void> {
  const steps: [string, () => Promise<number>][] = [
    ['overdue first contact told', () => services.unitNotifications.notifyOverdueFirstContact()],
    ['daily digests queued', () => services.unitNotifications.enqueueDigests()],
    // Disruption requests whose clock ran out: the unit and the partner reminded, once each.
    ['disruption requests reminded', () => services.disruption.remindOverdue()],
  ];
  for (const [what, run] of steps) {
    try {
      const count = await run();
      if (count > 0) log.info({ count }, `notifications: ${what}`);
    } catch (error) {
      log.error({ err: error }, `notifications failed: ${what}`);
    }
  }
}

/** A log that can warn: start-up and the hourly housekeeping warn of what a person must fix before it bites. */
export interface HousekeepingLog extends WorkerLog {
  warn(obj: object, msg: string): void;
}

/**
 * Warns when reference/bank-holidays.json does not cover this year or the next: a year missing would make its bank
 * holidays working days (urgent items not sent to out-of-hours contacts). At start-up and hourly; answers whether
 * it warned. The yearly update: docs/reference-data.md, Bank holidays.
 */
export function warnBankHolidayCoverage(
  services: Pick<Services, 'reference' | 'clock'>,
  log: Pick<HousekeepingLog, 'warn'>,
): boolean {
  const coverage = bankHolidayCoverage(services.reference.bankHolidays.years, services.clock());
  if (coverage.covered) return false;
  log.warn(
    { lastYear: coverage.lastYear, uncovered: coverage.uncovered },
    `bank holidays: reference/bank-holidays.json ends with ${String(coverage.lastYear)}; add ${coverage.uncovered.join(' and ')} from GOV.UK (docs/reference-data.md)`,
  );
  return true;
}

/**
 * Hourly: expired sessions and finished progress-check counters, evidence files nothing refers to, the
 * retention rules for closed reports and Prevent referrals, and saved drafts whose link has expired. Each step runs even if another fails; only counts are logged.
 * Then the bank holidays' coverage is checked (a warning, not a step: it removes nothing).
 */
export async function runHousekeeping(services: Services, log: HousekeepingLog): Promise<void> {
  const steps: [string, () => Promise<number | null>][] = [
    ['expired sessions', () => services.sessions.purgeExpired()],
    [
      'finished per-client limit counters',
      () => services.clientLimits.purgeFinishedWindows().then(() => null),
    ],
    ['orphaned evidence files', () => services.retention.collectOrphanedEvidence()],
    ['closed reports past retention', () => services.retention.removeExpiredPersonalData()],
    ['Prevent referrals past retention', () => services.retention.removeExpiredPreventReferrals()],
    ['saved drafts past their link’s expiry', () => services.retention.removeExpiredSavedDrafts()],
    ['upload forms’ one-time keys', () => services.retention.removeOldUploadKeys()],
    ['external feed values expired 30 days ago', () => services.feeds.expire()],
    ['alert subscriptions never confirmed', () => services.alertSubscriptions.purgeUnconfirmed()],
  ];
  for (const [what, run] of steps) {
    try {
      const removed = await run();
      if (removed !== null && removed > 0) log.info({ removed }, `housekeeping: ${what}`);
    } catch (error) {
      log.error({ err: error }, `housekeeping failed: ${what}`);
    }
  }
  warnBankHolidayCoverage(services, log);
}

/**
 * Every 30 seconds: pulls the external feeds that are due (their interval passed, or their back-off ended). Each
 * feed is leased while it is pulled, so every instance may run this at once; failures are recorded on the feed
 * (admin jobs page) and logged, never thrown.
 */
export async function runFeedPulls(services: Services, log: WorkerLog): Promise<void> {
  try {
    await services.feeds.pullDue(log);
  } catch (error) {
    log.error({ err: error }, 'feed pulls failed');
  }
}
