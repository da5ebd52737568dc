import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../config/config.ts';
import { createKeyring, describeKeyring } from '../../domain/tamper-evidence/signing-key.ts';
import { CliError, type CliIo } from '../cli-io.ts';

/**
 * The SHA-256 of verify.mjs, the script every evidence bundle carries: published beside the key, so a recipient can
 * tell the force's script from one a bundle's forger replaced.
 */
export const bundleVerifierSha256 = () =>
  createHash('sha256')
    .update(readFileSync(new URL('../../services/tamper-evidence/bundle-verify.mjs', import.meta.url)))
    .digest('hex');

/**
 * bluelight keys show: the public half of the key that signs the audit log, custody heads and evidence bundles,
 * and its fingerprint, to publish where a court or partner can check bundles against it (with the SHA-256 of the
 * bundles' verify.mjs). Needs no database.
 */
export function keysShowCommand(args: string[], io: CliIo): number {
  if (args.length > 0) throw new CliError(`keys show takes no arguments (got "${args.join(' ')}")`);
  const config = loadConfig(io.env, io.cwd);
  const keys = describeKeyring(createKeyring(config.auditSigningKey, config.auditTrustedPublicKeys));
  const source =
    config.auditSigningKeySource === 'AUDIT_SIGNING_KEY'
      ? 'AUDIT_SIGNING_KEY'
      : 'derived from SESSION_SECRET (development and test only; production needs AUDIT_SIGNING_KEY)';
  io.stdout(
    keys.publicKeyPem +
      `fingerprint (SHA-256): ${keys.fingerprint}\n` +
      `key id: ${keys.keyId}\n` +
      `base64: ${keys.publicKeyBase64}\n` +
      `source: ${source}\n` +
      keys.alsoTrusted.map((k) => `also trusted: ${k.keyId} (SHA-256 ${k.fingerprint})\n`).join('') +
      `evidence bundles' verify.mjs (SHA-256): ${bundleVerifierSha256()}\n`,
  );
  return 0;
}
