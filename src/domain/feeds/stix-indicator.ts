/**
 * A STIX 2.1 indicator from a feed → the values Bluelight can match against report indicators. Only what a pattern
 * says exactly is taken: equality comparisons on URLs, domains, IP addresses, email addresses, file hashes and the
 * user-account form Bluelight itself publishes phone numbers, accounts and wallets in. Anything looser (LIKE,
 * MATCHES, ranges, several observations that must all be seen, time windows) matches no single value and is
 * skipped, never guessed at. Pure.
 */
import { normaliseIndicator } from '../indicators/extract.ts';
import type { IndicatorType } from '../indicators/indicator.ts';
import { isValidStixPattern } from '../sharing/stix-pattern.ts';
import type { Tlp } from '../sharing/tlp.ts';
import {
  expiry,
  isoTimestamp,
  strictest,
  tlpOfMarkingRefs,
  type FeedEntry,
  type ParsedObject,
} from './feed-entry.ts';

const STIX_ID = /^([a-z0-9][a-z0-9-]{0,62})--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_PATTERN = 10_000;
const QUALIFIERS = /\b(FOLLOWEDBY|WITHIN|REPEATS|START|STOP|NOT)\b/;

const ACCOUNT_TYPES: Readonly<Record<string, IndicatorType>> = {
  'phone-number': 'phone',
  'uk-bank-account': 'uk-bank-account',
  iban: 'iban',
  'bitcoin-wallet': 'btc-address',
  'ethereum-wallet': 'eth-address',
};

const HASHES: Readonly<Record<string, IndicatorType>> = {
  md5: 'md5',
  'sha-1': 'sha1',
  sha1: 'sha1',
  'sha-256': 'sha256',
  sha256: 'sha256',
};

interface Comparison {
  object: string;
  path: string;
  value: string;
}

/** The pattern's string literals set aside (so brackets and keywords inside them do not count), and their text. */
function setStringsAside(pattern: string): { text: string; strings: string[] } {
  const strings: string[] = [];
  const text = pattern.replace(/'((?:\\.|[^'\\])*)'/g, (_all, body: string) => {
    strings.push(body.replace(/\\(.)/g, '$1'));
    return `'#${strings.length - 1}'`;
  });
  return { text, strings };
}

/** The comparisons of one observation and how they are joined, or null when one is not an equality on a string. */
function comparisons(
  observation: string,
  strings: readonly string[],
): { joined: 'and' | 'or'; list: Comparison[] } | null {
  const inner = observation.replace(/[()]/g, ' ').trim();
  const parts = inner.split(/\s+(AND|OR)\s+/);
  const joins = new Set(parts.filter((_, i) => i % 2 === 1));
  if (joins.size > 1) return null;
  const list: Comparison[] = [];
  for (const part of parts.filter((_, i) => i % 2 === 0)) {
    const match = /^([a-z0-9-]+):([a-z0-9_.'#-]+)\s*=\s*'#(\d+)'$/i.exec(part.trim());
    if (match === null) return null;
    const value = strings[Number(match[3])];
    if (value === undefined) return null;
    // A property name in quotes ('SHA-256') was set aside too: put its text back.
    const path = (match[2] ?? '').replace(/'#(\d+)'/g, (_a, n: string) => strings[Number(n)] ?? '');
    list.push({ object: (match[1] ?? '').toLowerCase(), path: path.toLowerCase(), value });
  }
  return { joined: joins.has('AND') ? 'and' : 'or', list };
}

/** One comparison's value as a Bluelight indicator, or null when the property is not one Bluelight matches. */
function valueOf(c: Comparison): { type: IndicatorType; raw: string } | null {
  if (c.path === 'value') {
    if (c.object === 'url') return { type: 'url', raw: c.value };
    if (c.object === 'domain-name') return { type: 'domain', raw: c.value };
    if (c.object === 'email-addr') return { type: 'email', raw: c.value };
    // A single address: a /32 or /128 is one, any wider range is not a value to match.
    if (c.object === 'ipv4-addr') return { type: 'ipv4', raw: c.value.replace(/\/32$/, '') };
    if (c.object === 'ipv6-addr') return { type: 'ipv6', raw: c.value.replace(/\/128$/, '') };
  }
  if (c.object === 'email-message' && c.path === 'from_ref.value') return { type: 'email', raw: c.value };
  if (c.object === 'file' && c.path.startsWith('hashes.')) {
    const type = HASHES[c.path.slice('hashes.'.length)];
    return type === undefined ? null : { type, raw: c.value };
  }
  return null;
}

/** The raw values a pattern names exactly, or null when it cannot be matched value by value. */
export function patternValues(pattern: string): { type: IndicatorType; raw: string }[] | null {
  if (pattern.length > MAX_PATTERN || !isValidStixPattern(pattern)) return null;
  const { text, strings } = setStringsAside(pattern);
  if (QUALIFIERS.test(text)) return null;
  const observations = [...text.matchAll(/\[([^\]]*)\]/g)];
  // Between observations only OR: "both observed" is no single value.
  const between = text.replace(/\[[^\]]*\]/g, ' ').replace(/[()]/g, ' ');
  if (observations.length === 0 || /\bAND\b/.test(between)) return null;
  const values: { type: IndicatorType; raw: string }[] = [];
  for (const observation of observations) {
    const parsed = comparisons(observation[1] ?? '', strings);
    if (parsed === null) return null;
    const { joined, list } = parsed;
    const account = list.find((c) => c.object === 'user-account' && c.path === 'account_type');
    const user = list.find((c) => c.object === 'user-account' && c.path === 'user_id');
    if (joined === 'and' && account !== undefined && user !== undefined && list.length === 2) {
      const type = ACCOUNT_TYPES[account.value];
      if (type === undefined) return null;
      values.push({ type, raw: user.value });
      continue;
    }
    const found = list.map(valueOf);
    if (found.some((f) => f === null)) return null;
    // All of a file's hashes name the one file; any other AND narrows beyond a single value.
    if (joined === 'and' && !list.every((c) => c.object === 'file')) return null;
    for (const f of found) if (f !== null) values.push(f);
  }
  return values;
}

