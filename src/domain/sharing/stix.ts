/**
 * STIX 2.1 objects for industry sharing, built from normalised indicators and campaigns. Pure.
 *
 * Ids are UUIDv5 of a stable key under Bluelight's namespace, so the same indicator or campaign always has the
 * same id: a change publishes a new version (same id, later `modified`), never a duplicate. Nothing here takes a
 * report: only indicator values, counts and categories go in, so no victim's details can come out.
 */
import { v5 as uuidv5 } from 'uuid';
import type { IndicatorType } from '../indicators/indicator.ts';
import { stixString } from './stix-pattern.ts';
import type { SharingTlp } from './tlp.ts';

const NAMESPACE = '4b1d9c57-3d1e-4f57-9a4e-6f1c2b7a8e21';
export const TLP_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** The TLP 2.0 marking definitions as published by the OASIS CTI TC (fixed ids every platform knows). */
export const TLP_MARKINGS: Record<SharingTlp, StixObject> = {
  clear: tlpMarking('94868c89-83c2-464b-929b-a1a8aa3c8487', 'clear'),
  green: tlpMarking('bab4a63c-aed9-4cf5-a766-dfca5abac2bb', 'green'),
  amber: tlpMarking('55d920b0-5e8b-4f79-9ee9-91f868d9b421', 'amber'),
};

