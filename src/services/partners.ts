import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ServiceError } from './service-error.ts';
import type { Db, DbOrTrx } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { isSharingTlp, SHARING_TLPS, type SharingTlp } from '../domain/sharing/tlp.ts';
import { hashToken } from './api-tokens.ts';
import { SECTORS } from '../domain/sharing/sectors.ts';
import { webhookTarget, type WebhookSecurity } from './webhook-security.ts';

/** Partners are given sectors; `all-sectors` opens the collections that carry everything. */
export const PARTNER_SECTORS = [...SECTORS, 'all-sectors'] as const;
export type PartnerSector = (typeof PARTNER_SECTORS)[number];

export interface Partner {
  id: number;
  name: string;
  sectors: PartnerSector[];
  tlp: SharingTlp;
  /** May write to the partner-submissions collection (contribute indicators). */
  canSubmit: boolean;
  /** A specialist supplier on the framework (issue 22, MSP): sees its taskings in the portal. */
  supplier: boolean;
}

const TOKEN_PREFIX = 'blx_';

const submitText = (canSubmit: boolean) => (canSubmit ? ', may submit indicators' : '');

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function toPartner(row: {
  id: number;
  name: string;
  sectors: string;
  tlp: string;
  can_submit: number;
  supplier?: number;
}): Partner {
  return {
    id: row.id,
    name: row.name,
    sectors: row.sectors
      .split(',')
      .filter((s): s is PartnerSector => (PARTNER_SECTORS as readonly string[]).includes(s)),
    tlp: isSharingTlp(row.tlp) ? row.tlp : 'clear',
    canSubmit: row.can_submit === 1,
    supplier: row.supplier === 1,
  };
}

function checkSectors(sectors: string[]): string[] {
  const unknown = sectors.filter((s) => !(PARTNER_SECTORS as readonly string[]).includes(s));
  if (sectors.length === 0 || unknown.length > 0)
    throw new ServiceError(
      'invalid',
      'partner-sectors',
      `--sectors must be one or more of: ${PARTNER_SECTORS.join(', ')}`,
      { field: 'sectors' },
    );
  return [...new Set(sectors)];
}

function checkTlp(tlp: string): SharingTlp {
  if (!isSharingTlp(tlp))
    throw new ServiceError('invalid', 'partner-tlp', `--tlp must be one of: ${SHARING_TLPS.join(', ')}`, {
      field: 'tlp',
    });
  return tlp;
}

/** A new Basic password and bearer token: random 256-bit secrets, shown once, stored as SHA-256 only. */
function newCredentials() {
  const password = randomBytes(32).toString('base64url');
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { password, token, password_hash: hashToken(password), token_hash: hashToken(token) };
}

/**
 * Vetted industry partners of the TAXII feed. Credentials are random 256-bit secrets shown once; only their
 * SHA-256 is stored (they cannot be guessed, so a slow password hash would only slow every request).
 */
