/**
 * Disclosure control for the public cybercrime figures.
 *
 * The rule: protect each FINEST cell once (one month × police force × type of crime × kind), then build every
 * public figure — table rows, chart bars, totals, CSV lines, at any grouping and for any filter — by adding up
 * protected cells only. No public figure is ever computed from exact counts or exact money.
 *
 * A finest cell of n crimes and £L lost is published as:
 * - count: n = 1–4 → "fewer than 5", counted as 2.5 (the middle of 1–4) in totals; n ≥ 5 → n rounded to the
 *   nearest 5 (5–7 → 5, 8–12 → 10, 13–17 → 15, …);
 * - money: only when n ≥ 10, rounded to the nearest £1,000; otherwise not shown and left out of every total.
 * A total (or any row grouping several cells) is the sum of its cells' published counts, rounded to the nearest 5
 * ("fewer than 5" when it is one small cell alone), and the sum of its cells' published money.
 *
 * Why no subtraction can undo it: every public figure is a function of the cells' published values alone, so any
 * two sets of true figures that give every cell the same published value give the same answer to every public
 * question, however many are asked and however they are combined. A cell of 1–4 crimes is therefore known only to
 * hold 1–4 crimes, with any loss; no count is ever pinned to one value (the narrowest is 8–9 or 10–12, split by the
 * money rule), and no loss of a cell of fewer than 10 crimes enters any figure. Cells hold whole months, so
 * filters and date ranges (months only) always select whole cells.
 */

/** Counts are rounded to a multiple of this; smaller counts are "fewer than" it. */
export const ROUNDING_BASE = 5;
/** What a cell of 1–4 crimes adds to totals: the middle of 1–4, so many small cells do not bias totals. */
export const SMALL_CELL_ESTIMATE = 2.5;
/** Money is shown only for cells of at least this many crimes. */
export const LOSS_MIN_CRIMES = 10;
/** Money is rounded to the nearest this many pounds. */
export const LOSS_ROUNDING_POUNDS = 1000;

export interface ExactCell<D extends string> {
  dims: Record<D, string | null>;
  reports: number;
  lossPence: number;
}

export interface ProtectedValue {
  /** What the cell adds to counts: 0, 2.5 or a multiple of 5. */
  estimate: number;
  /** Money in whole pounds (a multiple of £1,000), or null when the cell has fewer than 10 crimes. */
  lossPounds: number | null;
}

/** 'fewer-than-5' or a multiple of 5; money null when no cell of 10 or more crimes is in the group. */
export interface PublishedFigure {
  reports: number | 'fewer-than-5';
  lossPounds: number | null;
}

export type PublishedRow<D extends string> = Partial<Record<D, string | null>> & PublishedFigure;

/** One finest cell's published value: the only thing about the cell any public figure may depend on. */
export function protectCell(reports: number, lossPence: number): ProtectedValue {
  if (reports <= 0) return { estimate: 0, lossPounds: null };
  const estimate =
    reports < ROUNDING_BASE ? SMALL_CELL_ESTIMATE : Math.round(reports / ROUNDING_BASE) * ROUNDING_BASE;
  const lossPounds =
    reports >= LOSS_MIN_CRIMES
      ? Math.round(lossPence / 100 / LOSS_ROUNDING_POUNDS) * LOSS_ROUNDING_POUNDS
      : null;
  return { estimate, lossPounds };
}

/** A group's figure from its cells' published values only. */
export function figureOf(values: readonly ProtectedValue[]): PublishedFigure {
  let estimate = 0;
  let loss: number | null = null;
  for (const v of values) {
    estimate += v.estimate;
    if (v.lossPounds !== null) loss = (loss ?? 0) + v.lossPounds;
  }
  return {
    reports: estimate < ROUNDING_BASE ? 'fewer-than-5' : Math.round(estimate / ROUNDING_BASE) * ROUNDING_BASE,
    lossPounds: loss,
  };
}

/**
 * Publishes finest cells grouped by `groupBy` (any subset of their dimensions, in that column order), with the
 * overall total. `cells` must be the finest cells (one per month × force × type × kind): protection happens here,
 * per cell, before anything is added up. Rows sort by their values, unknown (null) last.
 */
export function publishTable<D extends string>(
  cells: readonly ExactCell<D>[],
  groupBy: readonly D[],
): { rows: PublishedRow<D>[]; total: PublishedFigure } {
  const present: { dims: Record<D, string | null>; value: ProtectedValue }[] = [];
  for (const c of cells)
    if (c.reports > 0) present.push({ dims: c.dims, value: protectCell(c.reports, c.lossPence) });
  const groups = new Map<string, { key: (string | null)[]; values: ProtectedValue[] }>();
  for (const cell of present) {
    const key = groupBy.map((g) => cell.dims[g]);
    const id = JSON.stringify(key);
    const group = groups.get(id);
    if (group === undefined) groups.set(id, { key, values: [cell.value] });
    else group.values.push(cell.value);
  }
  const rows = [...groups.values()]
    .sort((a, b) => {
      for (let i = 0; i < a.key.length; i++) {
        const x = a.key[i] ?? null;
        const y = b.key[i] ?? null;
        if (x === y) continue;
        if (x === null || y === null) return x === null ? 1 : -1;
        return x < y ? -1 : 1;
      }
      return 0;
    })
    .map((group) => {
      const row: Partial<Record<D, string | null>> = {};
      groupBy.forEach((g, i) => (row[g] = group.key[i] ?? null));
      return { ...row, ...figureOf(group.values) };
    });
  return { rows, total: figureOf(present.map((c) => c.value)) };
}

/**
 * A count built from finest cells that hold counts alone (no money; the unit figures): each cell protected, then
 * added up as `figureOf` does. Nothing at all is 0: an empty month is no small number to protect.
 */
export function publishedCount(cells: readonly number[]): PublishedFigure['reports'] {
  const values = cells.filter((n) => n > 0).map((n) => protectCell(n, 0));
  return values.length === 0 ? 0 : figureOf(values).reports;
}

/**
 * A median of per-item values (days an examination took) is shown as money is: only for cells of at least
 * LOSS_MIN_CRIMES items, rounded (to whole days), so no one item's value can be read from it.
 */
export function publishedMedian(items: number, median: number | null): number | null {
  return median === null || items < LOSS_MIN_CRIMES ? null : Math.round(median);
}
