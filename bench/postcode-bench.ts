import { forceForPostcode } from '../src/domain/postcode/force-for-postcode.ts';
import { parsePostcode } from '../src/domain/postcode/postcode.ts';
import { loadReferenceData } from '../src/reference-data/load-reference-data.ts';
import { opsPerSecond, type Result } from './measure.ts';

/** Postcode → force for typed input, against a bare Map lookup of an already-normalised district. */
export function postcodeBench(): Result {
  const map = loadReferenceData().postcodeAreas;
  const inputs = Object.entries(map).flatMap(([area, entry]) => [
    `${area}1 1AA`,
    ...Object.keys(entry.districts ?? {}).map((d) => `${d.toLowerCase()} 2bd`),
  ]);
  const flat = new Map<string, readonly string[]>();
  for (const [area, entry] of Object.entries(map)) {
    flat.set(`${area}1`, entry.forces);
    for (const [d, forces] of Object.entries(entry.districts ?? {})) flat.set(d, forces);
  }
  const keys = inputs.map((i) => parsePostcode(i)?.district ?? '');
  const n = 1_000_000;
  return {
    name: 'postcode → force lookup',
    ours: opsPerSecond((i) => forceForPostcode(map, inputs[i % inputs.length] ?? ''), n, 'lookups/s'),
    baseline: opsPerSecond((i) => flat.get(keys[i % keys.length] ?? ''), n, 'lookups/s'),
  };
}
