import type { Config } from '../config/config.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { openServiceDatabase } from './service-database.ts';
import { loadReferenceData } from '../reference-data/load-reference-data.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import { createHealthService } from './health.ts';
import { createPostcodeLookup } from './postcode-lookup.ts';
import { createReportIntake } from './report-intake.ts';
import { createReportProgress } from './report-progress.ts';
import { createSessionStore } from './sessions.ts';
import { createEvidenceStore } from './evidence-store.ts';
import { createReportEvidence } from './report-evidence.ts';
import { createApiTokens } from './api-tokens.ts';
import { createStatistics } from './statistics.ts';
import { createUnitFigures } from './unit-figures.ts';
import { createLegacyImport, createLegacyReclassify } from './legacy-import.ts';
import { createRecategorise } from './recategorise.ts';
import { createClassificationReview } from './classification-review.ts';
import { argon2, createStaff } from './staff.ts';
import { createStaffPasswords } from './staff-passwords.ts';
import type { PasswordHasher } from './staff-sign-in.ts';
import { createDataCipher } from './data-cipher.ts';
import { createCasework } from './casework.ts';
import { createProtectRequests } from './protect-requests.ts';
import { createAdvice } from './advice.ts';
import { createAlerts } from './alerts/alerts.ts';
import { createAlertSubscriptions } from './alerts/alert-subscriptions.ts';
import { createProtectEngagements } from './protect-engagements.ts';
import { createIntelligence } from './intelligence.ts';
import { createSharing } from './sharing.ts';
import { createPartnerRelease } from './partner-release.ts';
import { createPartners } from './partners.ts';
import { createWebhookSecurity } from './webhook-security.ts';
import { sealPlainWebhookSecrets } from './webhooks.ts';
import { createTaxii } from './taxii.ts';
import { createIndicatorView } from './indicator-view.ts';
import { createPartnerSubmissions } from './partner-submissions.ts';
import { createPartnerPortal } from './partner-portal.ts';
import { createPartnerUserTokens } from './partner-user-tokens.ts';
import { createPartnerUsers } from './partner-users.ts';
import { createTaxiiFeedback } from './taxii-feedback.ts';
import { createReferrals } from './referrals.ts';
import { createAskTheUnit } from './ask-the-unit.ts';
import { createInvestigations } from './investigations/index.ts';
import { createClientLimits } from './client-limits.ts';
import { createRetention } from './retention.ts';
import { createJobAdmin } from './job-admin.ts';
import { createStaffAccounts } from './staff-accounts.ts';
import { createShownOnce } from './shown-once.ts';
import { createTamperEvidence } from './tamper-evidence/tamper-evidence.ts';
import { createUnitNotifications } from './unit-notifications.ts';
import { createVictimFollowUp } from './victim-follow-up.ts';
import { createSavedDrafts } from './saved-drafts.ts';
import { createUploadKeys } from './upload-keys.ts';
import { createFeeds } from './feeds/index.ts';
import { createWorkingGroupCasework } from './working-group-casework.ts';
import { createWorkingGroupPartnerReads } from './working-group-partner-reads.ts';
import { createWorkingGroups } from './working-groups.ts';
import { createPrevent } from './prevent.ts';
import { createIncidents } from './incidents.ts';
import { createDisruption } from './disruption.ts';
import { createSuppliers } from './suppliers/index.ts';

export interface ServiceOptions {
  /** Reference data already loaded (tests share one copy); read from ./reference/ otherwise. */
  reference?: ReferenceData;
  /** The clock every service reads (tests move it). */
  clock?: () => Date;
  /** Password hashing; production argon2 unless given (tests pass a cheap one). */
  passwords?: PasswordHasher;
  /** Subscribers per stay-safe alert email batch (ALERT_BATCH_SIZE unless given: tests send a few batches of a few). */
  alertBatchSize?: number;
}

