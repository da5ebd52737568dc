import { timingSafeEqual, createHash } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { countAttempt, deleteAttemptsBefore } from '../db/repositories/attempt-repository.ts';
import { findReportByReference, listVictimUpdates } from '../db/repositories/report-repository.ts';
import { parsePostcode } from '../domain/postcode/postcode.ts';
import { parseCrimeReference } from '../domain/reference/crime-reference.ts';

export const PROGRESS_LIMITS = { windowMinutes: 15, perReference: 5, perClient: 20 } as const;

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
    }
  | { kind: 'no-match' }
  | { kind: 'throttled' };

function sameText(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Lets a victim see progress with their reference plus the email or postcode they gave; attempts are limited. */
export function createReportProgress(db: Db, clock: () => Date) {
  async function found(
    report: NonNullable<Awaited<ReturnType<typeof findReportByReference>>>,
  ): Promise<ProgressAnswer> {
    const updates = await listVictimUpdates(db, report.id);
    return {
      kind: 'found',
      reference: report.reference,
      status: report.status,
      category: report.category,
      forceId: report.force_id,
      unitId: report.unit_id,
      routingRule: report.routing_rule,
      createdAt: report.created_at,
      updates: updates.map((u) => ({ kind: u.kind, message: u.message, createdAt: u.created_at })),
    };
  }

  return {
    /** Forgets attempt counts from windows that have ended (run hourly). */
    async purgeOldAttempts(): Promise<void> {
      const windowMs = PROGRESS_LIMITS.windowMinutes * 60_000;
      const current = new Date(Math.floor(clock().getTime() / windowMs) * windowMs).toISOString();
      await deleteAttemptsBefore(db, current);
    },

    /** Status for the partner token that submitted the report; null for anyone else's or an unknown reference. */
    async forPartner(referenceInput: string, tokenId: number) {
      const reference = parseCrimeReference(referenceInput);
      const report = reference === null ? undefined : await findReportByReference(db, reference);
      if (report?.partner_token_id !== tokenId) return null;
      const updates = await listVictimUpdates(db, report.id);
      return {
        reference: report.reference,
        status: report.status,
        received_at: report.created_at,
        updates: updates.map((u) => ({ kind: u.kind, message: u.message, at: u.created_at })),
      };
    },

    async check(referenceInput: string, secretInput: string, clientKey: string): Promise<ProgressAnswer> {
      const now = clock();
      const windowMs = PROGRESS_LIMITS.windowMinutes * 60_000;
      const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs).toISOString();
      const reference = parseCrimeReference(referenceInput);
      const perClient = await countAttempt(db, `progress:client:${clientKey}`, windowStart);
      const perReference =
        reference === null ? 0 : await countAttempt(db, `progress:ref:${reference}`, windowStart);
      if (perClient > PROGRESS_LIMITS.perClient || perReference > PROGRESS_LIMITS.perReference)
        return { kind: 'throttled' };
      if (reference === null) return { kind: 'no-match' };

      const report = await findReportByReference(db, reference);
      if (report === undefined) return { kind: 'no-match' };
      const secret = secretInput.trim();
      const emailMatches =
        report.contact_email !== null && sameText(report.contact_email, secret.toLowerCase());
      const postcode = parsePostcode(secret);
      const postcodeMatches =
        report.postcode !== null && postcode !== null && sameText(report.postcode, postcode.normalised);
      if (!emailMatches && !postcodeMatches) return { kind: 'no-match' };

      return found(report);
    },

    /** For a victim who already proved who they are in this session (e.g. after withdrawing consent). */
    async again(reference: string): Promise<ProgressAnswer> {
      const report = await findReportByReference(db, reference);
      return report === undefined ? { kind: 'no-match' } : found(report);
    },
  };
}
