/**
 * Indicators typed into the partner portal, one by one or as CSV (one value per row: `type,value,tlp,reshare,labels`),
 * checked row by row and turned into the STIX 2.1 indicators the partner-submissions collection takes, so the portal
 * goes through the very use case the TAXII collection does (its schema, warning lists and personal-data rules). Pure.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { normaliseIndicator } from '../indicators/extract.ts';
import { INDICATOR_TYPES, isIndicatorType, type IndicatorType } from '../indicators/indicator.ts';
import { patternFor, type StixObject } from './stix.ts';
import { SUBMISSION_MARKINGS } from './stix-submission.ts';
import { isSubmissionTlp, type SubmissionTlp } from './tlp.ts';

/** At most this many rows in one CSV (a TAXII POST's limit), and this many bytes. */
export const MAX_CSV_ROWS = 1000;
export const MAX_CSV_BYTES = 60 * 1024;
export const CSV_COLUMNS = ['type', 'value', 'tlp', 'reshare', 'labels'] as const;
export type RowField = (typeof CSV_COLUMNS)[number];

/** One value to submit. */
export interface SubmissionRow {
  /** The CSV line it came from (null: the one-value form). */
  line: number | null;
  type: IndicatorType;
  value: string;
  tlp: SubmissionTlp;
  reshare: boolean;
  labels: string[];
}

/** Why a row is refused: the field it blames and the kind of problem (the page's message). */
export interface RowProblem {
  line: number | null;
  field: RowField;
  kind: 'missing' | 'unknown' | 'invalid' | 'long';
}

/** Why a whole file is refused. */
export type FileProblem = 'empty' | 'not-csv' | 'too-many-rows' | 'too-large';

const YES = new Set(['yes', 'true', 'y', '1']);
const NO = new Set(['', 'no', 'false', 'n', '0']);

/** Checks one row's cells; the value normalised as extraction normalises it. */
export function checkRow(
  line: number | null,
  cells: Partial<Record<RowField, string>>,
): { row: SubmissionRow } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const blame = (field: RowField, kind: RowProblem['kind']) => problems.push({ line, field, kind });
  const type = (cells.type ?? '').trim().toLowerCase();
  const raw = (cells.value ?? '').trim();
  const tlp = (cells.tlp ?? '').trim().toLowerCase().replace(/^tlp:/, '') || 'amber';
  const reshare = (cells.reshare ?? '').trim().toLowerCase();
  const labels = (cells.labels ?? '')
    .split(';')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (type === '') blame('type', 'missing');
  else if (!isIndicatorType(type)) blame('type', 'unknown');
  if (raw === '') blame('value', 'missing');
  else if (raw.length > 2048) blame('value', 'long');
  else if (isIndicatorType(type) && normaliseIndicator(type, raw) === null) blame('value', 'invalid');
  if (!isSubmissionTlp(tlp)) blame('tlp', 'unknown');
  if (!YES.has(reshare) && !NO.has(reshare)) blame('reshare', 'invalid');
  if (labels.length > 5 || labels.some((l) => l.length > 40)) blame('labels', 'long');
  if (problems.length > 0 || !isIndicatorType(type) || !isSubmissionTlp(tlp)) return { problems };
  const value = normaliseIndicator(type, raw);
  if (value === null) return { problems: [{ line, field: 'value', kind: 'invalid' }] };
  return { row: { line, type, value, tlp, reshare: YES.has(reshare), labels } };
}

/**
 * Reads a CSV of values: an optional header row naming the columns (in any order; `type` and `value` required),
 * else the columns in the order of CSV_COLUMNS. Every row is checked; the file is taken only when all are valid.
 */
export function readSubmissionCsv(
  text: string,
): { rows: SubmissionRow[] } | { problems: RowProblem[] } | { file: FileProblem } {
  if (Buffer.byteLength(text, 'utf8') > MAX_CSV_BYTES) return { file: 'too-large' };
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    if (error instanceof CsvError) return { file: 'not-csv' };
    throw error;
  }
  const first = records[0]?.map((c) => c.toLowerCase());
  const header = first?.includes('type') === true && first.includes('value') ? first : null;
  const columns = header ?? [...CSV_COLUMNS];
  const body = header === null ? records : records.slice(1);
  if (body.length === 0) return { file: 'empty' };
  if (body.length > MAX_CSV_ROWS) return { file: 'too-many-rows' };
  const rows: SubmissionRow[] = [];
  const problems: RowProblem[] = [];
  body.forEach((record, index) => {
    // Lines as people count them in a spreadsheet: the header is line 1.
    const line = index + (header === null ? 1 : 2);
    const cells: Partial<Record<RowField, string>> = {};
    columns.forEach((name, i) => {
      if ((CSV_COLUMNS as readonly string[]).includes(name)) cells[name as RowField] = record[i] ?? '';
    });
    const checked = checkRow(line, cells);
    if ('row' in checked) rows.push(checked.row);
    else problems.push(...checked.problems);
  });
  return problems.length > 0 ? { problems } : { rows };
}

/**
 * The STIX 2.1 indicator a row becomes: the partner says the value is the offender's (malicious-activity), so a
 * phone, email, account or wallet is taken as the TAXII collection takes it, and refused by the same rules.
 */
export function submissionObject(row: SubmissionRow, now: Date, uuid: string): StixObject {
  const at = now.toISOString();
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${uuid}`,
    created: at,
    modified: at,
    pattern: patternFor(row.type, row.value),
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: at,
    indicator_types: ['malicious-activity'],
    ...(row.labels.length > 0 ? { labels: row.labels } : {}),
    object_marking_refs: [SUBMISSION_MARKINGS[row.tlp]],
    x_bluelight_reshare: row.reshare,
  };
}

export { INDICATOR_TYPES };
