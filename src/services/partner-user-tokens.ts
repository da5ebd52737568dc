/**
 * Partner portal users' personal API tokens: a user makes, lists and revokes their own in the portal, and uses one to
 * answer their groups' requests over the partner group API as themselves (audited under their email). The token is
 * an API token (api-tokens.ts: shown once, only its SHA-256 stored, expiring, audited) bound to the user's row with
 * the `partner-user` scope, so it acts for their organisation only, and stops when they are disabled or reset, their
 * partner is revoked, or it is revoked or expires. Machines keep the organisation's TAXII credentials.
 */
import type { Db } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { PartnerUser } from '../domain/access/access-policy.ts';
import { oneLineName } from '../domain/access/access-reason.ts';
import { PARTNER_USER_SCOPE, TOKEN_LIFETIME, type ApiTokens } from './api-tokens.ts';
import type { Partner } from './partners.ts';
import type { PartnerUsers } from './partner-users.ts';
import { ServiceError } from './service-error.ts';

/** Live tokens a partner user may hold at once. */
export const MAX_PARTNER_USER_TOKENS = 5;
export const PARTNER_TOKEN_NAME_MAX = 120;
const DAY_MS = 86_400_000;

export function createPartnerUserTokens(
  db: Db,
  clock: () => Date,
  tokens: ApiTokens,
  partnerUsers: PartnerUsers,
  repos: Repositories = repositories,
) {
  return {
    /** A new token of the user's own, for `days` days (the token is to be shown once). */
    async create(
      user: PartnerUser,
      input: { name: string; days: number },
    ): Promise<{ id: number; token: string; expiresAt: Date }> {
      // One line: the name is quoted in the audit detail.
      const name = oneLineName(input.name);
      if (name === '' || name.length > PARTNER_TOKEN_NAME_MAX)
        throw new ServiceError(
          'invalid',
          'token-name',
          `name must be 1 to ${String(PARTNER_TOKEN_NAME_MAX)} characters`,
          {
            field: 'name',
            params: { max: PARTNER_TOKEN_NAME_MAX },
          },
        );
      if (!Number.isInteger(input.days) || input.days < 1 || input.days > TOKEN_LIFETIME.maxDays)
        throw new ServiceError(
          'invalid',
          'token-expiry-far',
          `the expiry must be 1 to ${String(TOKEN_LIFETIME.maxDays)} days away`,
          { field: 'expires', params: { max: TOKEN_LIFETIME.maxDays } },
        );
      const now = clock();
      return tokens.create(name, [PARTNER_USER_SCOPE], user.id, {
        expiresAt: new Date(now.getTime() + input.days * DAY_MS),
        actor: user.email,
        about: `of ${user.email}, partner ${String(user.partnerId)}`,
        // Counted in the creating transaction, so two at once cannot pass the limit together.
        check: async (trx) => {
          if ((await repos.tokens.countLiveTokensOfUser(trx, user.id, now)) >= MAX_PARTNER_USER_TOKENS)
            throw new ServiceError(
              'conflict',
              'token-limit',
              `at most ${String(MAX_PARTNER_USER_TOKENS)} live tokens: revoke one first`,
              { field: 'name', params: { max: MAX_PARTNER_USER_TOKENS } },
            );
        },
      });
    },

    /** The user's own tokens, live or not (never a token: only hashes are stored). */
    list: (user: PartnerUser) => tokens.listOfUser(user.id),

    /** Revokes one of the user's own tokens; anyone else's is "not found". */
    revoke: (user: PartnerUser, id: number) => tokens.revoke(id, user.email, user.id),

    /**
     * The person and organisation behind a presented personal token, or null: unknown, revoked or expired, not a
     * partner user's, the user disabled or their partner revoked (read on every call).
     */
    async authenticate(token: string): Promise<{ user: PartnerUser; partner: Partner } | null> {
      const caller = await tokens.verify(token);
      if (caller?.userId == null || !caller.scopes.includes(PARTNER_USER_SCOPE)) return null;
      const found = await partnerUsers.sessionUser(caller.userId);
      return found === null ? null : { user: found.user, partner: found.partner };
    },
  };
}

export type PartnerUserTokens = ReturnType<typeof createPartnerUserTokens>;
