import { loadConfig } from '../../config/config.ts';
import { createKeyring, describeKeyring } from '../../domain/tamper-evidence/signing-key.ts';
import { CliError, type CliIo } from '../cli-io.ts';

/**
 * bluelight keys show: the public half of the key that signs the audit log and custody heads, and its
 * fingerprint, to publish where a court or partner can check bundles against it. Needs no database.
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
      keys.alsoTrusted.map((k) => `also trusted: ${k.keyId} (SHA-256 ${k.fingerprint})\n`).join(''),
  );
  return 0;
}
