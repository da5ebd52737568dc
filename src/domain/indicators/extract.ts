/**
 * Indicator extraction from free text: narratives, SMS, analyst notes, email bodies. Pure and synchronous.
 *
 * The text is re-fanged first, then each kind of indicator is found in an order that lets the more specific ones
 * claim their characters (URLs before domains, bank details before phone numbers), so that one string is never
 * read as two things. Parsers made for the job decide validity: tldts (public suffixes), ipaddr.js, ibantools,
 * libphonenumber-js, @scure/base (base58check, bech32).
 */
import { createHash } from 'node:crypto';
import { bech32, bech32m, createBase58check } from '@scure/base';
import { isValidIBAN } from 'ibantools';
import ipaddr from 'ipaddr.js';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { parse as parseHost } from 'tldts';
import { distinctIndicators, type Indicator, type IndicatorType } from './indicator.ts';

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

/** A hostname under a real ICANN public suffix, or null. */
export function normaliseHostname(raw: string): string | null {
  const host = raw.toLowerCase().replace(/\.$/, '');
  if (
    host.length > 253 ||
    !/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/.test(host)
  ) {
    return null;
  }
  const parsed = parseHost(host, { allowPrivateDomains: false });
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

/** Blanks a span so later passes do not read it again; offsets stay the same. */
function mask(text: string, start: number, end: number): string {
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
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
const base58check = createBase58check(sha256);

export function isBtcAddress(value: string): boolean {
  if (/^bc1/i.test(value)) {
    for (const codec of [bech32, bech32m]) {
      try {
        const decoded = codec.decode(value.toLowerCase() as `${string}1${string}`, 90);
        if (decoded.prefix !== 'bc') continue;
        const version = decoded.words[0];
        // Witness v0 uses bech32, v1+ bech32m (BIP 350).
        if (version === 0 && codec === bech32) return true;
        if (version !== undefined && version > 0 && version <= 16 && codec === bech32m) return true;
      } catch {
        // Not this encoding.
      }
    }
    return false;
  }
  try {
    const payload = base58check.decode(value);
    return payload.length === 21 && (payload[0] === 0x00 || payload[0] === 0x05);
  } catch {
    return false;
  }
}

/** E.164 for a phone number as written, or null for short codes, unknown shapes and impossible numbers. */
export function normalisePhone(raw: string): string | null {
  const compact = raw.replace(/[\s.\-()]/g, '');
  if (DATE_SHAPE.test(raw.trim())) return null;
  const phone = parsePhoneNumberFromString(compact.replace(/^00/, '+'), 'GB');
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

/** Every indicator in a text, distinct by type and value, in reading order. */
export function extractIndicators(input: string, options: ExtractOptions = {}): Indicator[] {
  let text = refang(input.normalize('NFKC'));
  const found: Found[] = [];
  const add = (type: IndicatorType, value: string, at: number) => found.push({ type, value, at });
  const addHost = (host: ParsedUrl['host'], at: number) => add(host.type, host.value, at);

  if (options.html === true) {
    for (const m of text.matchAll(HREF)) {
      const target = decodeEntities(m[1] ?? m[2] ?? m[3] ?? '').trim();
      const parsed = /^(?:https?|ftps?):\/\//i.test(target) ? normaliseUrl(target) : null;
      if (parsed !== null) {
        add('url', parsed.url, m.index);
        addHost(parsed.host, m.index);
      }
      text = mask(text, m.index, m.index + m[0].length);
    }
  }

  for (const pattern of [SCHEME_URL, BARE_URL]) {
    for (const m of text.matchAll(pattern)) {
      const written = trimUrl(m[0]);
      const parsed = normaliseUrl(written);
      if (parsed === null) continue;
      add('url', parsed.url, m.index);
      addHost(parsed.host, m.index);
      // Hosts and paths can hold addresses and numbers; they belong to the URL.
      text = mask(text, m.index, m.index + written.length);
    }
  }

  for (const m of text.matchAll(EMAIL)) {
    const [, domainPart = ''] = m[0].split('@');
    const domain = normaliseHostname(domainPart);
    if (domain === null) continue;
    add('email', m[0].toLowerCase(), m.index);
    add('domain', domain, m.index);
    text = mask(text, m.index, m.index + m[0].length);
  }

  for (const m of text.matchAll(ETH)) {
    add('eth-address', m[0].toLowerCase(), m.index);
    text = mask(text, m.index, m.index + m[0].length);
  }
  for (const m of text.matchAll(HEX)) {
    const hex = m[0].toLowerCase();
    // Long runs of digits only are numbers (card, reference), not hashes.
    if (!/[a-f]/.test(hex) || !/\d/.test(hex)) continue;
    add(hex.length === 64 ? 'sha256' : hex.length === 40 ? 'sha1' : 'md5', hex, m.index);
    text = mask(text, m.index, m.index + m[0].length);
  }
  for (const pattern of [BTC_BECH32, BTC_BASE58]) {
    for (const m of text.matchAll(pattern)) {
      if (!isBtcAddress(m[0])) continue;
      add('btc-address', /^bc1/i.test(m[0]) ? m[0].toLowerCase() : m[0], m.index);
      text = mask(text, m.index, m.index + m[0].length);
    }
  }
  for (const m of text.matchAll(IBAN)) {
    const iban = ibanIn(m[0]);
    if (iban === null) continue;
    add('iban', iban, m.index);
    text = mask(text, m.index, m.index + m[0].length);
  }

  for (const m of text.matchAll(IPV4)) {
    const ip = normaliseIpv4(m[0]);
    if (ip === null) continue;
    add('ipv4', ip, m.index);
    text = mask(text, m.index, m.index + m[0].length);
  }
  for (const m of text.matchAll(IPV6)) {
    if ((m[0].match(/:/g) ?? []).length < 2 || !/[0-9a-f]/i.test(m[0])) continue;
    const ip = normaliseIpv6(m[0]);
    if (ip === null) continue;
    add('ipv6', ip, m.index);
    text = mask(text, m.index, m.index + m[0].length);
  }

  for (const m of text.matchAll(HOST)) {
    const written = m[0];
    const labels = written.split('.');
    const tld = labels.at(-1) ?? '';
    // "it.Now" is a sentence run together; "invoice.zip" is a file.
    if (/^[A-Z][a-z]+$/.test(tld) && /[a-z]/.test(labels.at(-2) ?? '')) continue;
    if (labels.length === 2 && FILE_LIKE_TLDS.has(tld.toLowerCase())) continue;
    const host = normaliseHostname(written);
    if (host === null) continue;
    add('domain', host, m.index);
    text = mask(text, m.index, m.index + written.length);
  }

  text = extractBankAccounts(text, add);

  for (const m of text.matchAll(PHONE)) {
    const phone = normalisePhone(m[0]);
    if (phone !== null) add('phone', phone, m.index);
  }

  found.sort((a, b) => a.at - b.at);
  return distinctIndicators(found).map(({ type, value }) => ({ type, value }));
}

/**
 * A sort code and an 8-digit account number in the same sentence: "sort code 20-00-00, account 12345678". The
 * word "sort" must come just before the code, unless a dashed code sits right by the account; dates
 * (12-03-24) and order or card numbers are not accounts.
 */
function extractBankAccounts(
  text: string,
  add: (type: IndicatorType, value: string, at: number) => void,
): string {
  let out = text;
  const accounts = [...text.matchAll(ACCOUNT)].filter(
    (a) => !NOT_ACCOUNT_BEFORE.test(text.slice(Math.max(0, a.index - 16), a.index)),
  );
  if (accounts.length === 0) return out;
  for (const m of text.matchAll(SORT_CODE)) {
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
    add('uk-bank-account', `${sortCode}-${nearest.a[0]}`, Math.min(m.index, nearest.a.index));
    out = mask(out, m.index, sortEnd);
    out = mask(out, nearest.a.index, nearest.a.index + 8);
  }
  return out;
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
