/**
 * Several reports at once (issue 20): a CSV whose columns are the partner API's report fields, written as their
 * dotted names (`reporter.postcode`, `incident.narrative`…). Each row is checked with the API's own schema and
 * mapping, so a row is taken exactly when the same report sent to `POST /api/v1/reports` would be; each taken row
 * then goes through the one intake use case, as its own report with its own reference and transaction. The
 * workspace upload (call handlers) and `POST /api/v1/reports/bulk` (partners) share everything here.
 */
import { createHash } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import { CsvError, parse } from 'csv-parse/sync';
import type { IdempotencyOwner } from '../../../db/repositories/idempotency-repository.ts';
import type { ReportSubmission } from '../../../domain/report/report-submission.ts';
import type { Services } from '../../../services/index.ts';
import '../cases/case-schemas.ts'; // registers the email and date formats the schema names
import { apiBodyToSubmission } from './report-api-mapping.ts';
import { ReportBody } from './report-schemas.ts';

export const MAX_BULK_ROWS = 500;
export const MAX_BULK_BYTES = 1024 * 1024;

/** Every column a file may have: the API's fields. A list is `;`-separated; losses pair amounts and methods. */
export const CSV_COLUMNS = [
  'reporter.type',
  'reporter.name',
  'reporter.email',
  'reporter.phone',
  'reporter.postcode',
  'reporter.language',
  'reporter.organisation.name',
  'reporter.organisation.sector',
  'reporter.organisation.employees',
  'incident.narrative',
  'incident.started_at',
  'incident.ongoing',
  'incident.contact_method',
  'incident.losses.amount_pence',
  'incident.losses.method',
  'suspect.names',
  'suspect.emails',
  'suspect.phones',
  'suspect.websites',
  'suspect.bank_accounts',
  'suspect.wallets',
  'consents.victim_support',
  'consents.victim_support_contact_time',
] as const;
type Column = (typeof CSV_COLUMNS)[number];
const isColumn = (name: string): name is Column => (CSV_COLUMNS as readonly string[]).includes(name);

/** Why a row was refused: its kind names the page's message (adviser.bulk.reasons.<kind>), `message` the API's. */
export type RejectKind = 'missing' | 'long' | 'many' | 'format' | 'postcode' | 'future' | 'noReferrals';
export interface CsvReject {
  /** The line of the file the row ends on (line 1 is the header). */
  line: number;
  /** The API's name of the field, which is also the column's. */
  field: string;
  kind: RejectKind;
  message: string;
}

/** Why the whole file was refused: nothing in it is stored. */
export type CsvFileProblem =
  | { kind: 'empty' }
  | { kind: 'too-large' }
  | { kind: 'too-many-rows' }
  | { kind: 'unknown-column'; column: string }
  | { kind: 'duplicate-column'; column: string }
  | { kind: 'malformed'; line: number | null; code: string };

export interface CsvRow {
  line: number;
  body: ReportBody;
  submission: ReportSubmission;
}

export type ReadCsv =
  { ok: true; rows: CsvRow[]; rejects: CsvReject[] } | { ok: false; problem: CsvFileProblem };

const list = (cell: string) =>
  cell
    .split(';')
    .map((v) => v.trim())
    .filter((v) => v !== '');
/** `true`/`false` (or yes/no); anything else is left as text for the schema to refuse. */
const flag = (cell: string): boolean | string => {
  const v = cell.toLowerCase();
  if (v === 'true' || v === 'yes') return true;
  if (v === 'false' || v === 'no') return false;
  return cell;
};
const integer = (cell: string): number | string => (/^\d{1,15}$/.test(cell) ? Number(cell) : cell);

