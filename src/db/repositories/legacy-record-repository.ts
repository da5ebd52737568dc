/** Records imported from forces' old systems, each once per (force, record id), with their classification. */
import { CompiledQuery, PostgresAdapter, type Insertable, type Updateable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { LegacyRecordsTable } from '../schema.ts';

/** The columns an import writes, in the order the statements below bind them. */
const INSERTED = [
  'force_id',
  'record_id',
  'recorded_on',
  'original_type',
  'summary',
  'postcode',
  'loss_pence',
  'category',
  'cyber',
  'recording_code',
  'confidence',
  'extortion',
  'vulnerable',
  'reasons',
  'imported_at',
  'online',
  'online_evidence',
  'review',
] as const;

/** One imported record, every column given. */
export type LegacyRecordInsert = { [K in (typeof INSERTED)[number]]: Insertable<LegacyRecordsTable>[K] };

/** PostgreSQL types for unnest(): one array parameter per column, whatever the number of rows. */
const PG_TYPES: Record<(typeof INSERTED)[number], string> = {
  force_id: 'text',
  record_id: 'text',
  recorded_on: 'text',
  original_type: 'text',
  summary: 'text',
  postcode: 'text',
  loss_pence: 'bigint',
  category: 'text',
  cyber: 'text',
  recording_code: 'text',
  confidence: 'real',
  extortion: 'integer',
  vulnerable: 'integer',
  reasons: 'text',
  imported_at: 'text',
  online: 'text',
  online_evidence: 'text',
  review: 'text',
};

const RETURNED = 'returning recorded_on, category, cyber, loss_pence';

const PG_INSERT =
  `insert into legacy_records (${INSERTED.join(', ')}) select * from unnest(` +
  INSERTED.map((c, i) => `$${String(i + 1)}::${PG_TYPES[c]}[]`).join(', ') +
  `) on conflict (force_id, record_id) do nothing ${RETURNED}`;

/** SQLite binds at most 32,766 parameters in one statement: rows per statement. */
const SQLITE_ROWS = 1000;
const sqliteInserts = new Map<number, string>();

/** The multi-row insert for `rows` rows (the statement text is made once per size). */
function sqliteInsert(rows: number): string {
  let text = sqliteInserts.get(rows);
  if (text === undefined) {
    const row = `(${INSERTED.map(() => '?').join(', ')})`;
    text =
      `insert into legacy_records (${INSERTED.join(', ')}) values ${Array.from({ length: rows }, () => row).join(', ')}` +
      ` on conflict (force_id, record_id) do nothing ${RETURNED}`;
    if (sqliteInserts.size > 4) sqliteInserts.clear();
    sqliteInserts.set(rows, text);
  }
  return text;
}

const ESCAPED = /[\\"]/;

/**
 * One column as a PostgreSQL array literal, made with one join: the driver's own encoding of a JS array builds it
 * element by element and runs two replacements on each (about 3 µs a row more here, and much of the main thread's
 * garbage). Every text element is quoted, so commas, braces, spaces and the word NULL stay text.
 */
function pgArray(rows: readonly LegacyRecordInsert[], column: (typeof INSERTED)[number]): string {
  const parts = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const value = (rows[i] as LegacyRecordInsert)[column];
    if (value === null || value === undefined) parts[i] = 'NULL';
    else if (typeof value === 'number') parts[i] = String(value);
    else if (typeof value !== 'string')
      // The types rule it out; plain JavaScript would otherwise store "[object Object]".
      throw new TypeError(`legacy record column ${column} must be text, a number or null`);
    else parts[i] = ESCAPED.test(value) ? `"${value.replace(/[\\"]/g, '\\$&')}"` : `"${value}"`;
  }
  return `{${parts.join(',')}}`;
}

interface Inserted {
  recorded_on: string;
  category: string;
  cyber: string;
  loss_pence: number;
}

/**
 * Adds the records not already imported (same force and record id); answers the ones added. Written as plain
 * statements (no query builder: a batch is thousands of values): on PostgreSQL one statement per batch, each
 * column sent as one array and unnested; on SQLite multi-row inserts of up to SQLITE_ROWS rows.
 */
export async function insertLegacyRecords(
  q: DbOrTrx,
  rows: readonly LegacyRecordInsert[],
): Promise<Inserted[]> {
  if (rows.length === 0) return [];
  if (q.getExecutor().adapter instanceof PostgresAdapter) {
    const columns = INSERTED.map((column) => pgArray(rows, column));
    const result = await q.executeQuery<Inserted>(CompiledQuery.raw(PG_INSERT, columns));
    return result.rows;
  }
  const inserted: Inserted[] = [];
  for (let start = 0; start < rows.length; start += SQLITE_ROWS) {
    const chunk = rows.slice(start, start + SQLITE_ROWS);
    const parameters: unknown[] = [];
    for (const row of chunk) for (const column of INSERTED) parameters.push(row[column]);
    const result = await q.executeQuery<Inserted>(CompiledQuery.raw(sqliteInsert(chunk.length), parameters));
    for (const row of result.rows) inserted.push(row);
  }
  return inserted;
}

/** The next `limit` of a force's records after `afterId` that no person has confirmed or corrected, by id. */
export function unreviewedLegacyRecords(
  q: DbOrTrx,
  forceId: string,
  afterId: number,
  limit: number,
  /** PostgreSQL: held until commit (a person's decision on one waits; a decided one is then left out). */
  lock = false,
) {
  return q
    .selectFrom('legacy_records')
    .selectAll()
    .where('force_id', '=', forceId)
    .where('id', '>', afterId)
    .where('review', 'not in', ['confirmed', 'corrected'])
    .orderBy('id')
    .limit(limit)
    .$if(lock, (qb) => qb.forUpdate())
    .execute();
}

export async function updateLegacyRecord(
  q: DbOrTrx,
  id: number,
  change: Updateable<LegacyRecordsTable>,
): Promise<void> {
  await q.updateTable('legacy_records').set(change).where('id', '=', id).execute();
}

/** A force's record by its own record id; `lock` (PostgreSQL) holds it until commit. */
export function findLegacyRecord(q: DbOrTrx, forceId: string, recordId: string, lock = false) {
  return q
    .selectFrom('legacy_records')
    .select(['id', 'category', 'online'])
    .where('force_id', '=', forceId)
    .where('record_id', '=', recordId)
    .$if(lock, (qb) => qb.forUpdate())
    .executeTakeFirst();
}

/** Holds a record until commit (PostgreSQL), so that whoever changes its classification reads it afresh. */
export async function lockLegacyRecord(q: DbOrTrx, id: number): Promise<void> {
  await q.selectFrom('legacy_records').select('id').where('id', '=', id).forUpdate().execute();
}
