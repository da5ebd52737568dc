/**
 * One-time keys for the workspace's upload forms (the adviser's bulk CSV): the page puts a new key in each form;
 * the staff member's first POST with it claims it and, once the upload has run, keeps what it made; a second POST
 * with the same key (a double click, back and submit again) finds it and shows that, recording nothing. Keys are
 * bound to the person and kept as SHA-256 only, for UPLOAD_KEY_DAYS (retention deletes them).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';

/** Longer than any signed-in session, so a form cannot outlive its key. */
export const UPLOAD_KEY_DAYS = 2;
const WELL_FORMED = /^[A-Za-z0-9_-]{32}$/;

/** What a key says about an upload: none yet, one running (or stopped half way), or one done with its result. */
export type UploadKeyState = { kind: 'new' } | { kind: 'running' } | { kind: 'done'; result: unknown };

export function createUploadKeys(db: Db, clock: () => Date, repos: Repositories = repositories) {
  const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');
  const stateOf = (row: { result: string | null } | undefined): UploadKeyState =>
    row === undefined
      ? { kind: 'new' }
      : row.result === null
        ? { kind: 'running' }
        : { kind: 'done', result: JSON.parse(row.result) as unknown };

  return {
    /** A new key for a form (24 random bytes). */
    issue: (): string => randomBytes(24).toString('base64url'),

    /** Whether a posted value is a key this service issues (anything else is an old or forged form). */
    wellFormed: (key: unknown): key is string => typeof key === 'string' && WELL_FORMED.test(key),

    /** The hash a session keeps to find the upload again (not the key, which could be posted). */
    hashOf,

    /** This person's upload under the key's hash. */
    async find(userId: number, keyHash: string): Promise<UploadKeyState> {
      return stateOf(await repos.uploadKeys.findUploadKey(db, keyHash, userId));
    },

    /**
     * Claims the key for this person: `claimed` when this POST is the first, else what the first made of it, or
     * `taken` when it is someone else's (a form copied from another session: treated as no key).
     */
    async claim(
      userId: number,
      key: string,
    ): Promise<{ kind: 'claimed' } | UploadKeyState | { kind: 'taken' }> {
      const keyHash = hashOf(key);
      const claimed = await repos.uploadKeys.claimUploadKey(db, {
        key_hash: keyHash,
        user_id: userId,
        created_at: clock().toISOString(),
      });
      if (claimed) return { kind: 'claimed' };
      const state = stateOf(await repos.uploadKeys.findUploadKey(db, keyHash, userId));
      return state.kind === 'new' ? { kind: 'taken' } : state;
    },

    /** What the upload made, for the second POST and the result page: references and line numbers only. */
    async finish(userId: number, key: string, result: unknown): Promise<void> {
      await repos.uploadKeys.finishUploadKey(
        db,
        hashOf(key),
        userId,
        JSON.stringify(result),
        clock().toISOString(),
      );
    },
  };
}

export type UploadKeys = ReturnType<typeof createUploadKeys>;
