import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ServiceError } from './service-error.ts';
import type { Db } from '../db/database.ts';
import {
  findLivePartnerByTokenHash,
  findLivePartnerByUsername,
  findPartner,
  insertPartner,
  updatePartner,
} from '../db/repositories/partner-repository.ts';
import { isSharingTlp, SHARING_TLPS, type SharingTlp } from '../domain/sharing/stix.ts';
import { hashToken } from './api-tokens.ts';
import { SECTORS } from '../domain/sharing/sectors.ts';

/** Partners are given sectors; `all-sectors` opens the collections that carry everything. */
export const PARTNER_SECTORS = [...SECTORS, 'all-sectors'] as const;
export type PartnerSector = (typeof PARTNER_SECTORS)[number];

export interface Partner {
  id: number;
  name: string;
  sectors: PartnerSector[];
  tlp: SharingTlp;
}

const TOKEN_PREFIX = 'blx_';

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function toPartner(row: { id: number; name: string; sectors: string; tlp: string }): Partner {
  return {
    id: row.id,
    name: row.name,
    sectors: row.sectors
      .split(',')
      .filter((s): s is PartnerSector => (PARTNER_SECTORS as readonly string[]).includes(s)),
    tlp: isSharingTlp(row.tlp) ? row.tlp : 'clear',
  };
}

/**
 * Vetted industry partners of the TAXII feed. Credentials are random 256-bit secrets shown once; only their
 * SHA-256 is stored (they cannot be guessed, so a slow password hash would only slow every request).
 */
export function createPartners(db: Db, clock: () => Date, options: { httpsOnly: boolean }) {
  return {
    /** Production pushes only over TLS: a webhook carries intelligence and its signature. */
    httpsOnly: options.httpsOnly,

    async add(input: { name: string; sectors: string[]; tlp: string }) {
      const name = input.name.trim();
      if (name === '' || name.length > 200)
        throw new ServiceError('invalid', 'partner-name', '--name must be 1 to 200 characters', {
          field: 'name',
        });
      const unknown = input.sectors.filter((s) => !(PARTNER_SECTORS as readonly string[]).includes(s));
      if (input.sectors.length === 0 || unknown.length > 0)
        throw new ServiceError(
          'invalid',
          'partner-sectors',
          `--sectors must be one or more of: ${PARTNER_SECTORS.join(', ')}`,
          {
            field: 'sectors',
          },
        );
      if (!isSharingTlp(input.tlp))
        throw new ServiceError('invalid', 'partner-tlp', `--tlp must be one of: ${SHARING_TLPS.join(', ')}`, {
          field: 'tlp',
        });
      const username = `partner-${randomBytes(6).toString('hex')}`;
      const password = randomBytes(32).toString('base64url');
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const id = await insertPartner(db, {
        name,
        sectors: [...new Set(input.sectors)].join(','),
        tlp: input.tlp,
        username,
        password_hash: hashToken(password),
        token_hash: hashToken(token),
        webhook_url: null,
        webhook_secret: null,
        created_at: clock().toISOString(),
        revoked_at: null,
      });
      return { id, name, username, password, token };
    },

    /** The partner for an Authorization header (Basic or Bearer), or null. */
    async authenticate(header: string | undefined): Promise<Partner | null> {
      if (header === undefined || header.length > 1000) return null;
      const [scheme = '', credentials = ''] = header.trim().split(/\s+/, 2);
      if (scheme.toLowerCase() === 'bearer') {
        if (!credentials.startsWith(TOKEN_PREFIX)) return null;
        const row = await findLivePartnerByTokenHash(db, hashToken(credentials));
        return row === undefined ? null : toPartner(row);
      }
      if (scheme.toLowerCase() !== 'basic') return null;
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return null;
      const row = await findLivePartnerByUsername(db, decoded.slice(0, colon));
      if (row === undefined || !sameHash(row.password_hash, hashToken(decoded.slice(colon + 1)))) return null;
      return toPartner(row);
    },

    async byId(id: number): Promise<Partner | null> {
      const row = await findPartner(db, id);
      return row === undefined ? null : toPartner(row);
    },

    /** Registers (or clears) the partner's webhook; returns the signing secret. */
    async setWebhook(id: number, url: string | null): Promise<string | null> {
      if (url !== null) {
        let parsed: URL;
        try {
          parsed = new URL(url);
        } catch {
          throw new ServiceError('invalid', 'partner-url', '--url must be an absolute http(s) URL', {
            field: 'url',
          });
        }
        if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
          throw new ServiceError('invalid', 'partner-url', '--url must be an absolute http(s) URL', {
            field: 'url',
          });
        if (options.httpsOnly && parsed.protocol !== 'https:')
          throw new ServiceError(
            'invalid',
            'partner-url-https',
            '--url must be an https:// URL when NODE_ENV=production',
            {
              field: 'url',
            },
          );
      }
      const secret = url === null ? null : randomBytes(32).toString('base64url');
      if (!(await updatePartner(db, id, { webhook_url: url, webhook_secret: secret })))
        throw new ServiceError('not-found', 'partner-not-found', `no partner with id ${id}`);
      return secret;
    },
  };
}

export type Partners = ReturnType<typeof createPartners>;
