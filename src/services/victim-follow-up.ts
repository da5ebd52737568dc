/**
 * Victims come back: from the progress page, after the reference-and-email check, a victim adds information, more
 * evidence, or corrects their contact details. Each is one transaction, as intake is: the addition, its entry in
 * the report's history, the "new information from the victim" flag the unit's queue shows, the outbox jobs (the
 * new indicators linked and published as the report's first ones were, with the same sharing rules; the unit
 * told) and the audit row, last. Nothing personal goes in the audit row or the unit's notification.
 */
import type { Db, DbOrTrx, Dialect, Trx } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { VICTIM_UPDATE } from '../domain/casework/status.ts';
import { notifyUnitOfVictimInformation } from './unit-notifications.ts';
import type { ReportRow } from '../db/repositories/report-repository.ts';
import { MAX_FILES_PER_REPORT, MAX_REPORT_BYTES } from '../domain/evidence/evidence-file.ts';
import type { EvidenceItem } from '../domain/report/report-draft.ts';
import type { ReportSubmission } from '../domain/report/report-submission.ts';
import {
  LINK_REPORT_JOB,
  type Intelligence,
  type LinkReportJob,
  type ReportIndicator,
} from './intelligence.ts';
import { reportNotFound } from './report-access.ts';
import type { Referrals } from './referrals.ts';
import { ServiceError } from './service-error.ts';

/** Who the audit log names for what a victim does. */
export const VICTIM_ACTOR = 'victim';
/** As long as the journey's "what happened". */
export const MAX_INFORMATION_CHARS = 10_000;

/**
 * A victim who proved, in this browser session, that the report is theirs with its reference and the email address
 * they gave (`progress.check`). The web layer keeps it in the session, scoped to this one report.
 */
export interface VictimAccess {
  reference: string;
}

/** The report history's entries for what the victim did (report_updates.kind). */

/** The "your contact details were changed" email to the address the report held before. */
export interface ContactChangedEmailJob {
  to: string;
  reference: string;
  lng: 'en' | 'cy';
}

export interface ContactDetails {
  email: string | null;
  phone: string | null;
  preferredContact: string | null;
}

const invalid = (code: string, message: string, field: string, params: Record<string, number> = {}) =>
  new ServiceError('invalid', code, message, { field, params });

