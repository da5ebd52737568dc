/**
 * Evidence files are sealed at rest with AES-256-GCM under a key derived from DATA_KEY, so a copy of the database
 * or of a backup does not hold a victim's files in the clear. Like the audit signer, the key travels with the
 * database handle as a Kysely plugin that changes no query: the evidence repository seals and opens with it, and a
 * handle opened without it can neither store nor read a sealed file. One per services container; nothing global.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import type { DbOrTrx } from './database.ts';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class EvidenceSealer implements KyselyPlugin {
  readonly #key: Buffer;

  /** `dataKey` is DATA_KEY; the evidence key is derived from it, so it is never the key that seals other values. */
  constructor(dataKey: Buffer) {
    if (dataKey.length !== 32) throw new Error('the data key must be 32 bytes');
    this.#key = Buffer.from(
      hkdfSync('sha256', dataKey, Buffer.alloc(0), 'bluelight evidence at rest v1', 32),
    );
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }

  /** IV, tag, then the sealed bytes. The file's SHA-256 is bound in, so sealed bytes moved to another row do not open. */
  seal(sha256: string, plain: Uint8Array): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(sha256, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** The plain bytes, or undefined when these bytes were not sealed under this key for this SHA-256 (altered). */
  open(sha256: string, sealed: Uint8Array): Buffer | undefined {
    if (sealed.byteLength < IV_BYTES + TAG_BYTES) return undefined;
    const raw = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(sha256, 'utf8'));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      return undefined;
    }
  }
}

export function evidenceSealerOf(q: DbOrTrx): EvidenceSealer {
  const sealer = q.getExecutor().plugins.find((p) => p instanceof EvidenceSealer);
  if (sealer === undefined)
    throw new Error('this database handle has no evidence key: open it through services(config)');
  return sealer;
}
