/**
 * What the server runs in the background, wired once so tests run exactly what production runs: the outbox job
 * handlers and the hourly housekeeping.
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
import { publishStixHandler } from './sharing.ts';
import { webhookHandler } from './webhooks.ts';

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
    'victim-support-referral': services.referrals.deliveryHandler(log),
    'victim-support-withdrawal': services.referrals.withdrawalHandler(log),
    'partner-webhook': webhookHandler(services.database.db, services.partners, services.clock),
    // Units see transferred reports in their queue at once; this records that they were told (the transfer
    // reason is free text, so it is not logged).
    'unit-notification': (payload) => {
      const { unit, reference, protectRequest } = payload as {
        unit?: string;
        reference?: string;
        protectRequest?: number;
      };
      log.info({ unit, reference, protectRequest }, 'unit notified');
      return Promise.resolve();
    },
  };
}

/**
 * Hourly: expired sessions and finished progress-check counters, evidence files nothing refers to, the
 * retention rule for closed reports, and saved drafts whose link has expired. Each step runs even if another fails; only counts are logged.
 */
export async function runHousekeeping(services: Services, log: WorkerLog): Promise<void> {
  const steps: [string, () => Promise<number | null>][] = [
    ['expired sessions', () => services.sessions.purgeExpired()],
    [
      'finished per-client limit counters',
      () => services.clientLimits.purgeFinishedWindows().then(() => null),
    ],
    ['orphaned evidence files', () => services.retention.collectOrphanedEvidence()],
    ['closed reports past retention', () => services.retention.removeExpiredPersonalData()],
    ['saved drafts past their link’s expiry', () => services.retention.removeExpiredSavedDrafts()],
  ];
  for (const [what, run] of steps) {
    try {
      const removed = await run();
      if (removed !== null && removed > 0) log.info({ removed }, `housekeeping: ${what}`);
    } catch (error) {
      log.error({ err: error }, `housekeeping failed: ${what}`);
    }
  }
}
