import { createHmac } from 'node:crypto';
import type { Db } from '../db/database.ts';

import {
  CLIENT_LIMITS,
  clientOf,
  LONGEST_WINDOW_MINUTES,
  windowOf,
  type ClientAction,
} from '../domain/limits/client-limits.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';

export type LimitDecision = { allowed: true } | { allowed: false; retryAt: Date };

/**
 * The one per-client limiter: fixed-window counters in the database (attempt_counters), so every app instance
 * sees the same counts. Clients are stored as a keyed hash, never as IP addresses.
 */
export function createClientLimits(
  db: Db,
  clock: () => Date,
  secret: string,
  repos: Repositories = repositories,
) {
  const pseudonym = (address: string) =>
    createHmac('sha256', secret).update(clientOf(address)).digest('base64url').slice(0, 22);

  return {
    /** The key that stands for a client in counters kept elsewhere (staff sign-in): never the address itself. */
    clientKey: pseudonym,

    /** Counts one attempt at `action` by the client at `address`, optionally on one thing (e.g. a reference). */
    async attempt(action: ClientAction, address: string, on?: string): Promise<LimitDecision> {
      const limit = CLIENT_LIMITS[action];
      const window = windowOf(clock(), limit.windowMinutes);
      const key = `limit:${action}:${pseudonym(address)}${on === undefined ? '' : `:${on}`}`;
      const count = await repos.attempts.countAttempt(db, key, window.start.toISOString());
      return count > limit.perClient ? { allowed: false, retryAt: window.end } : { allowed: true };
    },

    /**
     * Adds `by` (one by default) to a counter kept by subject rather than by client address (wrong answers for one
     * reference, a partner's POSTs and objects); returns the count.
     */
    async tally(subject: string, windowMinutes: number, by = 1): Promise<number> {
      const window = windowOf(clock(), windowMinutes);
      return repos.attempts.countAttempt(db, `tally:${subject}`, window.start.toISOString(), by);
    },

    /** A shared counter's current value, without adding to it. */
    async tallied(subject: string, windowMinutes: number): Promise<number> {
      const window = windowOf(clock(), windowMinutes);
      return repos.attempts.readAttempts(db, `tally:${subject}`, window.start.toISOString());
    },

    /** Forgets counters whose window has ended (run hourly); no window is longer than the longest limit's. */
    async purgeFinishedWindows(): Promise<void> {
      const cutoff = new Date(clock().getTime() - LONGEST_WINDOW_MINUTES * 60_000).toISOString();
      await repos.attempts.deleteAttemptsBefore(db, cutoff);
    },
  };
}

export type ClientLimits = ReturnType<typeof createClientLimits>;
