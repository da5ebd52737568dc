/**
 * The reason staff give for reading something (kept in the audit row). Control, format and line-separator
 * characters are not words: NUL is refused by PostgreSQL's text, a newline would forge a line of the audit detail,
 * a zero-width space or a right-to-left override would pass for a reason or turn the audit line around. Each
 * becomes a space; runs of space become one. Blank letters (the Hangul fillers, the braille blank) become spaces
 * too, and a run of combining marks is cut to three (no language needs more once composed, NFC): a stack of
 * accents is no more a reason than a zero-width space. A reason with no letter or digit left is none ('').
 */
const BLANK_LETTERS = /[\u115F\u1160\u3164\uFFA0\u2800]/gu;

export function cleanAccessReason(input: string): string {
  const cleaned = input
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(BLANK_LETTERS, ' ')
    .replace(/(\p{M}{3})\p{M}+/gu, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  return /[\p{L}\p{N}]/u.test(cleaned) ? cleaned : '';
}

/**
 * A name kept on one line (a group's, a token's): control, format and line-separator characters become spaces, as
 * in a reason (a newline would forge a line of the audit detail, an override would turn the name around), and runs
 * of space become one. Nothing visible left: ''.
 */
export function oneLineName(input: string): string {
  return input
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(BLANK_LETTERS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Whether a header value arrived as ASCII. HTTP header bytes are read as Latin-1, so UTF-8 text ("Ymchwiliad ŵyr")
 * arrives as mojibake ("Ã…Âµ"): anything above 0x7F cannot be trusted to be what the client meant.
 */
export const isAsciiHeader = (value: string): boolean => !/[\u0080-\uffff]/.test(value);
