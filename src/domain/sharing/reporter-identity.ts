/**
 * Who made a report, as far as sharing needs to know. Reports that share a partner token, a contact email, a
 * contact phone or a client network are taken to be one reporter, so one person (or one partner) repeating a value
 * never counts as corroboration and never raises confidence.
 */
import ipaddr from 'ipaddr.js';

export interface ReporterFacts {
  /** The partner API token the report came with, or null for the public journey. */
  partnerTokenId: number | null;
  email: string | null;
  phone: string | null;
  /** Keyed hash of the network a web report came from (see clientNetwork), or null. */
  client: string | null;
}

/**
 * The network a client address stands for: an IPv4 address, or the /48 of an IPv6 one. UK ISPs give a home a /56
 * (some a /48), so its devices span many /64s; a /48 is never split between households.
 */
export function clientNetwork(address: string): string {
  if (!ipaddr.isValid(address)) return `other:${address}`;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (parsed.kind() === 'ipv4') return `ipv4:${parsed.toString()}`;
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 3).map((p) => p.toString(16));
  return `ipv6:${parts.join(':')}::/48`;
}

export function reporterKeys(reporter: ReporterFacts): string[] {
  const keys: string[] = [];
  if (reporter.partnerTokenId !== null) keys.push(`token:${reporter.partnerTokenId}`);
  const email = reporter.email?.trim().toLowerCase() ?? '';
  if (email !== '') keys.push(`email:${email}`);
  const phone = reporter.phone?.replace(/\s/g, '') ?? '';
  if (phone !== '') keys.push(`phone:${phone}`);
  if (reporter.client !== null && reporter.client !== '') keys.push(`client:${reporter.client}`);
  // Nothing to tell them apart by: every such report is counted as the same unknown reporter.
  return keys.length === 0 ? ['unknown'] : keys;
}

/** How many different reporters made these reports: groups joined by any shared key count once. */
export function independentReporters(reporters: readonly ReporterFacts[]): number {
  const parent = reporters.map((_, i) => i);
  const root = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] ?? r;
    parent[i] = r;
    return r;
  };
  const owner = new Map<string, number>();
  reporters.forEach((reporter, i) => {
    for (const key of reporterKeys(reporter)) {
      const other = owner.get(key);
      if (other === undefined) owner.set(key, i);
      else parent[root(i)] = root(other);
    }
  });
  return new Set(reporters.map((_, i) => root(i))).size;
}

/** Statuses that mean a unit has looked at a report and kept it as a crime. */
export const ASSESSED_STATUSES: ReadonlySet<string> = new Set([
  'assessed',
  'allocated',
  'investigating',
  'transferred',
  'closed',
]);

/**
 * A report that alone may not put a value in front of partners: intelligence only (a suspicious message or
 * website, category phishing-attempt), anonymous (no contact details and no partner token), or from the public
 * journey and not yet assessed by a unit — a typed email or phone is not verified, so anyone could make one up to
 * get a rival's website blocked. Partner-token reports are vouched for by the partner.
 */
export function needsCorroboration(report: { category: string; status: string } & ReporterFacts): boolean {
  if (report.category === 'phishing-attempt' || report.status === 'intelligence') return true;
  if (report.partnerTokenId !== null) return false;
  const anonymous = (report.email ?? '') === '' && (report.phone ?? '') === '';
  return anonymous || !ASSESSED_STATUSES.has(report.status);
}
