/**
 * An indicator's life in the feed: how long it is valid, how far it is still believed, and when partners' false
 * positives take it out. Pure: the sharing service reads the facts, this decides, and the workspace shows why.
 *
 * - Valid until: VALID_DAYS after the UTC day it was last refreshed — named by a report, re-sighted by a partner or
 *   submitted by one. Published as the STIX `valid_until`, so it moves at most once a day.
 * - Evidence score: the confidence the evidence gives (independent reporters, forces, partners), less
 *   FALSE_POSITIVE_PENALTY for each partner that reported it a false positive. Published as `confidence`.
 * - Score: the evidence score halving every HALF_LIFE_DAYS since the last refresh (what staff see).
 * - Revoked: when at least REVOKE_MIN_PARTNERS different partners reported it a false positive and the evidence
 *   score fell below REVOKE_BELOW. One partner alone never takes police intelligence out of the feed.
 */
export const VALID_DAYS = 90;
export const HALF_LIFE_DAYS = 30;
export const FALSE_POSITIVE_PENALTY = 25;
export const REVOKE_BELOW = 50;
export const REVOKE_MIN_PARTNERS = 2;

const DAY_MS = 86_400_000;

export interface LifecycleFacts {
  /** The confidence the evidence gives (0–100). */
  confidence: number;
  /** When it was last named by a report, re-sighted or submitted (ISO). */
  refreshedAt: string;
  /** The partners that reported it a false positive (each once). */
  falsePositivePartners: readonly string[];
}

/** Why the score is what it is, in order; the workspace words each. */
export type LifecycleReason =
  | { kind: 'evidence'; confidence: number }
  | { kind: 'false-positives'; partners: readonly string[]; penalty: number }
  | { kind: 'decay'; days: number; percent: number }
  | { kind: 'expired'; validUntil: string }
  | { kind: 'revoked'; partners: number; below: number };

export interface Lifecycle {
  refreshedAt: string;
  validUntil: string;
  expired: boolean;
  evidenceScore: number;
  score: number;
  revoked: boolean;
  reasons: LifecycleReason[];
}

/** The day after which the indicator is no longer valid: VALID_DAYS after the start of its refresh's UTC day. */
export function validUntilOf(refreshedAt: string): string {
  const day = Math.floor(new Date(refreshedAt).getTime() / DAY_MS) * DAY_MS;
  return new Date(day + VALID_DAYS * DAY_MS).toISOString();
}

export function lifecycleOf(facts: LifecycleFacts, now: Date): Lifecycle {
  const partners = [...new Set(facts.falsePositivePartners)].sort();
  const penalty = FALSE_POSITIVE_PENALTY * partners.length;
  const evidenceScore = Math.max(0, Math.min(100, Math.round(facts.confidence - penalty)));
  const ageDays = Math.max(0, (now.getTime() - new Date(facts.refreshedAt).getTime()) / DAY_MS);
  const factor = 0.5 ** (ageDays / HALF_LIFE_DAYS);
  const score = Math.round(evidenceScore * factor);
  const validUntil = validUntilOf(facts.refreshedAt);
  const expired = now.toISOString() >= validUntil;
  const revoked = partners.length >= REVOKE_MIN_PARTNERS && evidenceScore < REVOKE_BELOW;
  const reasons: LifecycleReason[] = [{ kind: 'evidence', confidence: facts.confidence }];
  if (partners.length > 0) reasons.push({ kind: 'false-positives', partners, penalty });
  reasons.push({ kind: 'decay', days: Math.floor(ageDays), percent: Math.round(factor * 100) });
  if (expired) reasons.push({ kind: 'expired', validUntil });
  if (revoked) reasons.push({ kind: 'revoked', partners: partners.length, below: REVOKE_BELOW });
  return { refreshedAt: facts.refreshedAt, validUntil, expired, evidenceScore, score, revoked, reasons };
}

/** The latest of these ISO times (the indicator's refresh), ignoring missing ones. */
export function latestOf(...times: readonly (string | null | undefined)[]): string {
  return (
    times
      .filter((t): t is string => typeof t === 'string' && t !== '')
      .sort()
      .at(-1) ?? ''
  );
}
