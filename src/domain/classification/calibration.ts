/**
 * Confidence calibration: the classifier's raw confidence (how sure each step is) mapped to the share of records
 * with that raw confidence that it got right (category and online element both), measured on the development
 * sets only (force-records-dev for records with an offence name, reports-online-dev for narratives), made
 * monotone (pool adjacent violators) and smoothed (one right and one wrong added to each pool, so never 1). Regenerate with `npm run classification:report -- --calibrate` after
 * changing any cue; docs/classification.md shows how well it holds on the held-out sets.
 */

type Table = readonly (readonly [number, number])[];

/**
 * [upper bound of raw confidence, calibrated confidence], ascending, for force records (with an offence name)
 * and for narratives, which the classifier gets right less often. Generated; do not edit by hand.
 */
export const CALIBRATION: { readonly record: Table; readonly narrative: Table } = {
  record: [
    [0.3, 0.89],
    [0.4, 0.89],
    [0.5, 0.89],
    [0.6, 0.89],
    [0.7, 0.91],
    [0.8, 0.97],
    [0.9, 0.97],
    [1, 0.97],
  ],
  narrative: [
    [0.3, 0.64],
    [0.4, 0.64],
    [0.5, 0.81],
    [0.6, 0.81],
    [0.7, 0.91],
    [0.8, 0.95],
    [0.9, 0.95],
    [1, 0.95],
  ],
};

export function calibrate(raw: number, kind: 'record' | 'narrative'): number {
  const table = CALIBRATION[kind];
  for (const [upTo, value] of table) if (raw <= upTo) return value;
  return table[table.length - 1]?.[1] ?? raw;
}