export function createPartners(
  db: Db,
  clock: () => Date,
  options: { httpsOnly: boolean; webhooks: WebhookSecurity },
  repos: Repositories = repositories,
) {
  /** A partner that is not revoked, or not-found. */
  const live = async (trx: DbOrTrx, id: number) => {
    const row = await repos.partners.findPartner(trx, id);
    if (row === undefined || row.revoked_at !== null)
      throw new ServiceError('not-found', 'partner-not-found', `no partner with id ${id}`);
    return row;
  };
  return {
    /** Production pushes only over TLS: a webhook carries intelligence and its signature. */
    httpsOnly: options.httpsOnly,
    /** Sealing the webhook secret and checking where webhooks may go (webhook-security.ts). */
    webhooks: options.webhooks,

    /** Audited in the same transaction; `actor` is the admin or the CLI's operating-system account. */
    async add(
      input: { name: string; sectors: string[]; tlp: string; canSubmit?: boolean },
      actor = 'system',
    ) {
      const name = input.name.trim();
      if (name === '' || name.length > 200)
        throw new ServiceError('invalid', 'partner-name', '--name must be 1 to 200 characters', {
          field: 'name',
        });
      const sectors = checkSectors(input.sectors);
      const tlp = checkTlp(input.tlp);
      const username = `partner-${randomBytes(6).toString('hex')}`;
      const { password, token, password_hash, token_hash } = newCredentials();
      const now = clock();
      const id = await db.transaction().execute(async (trx) => {
        const id = await repos.partners.insertPartner(trx, {
          name,
          sectors: sectors.join(','),
          tlp,
          username,
          password_hash,
          token_hash,
          webhook_url: null,
          webhook_secret: null,
          created_at: now.toISOString(),
          revoked_at: null,
          can_submit: input.canSubmit === true ? 1 : 0,
        });
        await repos.audit.writeAudit(trx, {
          at: now,
          actor,
          action: 'partner-added',
          detail: `partner ${id} "${name}": ${sectors.join(',')} up to TLP:${tlp}${submitText(input.canSubmit === true)}`,
        });
        return id;
      });
      return { id, name, username, password, token };
    },

    /** Every partner, without credentials (only their hashes are stored anyway). */
    async list() {
      const rows = await repos.partners.listPartners(db);
      return rows.map((row) => ({
        ...toPartner(row),
        username: row.username,
        // Scheme and host only: the path or query often carries the partner's token.
        webhookTarget: row.webhook_url === null ? null : webhookTarget(row.webhook_url),
        createdAt: row.created_at,
        revokedAt: row.revoked_at,
      }));
    },

    /**
     * New sectors, highest TLP and whether it may submit indicators; they apply to the partner's next request.
     * Leaving `canSubmit` out keeps the permission as it is.
     */
    async update(
      id: number,
      input: { sectors: string[]; tlp: string; canSubmit?: boolean },
      actor: string,
    ): Promise<void> {
      const sectors = checkSectors(input.sectors);
      const tlp = checkTlp(input.tlp);
      await db.transaction().execute(async (trx) => {
        const before = await live(trx, id);
        const now = clock();
        const canSubmit = input.canSubmit ?? before.can_submit === 1;
        await repos.partners.updatePartner(trx, id, {
          sectors: sectors.join(','),
          tlp,
          can_submit: canSubmit ? 1 : 0,
        });
        await repos.audit.writeAudit(trx, {
          at: now,
          actor,
          action: 'partner-changed',
          detail: `partner ${id} "${before.name}": ${before.sectors} up to TLP:${before.tlp}${submitText(before.can_submit === 1)} → ${sectors.join(',')} up to TLP:${tlp}${submitText(canSubmit)}`,
        });
      });
    },

    /**
     * A new Basic password and bearer token, shown once; the old ones stop working at once (their hashes are
     * replaced in the same statement). The username stays.
     */
    async rotateCredentials(id: number, actor: string) {
      const { password, token, password_hash, token_hash } = newCredentials();
      return db.transaction().execute(async (trx) => {
        const partner = await live(trx, id);
        await repos.partners.updatePartner(trx, id, { password_hash, token_hash });
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor,
          action: 'partner-credentials-rotated',
          detail: `partner ${id} "${partner.name}"`,
        });
        return { id, name: partner.name, username: partner.username, password, token };
      });
    },

    /** The partner for an Authorization header (Basic or Bearer), or null. */
    async authenticate(header: string | undefined): Promise<Partner | null> {
      if (header === undefined || header.length > 1000) return null;
      const [scheme = '', credentials = ''] = header.trim().split(/\s+/, 2);
      if (scheme.toLowerCase() === 'bearer') {
        if (!credentials.startsWith(TOKEN_PREFIX)) return null;
        const row = await repos.partners.findLivePartnerByTokenHash(db, hashToken(credentials));
        return row === undefined ? null : toPartner(row);
      }
      if (scheme.toLowerCase() !== 'basic') return null;
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return null;
      const row = await repos.partners.findLivePartnerByUsername(db, decoded.slice(0, colon));
      if (row === undefined || !sameHash(row.password_hash, hashToken(decoded.slice(colon + 1)))) return null;
      return toPartner(row);
    },

    async byId(id: number): Promise<Partner | null> {
      const row = await repos.partners.findPartner(db, id);
      return row === undefined ? null : toPartner(row);
    },

    /** Registers (or clears) the partner's webhook; returns the signing secret (shown once). Audited. */
    async setWebhook(id: number, url: string | null, actor = 'system'): Promise<string | null> {
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
        await options.webhooks.checkTarget(parsed);
      }
      const secret = url === null ? null : randomBytes(32).toString('base64url');
      await db.transaction().execute(async (trx) => {
        const partner = await live(trx, id);
        // Sealed with DATA_KEY: a copy of the database alone does not let anyone sign as Bluelight.
        await repos.partners.updatePartner(trx, id, {
          webhook_url: url,
          webhook_secret: secret === null ? null : options.webhooks.seal(id, secret),
        });
        // Where it points, without any credentials, path or query the URL may carry; the secret is never logged.
        const where = url === null ? '' : `: ${webhookTarget(url)}`;
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor,
          action: url === null ? 'partner-webhook-removed' : 'partner-webhook-set',
          detail: `partner ${id} "${partner.name}"${where}`,
        });
      });
      return secret;
    },
  };
}

export type Partners = ReturnType<typeof createPartners>;
