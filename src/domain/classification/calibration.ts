/**
 * Confidence calibration: the classifier's raw confidence (how sure each step is) mapped to the share of records
 * with that raw confidence that it got right (category and online element both), measured on development sets only,
 * each record classified by learned parts that never saw it (force-records-dev by fold for records with an offence
 * name; the blind narrative development sets leave-one-set-out for narratives: docs/classification.md,
 * "Confidence"), made monotone (pool adjacent violators) and smoothed (one right and one wrong added to each pool,
 * so never 1). Regenerate with `npm run classification:report -- --calibrate` after changing any cue or model;
 * docs/classification.md shows how well it holds on the held-out sets.
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
    [0.3, 0.77],
    [0.4, 0.77],
    [0.5, 0.77],
    [0.6, 0.77],
    [0.7, 0.9],
    [0.8, 0.91],
    [0.9, 0.98],
    [1, 0.98],
  ],
};

export function calibrate(raw: number, kind: 'record' | 'narrative'): number {
  const table = CALIBRATION[kind];
  for (const [upTo, value] of table) if (raw <= upTo) return value;
  return table[table.length - 1]?.[1] ?? raw;
}
