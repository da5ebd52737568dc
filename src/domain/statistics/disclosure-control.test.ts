import { describe, expect, it } from 'vitest';
import {
  figureOf,
  LOSS_MIN_CRIMES,
  protectCell,
  publishTable,
  type ExactCell,
  type PublishedFigure,
  type PublishedRow,
} from './disclosure-control.ts';
import { recoverBounds, textbookPublish, type Reading } from '../../../test/support/subtraction-attack.ts';

type Dim = 'month' | 'region' | 'force' | 'category' | 'cyber';
const DIMS: Dim[] = ['month', 'region', 'force', 'category', 'cyber'];
/** Every grouping a member of the public can ask for: all 32 subsets. */
const GROUPINGS: Dim[][] = Array.from({ length: 1 << DIMS.length }, (_, mask) =>
  DIMS.filter((_d, i) => (mask >> i) & 1),
);

/** Deterministic random numbers, so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGION: Record<string, string> = { f1: 'r1', f2: 'r1', f3: 'r2', f4: 'r2' };
const CYBER: Record<string, string> = { c1: 'enabled', c2: 'enabled', c3: 'dependent' };

function randomTable(seed: number): ExactCell<Dim>[] {
  const next = random(seed);
  const cells: ExactCell<Dim>[] = [];
  for (const month of ['2026-01', '2026-02'])
    for (const force of Object.keys(REGION))
      for (const category of Object.keys(CYBER)) {
        if (next() < 0.35) continue;
        const kind = next();
        // Many small cells, as in a real table of one month by force and type.
        const reports =
          kind < 0.5
            ? 1 + Math.floor(next() * 4)
            : kind < 0.75
              ? 5 + Math.floor(next() * 8)
              : 13 + Math.floor(next() * 50);
        const lossPence = Math.floor(next() * 20_000_000 * reports);
        cells.push({
          dims: { month, region: REGION[force] ?? null, force, category, cyber: CYBER[category] ?? null },
          reports,
          lossPence,
        });
      }
  return cells;
}

const publishAll = (cells: ExactCell<Dim>[]) => JSON.stringify(GROUPINGS.map((g) => publishTable(cells, g)));

describe('protectCell', () => {
  it.each([
    [1, 2.5],
    [4, 2.5],
    [5, 5],
    [7, 5],
    [8, 10],
    [12, 10],
    [13, 15],
    [1234, 1235],
  ])('%i crimes count as %d', (reports, estimate) => {
    expect(protectCell(reports, 0).estimate).toBe(estimate);
  });

  it('shows money only for 10 or more crimes, to the nearest £1,000', () => {
    expect(protectCell(9, 5_000_000).lossPounds).toBeNull();
    expect(protectCell(10, 5_049_999).lossPounds).toBe(50_000);
    expect(protectCell(10, 5_050_000).lossPounds).toBe(51_000);
  });
});

describe('publishTable', () => {
  const cell = (
    force: string,
    category: string,
    reports: number,
    lossPence: number,
  ): ExactCell<'force' | 'category'> => ({
    dims: { force, category },
    reports,
    lossPence,
  });

  it('adds up published cells, not exact ones, and rounds the sum to the nearest 5', () => {
    const cells = [
      cell('a', 'x', 1, 432_199),
      cell('a', 'y', 6, 100),
      cell('a', 'z', 12, 2_000_000),
      cell('b', 'x', 0, 0),
    ];
    const { rows, total } = publishTable(cells, ['force']);
    // 2.5 + 5 + 10 = 17.5 → 20; exact 19 would round to 20 as well, but 1 + 6 + 12 is never subtracted back.
    expect(rows).toEqual([{ force: 'a', reports: 20, lossPounds: 20_000 }]);
    expect(total).toEqual({ reports: 20, lossPounds: 20_000 });
    expect(publishTable(cells, ['force', 'category']).rows).toEqual([
      { force: 'a', category: 'x', reports: 'fewer-than-5', lossPounds: null },
      { force: 'a', category: 'y', reports: 5, lossPounds: null },
      { force: 'a', category: 'z', reports: 10, lossPounds: 20_000 },
    ]);
  });

  it('sorts rows by their values with unknown last, and publishes nothing for no crimes', () => {
    const cells = [
      cell('b', 'x', 5, 0),
      { dims: { force: null, category: 'x' }, reports: 5, lossPence: 0 },
      cell('a', 'x', 5, 0),
    ];
    expect(publishTable(cells, ['force']).rows.map((r) => r.force)).toEqual(['a', 'b', null]);
    expect(publishTable([], ['force'])).toEqual({
      rows: [],
      total: { reports: 'fewer-than-5', lossPounds: null },
    });
    expect(figureOf([])).toEqual({ reports: 'fewer-than-5', lossPounds: null });
  });
});

type Publish = (
  cells: readonly ExactCell<Dim>[],
  groupBy: readonly Dim[],
) => { rows: PublishedRow<Dim>[]; total: PublishedFigure };
interface Scheme {
  publish: Publish;
  reading: Reading;
}
/** The scheme in production, and the usual one, each read as an attacker who knows it would read it. */
const ours: Scheme = { publish: publishTable, reading: 'protected' };
const textbook: Scheme = { publish: textbookPublish, reading: 'textbook' };

