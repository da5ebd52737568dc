import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Stored values start with this, so legacy plain values (never containing ':') can be told apart. */
export const SEALED_PREFIX = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The configured DATA_KEY cannot open a stored value (wrong key, or the value was altered). */
export class DataCipherError extends Error {
  override name = 'DataCipherError';
}

/**
 * AES-256-GCM for secrets at rest, with a random IV per value. `context` (e.g. the row's owner) is bound in as
 * associated data, so a sealed value copied onto another row does not open there.
 */
export function createDataCipher(key: Buffer) {
  if (key.length !== 32) throw new Error('the data key must be 32 bytes');
  return {
    seal(plain: string, context: string): string {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },

    isSealed: (stored: string): boolean => stored.startsWith(SEALED_PREFIX),

    /** The plain value; throws DataCipherError when this key cannot open it. */
    open(stored: string, context: string): string {
      if (!stored.startsWith(SEALED_PREFIX)) throw new DataCipherError('not a sealed value');
      const raw = Buffer.from(stored.slice(SEALED_PREFIX.length), 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES) throw new DataCipherError('sealed value is truncated');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([
          decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new DataCipherError('the data key does not open this value');
      }
    },
  };
}

export type DataCipher = ReturnType<typeof createDataCipher>;