/** Whether an object is STIX 2.1 at all: a type, a well-formed id of that type, and spec_version 2.1 if given. */
export function isStixObject(
  object: unknown,
): object is { type: string; id: string } & Record<string, unknown> {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) return false;
  const o = object as Record<string, unknown>;
  if (typeof o.type !== 'string' || typeof o.id !== 'string') return false;
  const id = STIX_ID.exec(o.id);
  if (id === null || id[1] !== o.type) return false;
  return o.spec_version === undefined || o.spec_version === '2.1';
}

/** One object of a TAXII page: the values of an indicator, or why it gives none. */
export function parseStixObject(object: unknown, feed: { tlp: Tlp; validDays: number }): ParsedObject {
  if (!isStixObject(object)) return { skip: 'not-stix' };
  if (object.type !== 'indicator') return { skip: 'not-indicator' };
  const created = isoTimestamp(object.created);
  const modified = isoTimestamp(object.modified) ?? created;
  if (created === null || modified === null) return { skip: 'not-stix' };
  if (object.pattern_type !== 'stix' || typeof object.pattern !== 'string')
    return { skip: 'unsupported-pattern' };
  const revoked = object.revoked === true;
  const raw = patternValues(object.pattern);
  // A revocation may carry a placeholder pattern: it still withdraws whatever the object named before.
  if (raw === null)
    return revoked
      ? { externalId: object.id, version: modified, entries: [] }
      : { skip: 'unsupported-pattern' };
  const entries: FeedEntry[] = [];
  const knownSince = isoTimestamp(object.valid_from) ?? created;
  const validUntil = expiry(isoTimestamp(object.valid_until), modified, feed.validDays);
  const confidence =
    typeof object.confidence === 'number' && Number.isInteger(object.confidence)
      ? Math.max(0, Math.min(100, object.confidence))
      : null;
  const tlp = strictest(tlpOfMarkingRefs(object.object_marking_refs), feed.tlp);
  for (const { type, raw: text } of raw) {
    const value = normaliseIndicator(type, text);
    if (value === null) continue;
    entries.push({
      externalId: object.id,
      version: modified,
      type,
      value,
      knownSince,
      validUntil,
      revoked,
      tlp,
      confidence,
    });
  }
  if (entries.length === 0 && !revoked) return { skip: 'invalid-value' };
  return { externalId: object.id, version: modified, entries };
}
