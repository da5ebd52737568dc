/**
 * Contact and account identifiers in free text, masked for people who may judge what a record is about but hold
 * no personal data (national analysts in the classification review). Over-masking is the safe side: a masked
 * reference number costs nothing to classification; names are not found and stay (said where this is used).
 */
const MASKS: readonly [RegExp, string][] = [
  [/[^\s@<>()[\]"',;:]+@[^\s@<>()[\]"',;:]+\.[a-z]{2,}/giu, '[email]'],
  [/\b\d{1,3}(?:\.\d{1,3}){3}\b/gu, '[address]'],
  // Phone, card and account numbers, written with or without spaces, dots or dashes (sort codes too).
  [/\+?\(?\d(?:[\d\s().-]{4,}\d)/gu, '[number]'],
  [/\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b/giu, '[postcode]'],
];

/** The text with every email address, IP address, long number and UK postcode replaced by what it was. */
export function maskIdentifiers(text: string): string {
  let masked = text;
  for (const [pattern, label] of MASKS) masked = masked.replace(pattern, label);
  return masked;
}
