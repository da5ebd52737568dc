/**
 * The Traffic Light Protocol (2.0) levels, least restrictive first: the one list of them. A report may carry any
 * level; partners receive only the sharing levels (TLP:RED never leaves the service).
 */
export const TLPS = ['clear', 'green', 'amber', 'red'] as const;
export type Tlp = (typeof TLPS)[number];

export type SharingTlp = Exclude<Tlp, 'red'>;
export const SHARING_TLPS: readonly SharingTlp[] = TLPS.filter((tlp): tlp is SharingTlp => tlp !== 'red');

export function isTlp(value: unknown): value is Tlp {
  return typeof value === 'string' && (TLPS as readonly string[]).includes(value);
}

export function isSharingTlp(value: string): value is SharingTlp {
  return (SHARING_TLPS as readonly string[]).includes(value);
}

/** How restrictive a level is (higher: fewer may see it); anything else ranks above every level. */
export function tlpRank(value: string): number {
  const rank = (TLPS as readonly string[]).indexOf(value);
  return rank === -1 ? TLPS.length : rank;
}

/** What a partner may mark a submission with (TLP 2.0, with AMBER+STRICT), least restrictive first. */
export const SUBMISSION_TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type SubmissionTlp = (typeof SUBMISSION_TLPS)[number];

/**
 * The levels at which Bluelight may pass a partner's value on to other organisations, with the partner's consent:
 * CLEAR and GREEN (a community). AMBER is for the recipient's own organisation and clients, AMBER+STRICT for the
 * organisation only, RED for the people in the room.
 */
export const RESHARE_TLPS: ReadonlySet<SubmissionTlp> = new Set<SubmissionTlp>(['clear', 'green']);

export function isSubmissionTlp(value: string): value is SubmissionTlp {
  return (SUBMISSION_TLPS as readonly string[]).includes(value);
}