/** Publishes every grouping of the cells (the empty grouping is the total) and attacks them all together. */
function recoveredCells(cells: ExactCell<Dim>[], scheme: Scheme) {
  const tables = GROUPINGS.map((groupBy) => ({ groupBy, rows: scheme.publish(cells, groupBy).rows }));
  return recoverBounds(
    tables,
    cells.map((c) => c.dims),
    ['month', 'force', 'category', 'cyber'],
    scheme.reading,
  );
}

describe('the subtraction attack on many random tables', () => {
  const TABLES = 100;

  it('every public table is identical whatever a small cell holds: 1–4 crimes, any money', () => {
    for (let seed = 1; seed <= TABLES / 2; seed++) {
      const cells = randomTable(seed);
      const published = publishAll(cells);
      const next = random(seed * 7919);
      cells.forEach((c, i) => {
        if (c.reports >= LOSS_MIN_CRIMES) return;
        // Another count the cell's published value allows, and any money at all.
        const others = c.reports < 5 ? [1, 2, 3, 4] : c.reports < 8 ? [5, 6, 7] : [8, 9];
        for (const reports of others) {
          const changed = cells.map((d, j) =>
            j === i ? { ...d, reports, lossPence: Math.floor(next() * 1e9) } : d,
          );
          const same = publishAll(changed) === published;
          if (!same)
            expect.fail(`table ${seed}, cell ${i}: ${c.reports} → ${reports} changes a public figure`);
        }
      });
    }
  });

  it('subtracting along every row, column and total never pins a small cell or its money', () => {
    let smallCells = 0;
    for (let seed = 1; seed <= TABLES; seed++) {
      const cells = randomTable(seed);
      const result = recoveredCells(cells, ours);
      for (const [i, c] of cells.entries()) {
        const bounds = result[i];
        if (bounds === undefined) throw new Error('no bounds');
        if (c.reports < 5) {
          smallCells++;
          expect(bounds.count, `table ${seed}, cell ${i}`).toEqual([1, 4]);
        }
        if (c.reports < LOSS_MIN_CRIMES)
          expect(bounds.lossPence[1], `table ${seed}, cell ${i}`).toBe(Infinity);
        expect(bounds.count[0]).toBeLessThan(bounds.count[1]);
        expect(c.reports).toBeGreaterThanOrEqual(bounds.count[0]);
        expect(c.reports).toBeLessThanOrEqual(bounds.count[1]);
      }
    }
    expect(smallCells).toBeGreaterThan(TABLES);
  });

  // The attack has teeth: it undoes the usual scheme (small counts suppressed, every total rounded from exact data).
  it('recovers small cells and their money when totals are rounded from exact figures instead', () => {
    const cell = (month: string, category: string, cyber: string, reports: number, lossPence: number) => ({
      dims: { month, region: 'r', force: 'f', category, cyber },
      reports,
      lossPence,
    });
    const two: ExactCell<Dim>[] = [
      cell('m1', 'c1', 'enabled', 4, 1_234_567),
      cell('m1', 'c2', 'enabled', 4, 7_000_000),
      cell('m1', 'c3', 'dependent', 40, 90_000_000),
      cell('m2', 'c1', 'enabled', 40, 55_000_000),
    ];
    const bounds = recoveredCells(two, textbook);
    // m1's cyber-enabled 4 + 4 = 8 is shown as 10, so 8 to 12: each is exactly 4. Type c1's money minus m2's: c1 in m1.
    expect(bounds[0]?.count).toEqual([4, 4]);
    expect(bounds[1]?.count).toEqual([4, 4]);
    const loss = bounds[0]?.lossPence ?? [0, Infinity];
    expect(loss[1] - loss[0]).toBeLessThanOrEqual(300_000);
    expect(recoveredCells(two, ours)[0]?.count).toEqual([1, 4]);

    let recovered = 0;
    for (let seed = 1; seed <= TABLES; seed++) {
      const cells = randomTable(seed);
      const result = recoveredCells(cells, textbook);
      recovered += cells.filter(
        (c, i) => c.reports < 5 && result[i]?.count[0] === result[i]?.count[1],
      ).length;
    }
    expect(recovered).toBeGreaterThan(0);
  });
});