/** A row's cells as the API's body; empty cells are absent fields. Values are kept as typed: never evaluated. */
function bodyOf(cells: Partial<Record<Column, string>>): Record<string, unknown> {
  const get = (c: Column) => {
    const v = cells[c]?.trim() ?? '';
    return v === '' ? undefined : v;
  };
  const defined = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const orgName = get('reporter.organisation.name');
  const orgSector = get('reporter.organisation.sector');
  const orgEmployees = get('reporter.organisation.employees');
  const organisation =
    orgName === undefined && orgSector === undefined && orgEmployees === undefined
      ? undefined
      : defined({
          name: orgName,
          sector: orgSector,
          employees: orgEmployees === undefined ? undefined : integer(orgEmployees),
        });
  const amounts = list(get('incident.losses.amount_pence') ?? '');
  const methods = list(get('incident.losses.method') ?? '');
  const losses =
    amounts.length === 0 && methods.length === 0
      ? undefined
      : Array.from({ length: Math.max(amounts.length, methods.length) }, (_, i) =>
          defined({
            amount_pence: amounts[i] === undefined ? undefined : integer(amounts[i]),
            method: methods[i],
          }),
        );
  const suspectColumns = {
    names: 'suspect.names',
    emails: 'suspect.emails',
    phones: 'suspect.phones',
    websites: 'suspect.websites',
    bank_accounts: 'suspect.bank_accounts',
    wallets: 'suspect.wallets',
  } as const;
  const suspect = defined(
    Object.fromEntries(
      Object.entries(suspectColumns).map(([key, column]) => {
        const cell = get(column);
        return [key, cell === undefined ? undefined : list(cell)];
      }),
    ),
  );
  const ongoing = get('incident.ongoing');
  const consent = get('consents.victim_support');
  return defined({
    reporter: defined({
      type: get('reporter.type'),
      name: get('reporter.name'),
      email: get('reporter.email'),
      phone: get('reporter.phone'),
      postcode: get('reporter.postcode'),
      language: get('reporter.language'),
      organisation,
    }),
    incident: defined({
      narrative: get('incident.narrative'),
      started_at: get('incident.started_at'),
      ongoing: ongoing === undefined ? undefined : flag(ongoing),
      contact_method: get('incident.contact_method'),
      losses,
    }),
    suspect: Object.keys(suspect).length === 0 ? undefined : suspect,
    consents: defined({
      // A business reporting incidents in bulk makes no referral unless the column says so.
      victim_support: consent === undefined ? false : flag(consent),
      victim_support_contact_time: get('consents.victim_support_contact_time'),
    }),
  });
}

/** The schema's first problem with each field, named as the API names it (`incident.losses` for any loss). */
function schemaRejects(line: number, body: unknown): CsvReject[] {
  const found = new Map<string, CsvReject>();
  for (const error of Value.Errors(ReportBody, body)) {
    const parts = error.path.split('/').filter((p) => p !== '');
    const field = parts.filter((p) => !/^\d+$/.test(p)).join('.') || 'row';
    if (found.has(field)) continue;
    const limits = error.schema as { maxLength?: number; maxItems?: number };
    const bad: unknown = error.value;
    const kind: RejectKind =
      bad === undefined
        ? 'missing'
        : typeof bad === 'string' && limits.maxLength !== undefined && bad.length > limits.maxLength
          ? 'long'
          : Array.isArray(bad) && limits.maxItems !== undefined && bad.length > limits.maxItems
            ? 'many'
            : 'format';
    const message =
      kind === 'missing'
        ? 'is required'
        : kind === 'long'
          ? `must be at most ${String(limits.maxLength)} characters`
          : kind === 'many'
            ? `must have at most ${String(limits.maxItems)} entries`
            : 'is not in the right form';
    found.set(field, { line, field, kind, message });
  }
  return [...found.values()];
}

/** The mapping's own checks (real postcode, phone, past date, referrals offered) as reject kinds. */
const MAPPING_KINDS: Record<string, RejectKind> = {
  'reporter.postcode': 'postcode',
  'reporter.phone': 'format',
  'reporter.organisation': 'missing',
  'incident.started_at': 'future',
  'consents.victim_support': 'noReferrals',
};

/**
 * An unknown column's name as the page or problem says it back: its first 60 characters, a control or invisible
 * character (NUL, a right-to-left override that would turn the message around) as `?`.
 */
const shownColumn = (name: string) => name.slice(0, 60).replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '?');

/**
 * Reads a whole file before anything is stored: a file that cannot be read, has a column the API does not know or
 * more than MAX_BULK_ROWS rows is refused whole; otherwise each row is either ready for intake or listed with its
 * line, field and reason.
 */
