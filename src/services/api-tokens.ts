import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { findActiveTokenByHash, insertApiToken } from '../db/repositories/token-repository.ts';

export const SCOPES = ['reports:write', 'statistics:read', 'staff', 'referrals:update'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiCaller {
  tokenId: number;
  /** Set for a staff member's token: their access applies. */
  userId: number | null;
  name: string;
  scopes: string[];
}

const PREFIX = 'blt_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Bearer tokens for partners: shown once at creation; only their SHA-256 is stored. */
export function createApiTokens(db: Db, clock: () => Date) {
  return {
    async create(
      name: string,
      scopes: Scope[],
      userId: number | null = null,
    ): Promise<{ id: number; token: string }> {
      const token = PREFIX + randomBytes(32).toString('base64url');
      const id = await insertApiToken(db, name, scopes, hashToken(token), clock(), userId);
      return { id, token };
    },
    /** The caller for a presented token, or null when it is unknown or revoked. */
    async verify(token: string): Promise<ApiCaller | null> {
      if (!token.startsWith(PREFIX) || token.length > 200) return null;
      const row = await findActiveTokenByHash(db, hashToken(token));
      return row === undefined
        ? null
        : { tokenId: row.id, userId: row.user_id, name: row.name, scopes: row.scopes.split(' ') };
    },
  };
}
