/**
 * One-time keys for the workspace's upload forms (the adviser's bulk CSV): the page puts a new key in each form;
 * the staff member's first POST with it claims it for the file's SHA-256 and, once the upload has run, keeps what
 * it made; a second POST with the same key (a double click, back and submit again) finds it and shows that,
 * recording nothing. An upload stopped half way resumes when its form is posted again with the same file (each
 * row is keyed by the form's key and its line: features/api/report-csv.ts); another file under the key is refused.
 * Keys are bound to the person and kept as SHA-256 only, for UPLOAD_KEY_DAYS (retention deletes them).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';

/** Longer than any signed-in session, so a form cannot outlive its key. */
export const UPLOAD_KEY_DAYS = 2;
const WELL_FORMED = /^[A-Za-z0-9_-]{32}$/;

/**
 * What a key says about an upload: none yet, one running (or stopped half way), or one done with its result; with
 * the SHA-256 of its file (null on keys claimed before uploads could resume).
 */
export type UploadKeyState =
  | { kind: 'new' }
  | { kind: 'running'; fileHash: string | null }
  | { kind: 'done'; fileHash: string | null; result: unknown };

/** What a POST with a key and a file may do: run (first or resumed), show the upload, or nothing. */
export type UploadClaim =
  | { kind: 'run' }
  | { kind: 'done'; result: unknown }
  /** Claimed before uploads could resume: its rows hold no row keys, so running it again could record twice. */
  | { kind: 'running' }
  | { kind: 'other-file' }
  | { kind: 'taken' };

export function createUploadKeys(db: Db, clock: () => Date, repos: Repositories = repositories) {
  const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');
  const stateOf = (row: { result: string | null; file_hash: string | null } | undefined): UploadKeyState =>
    row === undefined
      ? { kind: 'new' }
      : row.result === null
        ? { kind: 'running', fileHash: row.file_hash }
        : { kind: 'done', fileHash: row.file_hash, result: JSON.parse(row.result) as unknown };

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

    /** The SHA-256 a key keeps of its file. */
    fileHashOf: (content: Buffer): string => createHash('sha256').update(content).digest('hex'),

    /**
     * Claims the key for this person and this file: `run` when this POST is the first, or the upload stopped (or
     * is still running) with the same file, so the rows not yet recorded are; `done` with what it made; refused
     * when the key came with another file, or is someone else's (a form copied from another session: no key).
     */
    async claim(userId: number, key: string, fileHash: string): Promise<UploadClaim> {
      const keyHash = hashOf(key);
      const claimed = await repos.uploadKeys.claimUploadKey(db, {
        key_hash: keyHash,
        user_id: userId,
        file_hash: fileHash,
        created_at: clock().toISOString(),
      });
      if (claimed) return { kind: 'run' };
      const state = stateOf(await repos.uploadKeys.findUploadKey(db, keyHash, userId));
      if (state.kind === 'new') return { kind: 'taken' };
      if (state.fileHash === null) return state.kind === 'done' ? state : { kind: 'running' };
      if (state.fileHash !== fileHash) return { kind: 'other-file' };
      return state.kind === 'done' ? state : { kind: 'run' };
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
