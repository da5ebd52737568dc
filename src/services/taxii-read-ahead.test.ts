import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { repositories } from '../db/repositories/index.ts';
import type { ObjectFilters } from '../db/repositories/sharing-repository.ts';
import { createTestServices } from '../../test/support/test-services.ts';
import { COLLECTIONS, createTaxii, type Collection } from './taxii.ts';

const finance = COLLECTIONS.find((c) => c.sector === 'finance' && c.tlp === 'amber') as Collection;
const filters: ObjectFilters = { versions: ['last'] };
const LIMIT = 3;

describe('TAXII pages read ahead', () => {
  let ctx: Awaited<ReturnType<typeof createTestServices>>;
  let next = 0;

  /** A new object version in the finance collection, as a publication writes one. */
  async function publish(stixNumber = ++next, version = '2026-01-01T00:00:00.000Z') {
    const stixId = `indicator--00000000-0000-4000-8000-${String(stixNumber).padStart(12, '0')}`;
    await repositories.sharing.insertObjectVersion(ctx.database.db, {
      stix_id: stixId,
      stix_type: 'indicator',
      version,
      date_added: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ++next)).toISOString(),
      tlp: 'amber',
      sectors: ',finance,',
      latest: 1,
      first: 1,
      body: JSON.stringify({ type: 'indicator', id: stixId, modified: version }),
    });
  }

  /** Counts the page reads that reach the database. */
  function counted() {
    const reads = { count: 0 };
    const sharing = {
      ...repositories.sharing,
      pageObjects: (...args: Parameters<typeof repositories.sharing.pageObjects>) => {
        reads.count++;
        return repositories.sharing.pageObjects(...args);
      },
    };
    return { reads, taxii: createTaxii(ctx.database.db, { ...repositories, sharing }) };
  }

  /** What a read with nothing held ahead answers now. */
  const fresh = (after: number) => createTaxii(ctx.database.db).page(finance, filters, after, LIMIT);

  beforeAll(async () => {
    ctx = await createTestServices();
  });
  beforeEach(async () => {
    await ctx.database.db.deleteFrom('taxii_objects').execute();
    for (let i = 0; i < 8; i++) await publish();
  });
  afterAll(() => ctx.cleanup());

  it('serves the next page from the read ahead, the same rows a fresh read gives', async () => {
    const { reads, taxii } = counted();
    const pages = [];
    let after = 0;
    for (;;) {
      const page = await taxii.page(finance, filters, after, LIMIT);
      expect(page).toEqual(await fresh(after));
      pages.push(page.rows.map((r) => r.id));
      const last = page.rows.at(-1);
      if (!page.more || last === undefined) break;
      await taxii.readsAhead();
      after = last.id;
    }
    expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
    // The first page, then the two read ahead: no page was read twice.
    expect(reads.count).toBe(3);
  });

  // Each write lands after the next page was read ahead: served as read, it would be out of date.
  const writes: [string, (ids: number[]) => Promise<void>][] = [
    [
      'a version deleted (no longer for this collection)',
      (ids) => repositories.sharing.deleteObjectVersions(ctx.database.db, [ids[4] ?? 0]),
    ],
    [
      'a version no longer the latest',
      (ids) => repositories.sharing.markNotLatest(ctx.database.db, ids[3] ?? 0),
    ],
    ['an object added', () => publish()],
  ];
  for (const [what, write] of writes)
    it(`reads the page again when the store changed after it was read ahead: ${what}`, async () => {
      const { reads, taxii } = counted();
      const first = await taxii.page(finance, filters, 0, LIMIT);
      await taxii.readsAhead();
      const ids = (
        await ctx.database.db.selectFrom('taxii_objects').select('id').orderBy('id').execute()
      ).map((r) => r.id);
      await write(ids);
      const after = first.rows.at(-1)?.id ?? 0;
      const second = await taxii.page(finance, filters, after, LIMIT);
      expect(second).toEqual(await fresh(after));
      await taxii.readsAhead();
      // The first page, the second read ahead, the second read again, the third read ahead.
      expect(reads.count).toBe(4);
    });

  it('holds pages by collection, filters and cursor, so another query is never answered with them', async () => {
    const { reads, taxii } = counted();
    const first = await taxii.page(finance, filters, 0, LIMIT);
    await taxii.readsAhead();
    const after = first.rows.at(-1)?.id ?? 0;
    const green = COLLECTIONS.find((c) => c.sector === 'finance' && c.tlp === 'green') as Collection;
    expect((await taxii.page(green, filters, after, LIMIT)).rows).toEqual([]);
    const allVersions = await taxii.page(finance, { versions: ['all'] }, after, LIMIT);
    expect(allVersions).toEqual(
      await createTaxii(ctx.database.db).page(finance, { versions: ['all'] }, after, LIMIT),
    );
    expect(await taxii.page(finance, filters, after, 2)).toEqual(
      await createTaxii(ctx.database.db).page(finance, filters, after, 2),
    );
    await taxii.readsAhead();
    // Two for the first query (its page and the next read ahead), one for the empty green page, two for each other.
    expect(reads.count).toBe(2 + 1 + 2 + 2);
  });
});
