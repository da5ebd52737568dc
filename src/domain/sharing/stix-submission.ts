/**
 * What a partner may submit to the partner-submissions collection, and the one value each object names. Pure.
 *
 * Accepted: STIX 2.1 `indicator` objects whose pattern names one value (the shapes Bluelight itself publishes:
 * `[domain-name:value = '…']`, `[user-account:account_type = 'phone-number' AND user-account:user_id = '…']`…), and
 * the cyber observables domain-name, url, ipv4-addr, ipv6-addr and file (hashes). Each object is checked against
 * a TypeBox schema of the STIX 2.1 properties it must have (the OASIS JSON schemas are the tests' yardstick, not
 * shipped), then its value is normalised as extraction normalises it.
 *
 * Only suspect-side values: a phone number, email address, bank account, IBAN or wallet is personal data, taken only
 * in an indicator of malicious activity (the partner says it is the offender's); a bare observable of those types
 * says nothing about whose it is, and an indicator typed `compromised` names a victim's account.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { normaliseIndicator } from '../indicators/extract.ts';
import type { IndicatorType } from '../indicators/indicator.ts';
import { TECHNICAL_TYPES } from './share-decision.ts';
import { isValidStixPattern } from './stix-pattern.ts';
import { SUBMISSION_TLPS, type SubmissionTlp } from './tlp.ts';

/** TLP 2.0 and TLP 1.0 marking definitions by their OASIS ids (TLP:WHITE is TLP:CLEAR). */
const TLP_MARKING_IDS: Readonly<Record<string, SubmissionTlp>> = {
  'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487': 'clear',
  'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb': 'green',
  'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421': 'amber',
  'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003': 'amber+strict',
  'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1': 'red',
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'clear',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'green',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'amber',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'red',
};

/** The TLP 2.0 marking definition of each level a partner may mark a submission with. */
export const SUBMISSION_MARKINGS: Readonly<Record<SubmissionTlp, string>> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

const STIX_ID = '^[a-z][a-z0-9-]{0,62}--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const TIMESTAMP = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$';
const Timestamp = Type.String({ pattern: TIMESTAMP, maxLength: 40 });
const Identifier = Type.String({ pattern: STIX_ID, maxLength: 110 });
const Words = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 20 });
const Markings = Type.Array(Identifier, { maxItems: 20 });

const common = {
  spec_version: Type.Literal('2.1'),
  id: Identifier,
  object_marking_refs: Type.Optional(Markings),
  x_bluelight_reshare: Type.Optional(Type.Boolean()),
};

/** An indicator: the STIX 2.1 required properties, and the optional ones read here typed as the standard types them. */
export const SubmittedIndicator = Type.Object({
  type: Type.Literal('indicator'),
  ...common,
  created: Timestamp,
  modified: Timestamp,
  pattern: Type.String({ minLength: 3, maxLength: 4096 }),
  pattern_type: Type.String({ minLength: 1, maxLength: 40 }),
  pattern_version: Type.Optional(Type.String({ maxLength: 20 })),
  valid_from: Timestamp,
  valid_until: Type.Optional(Timestamp),
  indicator_types: Type.Optional(Words),
  labels: Type.Optional(Words),
  name: Type.Optional(Type.String({ maxLength: 2000 })),
  description: Type.Optional(Type.String({ maxLength: 20_000 })),
  confidence: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  revoked: Type.Optional(Type.Boolean()),
  created_by_ref: Type.Optional(Identifier),
});

const observable = <T extends string, P extends Parameters<typeof Type.Object>[0]>(type: T, properties: P) =>
  Type.Object({
    type: Type.Literal(type),
    ...common,
    spec_version: Type.Optional(Type.Literal('2.1')),
    ...properties,
  });
const ObservedValue = Type.String({ minLength: 1, maxLength: 2048 });
const HashValue = Type.String({ pattern: '^[0-9a-fA-F]{32,64}$' });
export const SubmittedObservables = {
  'domain-name': observable('domain-name', { value: ObservedValue }),
  url: observable('url', { value: ObservedValue }),
  'ipv4-addr': observable('ipv4-addr', { value: ObservedValue }),
  'ipv6-addr': observable('ipv6-addr', { value: ObservedValue }),
  'email-addr': observable('email-addr', { value: ObservedValue }),
  'user-account': observable('user-account', {
    user_id: Type.Optional(ObservedValue),
    account_type: Type.Optional(Type.String({ maxLength: 100 })),
  }),
  file: observable('file', {
    hashes: Type.Object(
      {
        MD5: Type.Optional(HashValue),
        'SHA-1': Type.Optional(HashValue),
        'SHA-256': Type.Optional(HashValue),
      },
      { minProperties: 1 },
    ),
  }),
} as const;

type Observable = Static<(typeof SubmittedObservables)[keyof typeof SubmittedObservables]>;

