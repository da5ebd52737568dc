/**
 * Indicator extraction from free text: narratives, SMS, analyst notes, email bodies. Pure and synchronous.
 *
 * The text is re-fanged first, then each kind of indicator is found in an order that lets the more specific ones
 * claim their characters (URLs before domains, bank details before phone numbers), so that one string is never
 * read as two things. Parsers made for the job decide validity: tldts (public suffixes), ipaddr.js, ibantools,
 * libphonenumber-js (fast-phone.ts follows it), @scure/base (bech32), base58check.ts.
 *
 * Speed: one scan of the characters (shapeOf) finds the places each pattern's matches must hold; each pattern is
 * searched for from those places only (Reading.matchesAt, nearMatches). docs/performance.md has the figures.
 */
import { bech32, bech32m } from '@scure/base';
import { countrySpecs, isValidIBAN } from 'ibantools';
import ipaddr from 'ipaddr.js';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { parse as parseHost } from 'tldts';
import { base58To25Bytes, checksumHolds } from './base58check.ts';
import { indicatorKey, type Indicator, type IndicatorType } from './indicator.ts';
import { internationalPhone, ukPhone } from './fast-phone.ts';

// String.prototype.charCodeAt, taken once and called as charCodeAt.call(text, i). An object made with String.prototype
// as its prototype (nunjucks' SafeString is one, and the server and the bench load nunjucks) turns String.prototype
// into a dictionary: `text.charCodeAt(i)` is then looked up on every call instead of inlined, and the character loops
// here ran about four times slower. A direct reference is not affected. (Not wrapped in a helper function: the loops
// would then exceed what the compiler inlines.)
// eslint-disable-next-line @typescript-eslint/unbound-method
const charCodeAt = String.prototype.charCodeAt;

/** A found indicator and where it starts in the re-fanged text (to keep the reading order). */
interface Found extends Indicator {
  at: number;
}

