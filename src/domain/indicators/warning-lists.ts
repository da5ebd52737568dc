/**
 * Warning lists: values so common that two reports sharing them say nothing about a shared offender (gmail.com,
 * bit.ly, 8.8.8.8, a bank's real website, the service's own phone numbers). A listed indicator is still stored and
 * shown, but never links reports into a campaign and is never shared with industry.
 */
import ipaddr from 'ipaddr.js';
import { parse as parseHost } from 'tldts';
import type { Indicator } from './indicator.ts';

export type WarningListKind = 'hostname' | 'cidr' | 'exact';

/** Each shipped list and how its values match. The file is reference/warning-lists/<name>.txt. */
export const WARNING_LIST_KINDS = {
  'free-mail': 'hostname',
  'popular-sites': 'hostname',
  'url-shorteners': 'hostname',
  banks: 'hostname',
  government: 'hostname',
  service: 'hostname',
  'reserved-ip-ranges': 'cidr',
  hashes: 'exact',
} as const satisfies Record<string, WarningListKind>;

export type WarningListName = keyof typeof WARNING_LIST_KINDS | 'service-contacts';

export interface WarningListFile {
  name: keyof typeof WARNING_LIST_KINDS;
  values: string[];
}

/** Reads a list file: one value per line, # comments. */
export function parseWarningListText(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

type HostEntry = { list: WarningListName; suffix: 'icann' | 'private' | null };

function privateRegistrable(host: string): string {
  return parseHost(host, { allowPrivateDomains: true }).domain ?? host;
}

/** Problems with one list's values (empty when valid). */
export function checkWarningList(file: WarningListFile): string[] {
  const kind = WARNING_LIST_KINDS[file.name];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const value of file.values) {
    if (seen.has(value)) problems.push(`warning-lists/${file.name}.txt: duplicate ${value}`);
    seen.add(value);
    const ok =
      kind === 'cidr'
        ? isCidr(value)
        : kind === 'exact'
          ? /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/.test(value)
          : parseHost(value, { allowPrivateDomains: true }).publicSuffix !== null &&
            /^[a-z0-9.-]+$/.test(value) &&
            !value.startsWith('.');
    if (!ok) problems.push(`warning-lists/${file.name}.txt: not a valid ${kind} value: ${value}`);
  }
  return problems;
}

function isCidr(value: string): boolean {
  try {
    ipaddr.parseCIDR(value);
    return true;
  } catch {
    return false;
  }
}

export class WarningLists {
  private readonly hosts = new Map<string, HostEntry>();
  private readonly ranges: { list: WarningListName; range: [ipaddr.IPv4 | ipaddr.IPv6, number] }[] = [];
  private readonly exact = new Map<string, WarningListName>();

  /** `contacts` are the service's own phone numbers, emails and websites, as indicators. */
  constructor(files: readonly WarningListFile[], contacts: readonly Indicator[] = []) {
    for (const file of files) {
      for (const value of file.values) {
        const kind = WARNING_LIST_KINDS[file.name];
        if (kind === 'cidr') this.ranges.push({ list: file.name, range: ipaddr.parseCIDR(value) });
        else if (kind === 'exact') this.exact.set(value, file.name);
        else if (!this.hosts.has(value))
          this.hosts.set(value, { list: file.name, suffix: suffixKind(value) });
      }
    }
    for (const contact of contacts) {
      if (contact.type === 'domain') {
        this.hosts.set(contact.value, { list: 'service-contacts', suffix: suffixKind(contact.value) });
      } else {
        this.exact.set(`${contact.type}:${contact.value}`, 'service-contacts');
      }
    }
  }

  get size(): number {
    return this.hosts.size + this.ranges.length + this.exact.size;
  }

  /** The hostname list that covers a host: the host itself or a parent, never across a private suffix. */
  hostList(host: string, except: readonly WarningListName[] = []): WarningListName | null {
    const registrable = privateRegistrable(host);
    let candidate = host;
    for (;;) {
      const entry = this.hosts.get(candidate);
      if (entry !== undefined && !except.includes(entry.list)) {
        const covers =
          candidate === host ||
          entry.suffix === 'icann' ||
          (entry.suffix === null && (registrable === candidate || registrable.endsWith(`.${candidate}`)));
        if (covers) return entry.list;
      }
      const dot = candidate.indexOf('.');
      if (dot < 0) return null;
      candidate = candidate.slice(dot + 1);
    }
  }

  ipList(ip: string): WarningListName | null {
    let address: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      address = ipaddr.parse(ip);
    } catch {
      return null;
    }
    for (const { list, range } of this.ranges) {
      if (address.kind() === range[0].kind() && address.match(range)) return list;
    }
    return null;
  }

  /** The list an indicator is on, or null when it may link reports. */
  match(indicator: Indicator): WarningListName | null {
    const exact = this.exact.get(`${indicator.type}:${indicator.value}`) ?? this.exact.get(indicator.value);
    if (exact !== undefined) return exact;
    switch (indicator.type) {
      case 'domain':
        return this.hostList(indicator.value);
      case 'ipv4':
      case 'ipv6':
        return this.ipList(indicator.value);
      case 'email': {
        // A free-mail address is someone's own mailbox; an address at a bank or gov.uk is usually spoofed.
        const domain = indicator.value.slice(indicator.value.lastIndexOf('@') + 1);
        return this.hostList(domain, ['free-mail']);
      }
      case 'url':
        return this.urlList(indicator.value);
      default:
        return null;
    }
  }

  private urlList(url: string): WarningListName | null {
    const match = /^[a-z]+:\/\/(?:[^/@]*@)?(\[[^\]]+\]|[^/:?#]+)(?::\d+)?(.*)$/.exec(url);
    if (match === null) return null;
    const host = match[1] ?? '';
    if (host.startsWith('[')) return this.ipList(host.slice(1, -1));
    if (ipaddr.IPv4.isValidFourPartDecimal(host)) return this.ipList(host);
    // A shortened link with a path is one specific link; the shortener's home page is not.
    const trivialPath = /^\/?$/.test(match[2] ?? '');
    return this.hostList(host, trivialPath ? [] : ['url-shorteners']);
  }
}

function suffixKind(host: string): HostEntry['suffix'] {
  const parsed = parseHost(host, { allowPrivateDomains: true });
  if (parsed.publicSuffix !== host) return null;
  return parsed.isIcann === true ? 'icann' : 'private';
}
