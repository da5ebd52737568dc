// Imported records changed by several writers at once (a reclassify, a person's decisions, another reclassify):
// the figures must still count every record once, in its current cell, and a person's decision must stand.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import { benchRow } from '../../bench/import-rows.ts';

const ROWS = 2500;
const BY = { cli: 'cli:test', by: 'analyst@police.example' };

function csv(force: string): string {
  const lines = ['record_id,recorded_date,crime_type,summary,loss'];
  for (let i = 0; i < ROWS; i++) {
    const row = benchRow(i);
    lines.push(`${force}/${String(i)},${row.date},${row.crimeType},"${row.summary}",${row.loss}`);
  }
  return `${lines.join('\n')}\n`;
}

describe(`imported records under concurrent writers (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    services = await createTestServices();
  });
  afterAll(() => services.cleanup());

  /** Imports the force's records, then leaves them as an older classifier would have: all other/none, counted so. */
  const staleImport = async (force: string) => {
    await services.legacyImport.import(Readable.from([csv(force)]), force, { onReject: () => undefined });
    const db = services.database.db;
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('legacy_records')
        .set({ category: 'other', cyber: 'none', review: 'none' })
        .where('force_id', '=', force)
        .execute();
      await trx.deleteFrom('stats_daily').where('force_id', '=', force).execute();
      await sql`insert into stats_daily (day, force_id, category, cyber, source, shard, reports, loss_pence)
        select recorded_on, force_id, category, cyber, 'legacy', 0, count(*), sum(loss_pence)
        from legacy_records where force_id = ${force} group by recorded_on, force_id, category, cyber`.execute(
        trx,
      );
    });
  };

  /** Each figure cell against the records in it: both lists must be equal. */
  const cells = async (force: string) => {
    const db = services.database.db;
    const counted = await db
      .selectFrom('stats_daily')
      .select(['day', 'category', 'cyber'])
      .select((eb) => [
        eb.fn.sum<number | string>('reports').as('n'),
        eb.fn.sum<number | string>('loss_pence').as('loss'),
      ])
      .where('force_id', '=', force)
      .where('source', '=', 'legacy')
      .groupBy(['day', 'category', 'cyber'])
      .execute();
    const records = await db
      .selectFrom('legacy_records')
      .select(['recorded_on as day', 'category', 'cyber'])
      .select((eb) => [
        eb.fn.countAll<number | string>().as('n'),
        eb.fn.sum<number | string>('loss_pence').as('loss'),
      ])
      .where('force_id', '=', force)
      .groupBy(['recorded_on', 'category', 'cyber'])
      .execute();
    const key = (r: {
      day: string;
      category: string;
      cyber: string;
      n: number | string;
      loss: number | string;
    }) => `${r.day} ${r.category} ${r.cyber} ${String(Number(r.n))} ${String(Number(r.loss))}`;
    return {
      counted: counted
        .filter((r) => Number(r.n) !== 0 || Number(r.loss) !== 0)
        .map(key)
        .sort(),
      records: records.map(key).sort(),
    };
  };

  it('two reclassifies at once both finish, and every record is counted once in its new cell', async () => {
    await staleImport('suffolk');
    const [a, b] = await Promise.all([
      services.legacyReclassify('suffolk', 'cli:one'),
      services.legacyReclassify('suffolk', 'cli:two'),
    ]);
    expect(a.records + b.records).toBeGreaterThanOrEqual(ROWS);
    const { counted, records } = await cells('suffolk');
    expect(records.some((r) => !r.includes(' other none '))).toBe(true);
    expect(counted).toEqual(records);
  });

  it('a person’s decisions made while a reclassify runs stand, and the figures follow them', async () => {
    await staleImport('norfolk');
    // Records in the first, second and third batches, decided as the reclassify starts.
    const decided = [10, 11, 1500, 2400].map((i) => `norfolk/${String(i)}`);
    const results = await Promise.all([
      services.legacyReclassify('norfolk', 'cli:reclassify'),
      ...decided.map((record) =>
        services.classificationReview.recategoriseLegacy(
          'norfolk',
          record,
          { category: 'malware', online: 'computer-misuse', reason: 'read the full record' },
          BY,
        ),
      ),
    ]);
    expect(results.length).toBe(decided.length + 1);
    const rows = await services.database.db
      .selectFrom('legacy_records')
      .select(['record_id', 'category', 'online', 'review'])
      .where('record_id', 'in', decided)
      .execute();
    expect(rows).toHaveLength(decided.length);
    for (const row of rows)
      expect(row).toMatchObject({ category: 'malware', online: 'computer-misuse', review: 'corrected' });
    const { counted, records } = await cells('norfolk');
    expect(counted).toEqual(records);
  });

  it('two decisions on one record at once: the second sees the first, and the record is counted once', async () => {
    await staleImport('essex');
    const [first, second] = await Promise.all(
      (['malware', 'hacking-server'] as const).map((category) =>
        services.classificationReview.recategoriseLegacy(
          'essex',
          'essex/7',
          { category, reason: 'read the full record' },
          BY,
        ),
      ),
    );
    // Whichever went second moved the record from where the first had put it.
    expect([first?.previous, second?.previous].sort()).toEqual(
      ['other', first?.previous === 'other' ? 'malware' : 'hacking-server'].sort(),
    );
    const { counted, records } = await cells('essex');
    expect(counted).toEqual(records);
  });
});