// The marks each replacement needs (the scan in shapeOf finds them): "hxxp" or "fxp" starting a word; "[:"; "[/";
// an opening bracket before '.' or "dot"; and before '@' or "at". No replacement makes another's mark.
const DEFANG_SCHEME = 1;
const DEFANG_BRACKET_COLON = 2;
const DEFANG_BRACKET_SLASH = 4;
const DEFANG_DOT = 8;
const DEFANG_AT = 16;
const DEFANGS: readonly [RegExp, string, number][] = [
  [/\bh(?:xx|XX|\*\*|\[xx\]|\[tt\])p(s?)(?=\[?:|:\/\/|\[:\/\/\]|:\\\\)/g, 'http$1', DEFANG_SCHEME],
  [/\bfxp(?=:\/\/)/gi, 'ftp', DEFANG_SCHEME],
  [/\[:\/\/\]|\[:\]\/\//g, '://', DEFANG_BRACKET_COLON],
  [/\[:\]/g, ':', DEFANG_BRACKET_COLON],
  [/\[\/\]/g, '/', DEFANG_BRACKET_SLASH],
  [/\s?[[({](?:\.|dot)[\])}]\s?/gi, '.', DEFANG_DOT],
  [/\s?[[({](?:@|at)[\])}]\s?/gi, '@', DEFANG_AT],
];

/** Undoes the usual ways people and tools make links unclickable: hxxp, [.], (.), [dot], [@], [at]. */
export function refang(text: string): string {
  return refangMarked(text, -1);
}

/** refang, running only the replacements whose marks (DEFANG_… bits) the text holds. */
function refangMarked(text: string, marks: number): string {
  let out = text;
  for (const [pattern, replacement, mark] of DEFANGS) {
    if ((marks & mark) !== 0) out = out.replace(pattern, replacement);
  }
  return out;
}

// File extensions that are also top-level domains: "invoice.zip" alone is a file name, not a site.
const FILE_LIKE_TLDS = new Set(['zip', 'mov', 'py', 'sh', 'md', 'pl', 'rs', 'doc', 'exe', 'scr']);

/** A hostname under a real ICANN public suffix, or null. */
export function normaliseHostname(raw: string): string | null {
  let host = raw.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (
    host.length > 253 ||
    !/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/.test(host)
  ) {
    return null;
  }
  // tldts's defaults leave private suffixes out (ICANN only); an options object would be copied on every call.
  const parsed = parseHost(host);
  if (parsed.isIp === true || parsed.isIcann !== true || parsed.domain === null) return null;
  if (/^\d+$/.test(parsed.publicSuffix ?? '')) return null;
  return host;
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const DOTTED_QUAD = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

/** Dotted-quad decimal only (no leading zeros, octal or short forms); checked by a regex, as this runs per match. */
export function normaliseIpv4(raw: string): string | null {
  return DOTTED_QUAD.test(raw) ? raw : null;
}

// Hex groups and single colons only: then only 8 groups make an address (times "10:30:00", MACs, "1:23:45" do not).
const HEX_AND_COLONS = /^[0-9a-f]*(?::[0-9a-f]*)*$/i;

/** RFC 5952 form: compressed and lower-case. */
export function normaliseIpv6(raw: string): string | null {
  if (!raw.includes(':') || (!raw.includes('::') && HEX_AND_COLONS.test(raw) && colons(raw) !== 7))
    return null;
  // One parse (isValid then parse would parse twice); ipaddr throws on what it refuses.
  try {
    return ipaddr.IPv6.parse(raw).toRFC5952String();
  } catch {
    return null;
  }
}

function colons(text: string): number {
  let n = 0;
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) n++;
  return n;
}

// Sentence punctuation that does not end a URL: . , ; : ! ? ' " *
const URL_TRAILING = new Uint8Array(128);
for (const c of '.,;:!?\'"*') URL_TRAILING[c.charCodeAt(0)] = 1;
const OPENERS: Readonly<Record<number, number>> = { 41: 40, 93: 91, 125: 123, 62: 60 }; // ')' '(', ']' '[', '}' '{', '>' '<'

/** Removes sentence punctuation and unbalanced closing brackets from the end of a URL as written. */
function trimUrl(raw: string): string {
  let end = raw.length;
  for (;;) {
    const before = end;
    while (end > 0 && URL_TRAILING[charCodeAt.call(raw, end - 1)] === 1) end--;
    const last = charCodeAt.call(raw, end - 1);
    const opener = OPENERS[last];
    if (opener !== undefined && count(raw, opener, end) <= count(raw, last, end) - 1) end--;
    if (end === before) return raw.slice(0, end);
  }
}

/** How many times the character `code` is in text[0, end). */
function count(text: string, code: number, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (charCodeAt.call(text, i) === code) n++;
  return n;
}

interface ParsedUrl {
  url: string;
  host: { type: 'domain' | 'ipv4' | 'ipv6'; value: string };
}

/** Lower-cases scheme and host, keeps path and query as written; adds http:// to a link written without one. */
export function normaliseUrl(raw: string): ParsedUrl | null {
  const match =
    /^(?:([a-z][a-z0-9+.-]*):\/\/)?(?:[^\s/?#@]*@)?(\[[0-9a-f:.]+\]|[^\s/?#:]+)(:\d{1,5})?(.*)$/i.exec(raw);
  if (match === null) return null;
  const scheme = (match[1] ?? 'http').toLowerCase();
  if (!['http', 'https', 'ftp', 'ftps', 'sftp', 'ws', 'wss'].includes(scheme)) return null;
  const hostRaw = match[2] ?? '';
  const rest = match[4] ?? '';
  if (match[1] === undefined && !rest.startsWith('/') && !/^www\./i.test(hostRaw)) return null;
  let host: ParsedUrl['host'] | null = null;
  if (hostRaw.startsWith('[')) {
    const v6 = normaliseIpv6(hostRaw.slice(1, -1));
    if (v6 !== null) host = { type: 'ipv6', value: v6 };
  } else {
    const v4 = normaliseIpv4(hostRaw);
    const domain = v4 === null ? normaliseHostname(hostRaw) : null;
    if (v4 !== null) host = { type: 'ipv4', value: v4 };
    else if (domain !== null) host = { type: 'domain', value: domain };
  }
  if (host === null) return null;
  const hostText = host.type === 'ipv6' ? `[${host.value}]` : host.value;
  const userinfo = raw.includes('@')
    ? (/^(?:[a-z][a-z0-9+.-]*:\/\/)?([^\s/?#@]*@)/i.exec(raw)?.[1] ?? '')
    : '';
  return { url: `${scheme}://${userinfo}${hostText}${match[3] ?? ''}${rest}`, host };
}

const SCHEME_URL = /\b(?:https?|ftps?|sftp|wss?):\/\/[^\s<>"'`\\^{}|]+/gi;
const BARE_URL =
  /(?<![\w@.\-/])(?:www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[/?#:][^\s<>"'`\\^{}|]*)?|[a-z0-9-]+(?:\.[a-z0-9-]+)+\/[^\s<>"'`\\^{}|]*)/gi;
const HREF = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;
const EMAIL = /(?<![\w.%+-])[a-z0-9](?:[a-z0-9._%+-]{0,62}[a-z0-9_%+-])?@(?:[a-z0-9-]+\.)+[a-z]{2,63}\b/gi;
const HOST =
  /(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9](?![\w-]|\.[a-z0-9])/gi;
const IPV4 = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)/g;
const IPV6 = /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{0,4}|(?:\d{1,3}\.){3}\d{1,3})(?![\w:])/gi;
const ETH = /(?<!\w)0x[0-9a-f]{40}(?!\w)/giy;
const HEX = /(?<![\w])(?:[0-9a-f]{64}|[0-9a-f]{40}|[0-9a-f]{32})(?!\w)/giy;
const BTC_BASE58 = /(?<!\w)[13][1-9A-HJ-NP-Za-km-z]{25,34}(?!\w)/gy;
const BTC_BECH32 = /(?<!\w)(?:bc1[02-9ac-hj-np-z]{11,87}|BC1[02-9AC-HJ-NP-Z]{11,87})(?!\w)/gy;
const IBAN = /(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![\w])/giy;
const SORT_CODE = /(?<![\d\-.,£$€/])(\d{2})([- ]?)(\d{2})\2(\d{2})(?![\d\-/.]\d|\d)/g;
const ACCOUNT = /(?<![\d\-.,£$€/])\d{8}(?![\d]|[-/.]\d)/gy;
const SORT_CONTEXT = /\bsort\b|\bs\/c\b|\bsc\b|cod didoli/i;
// What may stand between a dashed sort code and its account: "20-00-00 12345678", "20-00-00, account no. 12345678".
const ACCOUNT_LABEL =
  /^\s*[,/]?\s*(?:(?:account|acc|acct|a\/c|cyfrif)(?:\s*(?:no|number|num|rhif))?\.?:?)?\s*$/i;
const NOT_ACCOUNT_BEFORE = /(?:order|ref|reference|invoice|card|tracking|customer)\b[\s\w#:.]*$/i;
// A leading 0, +, 00 or (0: phone-shaped; money, dates and references are excluded by what precedes them.
const PHONE =
  /(?<![\w+£$€.,/-])(?:(?:\+|00)\d{1,3}[\s.-]?(?:\(0\)[\s.-]?)?|\(0\d{1,4}\)[\s.-]?|0)\d[\d\s.-]{5,15}\d(?![\w]|[/.-]\d)/gy;
const DATE_SHAPE = /^\d{1,4}[-./]\d{1,2}[-./]\d{1,4}$/;
// How far past its place each sticky pattern can read: its longest match, then what its look-ahead reads.
const ETH_REACH = 42 + 1;
const HEX_REACH = 64 + 1;
const BASE58_REACH = 35 + 1;
const BECH32_REACH = 90 + 1;
const IBAN_REACH = 4 + 2 * 30 + 1;
const ACCOUNT_REACH = 8 + 2;
const PHONE_REACH = 10 + 17 + 2; // "+ddd-(0)-" or "(0dddd)-", then up to 17 digits, spaces, dots and dashes

export function isBtcAddress(value: string): boolean {
  if (/^bc1/i.test(value)) {
    const lower = value.toLowerCase();
    // The separator is the last '1': any later one makes another human-readable part than "bc".
    if (lower.lastIndexOf('1') !== 2) return false;
    // Witness v0 uses bech32, v1+ bech32m (BIP 350); the version is the first data character ('q' is 0).
    const codec = lower[3] === 'q' ? bech32 : bech32m;
    try {
      const decoded = codec.decode(lower as `${string}1${string}`, 90);
      const version = decoded.words[0];
      if (decoded.prefix !== 'bc' || version === undefined) return false;
      return codec === bech32 ? version === 0 : version > 0 && version <= 16;
    } catch {
      return false;
    }
  }
  const decoded = base58To25Bytes(value);
  // Version 0 (P2PKH) or 5 (P2SH), then the base58check checksum: the first 4 bytes of a double SHA-256.
  if (decoded === null || (decoded[0] !== 0x00 && decoded[0] !== 0x05)) return false;
  return checksumHolds(decoded);
}

/** E.164 for a phone number as written, or null for short codes, unknown shapes and impossible numbers. */
export function normalisePhone(raw: string): string | null {
  const compact = raw.replace(/[\s.\-()]/g, '');
  if (DATE_SHAPE.test(raw.trim())) return null;
  const number = compact.replace(/^00/, '+');
  // No country calling code starts with 0 (libphonenumber gives up on these at once, after a costly parse setup).
  if (number.startsWith('+0')) return null;
  const uk = ukPhone(number);
  if (uk !== undefined) return uk;
  const international = internationalPhone(number);
  return international === undefined ? phoneByLibphonenumber(number) : international;
}

/** normalisePhone's answer from libphonenumber itself, for a number without spaces or brackets. */
export function phoneByLibphonenumber(number: string): string | null {
  const phone = parsePhoneNumberFromString(number, 'GB');
  if (phone === undefined) return null;
  if (phone.isValid()) return phone.number;
  // UK drama and reserved ranges are not "valid" to libphonenumber but are real shapes people are given.
  if (
    phone.countryCallingCode === '44' &&
    phone.isPossible() &&
    /^[1-37-9]\d{8,9}$/.test(phone.nationalNumber)
  ) {
    return phone.number;
  }
  return null;
}

/** The longest prefix (cut where the text has a gap) that is a valid IBAN. */
function ibanIn(candidate: string): string | null {
  // Each country's IBANs have one length: only the prefix of that length needs the full check.
  const length = countrySpecs[candidate.slice(0, 2).toUpperCase()]?.chars;
  if (length === undefined) return null;
  const groups = candidate.split(' ');
  for (let n = groups.length; n > 0; n--) {
    const compact = groups.slice(0, n).join('').toUpperCase();
    if (compact.length < 15) return null;
    if (compact.length === length && isValidIBAN(compact)) return compact;
  }
  return null;
}

export interface ExtractOptions {
  /** Also read href targets of HTML anchors (for HTML email parts). */
  html?: boolean;
}

/**
 * Where, from one pass over the characters, each kind of indicator could be: the places its every match must hold
 * (an '@', the ':' of '://', the start of a run of letters and digits of the right length…), in reading order. A
 * pattern is searched for only from these places, and only while one is left unclaimed by earlier passes: the text
 * between them is never searched, and no pattern runs over a text that cannot hold its match.
 *
 * Masking only blanks characters, and every span claimed before bank details is bounded by characters that are not
 * letters, digits or '_' on both sides: so the runs of letters and digits seen here are, until then, either whole
 * in the masked text or wholly blanked. Bank details may be claimed next to letters ("x20-00-00") but never just
 * before a digit, so a phone number still starts at a '+', a '(' or a run's first '0' as seen here.
 */
interface Shape {
  /** '@' */
  at: number[];
  /** The ':' of '://'. */
  schemes: number[];
  /** 'www.' or a '/' right after a dotted name: where a link without a scheme could be. */
  bareUrls: number[];
  /** '.' between a letter or digit and a letter, as before a top-level domain. */
  hostDots: number[];
  /** The second of two colons with at most four hex digits between them. */
  colonPairs: number[];
  /** '.' between two digits, as in a dotted quad. */
  dottedDigits: number[];
  /** Runs of letters and digits starting with two letters then two digits, as an IBAN starts. */
  ibanStarts: number[];
  /** Runs of exactly eight digits, as an account number. */
  accounts: number[];
  /** Where a phone number can start: '+' before a digit, '(0' before a digit, a run starting '0' and a digit. */
  phoneStarts: number[];
  /** Runs of 14 letters and digits or more with a digit, as addresses and hashes are: start, end, start, end… */
  longRuns: number[];
  /** Which defanging marks refang would undo may be there (DEFANG_… bits). */
  defanged: number;
  /** A character outside ASCII: NFKC may change the text. */
  nonAscii: boolean;
}

// Character classes by code: digit, hex letter, other letter.
const DIGIT = 1;
const HEX_LETTER = 2;
const CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
for (let c = 65; c <= 90; c++) {
  CLASS[c] = c <= 70 ? HEX_LETTER : 4;
  CLASS[c + 32] = c <= 70 ? HEX_LETTER : 4;
}
const classOf = (c: number): number => (c < 128 ? (CLASS[c] ?? 0) : 0);

// What each ASCII character is to the scan. Letters need nothing by themselves: a run of letters matters only with a
// digit in it (addresses, hashes, IBANs, numbers), read from its first digit; and refang's "hxxp" or "fxp" is read
// back from the ':' or '[' that must follow it.
const PLAIN = 0;
const DIGIT_MARK = 1;
const DOT = 2;
const SLASH = 3;
const COLON = 4;
const AT = 5;
const OPENER = 6; // '[', '(' and '{', as in "[.]", "(at)", "{dot}"
const PLUS = 7;
const STAR = 8;
const NON_ASCII_MARK = 9;
const SCAN = new Uint8Array(128);
for (let c = 48; c <= 57; c++) SCAN[c] = DIGIT_MARK;
SCAN[46] = DOT;
SCAN[47] = SLASH;
SCAN[58] = COLON;
SCAN[64] = AT;
SCAN[91] = OPENER;
SCAN[40] = OPENER;
SCAN[123] = OPENER;
SCAN[43] = PLUS;
SCAN[42] = STAR;

function shapeOf(text: string): Shape {
  const shape: Shape = {
    at: [],
    schemes: [],
    bareUrls: [],
    hostDots: [],
    colonPairs: [],
    dottedDigits: [],
    ibanStarts: [],
    accounts: [],
    phoneStarts: [],
    longRuns: [],
    defanged: 0,
    nonAscii: false,
  };
  const n = text.length;
  let lastColon = -10;
  // One table look-up per character; most are letters or spaces and need nothing more.
  for (let i = 0; i < n; i++) {
    const c = charCodeAt.call(text, i);
    const k = c < 128 ? (SCAN[c] as number) : NON_ASCII_MARK;
    if (k === PLAIN) continue;
    switch (k) {
      case DIGIT_MARK:
        // The whole run of letters and digits this digit is in; the scan goes on after it.
        i = readRun(text, runStart(text, i), shape) - 1;
        break;
      case DOT: {
        const before = classOf(charCodeAt.call(text, i - 1));
        const after = classOf(charCodeAt.call(text, i + 1));
        if (before !== 0 && after > DIGIT) shape.hostDots.push(i);
        else if (before === DIGIT && after === DIGIT) shape.dottedDigits.push(i);
        if (
          i >= 3 &&
          (charCodeAt.call(text, i - 1) | 0x20) === 119 &&
          (charCodeAt.call(text, i - 2) | 0x20) === 119 &&
          (charCodeAt.call(text, i - 3) | 0x20) === 119
        )
          shape.bareUrls.push(i - 3);
        break;
      }
      case SLASH: {
        // A '/' right after a dotted name.
        const before = charCodeAt.call(text, i - 1);
        if (classOf(before) !== 0 || before === 45) {
          for (let j = i - 2; j >= 0; j--) {
            const d = charCodeAt.call(text, j);
            if (d === 46) {
              shape.bareUrls.push(i);
              break;
            }
            if (classOf(d) === 0 && d !== 45) break;
          }
        }
        break;
      }
      case COLON:
        if (charCodeAt.call(text, i + 1) === 47 && charCodeAt.call(text, i + 2) === 47) shape.schemes.push(i);
        if (i - lastColon - 1 <= 4 && allHex(text, lastColon + 1, i)) shape.colonPairs.push(i);
        lastColon = i;
        if (defangedScheme(text, i)) shape.defanged |= DEFANG_SCHEME;
        break;
      case AT:
        shape.at.push(i);
        break;
      case OPENER: {
        const next = charCodeAt.call(text, i + 1);
        if (next === 48 && CLASS[charCodeAt.call(text, i + 2)] === DIGIT) shape.phoneStarts.push(i);
        if (c === 91 && next === 58) shape.defanged |= DEFANG_BRACKET_COLON;
        else if (c === 91 && next === 47) shape.defanged |= DEFANG_BRACKET_SLASH;
        else if (next === 46 || (next | 0x20) === 100) shape.defanged |= DEFANG_DOT;
        else if (next === 64 || (next | 0x20) === 97) shape.defanged |= DEFANG_AT;
        if (c === 91 && defangedScheme(text, i)) shape.defanged |= DEFANG_SCHEME;
        break;
      }
      case PLUS:
        if (CLASS[charCodeAt.call(text, i + 1)] === DIGIT) shape.phoneStarts.push(i);
        break;
      case STAR:
        if (defangedScheme(text, i)) shape.defanged |= DEFANG_SCHEME;
        break;
      case NON_ASCII_MARK:
        shape.nonAscii = true;
        break;
    }
  }
  if (shape.bareUrls.length > 1) shape.bareUrls.sort((x, y) => x - y);
  return shape;
}

/** Where the run of letters and digits holding text[i] starts. */
function runStart(text: string, i: number): number {
  let s = i;
  while (s > 0 && classOf(charCodeAt.call(text, s - 1)) !== 0) s--;
  return s;
}

/**
 * Whether the word just before text[i] (a ':', '[' or '*') may be refang's "hxxp", "hxxps", "fxp", or the 'h' of
 * "h**p", "h[xx]p": it starts with 'h' or 'f', then 'x' or nothing, in a run of at most five letters.
 */
function defangedScheme(text: string, i: number): boolean {
  let s = i;
  while (s > 0 && i - s < 6 && classOf(charCodeAt.call(text, s - 1)) !== 0) s--;
  if (s === i || i - s > 5) return false;
  const first = charCodeAt.call(text, s) | 0x20;
  return (first === 104 || first === 102) && (i - s === 1 || (charCodeAt.call(text, s + 1) | 0x20) === 120);
}

/** What the run of letters and digits starting at s, which holds a digit, tells the shape; returns its end. */
function readRun(text: string, s: number, shape: Shape): number {
  let e = s;
  while (e < text.length && classOf(charCodeAt.call(text, e)) !== 0) e++;
  if (charCodeAt.call(text, s) === 48 && CLASS[charCodeAt.call(text, s + 1)] === DIGIT)
    shape.phoneStarts.push(s);
  if (
    e - s >= 4 &&
    classOf(charCodeAt.call(text, s)) > DIGIT &&
    classOf(charCodeAt.call(text, s + 1)) > DIGIT &&
    CLASS[charCodeAt.call(text, s + 2)] === DIGIT &&
    CLASS[charCodeAt.call(text, s + 3)] === DIGIT
  )
    shape.ibanStarts.push(s);
  if (e - s >= 8) eightDigitRuns(text, s, e, shape.accounts);
  // Addresses and hashes with a digit in them (the patterns that read long runs need one).
  if (e - s >= 14) shape.longRuns.push(s, e);
  return e;
}

/** The starts of the runs of exactly eight digits in text[s, e). */
function eightDigitRuns(text: string, s: number, e: number, into: number[]): void {
  let digits = 0;
  for (let i = s; i <= e; i++) {
    if (i < e && CLASS[charCodeAt.call(text, i)] === DIGIT) digits++;
    else {
      if (digits === 8) into.push(i - 8);
      digits = 0;
    }
  }
}

function allHex(text: string, from: number, to: number): boolean {
  for (let j = from; j < to; j++) {
    const d = classOf(charCodeAt.call(text, j));
    if (d !== DIGIT && d !== HEX_LETTER) return false;
  }
  return true;
}

/** The starts of the long runs of `min` to `max` characters beginning with `prefix` (either case). */
function longRunStarts(text: string, runs: number[], min: number, max: number, prefix: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs.length; i += 2) {
    const s = runs[i] as number;
    const length = (runs[i + 1] as number) - s;
    if (length < min || length > max) continue;
    let same = true;
    for (let j = 0; j < prefix.length && same; j++)
      same = (charCodeAt.call(text, s + j) | 0x20) === charCodeAt.call(prefix, j);
    if (same) out.push(s);
  }
  return out;
}

/** Blanks spans so later passes do not read them again; offsets stay the same. */
function maskAll(text: string, spans: [number, number][]): string {
  if (spans.length === 0) return text;
  // Bank details claim an account and its sort code in either order, and two codes may share an account. (The spans
  // are the reading's own list, sorted in place: stable, by start.)
  for (let i = 1; i < spans.length; i++) {
    const span = spans[i] as [number, number];
    let j = i - 1;
    for (; j >= 0 && (spans[j] as [number, number])[0] > span[0]; j--)
      spans[j + 1] = spans[j] as [number, number];
    spans[j + 1] = span;
  }
  let out = '';
  let from = 0;
  for (const [start, end] of spans) {
    if (end <= from) continue;
    const s = Math.max(start, from);
    out += text.slice(from, s) + ' '.repeat(end - s);
    from = end;
  }
  return out + text.slice(from);
}

/** A table of the ASCII characters in `chars` (ranges written a-z). */
function charTable(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) {
    const from = charCodeAt.call(chars, i);
    if (chars[i + 1] === '-' && i + 2 < chars.length) {
      for (let c = from; c <= charCodeAt.call(chars, i + 2); c++) table[c] = 1;
      i += 2;
    } else table[from] = 1;
  }
  return table;
}
// What can stand in a match before the place it holds: a URL scheme; the local part of an email address; a host name
// and the path before a '/'; the hex groups of an IPv6 address; the octets of a dotted quad.
const SCHEME_TOKEN = charTable('a-zA-Z');
const EMAIL_TOKEN = charTable('a-zA-Z0-9._%+-');
const NAME_TOKEN = charTable('a-zA-Z0-9.-');
const IPV6_TOKEN = charTable('a-fA-F0-9:.');
const IPV4_TOKEN = charTable('0-9.');

/** Every match of a global pattern, as String.prototype.matchAll gives them, without cloning the pattern. */
function matches(pattern: RegExp, text: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    out.push(m);
    if (m[0] === '') pattern.lastIndex++;
  }
  return out;
}

/** The state of one extraction: what is found, and which spans earlier passes have claimed. */
class Reading {
  text: string;
  readonly found: Found[] = [];
  /** Claimed since the text was last masked. */
  private readonly pending: [number, number][] = [];
  private readonly claimed: [number, number][] = [];

  constructor(text: string) {
    this.text = text;
  }

  add(type: IndicatorType, value: string, at: number): void {
    this.found.push({ type, value, at });
  }

  addHost(host: ParsedUrl['host'], at: number): void {
    this.found.push({ type: host.type, value: host.value, at });
  }

  claim(start: number, end: number): void {
    this.pending.push([start, end]);
    this.claimed.push([start, end]);
  }

  /**
   * The matches of a global pattern in the text as the earlier passes left it, the same as a search over the whole
   * text finds, searched for only from `places`. Every match must hold one of them, with only `token` characters
   * between its start and that place. Where one match ends, nothing can match until the next place's token, so the
   * search jumps there.
   */
  matchesAt(pattern: RegExp, places: number[], token: Uint8Array): RegExpExecArray[] {
    const out: RegExpExecArray[] = [];
    if (places.length === 0) return out;
    const text = this.masked();
    let end = 0;
    for (const at of places) {
      // A claimed place is blank now: no match holds it.
      if (at < end || this.isClaimed(at)) continue;
      let from = at;
      while (from > end) {
        const c = charCodeAt.call(text, from - 1);
        if (c >= 128 || token[c] !== 1) break;
        from--;
      }
      pattern.lastIndex = from;
      const m = pattern.exec(text);
      // Nothing from here: nothing from any later place either.
      if (m === null) break;
      out.push(m);
      end = m.index + m[0].length;
    }
    return out;
  }

  /**
   * matchesAt for a sticky pattern, whose matches start at their place, and which reads at most one character before
   * it and `reach` from it. The text is masked only when a span claimed since it was last masked lies within that
   * reach: elsewhere the pattern reads the same characters either way. `mayMatch`, if given, is a cheap test every
   * match passes, tried first.
   */
  nearMatches(
    pattern: RegExp,
    places: number[],
    reach: number,
    mayMatch?: (text: string, at: number) => boolean,
  ): RegExpExecArray[] {
    const out: RegExpExecArray[] = [];
    let end = 0;
    for (const at of places) {
      if (at < end || this.isClaimed(at)) continue;
      // (A margin of two characters each side, beyond the one before the place its look-behind reads.)
      if (this.pendingWithin(at - 3, at + reach + 2)) this.masked();
      if (mayMatch !== undefined && !mayMatch(this.text, at)) continue;
      pattern.lastIndex = at;
      const m = pattern.exec(this.text);
      if (m === null) continue;
      out.push(m);
      end = m.index + m[0].length;
    }
    return out;
  }

  private pendingWithin(from: number, to: number): boolean {
    for (const [start, end] of this.pending) if (start < to && end > from) return true;
    return false;
  }

  private isClaimed(at: number): boolean {
    for (const [start, end] of this.claimed) if (at >= start && at < end) return true;
    return false;
  }

  /** The text as the previous passes left it: each pass reads it so. */
  masked(): string {
    if (this.pending.length > 0) {
      this.text = maskAll(this.text, this.pending);
      this.pending.length = 0;
    }
    return this.text;
  }
}

/** Links: each is a URL and its host; hosts and paths can hold addresses and numbers, which belong to it. */
function readUrls(r: Reading, pattern: RegExp, places: number[], token: Uint8Array): void {
  for (const m of r.matchesAt(pattern, places, token)) {
    const written = trimUrl(m[0]);
    const parsed = normaliseUrl(written);
    if (parsed === null) continue;
    r.add('url', parsed.url, m.index);
    r.addHost(parsed.host, m.index);
    r.claim(m.index, m.index + written.length);
  }
}

function readBtc(r: Reading, pattern: RegExp, places: number[], reach: number): void {
  for (const m of r.nearMatches(pattern, places, reach)) {
    if (!isBtcAddress(m[0])) continue;
    r.add('btc-address', /^bc1/i.test(m[0]) ? m[0].toLowerCase() : m[0], m.index);
    r.claim(m.index, m.index + m[0].length);
  }
}

/** Every indicator in a text, distinct by type and value, in reading order. */
export function extractIndicators(input: string, options: ExtractOptions = {}): Indicator[] {
  let shape = shapeOf(input);
  // NFKC leaves ASCII as it is.
  let normalised = input;
  if (shape.nonAscii) {
    normalised = input.normalize('NFKC');
    if (normalised !== input) shape = shapeOf(normalised);
  }
  let refanged = normalised;
  if (shape.defanged !== 0) {
    refanged = refangMarked(normalised, shape.defanged);
    if (refanged !== normalised) shape = shapeOf(refanged);
  }
  const r = new Reading(refanged);

  if (options.html === true) {
    for (const m of matches(HREF, r.text)) {
      const target = decodeEntities(m[1] ?? m[2] ?? m[3] ?? '').trim();
      const parsed = /^(?:https?|ftps?):\/\//i.test(target) ? normaliseUrl(target) : null;
      if (parsed !== null) {
        r.add('url', parsed.url, m.index);
        r.addHost(parsed.host, m.index);
      }
      r.claim(m.index, m.index + m[0].length);
    }
  }

  readUrls(r, SCHEME_URL, shape.schemes, SCHEME_TOKEN);
  readUrls(r, BARE_URL, shape.bareUrls, NAME_TOKEN);

  for (const m of r.matchesAt(EMAIL, shape.at, EMAIL_TOKEN)) {
    // The one '@': a local part and a domain hold none.
    const domain = normaliseHostname(m[0].slice(m[0].indexOf('@') + 1));
    if (domain === null) continue;
    r.add('email', m[0].toLowerCase(), m.index);
    r.add('domain', domain, m.index);
    r.claim(m.index, m.index + m[0].length);
  }

  // Addresses and hashes are whole runs of letters and digits of their own lengths.
  const { longRuns } = shape;
  if (longRuns.length > 0) {
    for (const m of r.nearMatches(ETH, longRunStarts(refanged, longRuns, 42, 42, '0x'), ETH_REACH)) {
      r.add('eth-address', m[0].toLowerCase(), m.index);
      r.claim(m.index, m.index + m[0].length);
    }
    for (const m of r.nearMatches(HEX, longRunStarts(refanged, longRuns, 32, 64, ''), HEX_REACH)) {
      const hex = m[0].toLowerCase();
      // Long runs of digits only are numbers (card, reference), not hashes.
      if (!/[a-f]/.test(hex) || !/\d/.test(hex)) continue;
      r.add(hex.length === 64 ? 'sha256' : hex.length === 40 ? 'sha1' : 'md5', hex, m.index);
      r.claim(m.index, m.index + m[0].length);
    }
    readBtc(r, BTC_BECH32, longRunStarts(refanged, longRuns, 14, 90, 'bc1'), BECH32_REACH);
    readBtc(r, BTC_BASE58, longRunStarts(refanged, longRuns, 26, 35, ''), BASE58_REACH);
  }
  for (const m of r.nearMatches(IBAN, shape.ibanStarts, IBAN_REACH)) {
    const iban = ibanIn(m[0]);
    if (iban === null) continue;
    r.add('iban', iban, m.index);
    r.claim(m.index, m.index + m[0].length);
  }

  if (shape.dottedDigits.length >= 3) {
    for (const m of r.matchesAt(IPV4, shape.dottedDigits, IPV4_TOKEN)) {
      const ip = normaliseIpv4(m[0]);
      if (ip === null) continue;
      r.add('ipv4', ip, m.index);
      r.claim(m.index, m.index + m[0].length);
    }
  }
  for (const m of r.matchesAt(IPV6, shape.colonPairs, IPV6_TOKEN)) {
    if ((m[0].match(/:/g) ?? []).length < 2 || !/[0-9a-f]/i.test(m[0])) continue;
    const ip = normaliseIpv6(m[0]);
    if (ip === null) continue;
    r.add('ipv6', ip, m.index);
    r.claim(m.index, m.index + m[0].length);
  }

  for (const m of r.matchesAt(HOST, shape.hostDots, NAME_TOKEN)) {
    const written = m[0];
    const labels = written.split('.');
    const tld = labels.at(-1) ?? '';
    // "it.Now" is a sentence run together; "invoice.zip" is a file.
    if (/^[A-Z][a-z]+$/.test(tld) && /[a-z]/.test(labels.at(-2) ?? '')) continue;
    if (labels.length === 2 && FILE_LIKE_TLDS.has(tld.toLowerCase())) continue;
    const host = normaliseHostname(written);
    if (host === null) continue;
    r.add('domain', host, m.index);
    r.claim(m.index, m.index + written.length);
  }

  if (shape.accounts.length > 0) extractBankAccounts(r, shape.accounts);

  for (const m of r.nearMatches(PHONE, shape.phoneStarts, PHONE_REACH, phoneShaped)) {
    const phone = normalisePhone(m[0]);
    if (phone !== null) r.add('phone', phone, m.index);
  }

  return distinctInOrder(r.found);
}

// Most texts hold a few indicators: an insertion sort and a linear look-up then beat a sort call and a Set of
// joined keys. Both sorts are stable, so the result is the same either way.
const FEW = 24;

/** Distinct by type and value, in reading order (the first occurrence kept; ties keep the order found). */
function distinctInOrder(found: Found[]): Indicator[] {
  if (found.length > FEW) found.sort(byPosition);
  else insertionSort(found);
  const seen = found.length > FEW ? new Set<string>() : null;
  const out: Indicator[] = [];
  for (const { type, value } of found) {
    if (seen === null) {
      if (listed(out, type, value)) continue;
    } else {
      const key = indicatorKey({ type, value });
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push({ type, value });
  }
  return out;
}

const byPosition = (a: Found, b: Found): number => a.at - b.at;

function insertionSort(found: Found[]): void {
  for (let i = 1; i < found.length; i++) {
    const item = found[i] as Found;
    let j = i - 1;
    for (; j >= 0 && (found[j] as Found).at > item.at; j--) found[j + 1] = found[j] as Found;
    found[j + 1] = item;
  }
}

function listed(list: Indicator[], type: IndicatorType, value: string): boolean {
  for (const i of list) if (i.type === type && i.value === value) return true;
  return false;
}

// What a phone number is written with: digits, spaces, dots, dashes, brackets and '+'.
const PHONE_CHARS = charTable('0-9.()+-');
for (const c of ' \t\n\v\f\r') PHONE_CHARS[c.charCodeAt(0)] = 1;

/**
 * Whether a phone number may start at text[at]: PHONE's shortest match is 8 characters ("0" then 7 digits, spaces,
 * dots or dashes), so the 8 from there must all be such characters (or outside ASCII, where \s has spaces too). Most
 * places (a '0' starting "0.15 BTC", "02/03/24") fail at once, without a call into the pattern.
 */
function phoneShaped(text: string, at: number): boolean {
  if (at + 8 > text.length) return false;
  for (let i = at; i < at + 8; i++) {
    const c = charCodeAt.call(text, i);
    if (c < 128 && PHONE_CHARS[c] !== 1) return false;
  }
  return true;
}

/**
 * A sort code and an 8-digit account number in the same sentence: "sort code 20-00-00, account 12345678". The
 * word "sort" must come just before the code, unless a dashed code sits right by the account; dates
 * (12-03-24) and order or card numbers are not accounts.
 */
function extractBankAccounts(r: Reading, places: number[]): void {
  const found = r.nearMatches(ACCOUNT, places, ACCOUNT_REACH);
  if (found.length === 0) return;
  const text = r.masked();
  const accounts = found.filter(
    (a) => !NOT_ACCOUNT_BEFORE.test(text.slice(Math.max(0, a.index - 16), a.index)),
  );
  if (accounts.length === 0) return;
  for (const m of matches(SORT_CODE, text)) {
    const sortEnd = m.index + m[0].length;
    const labelled = SORT_CONTEXT.test(text.slice(Math.max(0, m.index - 24), m.index));
    const nearest = accounts
      .map((a) => {
        const after = a.index >= sortEnd;
        const between = after ? text.slice(sortEnd, a.index) : text.slice(a.index + a[0].length, m.index);
        return { a, gap: between.length, between };
      })
      .filter(({ gap, between }) => gap <= 60 && !/[.!?](?:\s|$)|\n/.test(between))
      .sort((x, y) => x.gap - y.gap)[0];
    if (nearest === undefined) continue;
    if (!labelled && !(m[2] === '-' && ACCOUNT_LABEL.test(nearest.between))) continue;
    const sortCode = `${m[1] ?? ''}${m[3] ?? ''}${m[4] ?? ''}`;
    r.add('uk-bank-account', `${sortCode}-${nearest.a[0]}`, Math.min(m.index, nearest.a.index));
    r.claim(m.index, sortEnd);
    r.claim(nearest.a.index, nearest.a.index + 8);
  }
}

function decodeEntities(value: string): string {
  return value
    .replace(/&amp;/gi, '&')
    .replace(/&#(\d{1,7});/g, (_, code: string) => codePoint(Number(code)))
    .replace(/&#x([0-9a-f]{1,6});/gi, (_, code: string) => codePoint(parseInt(code, 16)))
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'");
}

function codePoint(code: number): string {
  return code <= 0x10ffff ? String.fromCodePoint(code) : '';
}

/** One value of a known type, as someone types it into a search: normalised like extraction, or null if invalid. */
export function normaliseIndicator(type: IndicatorType, raw: string): string | null {
  const value = refang(raw.trim());
  if (value === '' || value.length > 2048) return null;
  const only = (found: Indicator[]) => {
    const match = found.find((i) => i.type === type);
    return match === undefined ? null : match.value;
  };
  switch (type) {
    case 'url':
      return normaliseUrl(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`)?.url ?? null;
    case 'domain':
      return normaliseHostname(value);
    case 'ipv4':
      return normaliseIpv4(value);
    case 'ipv6':
      return normaliseIpv6(value);
    case 'phone':
      return normalisePhone(value);
    case 'uk-bank-account': {
      const digits = value.replace(/[\s-]/g, '');
      return /^\d{14}$/.test(digits) ? `${digits.slice(0, 6)}-${digits.slice(6)}` : null;
    }
    case 'iban':
      return ibanIn(value.replace(/\s/g, ''));
    case 'btc-address':
      return isBtcAddress(value) ? (/^bc1/i.test(value) ? value.toLowerCase() : value) : null;
    default:
      return only(extractIndicators(value));
  }
}
