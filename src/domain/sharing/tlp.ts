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
