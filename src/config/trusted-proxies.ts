import ipaddr from 'ipaddr.js';

/**
 * Which hops in front of the app may say who the client is (X-Forwarded-For). Nothing is trusted unless the
 * operator says so: a spoofed header must never change the address every per-client limit counts.
 */
export type TrustedProxies =
  | { kind: 'none' }
  /** Addresses, CIDR ranges, or proxy-addr's named ranges (loopback, linklocal, uniquelocal). */
  | { kind: 'addresses'; addresses: string[] }
  /** The n hops nearest the app are proxies, whoever they are; safe only if nothing else can reach the app. */
  | { kind: 'hops'; hops: number };

export const MAX_PROXY_HOPS = 10;
const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.includes(entry)) return true;
  if (ipaddr.IPv4.isValidFourPartDecimal(entry) || ipaddr.IPv6.isValid(entry)) return true;
  return ipaddr.IPv4.isValidCIDRFourPartDecimal(entry) || ipaddr.IPv6.isValidCIDR(entry);
}

/** Reads TRUSTED_PROXIES; `invalid` gets the reason, for the caller to raise as a ConfigError. */
export function parseTrustedProxies(
  raw: string | undefined,
): { ok: true; value: TrustedProxies } | { ok: false; reason: string } {
  const value = (raw ?? '').trim();
  if (value === '') return { ok: true, value: { kind: 'none' } };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops < 1 || hops > MAX_PROXY_HOPS)
      return {
        ok: false,
        reason: `"${value}" is not a hop count; use 1 to ${MAX_PROXY_HOPS}, or leave it unset to trust no proxy`,
      };
    return { ok: true, value: { kind: 'hops', hops } };
  }
  const addresses = value.split(',').map((entry) => entry.trim());
  const bad = addresses.find((entry) => !isAddressOrRange(entry));
  if (bad !== undefined)
    return {
      ok: false,
      reason:
        `"${bad}" is not an IP address or CIDR range; use a comma-separated list such as ` +
        `10.0.0.0/8,127.0.0.1, or a hop count from 1 to ${MAX_PROXY_HOPS}`,
    };
  return { ok: true, value: { kind: 'addresses', addresses } };
}
