/**
 * The differencing attacker for the public figures, used by the disclosure-control tests.
 *
 * It reads every published table (every grouping), turns each row into a fact "the cells in this row add up to
 * between lo and hi" — for counts and for money — and subtracts along every row, column and total relationship
 * (each fact bounds each of its cells by the fact minus the others), over and over until nothing tightens.
 * What it reads a figure to mean is set by the scheme it attacks, as a well-informed attacker would.
 */
import type {
  ExactCell,
  PublishedFigure,
  PublishedRow,
} from '../../src/domain/statistics/disclosure-control.ts';

export type Reading = 'protected' | 'textbook';
export interface Table<D extends string> {
  groupBy: readonly D[];
  rows: PublishedRow<D>[];
}
export interface Bounds {
  count: [number, number];
  lossPence: [number, number];
}

const HALF_ROUNDING_PENCE = 50_000;

/** The usual scheme the attack undoes: exact totals for every row, rounded to 5; small counts suppressed. */
export function textbookPublish<D extends string>(
  cells: readonly ExactCell<D>[],
  groupBy: readonly D[],
): { rows: PublishedRow<D>[]; total: PublishedFigure } {
  const figure = (group: readonly ExactCell<D>[]): PublishedFigure => {
    const n = group.reduce((s, c) => s + c.reports, 0);
    const loss = group.reduce((s, c) => s + c.lossPence, 0);
    return {
      reports: n < 5 ? 'fewer-than-5' : Math.round(n / 5) * 5,
      lossPounds: n >= 10 ? Math.round(loss / 100_000) * 1000 : null,
    };
  };
  const groups = new Map<string, ExactCell<D>[]>();
  for (const c of cells.filter((x) => x.reports > 0)) {
    const id = JSON.stringify(groupBy.map((g) => c.dims[g]));
    groups.set(id, [...(groups.get(id) ?? []), c]);
  }
  const rows = [...groups.values()].map((group) => {
    const row: Partial<Record<D, string | null>> = {};
    for (const g of groupBy) row[g] = group[0]?.dims[g] ?? null;
    return { ...row, ...figure(group) };
  });
  return { rows, total: figure(cells.filter((x) => x.reports > 0)) };
}

interface Fact {
  cells: number[];
  lo: number;
  hi: number;
}

/** Tightens each cell by every fact until nothing changes (a fixpoint of interval subtraction). */
function propagate(bounds: [number, number][], facts: Fact[], integer: boolean): void {
  for (let round = 0; round < 200; round++) {
    let changed = false;
    for (const fact of facts) {
      let loSum = 0;
      let hiFinite = 0;
      let hiInfinite = 0;
      for (const i of fact.cells) {
        const [lo, hi] = bounds[i] ?? [0, Infinity];
        loSum += lo;
        if (hi === Infinity) hiInfinite++;
        else hiFinite += hi;
      }
      for (const i of fact.cells) {
        const b = bounds[i];
        if (b === undefined) continue;
        const othersHi =
          hiInfinite - (b[1] === Infinity ? 1 : 0) > 0 ? Infinity : hiFinite - (b[1] === Infinity ? 0 : b[1]);
        const othersLo = loSum - b[0];
        let lo = Math.max(b[0], fact.lo - othersHi);
        let hi = Math.min(b[1], fact.hi - othersLo);
        if (integer) {
          lo = Math.ceil(lo - 1e-9);
          hi = Math.floor(hi + 1e-9);
        }
        if (lo > b[0] || hi < b[1]) {
          b[0] = lo;
          b[1] = hi;
          changed = true;
        }
      }
    }
    if (!changed) return;
  }
}

/**
 * What the attacker can tell about each finest cell (`finest`, the keys of the cells the finest table lists) from
 * all the published tables. `finestGroupBy` names the dimensions that make a cell.
 */
export function recoverBounds<D extends string>(
  tables: readonly Table<D>[],
  finest: readonly Record<D, string | null>[],
  finestGroupBy: readonly D[],
  reading: Reading,
): Bounds[] {
  const inRow = (row: PublishedRow<D>, groupBy: readonly D[]) =>
    finest.flatMap((key, i) => (groupBy.every((g) => (row[g] ?? null) === key[g]) ? [i] : []));
  // Which cells show money on their own: under the protected scheme only those are in any money figure.
  const showsMoney = new Set<number>();
  const finestTable = tables.find(
    (t) => t.groupBy.length === finestGroupBy.length && finestGroupBy.every((g) => t.groupBy.includes(g)),
  );
  for (const row of finestTable?.rows ?? []) {
    const cells = inRow(row, finestTable?.groupBy ?? []);
    if (row.lossPounds !== null && cells.length === 1 && cells[0] !== undefined) showsMoney.add(cells[0]);
  }
  const countFacts: Fact[] = [];
  const lossFacts: Fact[] = [];
  for (const table of tables)
    for (const row of table.rows) {
      const cells = inRow(row, table.groupBy);
      if (cells.length === 0) continue;
      countFacts.push({ cells, ...countRange(row, cells, showsMoney, reading) });
      if (row.lossPounds === null) continue;
      const moneyCells = reading === 'protected' ? cells.filter((i) => showsMoney.has(i)) : cells;
      const slack = HALF_ROUNDING_PENCE * (reading === 'protected' ? moneyCells.length : 1);
      lossFacts.push({
        cells: moneyCells,
        lo: row.lossPounds * 100 - slack,
        hi: row.lossPounds * 100 + slack,
      });
    }
  const count = finest.map((): [number, number] => [1, Infinity]);
  const loss = finest.map((): [number, number] => [0, Infinity]);
  propagate(count, countFacts, true);
  propagate(loss, lossFacts, false);
  return finest.map((_k, i) => ({ count: count[i] ?? [1, Infinity], lossPence: loss[i] ?? [0, Infinity] }));
}

function countRange(
  row: PublishedFigure,
  cells: number[],
  showsMoney: Set<number>,
  reading: Reading,
): { lo: number; hi: number } {
  const shown = row.reports;
  if (reading === 'textbook')
    return shown === 'fewer-than-5' ? { lo: 1, hi: 4 } : { lo: Math.max(5, shown - 2), hi: shown + 2 };
  // Protected: one cell is published as its own band; a group is the sum of its cells' bands, rounded to 5.
  if (cells.length === 1) {
    if (shown === 'fewer-than-5') return { lo: 1, hi: 4 };
    if (shown === 5) return { lo: 5, hi: 7 };
    if (shown === 10)
      return cells[0] !== undefined && showsMoney.has(cells[0]) ? { lo: 10, hi: 12 } : { lo: 8, hi: 9 };
    return { lo: shown - 2, hi: shown + 2 };
  }
  const sum = shown === 'fewer-than-5' ? 2.5 : shown;
  const rounding = shown === 'fewer-than-5' ? 0 : 2.5;
  // Each cell holds between 2 fewer and 2 more than it adds (1–4 adds 2.5; 5–7 adds 5).
  return { lo: sum - rounding - 2 * cells.length, hi: sum + rounding + 2 * cells.length };
}
