import type { Config } from '../config/config.ts';
import { AuditSigner } from '../db/audit-signer.ts';
import { openDatabase } from '../db/database.ts';
import { EvidenceSealer } from '../db/evidence-sealer.ts';
import { createKeyring } from '../domain/tamper-evidence/signing-key.ts';

/**
 * The database as every service uses it: the signing key goes with every query and transaction (so the audit
 * writer and custody code can sign), and evidence is sealed at rest. Shared by services() and the import's own
 * slim container (import-services.ts).
 */
export function openServiceDatabase(config: Config) {
  const keyring = createKeyring(config.auditSigningKey, config.auditTrustedPublicKeys);
  const database = openDatabase(config.database, {
    plugins: [new AuditSigner(keyring), new EvidenceSealer(config.dataKey)],
  });
  return { keyring, database };
}