function tlpMarking(uuid: string, level: SharingTlp): StixObject {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: `marking-definition--${uuid}`,
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${level.toUpperCase()}`,
    extensions: { [TLP_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: level } },
  };
}

export interface StixObject {
  type: string;
  spec_version: '2.1';
  id: string;
  [property: string]: unknown;
}

export function stixId(type: string, key: string): string {
  return `${type}--${uuidv5(key, NAMESPACE)}`;
}

/** STIX timestamps: UTC with milliseconds. */
function ts(iso: string): string {
  return new Date(iso).toISOString();
}

export function identityObject(unit: { id: string; name: string }, created: string): StixObject {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: stixId('identity', `unit:${unit.id}`),
    created: ts(created),
    modified: ts(created),
    name: unit.name,
    identity_class: 'organization',
    sectors: ['government-public-services'],
  };
}

/**
 * The pattern for an indicator. STIX has cyber-observables for URLs, domains, IPs, email addresses and file
 * hashes; for phone numbers, bank accounts, IBANs and wallets it has none, so they are written with the standard
 * user-account object (account_type from an open vocabulary, user_id the value) rather than custom objects, which
 * every consumer can read.
 */
export function patternFor(type: IndicatorType, value: string): string {
  const v = stixString(value);
  switch (type) {
    case 'url':
      return `[url:value = ${v}]`;
    case 'domain':
      return `[domain-name:value = ${v}]`;
    case 'ipv4':
      return `[ipv4-addr:value = ${v}]`;
    case 'ipv6':
      return `[ipv6-addr:value = ${v}]`;
    case 'email':
      return `[email-addr:value = ${v}]`;
    case 'md5':
      return `[file:hashes.MD5 = ${v}]`;
    case 'sha1':
      return `[file:hashes.'SHA-1' = ${v}]`;
    case 'sha256':
      return `[file:hashes.'SHA-256' = ${v}]`;
    default:
      return `[user-account:account_type = ${stixString(ACCOUNT_TYPES[type])} AND user-account:user_id = ${v}]`;
  }
}

const ACCOUNT_TYPES: Record<'phone' | 'uk-bank-account' | 'iban' | 'btc-address' | 'eth-address', string> = {
  phone: 'phone-number',
  'uk-bank-account': 'uk-bank-account',
  iban: 'iban',
  'btc-address': 'bitcoin-wallet',
  'eth-address': 'ethereum-wallet',
};

const TYPE_NAMES: Record<IndicatorType, string> = {
  url: 'URL',
  domain: 'Domain',
  ipv4: 'IPv4 address',
  ipv6: 'IPv6 address',
  email: 'Email address',
  phone: 'Phone number',
  'uk-bank-account': 'UK bank account',
  iban: 'IBAN',
  'btc-address': 'Bitcoin address',
  'eth-address': 'Ethereum address',
  md5: 'MD5 file hash',
  sha1: 'SHA-1 file hash',
  sha256: 'SHA-256 file hash',
};

/** More independent reporters in more forces, more confidence; one victim's word is a fair start. */
export function confidenceFor(reports: number, forces: number): number {
  return Math.min(95, 50 + 10 * Math.max(0, reports - 1) + 10 * Math.max(0, forces - 1));
}

export interface IndicatorInput {
  type: IndicatorType;
  value: string;
  firstSeen: string;
  modified: string;
  /** Independent reporters (one reporter's repeats count once), not reports. */
  reports: number;
  /** Forces, never more than the independent reporters. */
  forces: number;
  categories: string[];
  tlp: SharingTlp;
  identityId: string;
  revoked: boolean;
  /** Industry partners that submitted it (said in the description when any did). */
  partners?: number;
  /** The evidence score (indicator-lifecycle.ts); confidenceFor(reports, forces) when not given. */
  confidence?: number;
  /** When it stops being valid (indicator-lifecycle.ts), if it does. */
  validUntil?: string;
}

/** Who vouches for an indicator, in counts only: never who reported it. */
function describeEvidence(reports: number, forces: number, partners: number, categories: string[]): string {
  const byPartners = `${String(partners)} industry partner(s)`;
  if (reports === 0 && partners > 0) return `Submitted by ${byPartners}.`;
  const byReports = `Reported by ${String(reports)} independent reporter(s) to ${String(forces)} UK police force(s)`;
  return `${byReports}${partners > 0 ? ` and by ${byPartners}` : ''}. Types of crime: ${categories.join(', ')}.`;
}

export function indicatorObject(input: IndicatorInput): StixObject {
  const partners = input.partners ?? 0;
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: stixId('indicator', `${input.type}:${input.value}`), // keep in step with indicatorStixId
    created_by_ref: input.identityId,
    created: ts(input.firstSeen),
    modified: ts(input.modified),
    name: `${TYPE_NAMES[input.type]} reported by ${input.reports === 0 && partners > 0 ? 'industry partners' : 'victims of crime'}`,
    description: describeEvidence(input.reports, input.forces, partners, input.categories),
    indicator_types: ['malicious-activity'],
    pattern: patternFor(input.type, input.value),
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: ts(input.firstSeen),
    ...(input.validUntil === undefined ? {} : { valid_until: ts(input.validUntil) }),
    confidence: input.confidence ?? confidenceFor(input.reports, input.forces),
    labels: input.categories,
    revoked: input.revoked,
    object_marking_refs: [TLP_MARKINGS[input.tlp].id],
  };
}

/** The placeholder pattern a revocation carries: the same object type, never the value. */
export function withdrawnPattern(type: IndicatorType): string {
  const pattern = patternFor(type, 'withdrawn');
  // Keep only the object type for accounts: the account type alone would say "a phone number" was withdrawn.
  return pattern.startsWith('[user-account:') ? "[user-account:user_id = 'withdrawn']" : pattern;
}

export interface WithdrawnInput {
  type: IndicatorType;
  /** Only to derive the id; it is not written into the object. */
  value: string;
  firstSeen: string;
  modified: string;
  tlp: SharingTlp;
  identityId: string;
}

/**
 * The revocation of an indicator that is no longer shared (held back, retracted, or no longer passing the share
 * rules): the same id, so partners know what to remove, but no value anywhere — a placeholder pattern and fixed
 * text — so a partner who never had the value (or joins later) cannot read it from the revocation.
 */
export function withdrawnIndicatorObject(input: WithdrawnInput): StixObject {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: stixId('indicator', `${input.type}:${input.value}`), // keep in step with indicatorObject
    created_by_ref: input.identityId,
    created: ts(input.firstSeen),
    modified: ts(input.modified),
    name: 'Indicator withdrawn by UK police',
    description: 'Withdrawn: stop using and remove this indicator. Its value is no longer shared.',
    indicator_types: ['malicious-activity'],
    pattern: withdrawnPattern(input.type),
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: ts(input.firstSeen),
    revoked: true,
    object_marking_refs: [TLP_MARKINGS[input.tlp].id],
  };
}

export interface CampaignInput {
  id: number;
  created: string;
  modified: string;
  firstSeen: string;
  lastSeen: string;
  reports: number;
  forces: number;
  categories: string[];
  tlp: SharingTlp;
  identityId: string;
}

export function campaignObject(input: CampaignInput): StixObject {
  return {
    type: 'campaign',
    spec_version: '2.1',
    id: stixId('campaign', `campaign:${input.id}`),
    created_by_ref: input.identityId,
    created: ts(input.created),
    modified: ts(input.modified),
    name: `Bluelight campaign ${input.id}`,
    description: `${input.reports} linked reports to ${input.forces} UK police force(s). Types of crime: ${input.categories.join(', ')}.`,
    first_seen: ts(input.firstSeen),
    last_seen: ts(input.lastSeen),
    object_marking_refs: [TLP_MARKINGS[input.tlp].id],
  };
}

export function indicatesRelationship(
  indicatorId: string,
  campaignId: string,
  created: string,
  tlp: SharingTlp,
  identityId: string,
): StixObject {
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: stixId('relationship', `${indicatorId}|indicates|${campaignId}`),
    created_by_ref: identityId,
    created: ts(created),
    modified: ts(created),
    relationship_type: 'indicates',
    source_ref: indicatorId,
    target_ref: campaignId,
    object_marking_refs: [TLP_MARKINGS[tlp].id],
  };
}

export function campaignReport(
  campaign: StixObject,
  objectRefs: string[],
  published: string,
  tlp: SharingTlp,
  identityId: string,
): StixObject {
  return {
    type: 'report',
    spec_version: '2.1',
    id: stixId('report', `report:${campaign.id}`),
    created_by_ref: identityId,
    created: campaign.created,
    modified: ts(published),
    name: `${String(campaign.name)}: indicators`,
    report_types: ['campaign', 'indicator'],
    published: ts(published),
    object_refs: [campaign.id, ...objectRefs],
    object_marking_refs: [TLP_MARKINGS[tlp].id],
  };
}