/** Wires repositories and services once. Nothing here is global: tests build as many containers as they need. */
export function services(config: Config, options: ServiceOptions = {}) {
  // Reference data first: a deployment that cannot start (a placeholder address in production) touches nothing.
  const reference =
    options.reference ??
    loadReferenceData(undefined, {
      unitContactsFile: config.unitContactsFile,
      production: config.nodeEnv === 'production',
    });
  const { keyring, database } = openServiceDatabase(config);
  const tamperEvidence = createTamperEvidence(database.db, keyring);
  const clock = options.clock ?? (() => new Date());
  const intelligence = createIntelligence(database.db, reference.warningLists, clock, database.dialect);
  const referrals = createReferrals(database.db, database.dialect, clock, config);
  const clientLimits = createClientLimits(database.db, clock, config.sessionSecret);
  const cipher = createDataCipher(config.dataKey);
  const passwords = options.passwords ?? argon2;
  const staff = createStaff(database.db, clock, { dialect: database.dialect, cipher, passwords });
  const recategorise = createRecategorise(database.db, database.dialect, clock, reference);
  const webhooks = createWebhookSecurity(cipher, { allowInternal: config.webhookAllowInternal });
  const sharing = createSharing(
    database.db,
    database.dialect,
    clock,
    reference,
    config.shareMinIndependentReports,
  );
  const partners = createPartners(database.db, clock, {
    httpsOnly: config.nodeEnv === 'production',
    webhooks,
  });
  const partnerSubmissions = createPartnerSubmissions(database.db, clock, reference.warningLists);
  const tokens = createApiTokens(database.db, clock);
  const partnerUsers = createPartnerUsers(database.db, clock, { cipher, passwords, partners });
  const feeds = createFeeds(database.db, clock, {
    secrets: config.feedSecrets,
    httpsOnly: config.nodeEnv === 'production',
  });
  return {
    config,
    database,
    reference,
    health: createHealthService(database),
    jobs: createJobAdmin(database.db, clock),
    clock,
    postcodes: createPostcodeLookup(reference),
    sessions: createSessionStore(database.db, clock, database.dialect),
    shownOnce: createShownOnce(cipher),
    reportIntake: createReportIntake(
      database.db,
      clock,
      reference,
      intelligence,
      referrals,
      config.sessionSecret,
      config.classificationReviewThreshold,
      database.dialect,
    ),
    referrals,
    askTheUnit: createAskTheUnit(database.db, clock),
    investigations: createInvestigations(database.db, database.dialect, clock, reference),
    intelligence,
    sharing,
    partnerRelease: createPartnerRelease(database.db, clock, sharing),
    indicatorView: createIndicatorView(database.db, clock, sharing, (values) => feeds.knownTo(values)),
    partners,
    disruption: createDisruption(database.db, database.dialect, clock, reference, partners),
    suppliers: createSuppliers(database.db, database.dialect, clock, reference),
    workingGroups: {
      ...createWorkingGroups(database.db, clock, partners, new Set(reference.units.map((u) => u.id))),
      ...createWorkingGroupCasework(database.db, database.dialect, clock, reference.units),
      ...createWorkingGroupPartnerReads(database.db, clock),
    },
    taxii: createTaxii(database.db, undefined, database.copyOut),
    clientLimits,
    taxiiFeedback: createTaxiiFeedback(database.db, clock),
    partnerSubmissions,
    partnerUsers,
    partnerUserTokens: createPartnerUserTokens(database.db, clock, tokens, partnerUsers),
    partnerPortal: createPartnerPortal(database.db, clock, partnerSubmissions),
    progress: createReportProgress(database.db, clientLimits),
    victimFollowUp: createVictimFollowUp(database.db, database.dialect, clock, intelligence, referrals),
    savedDrafts: createSavedDrafts(database.db, clock, cipher, clientLimits),
    uploadKeys: createUploadKeys(database.db, clock),
    evidence: createEvidenceStore(database.db, clock),
    reportEvidence: createReportEvidence(database.db, database.dialect, clock),
    retention: createRetention(database.db, clock, config),
    tokens,
    statistics: createStatistics(database.db, reference, clock),
    unitFigures: createUnitFigures(database.db, reference, clock),
    legacyImport: createLegacyImport(database.db, clock, config.classificationReviewThreshold),
    legacyReclassify: createLegacyReclassify(
      database.db,
      database.dialect,
      clock,
      config.classificationReviewThreshold,
    ),
    recategorise,
    classificationReview: createClassificationReview(database.db, database.dialect, clock, recategorise),
    staff,
    staffAccounts: createStaffAccounts(database.db, clock, reference, cipher, passwords),
    staffPasswords: createStaffPasswords(database.db, clock, passwords),
    casework: createCasework(database.db, database.dialect, clock, reference, config.firstContactDays),
    protectRequests: createProtectRequests(database.db, clock, reference, database.dialect),
    protectEngagements: createProtectEngagements(database.db, clock, reference),
    alerts: createAlerts(database.db, database.dialect, clock, reference),
    alertSubscriptions: createAlertSubscriptions(
      database.db,
      clock,
      reference,
      config.sessionSecret,
      options.alertBatchSize,
    ),
    prevent: createPrevent(database.db, database.dialect, clock, reference),
    incidents: createIncidents(database.db, database.dialect, clock),
    unitNotifications: createUnitNotifications(database.db, clock, reference, config),
    advice: createAdvice(database.db, clock),
    feeds,
    tamperEvidence,
    /**
     * Migrations, then data that needs configuration to change (audit rows and custody heads from before
     * signing; second-factor and webhook secrets still stored plain).
     */
    migrate: async () => {
      const applied = await migrateToLatest(database.db);
      // Before anything writes to the audit log: the chain must be started first.
      await tamperEvidence.start();
      await staff.sealPlainTotpSecrets();
      await sealPlainWebhookSecrets(database.db, webhooks);
      return applied;
    },
    close: () => database.close(),
  };
}

export type Services = ReturnType<typeof services>;
