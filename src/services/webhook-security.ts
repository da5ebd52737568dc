/**
 * What keeps partner webhooks from being a way in: the signing secret sealed at rest (DATA_KEY, the partner's id
 * bound in), targets that are or resolve to internal addresses refused when registered and again on every
 * delivery (the connection is made only to an address checked in the same lookup, so a DNS answer that changes
 * in between cannot slip through), and the URL shown to staff only as scheme and host.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { lookup as dnsLookupAll } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import type { DataCipher } from './data-cipher.ts';
import { ServiceError } from './service-error.ts';

/** The URL as staff see it: scheme and host, never the path or query (a token often lives there). */
export function webhookTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/…`;
  } catch {
    return '…';
  }
}

/**
 * Only ordinary public unicast addresses may be called. Everything else is refused: loopback, private, link-local
 * (cloud metadata at 169.254.169.254), unique-local (fd00:ec2::254), CGNAT (100.100.100.200), multicast,
 * broadcast, unspecified, reserved and documentation ranges, and IPv6 forms that embed an IPv4 address (NAT64,
 * 6to4, Teredo). An IPv4-mapped IPv6 address is judged as the IPv4 address it is.
 */
export function isInternalAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return true;
  let parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() !== 'unicast';
}

/** Names that are loopback by definition (RFC 6761), refused without asking DNS. */
const isLoopbackName = (host: string) => host === 'localhost' || host.endsWith('.localhost');

/** A delivery refused because of where it would go; the message names no URL. */
export class WebhookTargetError extends Error {
  override name = 'WebhookTargetError';
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

export function createWebhookSecurity(cipher: DataCipher, options: { allowInternal: boolean }) {
  const context = (partnerId: number) => `partner-webhook:${String(partnerId)}`;
  const internalHost = (hostname: string) => {
    const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (isLoopbackName(host)) return true;
    return ipaddr.isValid(host) ? isInternalAddress(host) : null;
  };

  return {
    /** For tests and development only (WEBHOOK_ALLOW_INTERNAL_TARGETS); production refuses to start with it. */
    allowInternal: options.allowInternal,

    seal: (partnerId: number, secret: string) => cipher.seal(secret, context(partnerId)),
    isSealed: (stored: string) => cipher.isSealed(stored),
    /** The signing secret; throws DataCipherError when DATA_KEY cannot open it. */
    open: (partnerId: number, stored: string) => cipher.open(stored, context(partnerId)),

    /**
     * At registration: refuses a URL whose host is, or now resolves to, an internal address (naming `url`). A
     * name that does not resolve yet is accepted: every delivery checks again.
     */
    async checkTarget(url: URL): Promise<void> {
      if (options.allowInternal) return;
      const refuse = () =>
        new ServiceError(
          'invalid',
          'partner-url-internal',
          '--url must not point at an internal address (loopback, private, link-local or metadata)',
          { field: 'url' },
        );
      const literal = internalHost(url.hostname);
      if (literal === true) throw refuse();
      if (literal === false) return;
      const addresses = await dnsLookupAll(url.hostname, { all: true }).catch(() => []);
      if (addresses.some((a) => isInternalAddress(a.address))) throw refuse();
    },

    /**
     * At delivery: the host must not be an internal address literal (those never reach a lookup). Throws
     * WebhookTargetError.
     */
    checkLiteral(url: URL): void {
      if (options.allowInternal) return;
      if (internalHost(url.hostname) === true)
        throw new WebhookTargetError('webhook target is an internal address, not sent');
    },

    /**
     * The DNS lookup deliveries connect through: every address the name resolves to must be public, and the
     * connection goes only to those addresses (no second lookup an attacker's DNS could answer differently).
     */
    lookup: (hostname: string, lookupOptions: LookupAllOptions | object, callback: LookupCallback): void => {
      const all = (lookupOptions as { all?: boolean }).all === true;
      dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
        if (error !== null) {
          callback(error, all ? [] : '', 0);
          return;
        }
        const list = addresses;
        if (!options.allowInternal && (list.length === 0 || list.some((a) => isInternalAddress(a.address)))) {
          callback(new WebhookTargetError('webhook target resolves to an internal address, not sent'), '', 0);
          return;
        }
        const first = list[0];
        if (all) callback(null, list);
        else callback(null, first?.address ?? '', first?.family ?? 4);
      });
    },
  };
}

export type WebhookSecurity = ReturnType<typeof createWebhookSecurity>;
