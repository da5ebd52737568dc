/**
 * The Ed25519 key that signs the audit log and every case's custody head. It is held outside the database
 * (configuration), so someone who can only write to the database cannot produce a valid signature. Pure.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

/** PKCS#8 DER of an Ed25519 private key is this fixed prefix followed by the 32-byte seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function ed25519(key: KeyObject): KeyObject | null {
  return key.asymmetricKeyType === 'ed25519' ? key : null;
}

/** AUDIT_SIGNING_KEY: a PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----…") or the same DER as one line of base64. */
export function parseSigningKey(text: string): KeyObject | null {
  const value = text.trim().replace(/\\n/g, '\n');
  try {
    if (value.startsWith('-----BEGIN')) return ed25519(createPrivateKey({ key: value, format: 'pem' }));
    if (!/^[A-Za-z0-9+/]+=*$/.test(value)) return null;
    return ed25519(createPrivateKey({ key: Buffer.from(value, 'base64'), format: 'der', type: 'pkcs8' }));
  } catch {
    return null;
  }
}

/** A trusted public key: SPKI PEM or the same DER as one line of base64 (what `bluelight keys show` prints). */
export function parsePublicKey(text: string): KeyObject | null {
  const value = text.trim().replace(/\\n/g, '\n');
  try {
    if (value.startsWith('-----BEGIN')) return ed25519(createPublicKey({ key: value, format: 'pem' }));
    if (!/^[A-Za-z0-9+/]+=*$/.test(value)) return null;
    return ed25519(createPublicKey({ key: Buffer.from(value, 'base64'), format: 'der', type: 'spki' }));
  } catch {
    return null;
  }
}

/**
 * Development and test only: the same secret always gives the same key, so what a dev server signed still
 * verifies after a restart. HKDF-SHA256 → 32-byte seed → Ed25519.
 */
export function deriveSigningKey(secret: string): KeyObject {
  const seed = Buffer.from(hkdfSync('sha256', secret, 'bluelight', 'audit-signing-key/ed25519/v1', 32));
  return createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
}

/** SHA-256 of the public key's SPKI DER, hex: `openssl pkey -pubin -in key.pem -outform DER | sha256sum`. */
export function fingerprintOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex');
}

/** What each signature stores to say which key made it: the first 16 hex digits of the fingerprint. */
export const keyIdOf = (publicKey: KeyObject) => fingerprintOf(publicKey).slice(0, 16);

export type SignatureCheck = 'ok' | 'unknown-key' | 'bad-signature';

export interface Keyring {
  keyId: string;
  fingerprint: string;
  publicKey: KeyObject;
  /** Every key whose signatures verify: this one and the AUDIT_TRUSTED_PUBLIC_KEYS (earlier keys after rotation). */
  trusted: ReadonlyMap<string, KeyObject>;
  /** Base64 Ed25519 signature of the UTF-8 message, with the signing key's id. */
  sign(message: string): { signature: string; keyId: string };
  check(message: string, signature: string | null, keyId: string | null): SignatureCheck;
}

export function createKeyring(privateKey: KeyObject, trustedPublicKeys: readonly KeyObject[] = []): Keyring {
  const publicKey = createPublicKey(privateKey);
  const keyId = keyIdOf(publicKey);
  const trusted = new Map<string, KeyObject>([[keyId, publicKey]]);
  for (const key of trustedPublicKeys) trusted.set(keyIdOf(key), key);
  return {
    keyId,
    fingerprint: fingerprintOf(publicKey),
    publicKey,
    trusted,
    sign: (message) => ({
      signature: sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
      keyId,
    }),
    check(message, signature, signer) {
      const key = signer === null ? undefined : trusted.get(signer);
      if (key === undefined) return 'unknown-key';
      if (signature === null || !/^[A-Za-z0-9+/]{86}==$/.test(signature)) return 'bad-signature';
      return verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(signature, 'base64'))
        ? 'ok'
        : 'bad-signature';
    },
  };
}

/** The public half of the keyring, for `bluelight keys show`. */
export function describeKeyring(keyring: Keyring) {
  return {
    keyId: keyring.keyId,
    fingerprint: keyring.fingerprint,
    publicKeyPem: keyring.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicKeyBase64: keyring.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    alsoTrusted: [...keyring.trusted]
      .filter(([id]) => id !== keyring.keyId)
      .map(([keyId, key]) => ({ keyId, fingerprint: fingerprintOf(key) })),
  };
}
