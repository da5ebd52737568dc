import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, testDialect } from '../../../test/support/test-services.ts';
import {
  insertObjectVersion,
  pageObjects,
  pageObjectsCopied,
  type ObjectFilters,
  type ObjectRow,
  type ObjectScope,
} from './sharing-repository.ts';

const text = (rows: readonly ObjectRow[] | null) =>
  rows?.map((r) => ({ id: r.id, dateAdded: r.dateAdded, body: r.body.toString() }));

// COPY exists on PostgreSQL only; on SQLite the handle has no copyOut and pages take the ordinary query.
describe.runIf(testDialect === 'postgres')('TAXII pages read with COPY (PostgreSQL)', () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;

  beforeAll(async () => {
    services = await createTestServices();
    const db = services.database.db;
    const bodies = [
      '{"name":"plain"}',
      '{"name":"Café “quotes” \\u2028 🦊 é"}',
      '{"name":"Back\\\\slash and \\"quote\\" </script>"}',
      '{\n "name": "indented",\n "n": 1e21\n}',
      '{"name":"it\'s O\'Brien"}',
    ];
    const rows: { tlp: string; sectors: string; latest: number; first: number }[] = [
      { tlp: '*', sectors: '*', latest: 1, first: 1 },
      { tlp: 'amber', sectors: ',finance,', latest: 0, first: 1 },
      { tlp: 'amber', sectors: ',finance,', latest: 1, first: 0 },
      { tlp: 'green', sectors: ',hosting,', latest: 1, first: 1 },
      { tlp: 'amber', sectors: '*', latest: 1, first: 1 },
      { tlp: 'amber', sectors: ",fin'ance,", latest: 1, first: 1 },
    ];
    for (const [i, row] of rows.entries())
      await insertObjectVersion(db, {
        stix_id: `indicator--00000000-0000-4000-8000-${String(i % 3).padStart(12, '0')}`,
        stix_type: 'indicator',
        version: `2026-01-0${String(i + 1)}T00:00:00.000Z`,
        date_added: `2026-01-01T00:00:00.00000${String(i)}Z`,
        ...row,
        body: bodies[i % bodies.length] ?? '{}',
      });
  });
  afterAll(() => services.cleanup());

  const copyOut = () => {
    const copy = services.database.copyOut;
    if (copy === null) throw new Error('no COPY on PostgreSQL');
    return copy;
  };

  it('gives the same rows, byte for byte, as the ordinary query for every filter it takes', async () => {
    const db = services.database.db;
    const scopes: ObjectScope[] = [
      { tlp: 'amber', sector: 'finance' },
      { tlp: 'green', sector: 'all-sectors' },
      { tlp: 'amber', sector: 'all-sectors' },
    ];
    const filters: ObjectFilters[] = [
      { versions: ['last'] },
      { versions: ['first'] },
      { versions: ['all'] },
      { versions: ['first', 'last'] },
      { versions: ['last'], addedAfter: '2026-01-01T00:00:00.000001Z' },
    ];
    let compared = 0;
    for (const scope of scopes)
      for (const filter of filters)
        for (const [after, count] of [
          [0, 1000],
          [0, 2],
          [2, 2],
        ] as const) {
          const copied = await pageObjectsCopied(copyOut(), scope, filter, after, count);
          expect(copied, JSON.stringify({ scope, filter, after, count })).not.toBeNull();
          expect(copied?.every((r) => Buffer.isBuffer(r.body))).toBe(true);
          expect(text(copied)).toEqual(text(await pageObjects(db, scope, filter, after, count)));
          compared += copied?.length ?? 0;
        }
    expect(compared).toBeGreaterThan(20);
  });

  it('leaves filters by id, type or exact version to the ordinary query', async () => {
    for (const filter of [
      { versions: ['last'], ids: ['indicator--00000000-0000-4000-8000-000000000000'] },
      { versions: ['last'], types: ['indicator'] },
      { versions: ['2026-01-01T00:00:00.000Z'] },
      // No version asked for: the ordinary query answers none (COPY's text would not be valid SQL).
      { versions: [] },
    ])
      expect(
        await pageObjectsCopied(copyOut(), { tlp: 'amber', sector: 'finance' }, filter, 0, 10),
      ).toBeNull();
    expect(
      await pageObjectsCopied(copyOut(), { tlp: 'amber', sector: 'finance' }, { versions: ['last'] }, -1, 10),
    ).toBeNull();
    expect(
      await pageObjectsCopied(
        copyOut(),
        { tlp: 'amber', sector: 'finance' },
        { versions: ['last'] },
        0.5,
        10,
      ),
    ).toBeNull();
  });

  it('quotes its literals: a quote in a value matches that value and runs nothing', async () => {
    const db = services.database.db;
    const hostile = ["fin'ance", "x' or '1'='1", "x'); drop table taxii_objects; --", 'back\\slash'];
    for (const sector of hostile) {
      const scope = { tlp: 'amber', sector };
      expect(text(await pageObjectsCopied(copyOut(), scope, { versions: ['last'] }, 0, 100))).toEqual(
        text(await pageObjects(db, scope, { versions: ['last'] }, 0, 100)),
      );
    }
    // The one sector with a quote in it matched its own row (and the rows for every sector), nothing more.
    const quoted = await pageObjectsCopied(
      copyOut(),
      { tlp: 'amber', sector: "fin'ance" },
      { versions: ['last'] },
      0,
      100,
    );
    expect(quoted?.map((r) => r.dateAdded)).toEqual([
      '2026-01-01T00:00:00.000000Z',
      '2026-01-01T00:00:00.000004Z',
      '2026-01-01T00:00:00.000005Z',
    ]);
    const injected = await pageObjectsCopied(
      copyOut(),
      { tlp: 'amber', sector: 'finance' },
      { versions: ['last'], addedAfter: "2026' or '1'='1" },
      0,
      100,
    );
    expect(text(injected)).toEqual(
      text(
        await pageObjects(
          db,
          { tlp: 'amber', sector: 'finance' },
          { versions: ['last'], addedAfter: "2026' or '1'='1" },
          0,
          100,
        ),
      ),
    );
    const count = await db
      .selectFrom('taxii_objects')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    expect(Number(count?.n)).toBe(6);
  });
});
