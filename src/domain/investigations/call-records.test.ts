import { describe, expect, it } from 'vitest';
import { CallRecordsError, MAX_CDR_ROWS, parseCdr } from './call-records.ts';

const HEADER = 'timestamp,type,from,to,duration_seconds,cell_id,latitude,longitude';

/** The code and params a page would show for this CSV (or the rows read). */
function outcome(csv: string) {
  try {
    return { rows: parseCdr(csv) };
  } catch (error) {
    if (!(error instanceof CallRecordsError)) throw error;
    return { code: error.code, params: error.params, message: error.message };
  }
}

describe('call data records CSV', () => {
  it('reads the documented columns, in any case and with a byte-order mark', () => {
    const read = outcome(
      `\uFEFF${HEADER.toUpperCase()}\n2026-11-20T08:59:00+01:00,CALL,+447700900111,+447700900222,65,CELL-1,54.89,-2.93\n\n2026-11-20T09:10:00Z,cell,,,,,,\n`,
    );
    expect(read.rows).toEqual([
      {
        at: '2026-11-20T07:59:00.000Z',
        kind: 'call',
        from_number: '+447700900111',
        to_number: '+447700900222',
        duration_s: 65,
        cell_id: 'CELL-1',
        lat: 54.89,
        lon: -2.93,
      },
      {
        at: '2026-11-20T09:10:00.000Z',
        kind: 'cell',
        from_number: null,
        to_number: null,
        duration_s: null,
        cell_id: null,
        lat: null,
        lon: null,
      },
    ]);
  });

  it.each([
    ['a header and nothing else', `${HEADER}\n`, 'cdr-empty', {}],
    ['no timestamp column', 'time,type\n2026-11-20T09:10:00Z,call', 'cdr-columns', { columns: 'timestamp' }],
    ['a date without a zone', `${HEADER}\n2026-11-20T09:10:00,call`, 'cdr-timestamp', { row: 2 }],
    [
      'an unknown type on row 3',
      `${HEADER}\n2026-11-20T09:10:00Z,call\n2026-11-20T09:11:00Z,fax`,
      'cdr-type',
      { row: 3 },
    ],
    [
      'a latitude of 91',
      `${HEADER}\n2026-11-20T09:10:00Z,cell,,,,,91,0`,
      'cdr-range',
      { row: 2, column: 'latitude' },
    ],
    [
      'a negative duration',
      `${HEADER}\n2026-11-20T09:10:00Z,call,,,-1`,
      'cdr-range',
      { row: 2, column: 'duration_seconds' },
    ],
    ['an unclosed quote', `${HEADER}\n"2026-11-20T09:10:00Z,call`, 'cdr-unreadable', {}],
  ])('refuses %s with a coded reason naming the row', (_name, csv, code, params) => {
    const read = outcome(csv);
    expect(read.code).toBe(code);
    expect(read.params).toMatchObject(params);
    if ('row' in params) expect(read.message).toContain(`Row ${params.row}`);
  });

  // 100,001 rows through the real CSV parser: seconds on a busy 2-core machine.
  it('refuses more rows than one import takes', { timeout: 120_000 }, () => {
    const rows = Array.from({ length: MAX_CDR_ROWS + 1 }, () => '2026-11-20T09:10:00Z,cell');
    expect(outcome(`${HEADER}\n${rows.join('\n')}`).code).toBe('cdr-many');
  });
});
