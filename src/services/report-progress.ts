import { timingSafeEqual, createHash } from 'node:crypto';
import type { Db } from '../db/database.ts';

import { PROGRESS_REFERENCE_GUARD } from '../domain/limits/client-limits.ts';
import { parsePostcode } from '../domain/postcode/postcode.ts';
import { parseCrimeReference } from '../domain/reference/crime-reference.ts';
import type { ClientLimits } from './client-limits.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';

export type ProgressAnswer =
  | {
      kind: 'found';
      reference: string;
      status: string;
      category: string;
      forceId: string | null;
      unitId: string | null;
      routingRule: string;
      createdAt: string;
      updates: { kind: string; message: string; createdAt: string }[];
      /**
       * How the person proved it is theirs: only the email address given lets them add to the report (a postcode
       * is easier to find out; see docs/security.md).
       */
      provedBy: ProvedBy;
      /** False once retention removed the report's personal data: nothing can be added then. */
      personalDataHeld: boolean;
    }
  | { kind: 'no-match' }
  | { kind: 'throttled'; retryAt: Date };

export type ProvedBy = 'email' | 'postcode';

/**
 * What the person reads of the report's history: the officers' messages to them, and otherwise only what kind of
 * event it was (what the victim added themselves is never repeated back, nor to the partner that filed it).
 */
const victimView = (u: { kind: string; message: string }) => (u.kind === 'message' ? u.message : '');

function sameText(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * Lets a victim see progress with their reference plus the email or postcode they gave. Attempts are limited per
 * client (the web gate) and per client and reference (here); many wrong answers for one reference from anyone
 * stop a postcode proving who is asking, but never stop the right email address (see docs/security.md).
 */
export function createReportProgress(db: Db, limits: ClientLimits, repos: Repositories = repositories) {
  async function found(
    report: NonNullable<Awaited<ReturnType<typeof repositories.reports.findReportByReference>>>,
    provedBy: ProvedBy,
  ): Promise<ProgressAnswer> {
    const updates = await repos.reports.listVictimUpdates(db, report.id);
    return {
      kind: 'found',
      reference: report.reference,
      status: report.status,
      category: report.category,
      forceId: report.force_id,
      unitId: report.unit_id,
      routingRule: report.routing_rule,
      createdAt: report.created_at,
      updates: updates.map((u) => ({ kind: u.kind, message: victimView(u), createdAt: u.created_at })),
      provedBy,
      personalDataHeld: report.anonymised_at === null,
    };
  }

  return {
    /** Status for the partner token that submitted the report; null for anyone else's or an unknown reference. */
    async forPartner(referenceInput: string, tokenId: number) {
      const reference = parseCrimeReference(referenceInput);
      const report =
        reference === null ? undefined : await repos.reports.findReportByReference(db, reference);
      if (report?.partner_token_id !== tokenId) return null;
      const updates = await repos.reports.listVictimUpdates(db, report.id);
      return {
        reference: report.reference,
        status: report.status,
        receivedAt: report.created_at,
        updates: updates.map((u) => ({ kind: u.kind, message: victimView(u), at: u.created_at })),
      };
    },

    async check(referenceInput: string, secretInput: string, clientAddress: string): Promise<ProgressAnswer> {
      const reference = parseCrimeReference(referenceInput);
      if (reference === null) return { kind: 'no-match' };
      const decision = await limits.attempt('progress-check-reference', clientAddress, reference);
      if (!decision.allowed) return { kind: 'throttled', retryAt: decision.retryAt };

      // The same queries whatever the answer, so timing tells nothing about the reference or the guard.
      const guarded = `progress-wrong:${reference}`;
      const { windowMinutes, wrongAnswers } = PROGRESS_REFERENCE_GUARD;
      const postcodeProves = (await limits.tallied(guarded, windowMinutes)) < wrongAnswers;
      const report = await repos.reports.findReportByReference(db, reference);
      const secret = secretInput.trim();
      const postcode = parsePostcode(secret);
      const emailMatches =
        report?.contact_email != null && sameText(report.contact_email, secret.toLowerCase());
      const postcodeMatches =
        report?.postcode != null && postcode !== null && sameText(report.postcode, postcode.normalised);
      if (report !== undefined && (emailMatches || (postcodeMatches && postcodeProves)))
        return found(report, emailMatches ? 'email' : 'postcode');
      await limits.tally(guarded, windowMinutes);
      return { kind: 'no-match' };
    },

    /** For a victim who already proved who they are in this session, and how (e.g. after withdrawing consent). */
    async again(reference: string, provedBy: ProvedBy): Promise<ProgressAnswer> {
      const report = await repos.reports.findReportByReference(db, reference);
      return report === undefined ? { kind: 'no-match' } : found(report, provedBy);
    },
  };
}