/** What Bluelight takes from one accepted object. */
export interface SubmittedValue {
  stixId: string;
  stixType: string;
  version: string;
  type: IndicatorType;
  value: string;
  tlp: SubmissionTlp;
  /** The partner allows the value to be re-shared with other partners (`x_bluelight_reshare: true`). */
  reshare: boolean;
  labels: string[];
  validUntil: string | null;
}

/**
 * Why an object was refused, as a code pages translate (the portal's result page, in English or Welsh); the TAXII
 * status resource keeps the English message.
 */
export type RefusalCode =
  | 'not-stix'
  | 'pattern'
  | 'account-type'
  | 'object-type'
  | 'invalid-value'
  | 'benign'
  | 'compromised'
  | 'bare-personal'
  | 'url-names-person'
  | 'warning-list';
export interface Refusal {
  code: RefusalCode;
  params: Record<string, string>;
}

export type SubmissionReading =
  | { ok: true; submitted: SubmittedValue }
  | { ok: false; id: string; version: string; message: string; refusal: Refusal };

/** Account types Bluelight publishes for values STIX has no observable for (see stix.ts patternFor). */
const ACCOUNT_TYPES: Readonly<Record<string, IndicatorType>> = {
  'phone-number': 'phone',
  phone: 'phone',
  'uk-bank-account': 'uk-bank-account',
  'bank-account': 'uk-bank-account',
  iban: 'iban',
  'bitcoin-wallet': 'btc-address',
  'ethereum-wallet': 'eth-address',
};
const OBJECT_VALUE_TYPES: Readonly<Record<string, IndicatorType>> = {
  url: 'url',
  'domain-name': 'domain',
  'ipv4-addr': 'ipv4',
  'ipv6-addr': 'ipv6',
  'email-addr': 'email',
};
const HASH_TYPES: Readonly<Record<string, IndicatorType>> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  SHA1: 'sha1',
  'SHA-256': 'sha256',
  SHA256: 'sha256',
};
const STRING = String.raw`'((?:[^'\\]|\\.)*)'`;
const COMPARISON = new RegExp(
  String.raw`^([a-z0-9-]+):([a-z_]+(?:\.(?:[A-Za-z0-9_]+|'[A-Za-z0-9_-]+'))?)\s*=\s*${STRING}$`,
);

const unescape = (text: string) => text.replace(/\\(.)/g, '$1');

/** The one value a pattern names (the shapes patternFor writes), or null for anything else. */
export function valueOfPattern(pattern: string): { type: IndicatorType; raw: string } | null {
  if (!isValidStixPattern(pattern)) return null;
  const inner = /^\[\s*(.*?)\s*\]$/s.exec(pattern.trim())?.[1];
  if (inner === undefined) return null;
  const parts = inner.split(/\s+AND\s+/).map((part) => COMPARISON.exec(part.trim()));
  if (parts.some((p) => p === null)) return null;
  const comparisons = parts.map((p) => ({
    object: p?.[1] ?? '',
    path: p?.[2] ?? '',
    raw: unescape(p?.[3] ?? ''),
  }));
  const [first, second] = comparisons;
  if (first === undefined) return null;
  if (comparisons.length === 1) {
    const byValue = OBJECT_VALUE_TYPES[first.object];
    if (byValue !== undefined && first.path === 'value') return { type: byValue, raw: first.raw };
    const hash = /^hashes\.'?([A-Za-z0-9-]+)'?$/.exec(first.path)?.[1];
    const hashType = hash === undefined ? undefined : HASH_TYPES[hash.toUpperCase()];
    if (first.object === 'file' && hashType !== undefined) return { type: hashType, raw: first.raw };
    return null;
  }
  if (comparisons.length !== 2 || second === undefined) return null;
  if (first.object !== 'user-account' || second.object !== 'user-account') return null;
  const kind = comparisons.find((c) => c.path === 'account_type');
  const user = comparisons.find((c) => c.path === 'user_id');
  const type = kind === undefined ? undefined : ACCOUNT_TYPES[kind.raw];
  return type === undefined || user === undefined ? null : { type, raw: user.raw };
}

function valueOfObservable(object: Observable): { type: IndicatorType; raw: string } | null {
  if (object.type === 'file') {
    for (const key of ['SHA-256', 'SHA-1', 'MD5'] as const) {
      const hash = object.hashes[key];
      if (hash !== undefined) return { type: HASH_TYPES[key] ?? 'sha256', raw: hash };
    }
    return null;
  }
  if (object.type === 'user-account') {
    const type = ACCOUNT_TYPES[object.account_type ?? ''];
    return type === undefined || object.user_id === undefined ? null : { type, raw: object.user_id };
  }
  const type = OBJECT_VALUE_TYPES[object.type];
  return type === undefined ? null : { type, raw: object.value };
}

/** The most restrictive TLP among the object's markings; TLP:AMBER when it has none. */
export function tlpOfMarkings(refs: readonly string[] | undefined): SubmissionTlp {
  const levels = (refs ?? []).flatMap((ref) => {
    const level = TLP_MARKING_IDS[ref];
    return level === undefined ? [] : [level];
  });
  if (levels.length === 0) return 'amber';
  return levels.sort((a, b) => SUBMISSION_TLPS.indexOf(b) - SUBMISSION_TLPS.indexOf(a))[0] ?? 'amber';
}

