/**
 * Call data records: reading the documented CSV (pure). Refusals carry a code and params so a page can say them
 * in its own language, and name the row as a spreadsheet numbers it (the header is row 1).
 */
import { parse as parseCsv } from 'csv-parse/sync';

export const CDR_KINDS = ['call', 'sms', 'data', 'cell'] as const;
/** The CSV's columns, in the documented order. */
export const CDR_COLUMNS = [
  'timestamp',
  'type',
  'from',
  'to',
  'duration_seconds',
  'cell_id',
  'latitude',
  'longitude',
] as const;
/** Rows in one import: a year of a busy phone's records is well under this. */
export const MAX_CDR_ROWS = 100_000;

/** A CSV that cannot be imported; `message` is English, `code` and `params` are for pages. */
export class CallRecordsError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

export interface CallRecord {
  at: string;
  kind: string;
  from_number: string | null;
  to_number: string | null;
  duration_s: number | null;
  cell_id: string | null;
  lat: number | null;
  lon: number | null;
}

/**
 * Call data records CSV: timestamp,type,from,to,duration_seconds,cell_id,latitude,longitude (header row required;
 * timestamp ISO 8601 with a zone; type call|sms|data|cell; empty cells allowed except timestamp and type).
 */
export function parseCdr(csv: string): CallRecord[] {
  let records: Record<string, string>[];
  try {
    records = parseCsv<Record<string, string>>(csv.replace(/^\uFEFF/, ''), {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      // Spreadsheets leave trailing empty cells off; a short row's missing cells are empty.
      relax_column_count: true,
      to: MAX_CDR_ROWS + 1,
    });
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new CallRecordsError(`The CSV could not be read: ${(error as Error).message}`, 'cdr-unreadable', {
      row: line ?? 1,
    });
  }
  if (records.length === 0)
    throw new CallRecordsError('The CSV has no records under its header row', 'cdr-empty');
  if (records.length > MAX_CDR_ROWS)
    throw new CallRecordsError(`The CSV has more than ${MAX_CDR_ROWS} records`, 'cdr-many', {
      max: MAX_CDR_ROWS,
    });
  const missing = ['timestamp', 'type'].filter((c) => !(c in (records[0] ?? {})));
  if (missing.length > 0)
    throw new CallRecordsError(`The header row has no ${missing.join(' or ')} column`, 'cdr-columns', {
      columns: missing.join(', '),
    });
  return records.map((r, i) => {
    const row = i + 2;
    const at = Date.parse(r.timestamp ?? '');
    if (Number.isNaN(at) || !/(?:Z|[+-]\d{2}:?\d{2})$/.test(r.timestamp ?? ''))
      throw new CallRecordsError(`Row ${row}: timestamp must be ISO 8601 with a time zone`, 'cdr-timestamp', {
        row,
      });
    const kind = r.type?.toLowerCase() ?? '';
    if (!(CDR_KINDS as readonly string[]).includes(kind))
      throw new CallRecordsError(`Row ${row}: type must be one of ${CDR_KINDS.join(', ')}`, 'cdr-type', {
        row,
      });
    const num = (value: string | undefined, min: number, max: number, column: string) => {
      if (value === undefined || value === '') return null;
      const n = Number(value);
      if (!Number.isFinite(n) || n < min || n > max)
        throw new CallRecordsError(`Row ${row}: ${column} is out of range`, 'cdr-range', { row, column });
      return n;
    };
    const text = (value: string | undefined) =>
      value === undefined || value === '' ? null : value.slice(0, 40);
    return {
      at: new Date(at).toISOString(),
      kind,
      from_number: text(r.from),
      to_number: text(r.to),
      duration_s: num(r.duration_seconds, 0, 86_400 * 7, 'duration_seconds'),
      cell_id: text(r.cell_id),
      lat: num(r.latitude, -90, 90, 'latitude'),
      lon: num(r.longitude, -180, 180, 'longitude'),
    };
  });
}
