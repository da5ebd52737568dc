import { penceOf } from '../money.ts';
import { parsePostcode } from '../postcode/postcode.ts';

export function isLegacyColumn(value: string): value is LegacyColumn {
  return Object.hasOwn(LEGACY_COLUMNS, value);
}

/** The columns a force exports, by the names (and common aliases) Bluelight accepts; see docs/import.md. */
export const LEGACY_COLUMNS = {
  record_id: [
    'record_id',
    'record id',
    'crime_ref',
    'crime reference',
    'crime_reference',
    'urn',
    'reference',
    'ref',
  ],
  recorded_date: [
    'recorded_date',
    'recorded date',
    'date_recorded',
    'date recorded',
    'date',
    'recorded',
    'date time recorded',
    'recorded date time',
  ],
  crime_type: [
    'crime_type',
    'crime type',
    'original_crime_type',
    'offence',
    'offence_type',
    'classification',
    'offence name',
    'ho offence',
  ],
  summary: ['summary', 'mo', 'mo_summary', 'narrative', 'description', 'details', 'mo text', 'mo details'],
  postcode: ['postcode', 'post_code', 'victim_postcode', 'location_postcode'],
  loss: ['loss', 'loss_amount', 'loss amount', 'amount', 'value', 'loss_gbp'],
} as const;

export type LegacyColumn = keyof typeof LEGACY_COLUMNS;

export interface LegacyRow {
  recordId: string;
  recordedOn: string;
  crimeType: string;
  summary: string;
  postcode: string | null;
  lossPence: number;
}

/** A header name as matched: case, spaces, underscores, hyphens and punctuation ignored ("Date / Time Recorded"). */
export function headerKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** Maps a header row to our column names; returns the missing required columns too. */
export function mapHeader(
  header: readonly string[],
  /** Header names given by the person importing (--map record_id=URN), tried before the usual names. */
  map: Partial<Record<LegacyColumn, string>> = {},
): {
  mapping: Map<number, LegacyColumn>;
  missing: LegacyColumn[];
  /** What --map named that could not be used: a header the file does not have, or one already mapped. */
  unmapped: string[];
} {
  const mapping = new Map<number, LegacyColumn>();
  const unmapped: string[] = [];
  for (const [column, name] of Object.entries(map) as [LegacyColumn, string][]) {
    const index = header.findIndex((h) => headerKey(h) === headerKey(name));
    if (index < 0) unmapped.push(`${column}="${name}" (the header has no such column)`);
    else if (mapping.has(index))
      unmapped.push(`${column}="${name}" (that column is already read as ${mapping.get(index) ?? ''})`);
    else mapping.set(index, column);
  }
  header.forEach((name, index) => {
    if (mapping.has(index)) return;
    const key = headerKey(name);
    for (const [column, aliases] of Object.entries(LEGACY_COLUMNS) as [LegacyColumn, readonly string[]][]) {
      if (aliases.some((alias) => headerKey(alias) === key) && ![...mapping.values()].includes(column))
        mapping.set(index, column);
    }
  });
  const present = new Set(mapping.values());
  const missing = (['record_id', 'recorded_date', 'summary'] as const).filter((c) => !present.has(c));
  return { mapping, missing, unmapped };
}

function parseDate(raw: string): string | null {
  const value = raw.trim().split(/[ T]/)[0] ?? '';
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value)))
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d ||
    y < 1990 ||
    y > 2100
  )
    return null;
  return date.toISOString().slice(0, 10);
}

function parseLoss(raw: string): number | null {
  // Only around the amount and after "GBP": "12 50" is not £1,250.
  const value = raw.trim().replace(/^gbp\s*/i, '');
  if (value === '' || /^(n\/?a|nil|none|unknown|-)$/i.test(value)) return 0;
  // As on the report form: commas only between thousands ("12,50" is refused, not read as £1,250), at most
  // £9,999,999,999.99, so a day's figures, summed as numbers, stay exact.
  return penceOf(value);
}

/**
 * At most `max` UTF-16 units, never half a surrogate pair: a lone half is stored as U+FFFD by PostgreSQL and as
 * its raw bytes by SQLite.
 */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

const indexesOf = new WeakMap<Map<number, LegacyColumn>, Partial<Record<LegacyColumn, number>>>();

/** Where each column is in a record, worked out once per header mapping (a record is read several times). */
function columnIndexes(mapping: Map<number, LegacyColumn>): Partial<Record<LegacyColumn, number>> {
  let at = indexesOf.get(mapping);
  if (at === undefined) {
    at = {};
    for (const [index, column] of mapping) at[column] ??= index;
    indexesOf.set(mapping, at);
  }
  return at;
}

/** One CSV record → a legacy row, or the reason it is rejected. */
export function parseLegacyRecord(
  fields: readonly string[],
  mapping: Map<number, LegacyColumn>,
): { ok: true; row: LegacyRow } | { ok: false; reason: string } {
  const at = columnIndexes(mapping);
  const get = (column: LegacyColumn): string => {
    const index = at[column];
    return index === undefined ? '' : (fields[index] ?? '').trim();
  };
  for (const index of mapping.keys()) {
    const field = fields[index] ?? '';
    // PostgreSQL stores no NUL in text (SQLite would): refused here, so both databases keep the same records.
    if (field.includes('\0'))
      return {
        ok: false,
        reason:
          'the record holds a NUL character (byte 0), which cannot be stored (a file saved as UTF-16 has them throughout: save it as UTF-8)',
      };
    // Bytes that are not UTF-8 are read as U+FFFD: stored, "café" and "cafè" would become one record id.
    if (field.includes('\ufffd'))
      return {
        ok: false,
        reason:
          'the record holds bytes that are not UTF-8 text, or the replacement character "\ufffd" that stands for them: save the file as UTF-8 and import it again',
      };
  }
  const recordId = get('record_id');
  if (recordId === '') return { ok: false, reason: 'record id is empty' };
  if (recordId.length > 100) return { ok: false, reason: 'record id is longer than 100 characters' };
  const recordedOn = parseDate(get('recorded_date'));
  if (recordedOn === null)
    return {
      ok: false,
      reason: `recorded date "${get('recorded_date').slice(0, 40)}" is not a date (use YYYY-MM-DD or DD/MM/YYYY)`,
    };
  const summary = get('summary');
  if (summary === '') return { ok: false, reason: 'summary is empty' };
  const lossPence = parseLoss(get('loss'));
  if (lossPence === null)
    return {
      ok: false,
      reason: `loss "${get('loss').slice(0, 40)}" is not an amount of money (such as 1250.50 or £1,250.50, at most £9,999,999,999.99)`,
    };
  const postcode = get('postcode');
  return {
    ok: true,
    row: {
      recordId,
      recordedOn,
      crimeType: cut(get('crime_type'), 200),
      summary: cut(summary, 20_000),
      // A wrong postcode does not make the record unusable: it is kept without one.
      postcode: postcode === '' ? null : (parsePostcode(postcode)?.normalised ?? null),
      lossPence,
    },
  };
}