export function readReportCsv(text: string, services: Services): ReadCsv {
  if (Buffer.byteLength(text) > MAX_BULK_BYTES) return { ok: false, problem: { kind: 'too-large' } };
  let header: string[] = [];
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      info: true,
      // One row more than allowed is enough to know the file is too long.
      to: MAX_BULK_ROWS + 1,
      columns: (names: string[]) => {
        header = names.map((n) => n.trim());
        return header;
      },
    }) as unknown as { record: Record<string, string>; info: { lines: number } }[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // The parser's own words can quote the file: only its code and line are passed on.
    const line = (error as CsvError & { lines?: number }).lines;
    return { ok: false, problem: { kind: 'malformed', line: line ?? null, code: error.code } };
  }
  const seen = new Set<string>();
  for (const name of header) {
    if (!isColumn(name)) return { ok: false, problem: { kind: 'unknown-column', column: shownColumn(name) } };
    if (seen.has(name)) return { ok: false, problem: { kind: 'duplicate-column', column: name } };
    seen.add(name);
  }
  if (records.length === 0) return { ok: false, problem: { kind: 'empty' } };
  if (records.length > MAX_BULK_ROWS) return { ok: false, problem: { kind: 'too-many-rows' } };

  const rows: CsvRow[] = [];
  const rejects: CsvReject[] = [];
  const today = services.clock();
  for (const { record, info } of records) {
    const line = info.lines;
    const body = bodyOf(record);
    const problems = schemaRejects(line, body);
    if (problems.length > 0) {
      rejects.push(...problems);
      continue;
    }
    const valid = body as ReportBody;
    const mapped = apiBodyToSubmission(valid, (p) => services.postcodes.lookup(p), today, {
      victimSupport: services.referrals.offered,
    });
    if (!mapped.ok) {
      rejects.push(
        ...mapped.errors.map((e) => ({
          line,
          field: e.name,
          kind: MAPPING_KINDS[e.name] ?? 'format',
          message: e.message,
        })),
      );
      continue;
    }
    rows.push({ line, body: valid, submission: mapped.submission });
  }
  return { ok: true, rows, rejects };
}

/** Canonical JSON (sorted keys) so the same body always hashes the same for Idempotency-Key checks. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface CsvCreated {
  line: number;
  reference: string;
  /** A retry with the same Idempotency-Key: this row's report was already made, and this is its reference. */
  replayed: boolean;
}

/**
 * Each ready row through the one intake use case, one at a time: its own reference and its own transaction. Under
 * an idempotency key each row claims the key + its line with the hash of its own body, as a single report claims
 * its key: a partner's Idempotency-Key (`bulk:`), or an adviser's upload form key (`ws:`, so an upload stopped half
 * way and posted again records only the rows missing). A retried file returns the same references, and a row
 * changed since is refused.
 */
export async function submitCsvRows(
  services: Pick<Services, 'reportIntake'>,
  rows: readonly CsvRow[],
  options:
    | { partnerTokenId: number; idempotencyKey?: string }
    | { adviser: { userId: number; name: string }; uploadKeyHash: string },
): Promise<{ created: CsvCreated[]; rejects: CsvReject[] }> {
  const created: CsvCreated[] = [];
  const rejects: CsvReject[] = [];
  const adviser = 'adviser' in options ? options.adviser : undefined;
  const partnerTokenId = 'partnerTokenId' in options ? options.partnerTokenId : undefined;
  const rowKey: { owner: IdempotencyOwner; prefix: string } | undefined =
    'adviser' in options
      ? { owner: { userId: options.adviser.userId }, prefix: `ws:${options.uploadKeyHash}` }
      : options.idempotencyKey === undefined
        ? undefined
        : {
            owner: { tokenId: options.partnerTokenId },
            prefix: `bulk:${createHash('sha256').update(options.idempotencyKey).digest('hex').slice(0, 40)}`,
          };
  // One file is one source: its rows never corroborate each other (a partner's token already says so). Named by
  // the form's key, so the rows a re-post records join the group of those recorded before.
  const reporterGroup = 'adviser' in options ? `csv:ws:${options.uploadKeyHash}` : undefined;
  for (const row of rows) {
    const lng = row.body.reporter.language ?? 'en';
    const common = { lng, partnerTokenId, adviser, reporterGroup };
    if (rowKey !== undefined) {
      const result = await services.reportIntake.submitIdempotent(
        row.submission,
        {
          owner: rowKey.owner,
          key: `${rowKey.prefix}:${String(row.line)}`,
          requestHash: createHash('sha256').update(canonical(row.body)).digest('hex'),
        },
        common,
      );
      if (result.kind === 'conflict')
        rejects.push({
          line: row.line,
          field: adviser === undefined ? 'Idempotency-Key' : 'file',
          kind: 'format',
          message: 'this key was already used with a different row on this line',
        });
      else
        created.push({
          line: row.line,
          reference: result.kind === 'created' ? result.report.reference : result.reference,
          replayed: result.kind === 'replay',
        });
      continue;
    }
    const report = await services.reportIntake.submit(row.submission, common);
    created.push({ line: row.line, reference: report.reference, replayed: false });
  }
  return { created, rejects };
}
