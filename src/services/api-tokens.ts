import { ServiceError } from './service-error.ts';
import { createHash, randomBytes } from 'node:crypto';
import type { Db, Trx } from '../db/database.ts';
import type { Role, StaffMember } from '../domain/access/access-policy.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { ActiveTokenRow } from '../db/repositories/token-repository.ts';
import { groupCommit } from '../db/group-commit.ts';

export const SCOPES = ['reports:write', 'statistics:read', 'staff', 'referrals:update'] as const;
export type Scope = (typeof SCOPES)[number];
/**
 * A partner portal user's personal token (partner-user-tokens.ts): acts as that person of their organisation on the
 * partner group API. Not in SCOPES: neither an admin nor the CLI makes one, only its holder in the portal.
 */
export const PARTNER_USER_SCOPE = 'partner-user';
export type TokenScope = Scope | typeof PARTNER_USER_SCOPE;

/** How long a token lives unless told otherwise, and the longest allowed. */
export const TOKEN_LIFETIME = { defaultDays: 90, maxDays: 366 } as const;
/** Last use is written at most this often, so busy tokens do not write on every request. */
const LAST_USED_EVERY_MS = 60 * 60 * 1000;

export interface ApiCaller {
  tokenId: number;
  /** Set for a staff member's token: their access applies. */
  userId: number | null;
  /** The staff member the token acts as (not disabled when it was checked); null for a service or partner user. */
  staff: StaffMember | null;
  name: string;
  scopes: string[];
}

export interface ApiTokenSummary {
  id: number;
  name: string;
  scopes: string[];
  user: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
}

const PREFIX = 'blt_';
const DAY_MS = 86_400_000;

const statusOf = (row: { revoked_at: string | null; expires_at: string | null }, now: string) =>
  row.revoked_at !== null
    ? ('revoked' as const)
    : row.expires_at === null || row.expires_at <= now
      ? ('expired' as const)
      : ('active' as const);

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Bearer tokens for partners and staff: shown once at creation; only their SHA-256 is stored. */
export function createApiTokens(db: Db, clock: () => Date, repos: Repositories = repositories) {
  // Tokens presented by concurrent requests are checked together, in one query begun after each arrived: never a
  // cached answer, so a revoked token is refused from the moment its revocation commits.
  const checkToken = groupCommit<string, ActiveTokenRow | undefined>(
    async (hashes) => {
      const rows = await repos.tokens.findActiveTokensByHash(db, hashes, clock());
      return hashes.map((hash) => rows.find((row) => row.token_hash === hash));
    },
    (hash) => repos.tokens.findActiveTokenByHash(db, hash, clock()),
    { inFlight: 2, maxBatch: 64 },
  );
  return {
    /** `expiresAt` defaults to 90 days from now; it must be in the future and at most 366 days away. */
    async create(
      name: string,
      scopes: TokenScope[],
      userId: number | null = null,
      options: {
        expiresAt?: Date;
        actor?: string;
        /** Said after the token in the audit row (whose token it is). */
        about?: string;
        /** A rule checked inside the creating transaction (a limit on live tokens), throwing a ServiceError. */
        check?: (trx: Trx) => Promise<void>;
      } = {},
    ): Promise<{ id: number; token: string; expiresAt: Date }> {
      const now = clock();
      const expiresAt = options.expiresAt ?? new Date(now.getTime() + TOKEN_LIFETIME.defaultDays * DAY_MS);
      if (!(expiresAt.getTime() > now.getTime()))
        throw new ServiceError('invalid', 'token-expiry-past', 'the expiry must be in the future', {
          field: 'expires',
        });
      if (expiresAt.getTime() > now.getTime() + TOKEN_LIFETIME.maxDays * DAY_MS)
        throw new ServiceError(
          'invalid',
          'token-expiry-far',
          `the expiry must be at most ${TOKEN_LIFETIME.maxDays} days away`,
          {
            field: 'expires',
            params: { max: TOKEN_LIFETIME.maxDays },
          },
        );
      const token = PREFIX + randomBytes(32).toString('base64url');
      const id = await db.transaction().execute(async (trx) => {
        await options.check?.(trx);
        const tokenId = await repos.tokens.insertApiToken(
          trx,
          { name, scopes, tokenHash: hashToken(token), userId },
          now,
          expiresAt,
        );
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: options.actor ?? 'system',
          action: 'token-created',
          detail: `token ${tokenId} "${name}" (${scopes.join(' ')}) expires ${expiresAt.toISOString()}${options.about === undefined ? '' : `, ${options.about}`}`,
        });
        return tokenId;
      });
      return { id, token, expiresAt };
    },

    /** The caller for a presented token, or null when it is unknown, revoked, expired or its user disabled. */
    async verify(token: string): Promise<ApiCaller | null> {
      if (!token.startsWith(PREFIX) || token.length > 200) return null;
      const now = clock();
      const row = await checkToken(hashToken(token));
      if (row === undefined) return null;
      if (row.last_used_at === null || Date.parse(row.last_used_at) + LAST_USED_EVERY_MS <= now.getTime())
        await repos.tokens.touchApiToken(db, row.id, now);
      // A partner portal user's token is never a member of staff's.
      const staff: StaffMember | null =
        row.user_id === null || row.user_email === null || row.user_partner_id !== null
          ? null
          : {
              email: row.user_email,
              role: row.user_role as Role,
              forceId: row.user_force_id,
              unitId: row.user_unit_id,
            };
      return {
        tokenId: row.id,
        userId: row.user_id,
        staff,
        name: row.name,
        scopes: row.scopes.split(' '),
      };
    },

    /** Every token, live or not, without secrets (only hashes are stored anyway). */
    async list(): Promise<ApiTokenSummary[]> {
      const now = clock().toISOString();
      return (await repos.tokens.listApiTokens(db)).map((row) => ({
        id: row.id,
        name: row.name,
        scopes: row.scopes.split(' '),
        user: row.user_email,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        lastUsedAt: row.last_used_at,
        revokedAt: row.revoked_at,
        status: statusOf(row, now),
      }));
    },

    /** One user's own tokens, newest first, without secrets. */
    async listOfUser(userId: number): Promise<Omit<ApiTokenSummary, 'user'>[]> {
      const now = clock().toISOString();
      return (await repos.tokens.listApiTokensOfUser(db, userId)).map((row) => ({
        id: row.id,
        name: row.name,
        scopes: row.scopes.split(' '),
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        lastUsedAt: row.last_used_at,
        revokedAt: row.revoked_at,
        status: statusOf(row, now),
      }));
    },

    /**
     * Revokes a token at once; 'already' when it was revoked before. Audited in the same transaction. With `owner`,
     * only that user's own token: anyone else's is "not found", as one that does not exist.
     */
    async revoke(id: number, actor: string, owner?: number): Promise<'revoked' | 'already'> {
      return db.transaction().execute(async (trx) => {
        const row = await repos.tokens.findApiToken(trx, id);
        if (row === undefined || (owner !== undefined && row.user_id !== owner))
          throw new ServiceError(
            'not-found',
            'token-not-found',
            `there is no token ${id}; see bluelight token list`,
          );
        const now = clock();
        if (!(await repos.tokens.revokeApiToken(trx, id, now))) return 'already';
        await repos.audit.writeAudit(trx, {
          at: now,
          actor,
          action: 'token-revoked',
          detail: `token ${id} "${row.name}"`,
        });
        return 'revoked';
      });
    },
  };
}

export type ApiTokens = ReturnType<typeof createApiTokens>;
