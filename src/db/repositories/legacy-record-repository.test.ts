import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, testDialect } from '../../../test/support/test-services.ts';
import { insertLegacyRecords, type LegacyRecordInsert } from './legacy-record-repository.ts';

const record = (
  id: string,
  loss: number,
  summary = `summary of ${id}, with "quotes", {braces} and a \\`,
) => ({
  force_id: 'cumbria',
  record_id: id,
  recorded_on: '2026-11-03',
  original_type: 'Fraud',
  summary,
  postcode: id.endsWith('7') ? null : 'CA1 1AA',
  loss_pence: loss,
  category: 'online-shopping-fraud',
  cyber: 'enabled',
  recording_code: 'NFIB3A',
  confidence: 0.86,
  extortion: 0,
  vulnerable: 1,
  reasons: JSON.stringify(['a reason (“its words”)']),
  imported_at: '2026-12-04T10:00:00.000Z',
  online: 'online-marketplace',
  online_evidence: '[]',
  review: 'pending' as const,
});

// The import writes a batch in plain statements (unnest arrays on PostgreSQL, multi-row inserts on SQLite).
describe(`inserting imported records (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    services = await createTestServices();
  });
  afterAll(() => services.cleanup());

  it('stores every column as given, more rows than one SQLite statement takes, and answers only the new rows', async () => {
    const db = services.database.db;
    const first: LegacyRecordInsert[] = Array.from({ length: 2500 }, (_, i) => record(`R${String(i)}`, i));
    // The same record id twice in one batch, and again in the next: stored once.
    first.push(record('R10', 999_999));
    const added = await db.transaction().execute((trx) => insertLegacyRecords(trx, first));
    expect(added).toHaveLength(2500);
    expect(added.reduce((sum, r) => sum + r.loss_pence, 0)).toBe((2499 * 2500) / 2);
    expect(added[0]).toEqual({
      recorded_on: '2026-11-03',
      category: 'online-shopping-fraud',
      cyber: 'enabled',
      loss_pence: 0,
    });
    const again = await db
      .transaction()
      .execute((trx) => insertLegacyRecords(trx, [record('R10', 5), record('NEW', 7, 'ünïcode – “quoted”')]));
    expect(again).toEqual([
      { recorded_on: '2026-11-03', category: 'online-shopping-fraud', cyber: 'enabled', loss_pence: 7 },
    ]);

    const stored = await db
      .selectFrom('legacy_records')
      .selectAll()
      .where('record_id', 'in', ['R10', 'R17', 'NEW'])
      .orderBy('record_id')
      .execute();
    expect(stored.map((r) => [r.record_id, r.loss_pence, r.postcode, r.summary])).toEqual([
      ['NEW', 7, 'CA1 1AA', 'ünïcode – “quoted”'],
      ['R10', 10, 'CA1 1AA', 'summary of R10, with "quotes", {braces} and a \\'],
      ['R17', 17, null, 'summary of R17, with "quotes", {braces} and a \\'],
    ]);
    const { confidence, ...expected } = record('R10', 10);
    expect(stored[1]).toMatchObject(expected);
    // A real column (float4 on PostgreSQL): compared to five places.
    expect(stored[1]?.confidence).toBeCloseTo(confidence, 5);
    expect(
      await db
        .selectFrom('legacy_records')
        .select(db.fn.countAll<number | string>().as('n'))
        .executeTakeFirst(),
    ).toEqual({ n: 2501 });
  });

  it('stores text an array literal could misread exactly as given (PostgreSQL sends each column as one)', async () => {
    const db = services.database.db;
    const awkward = [
      'NULL',
      '',
      '  spaces kept  ',
      'line\nbreak\ttab\r',
      'back\\"slash\\\\ and quote"',
      'a,b}{"c", {d}',
      '\\',
      '"',
      'ünïcode – “quoted” 🙂',
    ];
    const rows = awkward.map((summary, i) => ({
      ...record(`AWK${String(i)}`, i, summary),
      original_type: summary,
      reasons: JSON.stringify([summary]),
    }));
    await db.transaction().execute((trx) => insertLegacyRecords(trx, rows));
    const stored = await db
      .selectFrom('legacy_records')
      .select(['record_id', 'summary', 'original_type', 'reasons', 'loss_pence'])
      .where('record_id', 'like', 'AWK%')
      .orderBy('loss_pence')
      .execute();
    expect(stored).toEqual(
      rows.map((r) => ({
        record_id: r.record_id,
        summary: r.summary,
        original_type: r.original_type,
        reasons: r.reasons,
        loss_pence: r.loss_pence,
      })),
    );
  });

  it('refuses a value that is not text, a number or null instead of storing its string form', async () => {
    const db = services.database.db;
    // What plain JavaScript could pass despite the types: stored as "[object Object]" if let through.
    const odd = { ...record('ODD1', 1), summary: { text: 'x' } as unknown as string };
    await expect(db.transaction().execute((trx) => insertLegacyRecords(trx, [odd]))).rejects.toThrow();
    expect(
      await db.selectFrom('legacy_records').select('id').where('record_id', '=', 'ODD1').execute(),
    ).toEqual([]);
  });

  it('writes nothing for an empty batch', async () => {
    expect(await insertLegacyRecords(services.database.db, [])).toEqual([]);
  });
});