export function createVictimFollowUp(
  db: Db,
  dialect: Dialect,
  clock: () => Date,
  intelligence: Intelligence,
  referrals: Pick<Referrals, 'contactChanged'>,
  repos: Repositories = repositories,
) {
  /**
   * The victim's report, held until the transaction ends (PostgreSQL). Not found once retention removed its
   * personal data: there is nobody to hear from any more.
   */
  async function requireVictimReport(trx: DbOrTrx, victim: VictimAccess): Promise<ReportRow> {
    const report = await repos.reports.findReportByReference(trx, victim.reference, dialect === 'postgres');
    if (report === undefined || report.anonymised_at !== null) throw reportNotFound();
    return report;
  }

  const answersOf = (report: ReportRow) => JSON.parse(report.answers) as ReportSubmission;

  /**
   * The history entry, the queue's flag, the jobs and the audit row of one addition; answers the entry's id. The
   * new indicators are linked to other reports and then published from the outbox, under keys naming this addition.
   * The unit is emailed only when the flag was clear (`report` is the row as read, held, in this transaction).
   */
  async function record(
    trx: Trx,
    report: ReportRow,
    entry: { kind: string; message: string },
    indicators: readonly ReportIndicator[],
    now: Date,
  ): Promise<number> {
    const at = now.toISOString();
    const id = await repos.reports.addReportUpdate(trx, {
      report_id: report.id,
      kind: entry.kind,
      message: entry.message,
      visible_to_victim: 1,
      created_at: at,
    });
    // updated_at too: retention counts a closed report's time from its last change, and this is new personal data.
    await repos.reports.updateReport(trx, report.id, { victim_news_at: at, updated_at: at });
    const addition = `victim-${id}`;
    if (indicators.length > 0) {
      const job: LinkReportJob = { reference: report.reference, indicators: [...indicators], addition };
      await repos.outbox.enqueueJob(
        trx,
        {
          kind: LINK_REPORT_JOB,
          dedupeKey: `${LINK_REPORT_JOB}:${report.reference}:${addition}`,
          payload: job,
        },
        now,
      );
    }
    // The unit is told through the one notification path (reference, category and reason only), once until it
    // reads the report (which clears the flag): more additions meanwhile must not flood its mailbox or on-call.
    if (report.victim_news_at === null)
      await notifyUnitOfVictimInformation(trx, report, String(id), now, repos);
    return id;
  }

  const audit = (trx: Trx, report: ReportRow, action: string, detail: string, now: Date) =>
    repos.audit.writeAudit(trx, {
      at: now,
      actor: VICTIM_ACTOR,
      action,
      reference: report.reference,
      forceId: report.force_id,
      detail,
    });

  return {
    /** More of what happened, in the victim's words: the unit reads it in the report's history. */
    async addInformation(victim: VictimAccess, input: string): Promise<void> {
      const text = input.replace(/\r\n/g, '\n').trim();
      if (text === '') throw invalid('victim-information-required', 'Enter the information', 'information');
      if (text.length > MAX_INFORMATION_CHARS)
        throw invalid('victim-information-too-long', 'The information is too long', 'information', {
          max: MAX_INFORMATION_CHARS,
        });
      const found = await intelligence.gatherAddition({ text });
      const linked = await db.transaction().execute(async (trx) => {
        const now = clock();
        const report = await requireVictimReport(trx, victim);
        const indicators = intelligence.withoutReporter(found, answersOf(report).reporter);
        await record(trx, report, { kind: VICTIM_UPDATE.information, message: text }, indicators, now);
        // Never the text itself: supervisors read the audit trail, and it is kept after retention.
        await audit(trx, report, 'victim-information-added', `${text.length} character(s)`, now);
        return indicators.length > 0;
      });
      if (linked) intelligence.linkSoon();
    },

    /**
     * Files already checked and stored by `evidence.store` (as the journey's are), added to the report within the
     * journey's limits for a report: MAX_FILES_PER_REPORT files and MAX_REPORT_BYTES in all.
     */
    async addEvidence(victim: VictimAccess, files: readonly EvidenceItem[]): Promise<void> {
      if (files.length === 0) throw invalid('evidence-none', 'Choose a file', 'files');
      const found = await intelligence.gatherAddition({ evidence: files });
      const linked = await db.transaction().execute(async (trx) => {
        const now = clock();
        const report = await requireVictimReport(trx, victim);
        const held = await repos.reports.evidenceOfReport(trx, report.id);
        const seen = new Set(held.map((f) => f.sha256));
        const fresh = files.filter((f) => !seen.has(f.sha256) && seen.add(f.sha256));
        if (fresh.length === 0)
          throw invalid('evidence-already-added', 'These files are already part of the report', 'files');
        if (held.length + fresh.length > MAX_FILES_PER_REPORT)
          throw invalid('evidence-too-many', 'Too many files for one report', 'files', {
            max: MAX_FILES_PER_REPORT,
          });
        const bytes = [...held, ...fresh].reduce((sum, f) => sum + f.size, 0);
        if (bytes > MAX_REPORT_BYTES)
          throw invalid('evidence-total-too-large', 'The files are too large for one report', 'files', {
            maxMb: MAX_REPORT_BYTES / 1024 / 1024,
          });
        await repos.reports.insertReportEvidence(trx, report.id, fresh, now);
        const indicators = intelligence.withoutReporter(found, answersOf(report).reporter);
        await record(
          trx,
          report,
          {
            kind: VICTIM_UPDATE.evidence,
            // The file names, as officers see them in the report's evidence.
            message: fresh.map((f) => f.fileName).join(', '),
          },
          indicators,
          now,
        );
        await audit(
          trx,
          report,
          'victim-evidence-added',
          `${fresh.length} file(s): ${fresh.map((f) => f.sha256).join(', ')}`,
          now,
        );
        return indicators.length > 0;
      });
      if (linked) intelligence.linkSoon();
    },

    /**
     * New contact details replace the old (in the report and its answers, which sharing reads to keep the
     * victim's own details out of what partners get, so the report is published again). The address held before
     * is told, in the report's language. Details the same as those held change nothing, answered as a change
     * would be, so the form cannot be used to confirm a guess at the phone number held.
     */
    async correctContactDetails(victim: VictimAccess, details: ContactDetails): Promise<void> {
      const email = details.email === null || details.email === '' ? null : details.email.toLowerCase();
      const phone = details.phone === null || details.phone === '' ? null : details.phone;
      if (email === null && phone === null)
        throw invalid('contact-required', 'Give an email address or a phone number', 'email');
      const preferredContact = details.preferredContact === '' ? null : details.preferredContact;
      await db.transaction().execute(async (trx) => {
        const now = clock();
        const report = await requireVictimReport(trx, victim);
        const answers = answersOf(report);
        const before = answers.reporter;
        const changed = [
          ...(before.email !== email ? ['email'] : []),
          ...(before.phone !== phone ? ['phone'] : []),
          ...(before.preferredContact !== preferredContact ? ['preferred contact'] : []),
        ];
        if (changed.length === 0) return;
        await repos.reports.updateReport(trx, report.id, {
          contact_email: email,
          answers: JSON.stringify({ ...answers, reporter: { ...before, email, phone, preferredContact } }),
        });
        const id = await record(
          trx,
          report,
          // No values: the report's answers hold the details for those who may read them.
          { kind: VICTIM_UPDATE.contact, message: '' },
          [],
          now,
        );
        // Sharing keeps the reporter's own email and phone out of what partners get: it reads them again.
        await repos.outbox.enqueueJob(
          trx,
          {
            kind: 'publish-stix',
            dedupeKey: `publish-stix:${report.reference}:victim-${id}`,
            payload: { reportId: report.id },
          },
          now,
        );
        // Someone who got into the report is found out by the person it belongs to.
        if (report.contact_email !== null) {
          const job: ContactChangedEmailJob = {
            to: report.contact_email,
            reference: report.reference,
            lng: report.lng,
          };
          await repos.outbox.enqueueJob(
            trx,
            {
              kind: 'contact-changed-email',
              dedupeKey: `contact-changed-email:${report.reference}:${id}`,
              payload: job,
            },
            now,
          );
        }
        // Victim Support, if it has (or is about to get) a referral, calls the new number, not the old one.
        const referral = await referrals.contactChanged(trx, report.id, { email, phone, preferredContact });
        const told =
          referral === 'none'
            ? ''
            : `; Victim Support referral ${referral === 'update' ? 'updated' : 'corrected before sending'}`;
        await audit(trx, report, 'victim-contact-corrected', `changed: ${changed.join(', ')}${told}`, now);
      });
    },

    /** The files the report holds already (for the upload's limits, as the journey's); null when not theirs. */
    async evidenceHeld(victim: VictimAccess): Promise<{ sha256: string; size: number }[] | null> {
      const report = await repos.reports.findReportByReference(db, victim.reference);
      if (report === undefined || report.anonymised_at !== null) return null;
      return repos.reports.evidenceOfReport(db, report.id);
    },
  };
}

export type VictimFollowUp = ReturnType<typeof createVictimFollowUp>;
