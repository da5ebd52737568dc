import { randomBytes } from 'node:crypto';
import type { Db, Dialect } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';

export const SESSION_TTL_MS = 4 * 60 * 60 * 1000;
/** The session key holding the signed-in staff member's user id. */
export const STAFF_SESSION_KEY = 'staffUserId';
/** The session key holding the signed-in partner portal user's id (their own cookie and session: never staff's). */
export const PARTNER_SESSION_KEY = 'partnerUserId';

/** Server-side session data, kept in the database so any app instance can serve the next request. */
export function createSessionStore(
  db: Db,
  clock: () => Date,
  dialect: Dialect,
  repos: Repositories = repositories,
) {
  /** What is stored beside the data: its expiry and its owner. */
  const row = (data: Record<string, unknown>): [string, Date, Date, number | null] => {
    const now = clock();
    const userId = data[STAFF_SESSION_KEY] ?? data[PARTNER_SESSION_KEY];
    // The owner is kept beside the data so disabling a user can end all their sessions in one statement.
    return [
      JSON.stringify(data),
      new Date(now.getTime() + SESSION_TTL_MS),
      now,
      typeof userId === 'number' ? userId : null,
    ];
  };
  const parse = (data: string): Record<string, unknown> | null => {
    const parsed = JSON.parse(data) as unknown;
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
  };
  return {
    newId: () => randomBytes(32).toString('base64url'),
    async load(id: string): Promise<Record<string, unknown> | null> {
      const data = await repos.sessions.findSession(db, id, clock());
      return data === null ? null : parse(data);
    },
    /** Stores a new session under `id` (from newId()). */
    async create(id: string, data: Record<string, unknown>): Promise<void> {
      await repos.sessions.insertSession(db, id, ...row(data));
    },
    /**
     * Saves the keys a request changed into an existing session (its expiry slides); false, writing nothing, when it
     * has been ended meanwhile: an ended session is never brought back by a request that loaded it before it ended.
     * Only the changed keys are written, over what is stored now with the row held, so two requests of one browser
     * at once (a double submit: one keeps a secret to show, the other a form problem) both keep what they set.
     */
    update: (id: string, changes: Record<string, unknown>): Promise<boolean> =>
      db.transaction().execute(async (trx) => {
        const stored = await repos.sessions.sessionForUpdate(trx, id, dialect);
        if (stored === null) return false;
        return repos.sessions.updateSession(trx, id, ...row({ ...parse(stored), ...changes }));
      }),
    destroy: (id: string) => repos.sessions.deleteSession(db, id),
    purgeExpired: () => repos.sessions.deleteExpiredSessions(db, clock()),
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
