/**
 * The MISP feed format (what MISP's "feeds" and `misp-feed-generator` publish): `manifest.json`, an object keyed by
 * event uuid with each event's `timestamp`, and one `<uuid>.json` per event holding `{"Event": {…, "Attribute": […],
 * "Object": [{"Attribute": […]}]}}`. Only attributes marked for detection (`to_ids`) and not deleted are taken, and
 * only types Bluelight matches; `email-dst` is left out (in phishing events it is the recipient: a victim). Pure.
 */
import { normaliseIndicator } from '../indicators/extract.ts';
import type { IndicatorType } from '../indicators/indicator.ts';
import type { Tlp } from '../sharing/tlp.ts';
import { expiry, strictest, tlpOfTag, type FeedEntry, type SkipReason } from './feed-entry.ts';

/** A feed file is not what the MISP feed format says it is. */
export class FeedFormatError extends Error {
  override name = 'FeedFormatError';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_ATTRIBUTES = 100_000;

export interface ManifestEvent {
  uuid: string;
  /** Seconds since 1970, as MISP gives them. */
  timestamp: number;
  info: string;
}

function seconds(value: unknown): number | null {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{1,12}$/.test(text)) return null;
  return Number(text);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The events of a manifest, oldest change first (then by uuid), so a cursor of (timestamp, uuid) resumes. */
export function parseManifest(json: unknown): ManifestEvent[] {
  if (!isRecord(json)) throw new FeedFormatError('manifest.json is not a JSON object keyed by event uuid');
  const events: ManifestEvent[] = [];
  for (const [uuid, entry] of Object.entries(json)) {
    if (!UUID.test(uuid))
      throw new FeedFormatError(`manifest.json: "${uuid.slice(0, 60)}" is not an event uuid`);
    const timestamp = isRecord(entry) ? seconds(entry.timestamp) : null;
    if (!isRecord(entry) || timestamp === null)
      throw new FeedFormatError(`manifest.json: event ${uuid} has no timestamp`);
    events.push({
      uuid: uuid.toLowerCase(),
      timestamp,
      info: typeof entry.info === 'string' ? entry.info.slice(0, 200) : '',
    });
  }
  return events.sort((a, b) => a.timestamp - b.timestamp || (a.uuid < b.uuid ? -1 : 1));
}

/** "<timestamp> <uuid>" of the last event stored: events after it are the ones to fetch. */
export function mispCursor(event: ManifestEvent): string {
  return `${event.timestamp} ${event.uuid}`;
}

export function afterCursor(event: ManifestEvent, cursor: string | null): boolean {
  if (cursor === null) return true;
  const [time = '0', uuid = ''] = cursor.split(' ');
  const at = Number(time);
  return event.timestamp > at || (event.timestamp === at && event.uuid > uuid);
}

function tagTlps(tags: unknown): Tlp[] {
  if (!Array.isArray(tags)) return [];
  return tags.flatMap((tag) => {
    const tlp = isRecord(tag) && typeof tag.name === 'string' ? tlpOfTag(tag.name) : null;
    return tlp === null ? [] : [tlp];
  });
}

/** A MISP attribute type and value → Bluelight types and raw values, or null for a type Bluelight does not match. */
function mispValues(type: string, value: string): { type: IndicatorType; raw: string }[] | null {
  const [first = '', second = ''] = value.split('|');
  const ip = (raw: string) => [{ type: (raw.includes(':') ? 'ipv6' : 'ipv4') as IndicatorType, raw }];
  switch (type) {
    case 'ip-src':
    case 'ip-dst':
      return ip(value);
    case 'ip-src|port':
    case 'ip-dst|port':
      return ip(first);
    case 'domain':
    case 'hostname':
      return [{ type: 'domain', raw: value }];
    case 'domain|ip':
      return [{ type: 'domain', raw: first }, ...ip(second)];
    case 'url':
      return [{ type: 'url', raw: value }];
    case 'email':
    case 'email-src':
    case 'email-reply-to':
      return [{ type: 'email', raw: value }];
    case 'md5':
    case 'sha1':
    case 'sha256':
      return [{ type, raw: value }];
    case 'filename|md5':
    case 'filename|sha1':
    case 'filename|sha256':
      return [{ type: type.slice('filename|'.length) as IndicatorType, raw: second }];
    case 'phone-number':
      return [{ type: 'phone', raw: value }];
    case 'iban':
      return [{ type: 'iban', raw: value }];
    case 'btc':
      return [{ type: 'btc-address', raw: value }];
    default:
      return null;
  }
}

export interface ParsedEvent {
  uuid: string;
  entries: FeedEntry[];
  skipped: Partial<Record<SkipReason, number>>;
}

/** One event file: its detection attributes (also those inside its objects) as feed entries. */
export function parseEvent(
  json: unknown,
  expectedUuid: string,
  feed: { tlp: Tlp; validDays: number },
): ParsedEvent {
  const event = isRecord(json) ? json.Event : undefined;
  if (!isRecord(event)) throw new FeedFormatError(`event ${expectedUuid}: no "Event" object`);
  if (typeof event.uuid !== 'string' || event.uuid.toLowerCase() !== expectedUuid)
    throw new FeedFormatError(`event ${expectedUuid}: the file holds another event`);
  const eventTlps = tagTlps(event.Tag);
  const attributes: unknown[] = Array.isArray(event.Attribute) ? [...(event.Attribute as unknown[])] : [];
  if (Array.isArray(event.Object))
    for (const object of event.Object as unknown[])
      if (isRecord(object) && Array.isArray(object.Attribute))
        attributes.push(...(object.Attribute as unknown[]));
  if (attributes.length > MAX_ATTRIBUTES)
    throw new FeedFormatError(`event ${expectedUuid}: more than ${MAX_ATTRIBUTES} attributes`);

  const entries: FeedEntry[] = [];
  const skipped: Partial<Record<SkipReason, number>> = {};
  const skip = (reason: SkipReason) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  for (const attribute of attributes) {
    if (!isRecord(attribute) || typeof attribute.type !== 'string' || typeof attribute.value !== 'string') {
      skip('not-stix');
      continue;
    }
    if (attribute.deleted === true) continue;
    const uuid = typeof attribute.uuid === 'string' && UUID.test(attribute.uuid) ? attribute.uuid : null;
    const changed = seconds(attribute.timestamp);
    if (uuid === null || changed === null) {
      skip('not-stix');
      continue;
    }
    if (attribute.to_ids !== true && attribute.to_ids !== '1' && attribute.to_ids !== 1) {
      skip('not-for-detection');
      continue;
    }
    const raw = mispValues(attribute.type, attribute.value);
    if (raw === null) {
      skip('unsupported-type');
      continue;
    }
    const version = new Date(changed * 1000).toISOString();
    const firstSeen = typeof attribute.first_seen === 'string' ? Date.parse(attribute.first_seen) : NaN;
    const knownSince = Number.isNaN(firstSeen) ? version : new Date(firstSeen).toISOString();
    const tlp = strictest([...eventTlps, ...tagTlps(attribute.Tag)], feed.tlp);
    let any = false;
    for (const { type, raw: text } of raw) {
      const value = normaliseIndicator(type, text);
      if (value === null) continue;
      any = true;
      entries.push({
        externalId: uuid.toLowerCase(),
        version,
        type,
        value,
        knownSince,
        validUntil: expiry(null, version, feed.validDays),
        revoked: false,
        tlp,
        confidence: null,
      });
    }
    if (!any) skip('invalid-value');
  }
  return { uuid: expectedUuid, entries, skipped };
}
