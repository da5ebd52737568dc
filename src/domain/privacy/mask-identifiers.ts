/**
 * Contact and account identifiers in free text, masked for people who may judge what a record is about but hold
 * no personal data (national analysts in the classification review). Over-masking is the safe side: a masked
 * reference number costs nothing to classification; names are not found and stay (said where this is used).
 */

/** What each kind of masked identifier is shown as, in the reader's language (the web layer's locale strings). */
export interface MaskLabels {
  email: string;
  ipAddress: string;
  number: string;
  postcode: string;
}

const MASKS: readonly [RegExp, keyof MaskLabels][] = [
  [/[^\s@<>()[\]"',;:]+@[^\s@<>()[\]"',;:]+\.[a-z]{2,}/giu, 'email'],
  [/\b\d{1,3}(?:\.\d{1,3}){3}\b/gu, 'ipAddress'],
  // Phone, card and account numbers, written with or without spaces, dots or dashes (sort codes too).
  [/\+?\(?\d(?:[\d\s().-]{4,}\d)/gu, 'number'],
  [/\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b/giu, 'postcode'],
];

/** The text with every email address, IP address, long number and UK postcode replaced by its label. */
export function maskIdentifiers(text: string, labels: MaskLabels): string {
  let masked = text;
  // A function replacement: a label is shown as written, whatever "$" it holds.
  for (const [pattern, kind] of MASKS) masked = masked.replace(pattern, () => labels[kind]);
  return masked;
}