/** Labels a unit may read: lower-case words, a few, short. */
function cleanLabels(labels: readonly string[] | undefined): string[] {
  const words = (labels ?? [])
    .map((l) =>
      l
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .trim()
        .slice(0, 40),
    )
    .filter((l) => l !== '');
  return [...new Set(words)].slice(0, 5);
}

function schemaMessage(schema: Parameters<typeof Value.Errors>[0], object: unknown): string {
  const first = Value.Errors(schema, object).First();
  if (first === undefined) return 'not a valid STIX 2.1 object';
  const where = first.path === '' ? 'the object' : first.path.slice(1).replace(/\//g, '.');
  return `not valid STIX 2.1: ${where}: ${first.message}`.slice(0, 300);
}

/** Reads one posted object: the value it names, or why it is refused (said to the partner). */
export function readSubmittedObject(object: unknown): SubmissionReading {
  const record =
    object !== null && typeof object === 'object' && !Array.isArray(object)
      ? (object as Record<string, unknown>)
      : {};
  const id = typeof record.id === 'string' ? record.id.slice(0, 110) : '';
  const stamp = record.modified ?? record.created;
  const version = typeof stamp === 'string' ? stamp.slice(0, 40) : '';
  const fail = (
    message: string,
    code: RefusalCode = 'not-stix',
    params: Record<string, string> = {},
  ): SubmissionReading => ({ ok: false, id, version, message, refusal: { code, params } });
  const type = record.type;
  let found: { type: IndicatorType; raw: string } | null;
  let stixType: string;
  let indicatorTypes: string[] = [];
  let labels: string[] = [];
  let validUntil: string | null = null;
  if (type === 'indicator') {
    if (!Value.Check(SubmittedIndicator, object)) return fail(schemaMessage(SubmittedIndicator, object));
    const indicator = object;
    if (indicator.id.split('--')[0] !== 'indicator')
      return fail('not valid STIX 2.1: id must start "indicator--"');
    if (indicator.pattern_type !== 'stix') return fail('pattern_type must be stix');
    if (indicator.revoked === true) return fail('a revoked indicator is not intelligence');
    if (indicator.valid_until !== undefined && indicator.valid_until <= indicator.valid_from)
      return fail('not valid STIX 2.1: valid_until must be later than valid_from');
    found = valueOfPattern(indicator.pattern);
    if (found === null)
      return fail(
        "the pattern must name one value, as [domain-name:value = '…'] or [user-account:account_type = 'phone-number' AND user-account:user_id = '…']",
        'pattern',
      );
    stixType = 'indicator';
    indicatorTypes = (indicator.indicator_types ?? []).map((t) => t.toLowerCase());
    labels = cleanLabels(indicator.labels);
    validUntil = indicator.valid_until ?? null;
  } else if (typeof type === 'string' && Object.hasOwn(SubmittedObservables, type)) {
    const schema = SubmittedObservables[type as keyof typeof SubmittedObservables];
    if (!Value.Check(schema, object)) return fail(schemaMessage(schema, object));
    const observed: Observable = object;
    if (observed.id.split('--')[0] !== observed.type)
      return fail(`not valid STIX 2.1: id must start "${observed.type}--"`);
    found = valueOfObservable(observed);
    if (found === null)
      return fail(
        'user-account needs an account_type Bluelight knows (phone-number, uk-bank-account, iban, bitcoin-wallet, ethereum-wallet) and a user_id',
        'account-type',
      );
    stixType = observed.type;
  } else {
    return fail(
      'only indicator objects and domain-name, url, ipv4-addr, ipv6-addr, email-addr, user-account and file observables are accepted here',
      'object-type',
    );
  }
  const value = normaliseIndicator(found.type, found.raw);
  if (value === null) return fail(`not a valid ${found.type} value`, 'invalid-value', { type: found.type });
  if (indicatorTypes.includes('benign')) return fail('refused: a benign value is not intelligence', 'benign');
  if (!TECHNICAL_TYPES.has(found.type)) {
    if (indicatorTypes.includes('compromised'))
      return fail(
        'refused: a compromised account, phone number or email address is the victim’s, and personal data',
        'compromised',
      );
    if (stixType !== 'indicator' || !indicatorTypes.includes('malicious-activity'))
      return fail(
        'refused: a phone number, email address, account or wallet is taken only in an indicator of malicious-activity (the suspect’s), never as a bare observable',
        'bare-personal',
      );
  }
  const marked = record as { object_marking_refs?: string[]; x_bluelight_reshare?: boolean };
  return {
    ok: true,
    submitted: {
      stixId: id,
      stixType,
      version,
      type: found.type,
      value,
      tlp: tlpOfMarkings(marked.object_marking_refs),
      reshare: marked.x_bluelight_reshare === true,
      labels,
      validUntil,
    },
  };
}
