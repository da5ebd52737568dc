/**
 * Indicator extraction from free text: narratives, SMS, analyst notes, email bodies. Pure and synchronous.
 *
 * The text is re-fanged first, then each kind of indicator is found in an order that lets the more specific ones
 * claim their characters (URLs before domains, bank details before phone numbers), so that one string is never
 * read as two things. Parsers made for the job decide validity: tldts (public suffixes), ipaddr.js, ibantools,
 * libphonenumber-js, @scure/base (base58check, bech32).
 */
import { createHash } from 'node:crypto';
import { bech32, bech32m } from '@scure/base';
import { isValidIBAN } from 'ibantools';
import ipaddr from 'ipaddr.js';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { parse as parseHost } from 'tldts';
import { indicatorKey, type Indicator, type IndicatorType } from './indicator.ts';
import { internationalPhone, ukPhone } from './fast-phone.ts';

/** A found indicator and where it starts in the re-fanged text (to keep the reading order). */
interface Found extends Indicator {
  at: number;
}

const DEFANGS: readonly [RegExp, string][] = [
  [/\bh(?:xx|XX|\*\*|\[xx\]|\[tt\])p(s?)(?=\[?:|:\/\/|\[:\/\/\]|:\\\\)/g, 'http$1'],
  [/\bfxp(?=:\/\/)/gi, 'ftp'],
  [/\[:\/\/\]|\[:\]\/\//g, '://'],
  [/\[:\]/g, ':'],
  [/\[\/\]/g, '/'],
  [/\s?[[({](?:\.|dot)[\])}]\s?/gi, '.'],
  [/\s?[[({](?:@|at)[\])}]\s?/gi, '@'],
];

/** Undoes the usual ways people and tools make links unclickable: hxxp, [.], (.), [dot], [@], [at]. */
export function refang(text: string): string {
  let out = text;
  for (const [pattern, replacement] of DEFANGS) out = out.replace(pattern, replacement);
  return out;
}

// File extensions that are also top-level domains: "invoice.zip" alone is a file name, not a site.
const FILE_LIKE_TLDS = new Set(['zip', 'mov', 'py', 'sh', 'md', 'pl', 'rs', 'doc', 'exe', 'scr']);

const ICANN_ONLY = { allowPrivateDomains: false };

/** A hostname under a real ICANN public suffix, or null. */
export function normaliseHostname(raw: string): string | null {
  const host = raw.toLowerCase().replace(/\.$/, '');
  if (
    host.length > 253 ||
    !/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/.test(host)
  ) {
    return null;
  }
  const parsed = parseHost(host, ICANN_ONLY);
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

/** RFC 5952 form: compressed and lower-case. */
export function normaliseIpv6(raw: string): string | null {
  if (!ipaddr.IPv6.isValid(raw)) return null;
  return ipaddr.IPv6.parse(raw).toRFC5952String();
}

const URL_TRAILING = /[.,;:!?'"*]+$/;
const CLOSERS: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{', '>': '<' };

/** Removes sentence punctuation and unbalanced closing brackets from the end of a URL as written. */
function trimUrl(raw: string): string {
  let url = raw;
  for (;;) {
    const before = url;
    url = url.replace(URL_TRAILING, '');
    const last = url.at(-1) ?? '';
    const opener = CLOSERS[last];
    if (opener !== undefined && url.split(opener).length <= url.split(last).length - 1)
      url = url.slice(0, -1);
    if (url === before) return url;
  }
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
  const userinfo = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^\s/?#@]*@)/i.exec(raw)?.[1] ?? '';
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
const ETH = /(?<!\w)0x[0-9a-f]{40}(?!\w)/gi;
const HEX = /(?<![\w])(?:[0-9a-f]{64}|[0-9a-f]{40}|[0-9a-f]{32})(?!\w)/gi;
const BTC_BASE58 = /(?<!\w)[13][1-9A-HJ-NP-Za-km-z]{25,34}(?!\w)/g;
const BTC_BECH32 = /(?<!\w)(?:bc1[02-9ac-hj-np-z]{11,87}|BC1[02-9AC-HJ-NP-Z]{11,87})(?!\w)/g;
const IBAN = /(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![\w])/gi;
const SORT_CODE = /(?<![\d\-.,£$€/])(\d{2})([- ]?)(\d{2})\2(\d{2})(?![\d\-/.]\d|\d)/g;
const ACCOUNT = /(?<![\d\-.,£$€/])\d{8}(?![\d]|[-/.]\d)/g;
const SORT_CONTEXT = /\bsort\b|\bs\/c\b|\bsc\b|cod didoli/i;
// What may stand between a dashed sort code and its account: "20-00-00 12345678", "20-00-00, account no. 12345678".
const ACCOUNT_LABEL =
  /^\s*[,/]?\s*(?:(?:account|acc|acct|a\/c|cyfrif)(?:\s*(?:no|number|num|rhif))?\.?:?)?\s*$/i;
const NOT_ACCOUNT_BEFORE = /(?:order|ref|reference|invoice|card|tracking|customer)\b[\s\w#:.]*$/i;
// A leading 0, +, 00 or (0: phone-shaped; money, dates and references are excluded by what precedes them.
const PHONE =
  /(?<![\w+£$€.,/-])(?:(?:\+|00)\d{1,3}[\s.-]?(?:\(0\)[\s.-]?)?|\(0\d{1,4}\)[\s.-]?|0)\d[\d\s.-]{5,15}\d(?![\w]|[/.-]\d)/g;
const DATE_SHAPE = /^\d{1,4}[-./]\d{1,2}[-./]\d{1,4}$/;

const sha256 = (data: Uint8Array): Uint8Array => createHash('sha256').update(data).digest();

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
  const check = sha256(sha256(decoded.subarray(0, 21)));
  return (
    check[0] === decoded[21] &&
    check[1] === decoded[22] &&
    check[2] === decoded[23] &&
    check[3] === decoded[24]
  );
}

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BASE58_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE58_ALPHABET.length; i++) BASE58_VALUE[BASE58_ALPHABET.charCodeAt(i)] = i;

/** The bytes a base58 string stands for (each leading '1' a zero byte), if exactly 25 of them; else null. */
function base58To25Bytes(value: string): Uint8Array | null {
  const bytes = new Uint8Array(25);
  let zeros = 0;
  while (zeros < value.length && value.charCodeAt(zeros) === 49) zeros++;
  for (let i = zeros; i < value.length; i++) {
    const c = value.charCodeAt(i);
    let carry = c < 128 ? (BASE58_VALUE[c] ?? -1) : -1;
    if (carry < 0) return null;
    for (let j = 24; j >= 0; j--) {
      carry += (bytes[j] ?? 0) * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    if (carry !== 0) return null;
  }
  let leading = 0;
  while (leading < 25 && bytes[leading] === 0) leading++;
  // The number's own bytes follow the zero bytes written as '1's.
  return zeros + (25 - leading) === 25 ? bytes : null;
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
  const groups = candidate.split(' ');
  for (let n = groups.length; n > 0; n--) {
    const compact = groups.slice(0, n).join('').toUpperCase();
    if (compact.length < 15) return null;
    if (isValidIBAN(compact)) return compact;
  }
  return null;
}

export interface ExtractOptions {
  /** Also read href targets of HTML anchors (for HTML email parts). */
  html?: boolean;
}

/**
 * Where, from one pass over the characters, each kind of indicator could be: the places a match must use. A pattern
 * runs only while one of its places is still unclaimed by an earlier pass, and starts at the first such place's
 * token. Masking only blanks characters, so a match in a masked text is a run of characters of the original.
 */
interface Shape {
  /** '@' */
  at: number[];
  /** '.' between a letter or digit and a letter, as before a top-level domain. */
  hostDots: number[];
  /** 'www.' or a '/' right after a dotted name: where a link without a scheme could be. */
  bareUrls: number[];
  /** The second of two colons with at most four hex digits between them. */
  colonPairs: number[];
  /** Runs of 8 digits or more (start, end). */
  digitRuns8: [number, number][];
  /** Runs of 26 base58 characters or more (start, end). */
  base58Runs: [number, number][];
  /** "digit.digit" places, as in a dotted quad. */
  dottedDigits: number;
  /** Longest run of ASCII letters and digits, and of hex digits. */
  alnumRun: number;
  hexRun: number;
  /** Two letters then two digits, as an IBAN starts. */
  ibanStart: boolean;
  anyDigit: boolean;
  /** Something refang would undo may be there: hxxp, h**p, fxp, [.], (dot), [at], [:]. */
  defanged: boolean;
}

// Character classes by code: digit, hex letter, other letter; and the characters base58 leaves out.
const DIGIT = 1;
const HEX_LETTER = 2;
const CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
for (let c = 65; c <= 90; c++) {
  CLASS[c] = c <= 70 ? HEX_LETTER : 4;
  CLASS[c + 32] = c <= 70 ? HEX_LETTER : 4;
}
const NOT_BASE58 = new Uint8Array(128);
for (const c of '0OIl') NOT_BASE58[c.charCodeAt(0)] = 1;
const classOf = (c: number): number => (c < 128 ? (CLASS[c] ?? 0) : 0);

function shapeOf(text: string): Shape {
  const shape: Shape = {
    at: [],
    hostDots: [],
    bareUrls: [],
    colonPairs: [],
    digitRuns8: [],
    base58Runs: [],
    dottedDigits: 0,
    alnumRun: 0,
    hexRun: 0,
    ibanStart: false,
    anyDigit: false,
    defanged: false,
  };
  const n = text.length;
  let runStart = -1;
  let runDigit = false;
  let lastColon = -10;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    const k = c < 128 ? (CLASS[c] ?? 0) : 0;
    if (k !== 0) {
      if (runStart < 0) runStart = i;
      if (k === DIGIT) runDigit = true;
      continue;
    }
    if (runStart >= 0) {
      // Only runs of letters and digits with a digit, or long ones, can hold what readRun looks for.
      if (runDigit || i - runStart >= 14) readRun(text, runStart, i, shape);
      if (runDigit) shape.anyDigit = true;
      // refang's "\bh(xx|**|[…])p" and "\bfxp" start a run.
      const first = text.charCodeAt(runStart) | 0x20;
      if (first === 104 || first === 102) {
        const next = text.charCodeAt(runStart + 1);
        if (next === 42 || next === 91 || (next | 0x20) === 120) shape.defanged = true;
      }
      runStart = -1;
      runDigit = false;
    }
    if (c === 46) {
      const before = classOf(text.charCodeAt(i - 1));
      const after = classOf(text.charCodeAt(i + 1));
      if (before !== 0 && after > DIGIT) shape.hostDots.push(i);
      else if (before === DIGIT && after === DIGIT) shape.dottedDigits++;
      if (
        i >= 3 &&
        (text.charCodeAt(i - 1) | 0x20) === 119 &&
        (text.charCodeAt(i - 2) | 0x20) === 119 &&
        (text.charCodeAt(i - 3) | 0x20) === 119
      )
        shape.bareUrls.push(i - 3);
    } else if (c === 47) {
      // A '/' right after a dotted name.
      const before = text.charCodeAt(i - 1);
      if (classOf(before) !== 0 || before === 45) {
        for (let j = i - 2; j >= 0; j--) {
          const d = text.charCodeAt(j);
          if (d === 46) {
            shape.bareUrls.push(i);
            break;
          }
          if (classOf(d) === 0 && d !== 45) break;
        }
      }
    } else if (c === 58) {
      if (i - lastColon - 1 <= 4) {
        let hex = true;
        for (let j = lastColon + 1; j < i; j++) {
          const d = classOf(text.charCodeAt(j));
          if (d !== DIGIT && d !== HEX_LETTER) {
            hex = false;
            break;
          }
        }
        if (hex) shape.colonPairs.push(i);
      }
      lastColon = i;
    } else if (c === 64) shape.at.push(i);
    else if (c === 91 || c === 40 || c === 123) {
      // "[.]", "(@)", "[dot]", "{at}", "[:]", "[/]"…
      const next = text.charCodeAt(i + 1);
      if (next === 46 || next === 64 || next === 58 || next === 47) shape.defanged = true;
      else if ((next | 0x20) === 100 || (next | 0x20) === 97) shape.defanged = true;
    }
  }
  shape.bareUrls.sort((x, y) => x - y);
  return shape;
}

/** The long or digit-holding run of letters and digits text[s, e): its hex, digit and base58 runs. */
function readRun(text: string, s: number, e: number, shape: Shape): void {
  if (e - s > shape.alnumRun) shape.alnumRun = e - s;
  let hex = 0;
  let digits = 0;
  let base58 = 0;
  let letters = 0; // letters just before the current digits
  for (let i = s; i <= e; i++) {
    const c = i < e ? text.charCodeAt(i) : 32;
    const k = i < e ? (CLASS[c] ?? 0) : 0;
    if (k !== 0 && NOT_BASE58[c] !== 1) base58++;
    else {
      if (base58 >= 26) shape.base58Runs.push([i - base58, i]);
      base58 = 0;
    }
    if (k === DIGIT || k === HEX_LETTER) {
      hex++;
      if (hex > shape.hexRun) shape.hexRun = hex;
    } else hex = 0;
    if (k === DIGIT) {
      digits++;
      if (digits === 2 && letters >= 2) shape.ibanStart = true;
    } else {
      if (digits >= 8) shape.digitRuns8.push([i - digits, i]);
      if (k !== 0) {
        if (digits > 0) letters = 0;
        letters++;
      } else letters = 0;
      digits = 0;
    }
  }
}

/** Blanks spans so later passes do not read them again; offsets stay the same. */
function maskAll(text: string, spans: [number, number][]): string {
  if (spans.length === 0) return text;
  // Bank details claim an account and its sort code in either order, and two codes may share an account.
  const ordered = spans.length === 1 ? spans : [...spans].sort((x, y) => x[0] - y[0]);
  let out = '';
  let from = 0;
  for (const [start, end] of ordered) {
    if (end <= from) continue;
    const s = Math.max(start, from);
    out += text.slice(from, s) + ' '.repeat(end - s);
    from = end;
  }
  return out + text.slice(from);
}

const BC1 = /bc1/i;
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/** A table of the ASCII characters in `chars` (ranges written a-z). */
function charTable(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) {
    const from = chars.charCodeAt(i);
    if (chars[i + 1] === '-' && i + 2 < chars.length) {
      for (let c = from; c <= chars.charCodeAt(i + 2); c++) table[c] = 1;
      i += 2;
    } else table[from] = 1;
  }
  return table;
}
// What can stand before the place each pattern needs: a URL scheme; the local part of an email address; a host name and the
// path before a '/'; the hex groups of an IPv6 address.
const SCHEME_TOKEN = charTable('a-zA-Z');
const EMAIL_TOKEN = charTable('a-zA-Z0-9._%+-');
const NAME_TOKEN = charTable('a-zA-Z0-9.-');
const IPV6_TOKEN = charTable('a-fA-F0-9:.');

/** Every match of a global pattern, as String.prototype.matchAll gives them, without cloning the pattern. */
function matches(pattern: RegExp, text: string, from = 0): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  pattern.lastIndex = from;
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
  private pending: [number, number][] = [];
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
   * Where a pattern whose every match holds one of these places, and is otherwise made of `token` characters,
   * can first match: the start of the token around the first unclaimed place; -1 if every place is claimed.
   */
  firstStart(places: number[], token: Uint8Array): number {
    for (const at of places) {
      let free = true;
      for (const [start, end] of this.claimed) {
        if (at >= start && at < end) {
          free = false;
          break;
        }
      }
      if (!free) continue;
      let from = at;
      while (from > 0) {
        const c = this.text.charCodeAt(from - 1);
        if (c >= 128 || token[c] !== 1) break;
        from--;
      }
      return from;
    }
    return -1;
  }

  /** Whether any of these runs is not wholly inside one claimed span (a conservative test). */
  anyRunFree(runs: [number, number][]): boolean {
    for (const [s, e] of runs) {
      if (!this.claimed.some(([start, end]) => start <= s && end >= e)) return true;
    }
    return false;
  }

  /** The text as the previous passes left it: each pass reads it so. */
  masked(): string {
    this.text = maskAll(this.text, this.pending);
    this.pending = [];
    return this.text;
  }
}

/** Links: each is a URL and its host; hosts and paths can hold addresses and numbers, which belong to it. */
function readUrls(r: Reading, pattern: RegExp, from: number): void {
  if (from < 0) return;
  for (const m of matches(pattern, r.masked(), from)) {
    const written = trimUrl(m[0]);
    const parsed = normaliseUrl(written);
    if (parsed === null) continue;
    r.add('url', parsed.url, m.index);
    r.addHost(parsed.host, m.index);
    r.claim(m.index, m.index + written.length);
  }
}

function readBtc(r: Reading, pattern: RegExp): void {
  for (const m of matches(pattern, r.masked())) {
    if (!isBtcAddress(m[0])) continue;
    r.add('btc-address', /^bc1/i.test(m[0]) ? m[0].toLowerCase() : m[0], m.index);
    r.claim(m.index, m.index + m[0].length);
  }
}

/** Every indicator in a text, distinct by type and value, in reading order. */
export function extractIndicators(input: string, options: ExtractOptions = {}): Indicator[] {
  // NFKC leaves ASCII as it is.
  const normalised = NON_ASCII.test(input) ? input.normalize('NFKC') : input;
  let refanged = normalised;
  let shape = shapeOf(normalised);
  if (shape.defanged) {
    refanged = refang(normalised);
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

  const schemes: number[] = [];
  for (let i = refanged.indexOf('://'); i >= 0; i = refanged.indexOf('://', i + 3)) schemes.push(i);
  readUrls(r, SCHEME_URL, r.firstStart(schemes, SCHEME_TOKEN));
  readUrls(r, BARE_URL, r.firstStart(shape.bareUrls, NAME_TOKEN));

  r.masked();
  const emailFrom = r.firstStart(shape.at, EMAIL_TOKEN);
  if (emailFrom >= 0) {
    for (const m of matches(EMAIL, r.text, emailFrom)) {
      const [, domainPart = ''] = m[0].split('@');
      const domain = normaliseHostname(domainPart);
      if (domain === null) continue;
      r.add('email', m[0].toLowerCase(), m.index);
      r.add('domain', domain, m.index);
      r.claim(m.index, m.index + m[0].length);
    }
  }

  if (shape.alnumRun >= 42) {
    for (const m of matches(ETH, r.masked())) {
      r.add('eth-address', m[0].toLowerCase(), m.index);
      r.claim(m.index, m.index + m[0].length);
    }
  }
  if (shape.hexRun >= 32) {
    for (const m of matches(HEX, r.masked())) {
      const hex = m[0].toLowerCase();
      // Long runs of digits only are numbers (card, reference), not hashes.
      if (!/[a-f]/.test(hex) || !/\d/.test(hex)) continue;
      r.add(hex.length === 64 ? 'sha256' : hex.length === 40 ? 'sha1' : 'md5', hex, m.index);
      r.claim(m.index, m.index + m[0].length);
    }
  }
  if (shape.alnumRun >= 14 && BC1.test(refanged)) readBtc(r, BTC_BECH32);
  if (r.anyRunFree(shape.base58Runs)) readBtc(r, BTC_BASE58);
  if (shape.ibanStart) {
    for (const m of matches(IBAN, r.masked())) {
      const iban = ibanIn(m[0]);
      if (iban === null) continue;
      r.add('iban', iban, m.index);
      r.claim(m.index, m.index + m[0].length);
    }
  }

  if (shape.dottedDigits >= 3) {
    for (const m of matches(IPV4, r.masked())) {
      const ip = normaliseIpv4(m[0]);
      if (ip === null) continue;
      r.add('ipv4', ip, m.index);
      r.claim(m.index, m.index + m[0].length);
    }
  }
  r.masked();
  const ipv6From = r.firstStart(shape.colonPairs, IPV6_TOKEN);
  if (ipv6From >= 0) {
    for (const m of matches(IPV6, r.text, ipv6From)) {
      if ((m[0].match(/:/g) ?? []).length < 2 || !/[0-9a-f]/i.test(m[0])) continue;
      const ip = normaliseIpv6(m[0]);
      if (ip === null) continue;
      r.add('ipv6', ip, m.index);
      r.claim(m.index, m.index + m[0].length);
    }
  }

  r.masked();
  const hostFrom = r.firstStart(shape.hostDots, NAME_TOKEN);
  if (hostFrom >= 0) {
    for (const m of matches(HOST, r.text, hostFrom)) {
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
  }

  if (r.anyRunFree(shape.digitRuns8)) extractBankAccounts(r);

  if (shape.anyDigit) {
    for (const m of matches(PHONE, r.masked())) {
      const phone = normalisePhone(m[0]);
      if (phone !== null) r.add('phone', phone, m.index);
    }
  }

  r.found.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  const out: Indicator[] = [];
  for (const { type, value } of r.found) {
    const key = indicatorKey({ type, value });
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ type, value });
  }
  return out;
}

/**
 * A sort code and an 8-digit account number in the same sentence: "sort code 20-00-00, account 12345678". The
 * word "sort" must come just before the code, unless a dashed code sits right by the account; dates
 * (12-03-24) and order or card numbers are not accounts.
 */
function extractBankAccounts(r: Reading): void {
  const text = r.masked();
  const accounts = matches(ACCOUNT, text).filter(
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
