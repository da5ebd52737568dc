/**
 * What Bluelight keeps of one value an external feed sends: the value in Bluelight's own normal form (so it matches
 * report indicators exactly), since when the feed has known it, until when it is valid, and its marking. Pure.
 */
import type { IndicatorType } from '../indicators/indicator.ts';
import { isTlp, tlpRank, type Tlp } from '../sharing/tlp.ts';

export interface FeedEntry {
  /** The STIX indicator id, or the MISP attribute uuid. */
  externalId: string;
  /** The object's version (STIX `modified`, MISP timestamp): an older one never replaces a newer one. */
  version: string;
  type: IndicatorType;
  value: string;
  knownSince: string;
  validUntil: string;
  revoked: boolean;
  tlp: Tlp;
  confidence: number | null;
}

/** Why an object of a feed gave no value, counted in the pull's result. */
export type SkipReason =
  | 'not-stix'
  | 'not-indicator'
  | 'unsupported-pattern'
  | 'invalid-value'
  | 'not-for-detection'
  | 'unsupported-type';

export const SKIP_REASONS: Readonly<Record<SkipReason, string>> = {
  'not-stix': 'not STIX 2.1 objects',
  'not-indicator': 'not indicators',
  'unsupported-pattern': 'patterns Bluelight cannot match',
  'invalid-value': 'values that are not valid',
  'not-for-detection': 'MISP attributes not marked for detection (to_ids)',
  'unsupported-type': 'MISP attribute types Bluelight does not match',
};

/**
 * One object's outcome: its values (none for a revocation that no longer names them: what it named before goes),
 * or why it has none.
 */
export type ParsedObject =
  { externalId: string; version: string; entries: FeedEntry[] } | { skip: SkipReason };

const DAY_MS = 86_400_000;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A STIX timestamp as an ISO string with milliseconds, or null when it is not one. */
export function isoTimestamp(value: unknown): string | null {
  if (typeof value !== 'string' || !ISO.test(value)) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** valid_until when the source gives one, else the feed's lifetime from the value's last change. */
export function expiry(validUntil: string | null, lastChange: string, validDays: number): string {
  return validUntil ?? new Date(Date.parse(lastChange) + validDays * DAY_MS).toISOString();
}

/** The most restrictive of several markings, or the fallback when there are none. */
export function strictest(tlps: readonly Tlp[], fallback: Tlp): Tlp {
  if (tlps.length === 0) return fallback;
  return [...tlps].sort((a, b) => tlpRank(b) - tlpRank(a))[0] ?? fallback;
}

/** TLP 1.0 and 2.0 marking-definition ids (OASIS), as feeds send them. */
const TLP_MARKING_IDS: Readonly<Record<string, Tlp>> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'clear',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'green',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'amber',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'red',
  'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487': 'clear',
  'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb': 'green',
  'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421': 'amber',
  // TLP:AMBER+STRICT is kept as AMBER's stricter neighbour: inside the police, as AMBER.
  'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003': 'amber',
  'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1': 'red',
};

export function tlpOfMarkingRefs(refs: unknown): Tlp[] {
  if (!Array.isArray(refs)) return [];
  return refs.flatMap((ref) => {
    const tlp = typeof ref === 'string' ? TLP_MARKING_IDS[ref] : undefined;
    return tlp === undefined ? [] : [tlp];
  });
}

/** A MISP tag name such as "tlp:white", "tlp:amber+strict" or "TLP:RED", as a TLP. */
export function tlpOfTag(name: string): Tlp | null {
  const match = /^tlp:\s*([a-z+]+)$/i.exec(name.trim());
  if (match === null) return null;
  const level = (match[1] ?? '').toLowerCase();
  if (level === 'white') return 'clear';
  if (level === 'amber+strict') return 'amber';
  return isTlp(level) ? level : null;
}
