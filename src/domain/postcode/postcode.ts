/** A UK postcode or outward code (district), normalised to upper case with one space. */
export interface ParsedPostcode {
  /** "CA1 1AA", or "CA1" when only the outward code was given. */
  normalised: string;
  area: string;
  /** The outward code exactly as written on mail: "CA1", "EC1A", "W1A". */
  district: string;
  inward: string | null;
}

// Outward: A9, A99, AA9, AA99, A9A, AA9A. Inward: digit + two letters (never C, I, K, M, O or V).
const POSTCODE = /^([A-Z]{1,2})([0-9][0-9A-Z]?)(?:([0-9][ABD-HJLNP-UW-Z]{2}))?$/;
const MAX_INPUT = 16;

/** Parses user input into a postcode; returns null when it is not in the shape of a UK postcode. */
export function parsePostcode(input: string): ParsedPostcode | null {
  if (input.length > MAX_INPUT * 2) return null;
  const compact = input.toUpperCase().replace(/[\s-]+/g, '');
  if (compact.length > MAX_INPUT) return null;
  const match = POSTCODE.exec(compact);
  if (match === null) return null;
  const [, area = '', districtPart = '', inward] = match;
  const district = area + districtPart;
  return {
    normalised: inward === undefined ? district : `${district} ${inward}`,
    area,
    district,
    inward: inward ?? null,
  };
}
