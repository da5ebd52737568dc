/**
 * The reason staff give for reading something (kept in the audit row). Control, format and line-separator
 * characters are not words: NUL is refused by PostgreSQL's text, a newline would forge a line of the audit detail,
 * a zero-width space would pass for a reason. Each becomes a space; runs of space become one.
 */
export function cleanAccessReason(input: string): string {
  return input
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Whether a header value arrived as ASCII. HTTP header bytes are read as Latin-1, so UTF-8 text ("Ymchwiliad ŵyr")
 * arrives as mojibake ("Ã…Âµ"): anything above 0x7F cannot be trusted to be what the client meant.
 */
export const isAsciiHeader = (value: string): boolean => !/[\u0080-\uffff]/.test(value);
