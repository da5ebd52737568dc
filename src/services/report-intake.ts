import { CONTACT_MEDIUM, type Medium } from '../domain/classification/online-cues.ts';
import { needsReview, storedOnline } from '../domain/classification/stored.ts';
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import type { Db, DbOrTrx, Dialect, Trx } from '../db/database.ts';
import type { NewOutboxJob } from '../db/repositories/outbox-repository.ts';
import type { NewReportWithFirstRows } from '../db/repositories/report-repository.ts';
import { groupCommit } from '../db/group-commit.ts';

import { createClassifier } from '../domain/classification/classify.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import { routeSubmission } from './routing.ts';
import {
  LINK_REPORT_JOB,
  type Intelligence,
  type LinkReportJob,
  type ReportIndicator,
} from './intelligence.ts';
import type { Referrals } from './referrals.ts';
import type { Category } from '../domain/classification/taxonomy.ts';
import { generateCrimeReference } from '../domain/reference/crime-reference.ts';
import { isVulnerable, totalLossPence, type ReportSubmission } from '../domain/report/report-submission.ts';
import { clientNetwork } from '../domain/sharing/reporter-identity.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { IdempotencyOwner } from '../db/repositories/idempotency-repository.ts';
import { reportNotice, unitNotificationJob } from './unit-notifications.ts';
import { incidentMatchJob } from './incidents.ts';

const STATS_SHARDS = 8;
/**
 * Group commit of plain reports on PostgreSQL (docs/performance.md, "Report intake"): two batches written at once,
 * at most 64 reports each.
 */
const GROUP_COMMIT = { inFlight: 2, maxBatch: 64 };

/**
 * Whether PostgreSQL refused the statement, so that it wrote nothing: an error it sent with a SQLSTATE, other than a
 * connection, shutdown, system or internal one. A dropped connection has no SQLSTATE: the batch may have committed.
 */
function statementRefused(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|57|58|XX)/.test(code);
}

export interface SubmittedReport {
  id: number;
  reference: string;
  category: Category;
}

/** A confirmation email for the outbox; rendered by the worker in the reporter's language. */
export interface ConfirmationEmailJob {
  to: string;
  reference: string;
  category: string;
  lng: 'en' | 'cy';
}

/**
 * Records a report in one transaction: the report, its evidence, its first progress update and its confirmation
 * email job. When this resolves the report is durably stored and can be acknowledged.
 */
export type IdempotentResult =
  { kind: 'created'; report: SubmittedReport } | { kind: 'replay'; reference: string } | { kind: 'conflict' };

interface SubmitOptions {
  partnerTokenId?: number;
  /** The language the person reported in (default English); kept with the report for every email to them. */
  lng?: 'en' | 'cy';
  /** The address a public-journey submission came from: one reporter's repeats then count once in sharing. */
  clientAddress?: string;
  /**
   * One source of several reports (an adviser's upload of a business's CSV): its reports count as one reporter in
   * sharing, whatever contact details each row gives. Kept only as an HMAC, as the client network is.
   */
  reporterGroup?: string;
  /**
   * A call handler who took the report for a caller (phone or web chat): named on the report, in its history and
   * in the audit row, all in the intake's one transaction.
   */
  adviser?: { userId: number; name: string };
  /**
   * A victim who said they were affected by this significant incident: linked to it in the intake's transaction
   * while it is open (a report made as it closes is still recorded, unlinked).
   */
  incidentId?: number;
}

/**
 * Records a report in one transaction: the report, its evidence, its first progress update and its confirmation
 * email job. When this resolves the report is durably stored and can be acknowledged.
 */
