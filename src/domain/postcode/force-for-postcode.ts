import { parsePostcode } from './postcode.ts';

export interface PostcodeAreaEntry {
  forces: readonly string[];
  districts?: Readonly<Record<string, readonly string[]>>;
}
export type PostcodeAreaMap = Readonly<Record<string, PostcodeAreaEntry>>;

/** Places with postcodes that no UK police force covers. */
export type OutsideJurisdiction = 'jersey' | 'guernsey' | 'isle-of-man' | 'bfpo' | 'non-geographic';

export type ForceLookup =
  | { kind: 'invalid'; reason: 'format' | 'unknown-area' }
  | {
      kind: 'found';
      postcode: string;
      district: string;
      /** Candidate force ids, largest share first; more than one when the district straddles a boundary. */
      forces: readonly string[];
      matched: 'district' | 'area';
    }
  | { kind: 'outside'; postcode: string; jurisdiction: OutsideJurisdiction };

const OUTSIDE: Readonly<Record<string, OutsideJurisdiction>> = {
  JE: 'jersey',
  GY: 'guernsey',
  IM: 'isle-of-man',
  BF: 'bfpo',
  BX: 'non-geographic',
  XM: 'non-geographic',
};

/** Finds the police force(s) for a postcode or district from the area map. Pure: the map is passed in. */
export function forceForPostcode(map: PostcodeAreaMap, input: string): ForceLookup {
  const compact = input.toUpperCase().replace(/\s+/g, '');
  if (compact === 'GIR0AA') return { kind: 'outside', postcode: 'GIR 0AA', jurisdiction: 'non-geographic' };
  const parsed = parsePostcode(input);
  if (parsed === null) return { kind: 'invalid', reason: 'format' };
  const outside = OUTSIDE[parsed.area];
  if (outside !== undefined) return { kind: 'outside', postcode: parsed.normalised, jurisdiction: outside };
  const area = map[parsed.area];
  if (area === undefined) return { kind: 'invalid', reason: 'unknown-area' };
  const found = (forces: readonly string[], matched: 'district' | 'area'): ForceLookup => ({
    kind: 'found',
    postcode: parsed.normalised,
    district: parsed.district,
    forces,
    matched,
  });
  const districts = area.districts ?? {};
  // "EC1A" may be listed as itself or under its parent district "EC1".
  const exact = districts[parsed.district] ?? districts[parsed.district.replace(/(?<=[0-9])[A-Z]$/, '')];
  return exact === undefined ? found(area.forces, 'area') : found(exact, 'district');
}