export function createReportIntake(
  db: Db,
  clock: () => Date,
  reference: ReferenceData,
  intelligence: Intelligence,
  referrals: Referrals,
  /** Keys the hash of the client network kept with a report, so the database never holds the address itself. */
  reporterKeySecret: string,
  /** Classifications less confident than this wait in the review queue. */
  reviewThreshold = 0.9,
  dialect: Dialect = 'sqlite',
  random: (size: number) => Uint8Array = pooledRandomBytes,
  repos: Repositories = repositories,
) {
  // One classifier for the intake's reports: it remembers corrected words and their cues between reports (bounded,
  // no word with a digit, in this process's memory only), as an import's does; each answer is as classify()'s.
  const classifier = createClassifier();
  const clientKey = (options: SubmitOptions) =>
    options.reporterGroup !== undefined
      ? createHmac('sha256', reporterKeySecret)
          .update(`reporter-group:${options.reporterGroup}`)
          .digest('hex')
      : options.clientAddress === undefined
        ? null
        : createHmac('sha256', reporterKeySecret)
            .update(`reporter-client:${clientNetwork(options.clientAddress)}`)
            .digest('hex');

  // Victim Support only when offered, with consent and a way to reach the person.
  const needsReferral = (submission: ReportSubmission) =>
    referrals.offered &&
    submission.consents.victimSupport &&
    (submission.reporter.email !== null || submission.reporter.phone !== null);

  // On PostgreSQL, reports written without a transaction of their own go to the database in batches (group commit).
  // A report written alone goes through the same prepared statement as a batch of one: its text never changes, so it
  // is neither compiled nor planned again for each report.
  const writeGrouped = groupCommit<NewReportWithFirstRows, number | null>(
    (batch) => repos.reports.insertReportsWithFirstRows(db, batch),
    async (rows) => (await repos.reports.insertReportsWithFirstRows(db, [rows]))[0] ?? null,
    { ...GROUP_COMMIT, retryAlone: statementRefused },
  );

  async function insertAll(
    trx: DbOrTrx,
    submission: ReportSubmission,
    indicators: readonly ReportIndicator[],
    options: SubmitOptions,
    grouped = false,
  ): Promise<SubmittedReport> {
    const now = clock();
    const at = now.toISOString();
    const classification = classifier.classify({
      text: submission.narrative,
      chosenCategory: submission.category ?? undefined,
      vulnerability: submission.vulnerability,
      answeredMedium: answeredMedium(submission),
    });
    const category = classification.category;
    const lng = options.lng ?? 'en';
    const routing = routeSubmission(reference, submission, classification);
    const status = category === 'phishing-attempt' ? 'intelligence' : 'received';
    const vulnerable = isVulnerable(submission) || classification.vulnerable;
    // 40 random bits: a collision is very unlikely, but never fatal.
    for (let attempt = 0; attempt < 5; attempt++) {
      const reference = generateCrimeReference(random);
      const jobs: (NewOutboxJob & { whileIncidentOpen?: boolean })[] = [];
      if (submission.reporter.email !== null) {
        const job: ConfirmationEmailJob = { to: submission.reporter.email, reference, category, lng };
        jobs.push({ kind: 'confirmation-email', dedupeKey: `confirmation-email:${reference}`, payload: job });
      }
      if (indicators.length > 0) {
        // Linking to other reports (and then industry sharing) runs from the outbox a moment later, in batches:
        // the acknowledgement never waits on a campaign's hot indicator rows.
        const job: LinkReportJob = { reference, indicators: [...indicators] };
        jobs.push({ kind: LINK_REPORT_JOB, dedupeKey: `${LINK_REPORT_JOB}:${reference}`, payload: job });
      }
      // While some significant incident is open, a job matches the report against each (services/incidents.ts):
      // whether one is open is read by the report's own statement.
      jobs.push({ ...incidentMatchJob(reference, indicators), whileIncidentOpen: true });
      // A report that cannot wait: its unit is told at once (in the same statement as the report).
      const notice = reportNotice(
        { reference, unit_id: routing.unitId, category, urgent: routing.urgent, vulnerable },
        'urgent-report',
      );
      if (status === 'received' && notice?.urgent === true) jobs.push(unitNotificationJob(notice, reference));
      const rows: NewReportWithFirstRows = {
        report: {
          reference,
          status,
          source: submission.source,
          partner_token_id: options.partnerTokenId ?? null,
          reporter_client: clientKey(options),
          reporter_type: submission.reporterType,
          category,
          cyber: classification.cyber,
          recording_code: classification.code,
          extortion: classification.extortion ? 1 : 0,
          classification: JSON.stringify({
            confidence: classification.confidence,
            reasons: classification.reasons,
            cues: classification.cues,
          }),
          online: storedOnline(classification),
          online_evidence: JSON.stringify(classification.online.evidence),
          confidence: classification.confidence,
          review: needsReview(classification, reviewThreshold) ? 'pending' : 'none',
          force_id: routing.forceId,
          unit_id: routing.unitId,
          routing_rule: routing.rule,
          routing_reasons: JSON.stringify(routing.because),
          urgent: routing.urgent ? 1 : 0,
          force_candidates: JSON.stringify(submission.force.candidates),
          postcode: submission.postcode,
          contact_email: submission.reporter.email,
          loss_pence: totalLossPence(submission),
          vulnerable: vulnerable ? 1 : 0,
          ongoing: submission.ongoing ? 1 : 0,
          victim_support_consent: submission.consents.victimSupport ? 1 : 0,
          narrative: submission.narrative,
          answers: JSON.stringify(submission),
          lng,
          adviser_user_id: options.adviser?.userId ?? null,
          adviser_name: options.adviser?.name ?? null,
          created_at: at,
          updated_at: at,
        },
        update: { kind: 'received', message: '', visible_to_victim: 1, created_at: at },
        categoryChange: {
          category,
          previous_category: null,
          changed_by: submission.category === null ? 'classifier' : 'reporter',
          reason: classification.reasons.join('; '),
          changed_at: at,
        },
        jobs,
        stats: {
          day: at.slice(0, 10),
          force_id: routing.forceId ?? '',
          category,
          cyber: classification.cyber,
          source: 'report',
          shard: randomInt(STATS_SHARDS),
          reports: 1,
          loss_pence: totalLossPence(submission),
        },
        now,
      };
      // A NUL character is refused by PostgreSQL either way; alone, the refusal quotes none of the report in its log.
      const id =
        grouped && !rows.report.answers.includes('\\u0000')
          ? await writeGrouped(rows)
          : await repos.reports.insertReportWithFirstRows(trx, dialect, rows);
      if (id === null) continue;
      await repos.reports.insertReportEvidence(trx, id, submission.evidence, now);
      if (needsReferral(submission)) await referrals.create(trx, { id, category }, submission);
      if (options.incidentId !== undefined) {
        const incident = await repos.incidents.findIncident(trx, options.incidentId);
        if (incident?.status === 'open')
          await repos.incidents.linkReports(trx, incident.id, [id], 'reported', at);
      }
      if (options.adviser !== undefined) {
        // Staff see who took it in the report's history; the victim's progress page does not show it.
        await repos.reports.insertReportUpdate(trx, {
          report_id: id,
          kind: 'taken-by-adviser',
          message: options.adviser.name,
          visible_to_victim: 0,
          created_at: at,
        });
        // Last: the audit writer holds the chain's head until commit.
        await repos.audit.writeAudit(trx as Trx, {
          at: now,
          actor: options.adviser.name,
          action: 'report-taken-by-adviser',
          reference,
          forceId: routing.forceId,
          detail: `taken for a caller; routed to ${routing.unitId ?? 'no unit'}`,
        });
      }
      return { id, reference, category };
    }
    throw new Error('could not allocate a unique crime reference number');
  }

  return {
    async submit(submission: ReportSubmission, options: SubmitOptions = {}): Promise<SubmittedReport> {
      // Read before the transaction on purpose: parsing evidence (.eml) holds no lock, and the blobs it reads are
      // stored once per SHA-256 and never change.
      const indicators = await intelligence.gather(submission);
      // On PostgreSQL a report without evidence or a referral is one statement: atomic without a transaction.
      const report =
        dialect === 'postgres' &&
        submission.evidence.length === 0 &&
        !needsReferral(submission) &&
        options.adviser === undefined &&
        options.incidentId === undefined
          ? await insertAll(db, submission, indicators, options, true)
          : await db.transaction().execute((trx) => insertAll(trx, submission, indicators, options));
      if (indicators.length > 0) intelligence.linkSoon();
      return report;
    },

    /**
     * A submission under an idempotency key, a partner token's (Idempotency-Key, bulk rows) or a staff member's (the
     * rows of a workspace upload): the key is claimed in the same transaction as the report, so a retry (even a
     * concurrent one) gets the first reference back and never a duplicate report.
     */
    async submitIdempotent(
      submission: ReportSubmission,
      key: { owner: IdempotencyOwner; key: string; requestHash: string },
      options: SubmitOptions = {},
    ): Promise<IdempotentResult> {
      const indicators = await intelligence.gather(submission);
      const result: IdempotentResult = await db.transaction().execute(async (trx) => {
        const claimed = await repos.idempotency.claimIdempotencyKey(trx, key.owner, {
          key: key.key,
          request_hash: key.requestHash,
          created_at: clock().toISOString(),
        });
        if (!claimed) {
          const existing = await repos.idempotency.findIdempotencyKey(trx, key.owner, key.key);
          if (existing?.request_hash !== key.requestHash) return { kind: 'conflict' };
          return { kind: 'replay', reference: existing.reference };
        }
        const report = await insertAll(trx, submission, indicators, options);
        await repos.idempotency.setIdempotencyReference(trx, key.owner, key.key, report.reference);
        return { kind: 'created', report } as const;
      });
      if (result.kind === 'created' && indicators.length > 0) intelligence.linkSoon();
      return result;
    },
  };
}

const RANDOM_POOL = 4096;
let pool = new Uint8Array(0);
let poolAt = 0;
/**
 * Cryptographically random bytes from a pool refilled 4 KiB at a time: a draw of 8 bytes per report cost a call into
 * OpenSSL each. Each byte is handed out once.
 */
function pooledRandomBytes(size: number): Uint8Array {
  if (size > RANDOM_POOL) return randomBytes(size);
  if (poolAt + size > pool.length) {
    pool = randomBytes(RANDOM_POOL);
    poolAt = 0;
  }
  poolAt += size;
  return pool.slice(poolAt - size, poolAt);
}

/** The online element the reporter's own answers show: how they were contacted, or a website, email or account. */
function answeredMedium(submission: ReportSubmission): Medium | undefined {
  const contact = submission.contactMethod === null ? undefined : CONTACT_MEDIUM[submission.contactMethod];
  if (contact !== undefined) return contact;
  if (submission.suspect.websites.length > 0) return 'website-app';
  if (submission.suspect.emails.length > 0) return 'email';
  if (submission.suspect.socials.length > 0) return 'social-media';
  return undefined;
}
