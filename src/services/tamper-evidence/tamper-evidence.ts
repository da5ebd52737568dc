/**
 * Tamper evidence with a key the database does not hold: starting the signed audit chain, `bluelight audit
 * verify`, `bluelight keys show`, and the signed custody head an evidence bundle carries for offline checking.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { auditSignerOf } from '../../db/audit-signer.ts';
import type { Db, DbOrTrx } from '../../db/database.ts';

import type { CaseRow } from '../../db/repositories/case-repository.ts';
import { GENESIS_HASH, type StoredEntry } from '../../domain/custody/custody-chain.ts';
import {
  AUDIT_GENESIS_HASH,
  AuditChainCheck,
  CHAIN_STARTED_ACTION,
  SYSTEM_ACTOR,
  headMatches,
  headProblem,
} from '../../domain/tamper-evidence/audit-chain.ts';
import { custodyHeadMessage } from '../../domain/tamper-evidence/custody-head.ts';
import { fingerprintOf, type Keyring } from '../../domain/tamper-evidence/signing-key.ts';
import { sealUnsignedCases } from './custody-seal.ts';
import { repositories, type Repositories } from '../../db/repositories/index.ts';

/** Which rows `audit verify` checks: written at or after `from` and before `toExclusive` (ISO-8601 UTC). */
export interface AuditRange {
  from: string | null;
  toExclusive: string | null;
}

export type AuditVerifyResult =
  | {
      ok: true;
      rows: number;
      first: number | null;
      last: number | null;
      head: { count: number; hash: string };
    }
  | { ok: false; rows: number; broken: string };

const PAGE = 1000;

export function createTamperEvidence(db: Db, keyring: Keyring, repos: Repositories = repositories) {
  return {
    /**
     * At start-up, once: chains and signs the rows and case heads written before signing began, and says so in
     * the log. Afterwards (a head exists) it does nothing.
     */
    async start(): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const started = await repos.audit.startAuditChain(trx, keyring);
        if (started === null) return;
        const cases = await sealUnsignedCases(trx, keyring, repos);
        if (started.chained > 0 || cases > 0)
          await repos.audit.writeAudit(trx, {
            at: new Date(),
            actor: SYSTEM_ACTOR,
            action: CHAIN_STARTED_ACTION,
            detail: `signing began with key ${keyring.keyId}: ${started.chained} earlier audit rows and ${cases} case custody heads signed as they stood`,
          });
      });
    },

    /**
     * Re-checks the audit log (or the rows of a time range): every row's hash, link and signature in stored
     * order, then the signed head. Returns the first problem, naming the row.
     */
    verifyAudit(range: AuditRange = { from: null, toExclusive: null }): Promise<AuditVerifyResult> {
      // One snapshot (repeatable read; SQLite's WAL read transaction), so rows written meanwhile are not counted
      // against the head read at the start.
      return db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute((trx) => verifyAuditIn(trx, keyring, range, repos));
    },
  };
}

/** The rows of the range in stored order; the first problem, or how many rows were checked. */
async function checkRows(q: DbOrTrx, keyring: Keyring, range: AuditRange, repos: Repositories) {
  let start = { seq: 1, prevHash: AUDIT_GENESIS_HASH };
  let afterId = 0;
  let lastId: number | null = null;
  if (range.from !== null || range.toExclusive !== null) {
    const { first, last } = await repos.audit.auditSeqRange(q, range);
    if (first === null || last === null || first > last)
      return { problem: null, checker: new AuditChainCheck(keyring), first: null, last: null };
    const [firstRow, lastRow] = [
      await repos.audit.auditRowBySeq(q, first),
      await repos.audit.auditRowBySeq(q, last),
    ];
    afterId = (firstRow?.id ?? 1) - 1;
    lastId = lastRow?.id ?? null;
    if (first > 1) {
      const before = await repos.audit.auditRowBySeq(q, first - 1);
      if (before?.hash == null)
        return { problem: `row ${first - 1} is missing`, checker: new AuditChainCheck(keyring) };
      start = { seq: first, prevHash: before.hash };
    }
  }
  const checker = new AuditChainCheck(keyring, start);
  for (;;) {
    const rows = await repos.audit.auditRowsAfter(q, afterId, lastId, PAGE);
    for (const row of rows) {
      const problem = checker.row(row);
      if (problem !== null) return { problem, checker };
    }
    const next = rows.at(-1);
    if (next === undefined || rows.length < PAGE) break;
    afterId = next.id;
  }
  return {
    problem: null,
    checker,
    first: checker.rows === 0 ? null : start.seq,
    last: checker.rows === 0 ? null : checker.last.count,
  };
}

/** `audit verify`: every row of the range in stored order, then the signed head; the first problem, naming the row. */
async function verifyAuditIn(
  q: DbOrTrx,
  keyring: Keyring,
  range: AuditRange,
  repos: Repositories,
): Promise<AuditVerifyResult> {
  const head = await repos.audit.readAuditHead(q);
  if (head === undefined)
    return {
      ok: false,
      rows: 0,
      // The verifier starts nothing (it never writes): with no signed row either, it cannot tell which.
      broken:
        (await repos.audit.auditSeqRange(q, { from: null, toExclusive: null })).last === null
          ? "the audit log has no head and no signed row: the service has not started on this database since it was migrated, or the log was deleted behind the application's back"
          : "the audit log has no head: it was deleted behind the application's back",
    };
  const checked = await checkRows(q, keyring, range, repos);
  const rows = checked.checker.rows;
  if (checked.problem !== null) return { ok: false, rows, broken: checked.problem };
  const unsigned = headProblem(keyring, head);
  if (unsigned !== null) return { ok: false, rows, broken: unsigned };
  const whole = range.from === null && range.toExclusive === null;
  // A range says nothing about the end of the log: the signed head must still name its real last row.
  const end = whole ? checked.checker.last : await lastRow(q, repos);
  const mismatch = headMatches(head, end);
  if (mismatch !== null) return { ok: false, rows, broken: mismatch };
  return {
    ok: true,
    rows,
    first: checked.first ?? null,
    last: checked.last ?? null,
    head: { count: head.count, hash: head.hash },
  };
}

async function lastRow(q: DbOrTrx, repos: Repositories): Promise<{ count: number; hash: string }> {
  const { last } = await repos.audit.auditSeqRange(q, { from: null, toExclusive: null });
  if (last === null) return { count: 0, hash: AUDIT_GENESIS_HASH };
  return { count: last, hash: (await repos.audit.auditRowBySeq(q, last))?.hash ?? '' };
}

const CHAIN_RULE =
  'hash = SHA-256 (hex) of JSON.stringify([case, seq, exhibit, event, actor, at, location, note, file_sha256, file_name, prev_hash]); ' +
  'the first prev_hash is 64 zeros, each later one the previous entry’s hash';

/** The first line of a bundle statement: what it is, the case and when it was exported. */
export const bundleStatementTitle = (reference: string, exportedAt: string) =>
  `bluelight evidence bundle ${reference} exported ${exportedAt}`;

/** Every file under `dir`, relative, with `/` between folders, in byte order. */
async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const name = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) names.push(...(await filesUnder(dir, name)));
    else names.push(name);
  }
  return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Writes what a third party needs to check a case's chain of custody offline into an exported bundle: the
 * entries, the signed head, the public key, instructions and a Node.js script (`verify.mjs`); then, last, the
 * bundle statement: every file of the bundle with its SHA-256, under the case and the export time, signed with
 * the signing key. So the readable manifests, the exhibits' descriptions and the instructions, which no custody
 * entry carries, cannot be edited, and nothing can be added beside them, without `verify.mjs` failing.
 */
export async function writeCustodyProof(
  q: DbOrTrx,
  dir: string,
  row: CaseRow,
  entries: readonly StoredEntry[],
  exportedAt: string,
): Promise<void> {
  const { keyring } = auditSignerOf(q);
  // The key that signed this head (an earlier, still trusted one after rotation), else this server's.
  const key = keyring.trusted.get(row.custody_key_id ?? '') ?? keyring.publicKey;
  const fingerprint = fingerprintOf(key);
  // The statement is signed now, with this server's key: after a rotation, not the one that signed the head.
  const statementKeyFile = fingerprint === keyring.fingerprint ? 'public-key.pem' : 'statement-key.pem';
  const message = custodyHeadMessage({
    reference: row.reference,
    count: row.custody_count,
    hash: row.custody_head,
  });
  const chain = {
    case: row.reference,
    rule: CHAIN_RULE,
    entries: entries.map((e) => ({
      seq: e.seq,
      exhibit: e.exhibitRef,
      event: e.event,
      actor: e.actor,
      at: e.at,
      location: e.location,
      note: e.note,
      file_sha256: e.fileSha256,
      file_name: e.fileName,
      prev_hash: e.prevHash,
      hash: e.hash,
    })),
    head: { count: row.custody_count, hash: row.custody_head ?? GENESIS_HASH },
    signed_message: message,
    signature: {
      algorithm: 'Ed25519',
      value: row.custody_signature ?? '',
      key_id: row.custody_key_id,
      public_key_sha256: fingerprint,
    },
  };
  await writeFile(join(dir, 'custody-chain.json'), `${JSON.stringify(chain, null, 2)}\n`);
  await writeFile(join(dir, 'custody-head.txt'), message);
  await writeFile(join(dir, 'custody-head.sig'), Buffer.from(row.custody_signature ?? '', 'base64'));
  await writeFile(join(dir, 'public-key.pem'), key.export({ format: 'pem', type: 'spki' }));
  if (statementKeyFile !== 'public-key.pem')
    await writeFile(join(dir, statementKeyFile), keyring.publicKey.export({ format: 'pem', type: 'spki' }));
  await writeFile(join(dir, 'verify.mjs'), await readFile(new URL('./bundle-verify.mjs', import.meta.url)));
  await writeFile(
    join(dir, 'VERIFY.txt'),
    verifyInstructions(row.reference, fingerprint, {
      file: statementKeyFile,
      fingerprint: keyring.fingerprint,
    }),
  );
  // Last: every file written above and by the export, each with its SHA-256 (sha256sum's format), signed.
  const lines = [bundleStatementTitle(row.reference, exportedAt)];
  for (const name of await filesUnder(dir))
    lines.push(
      `${createHash('sha256')
        .update(await readFile(join(dir, name)))
        .digest('hex')}  ${name}`,
    );
  const statement = `${lines.join('\n')}\n`;
  await writeFile(join(dir, 'bundle-statement.txt'), statement);
  await writeFile(
    join(dir, 'bundle-statement.sig'),
    Buffer.from(keyring.sign(statement).signature, 'base64'),
  );
}

function verifyInstructions(
  reference: string,
  fingerprint: string,
  statementKey: { file: string; fingerprint: string },
): string {
  const sameKey = statementKey.file === 'public-key.pem';
  return `Evidence bundle ${reference}: checking the chain of custody offline

The chain of custody is a hash chain whose head (the number of entries and the last entry's hash) is signed
with the force's Bluelight signing key (Ed25519). The key is held outside the database, so a chain rewritten
in the database, even with every hash recomputed, does not carry a valid signature.

1. The key. public-key.pem must be the force's published Bluelight signing key. Its SHA-256 fingerprint is
     ${fingerprint}
   Check it:  openssl pkey -pubin -in public-key.pem -outform DER | sha256sum
   and compare it with the fingerprint the force gave you separately (an officer runs: bluelight keys show).
   Anyone can make a bundle that checks out against a key of their own: only that comparison tells you the
   key is the force's.${
     sameKey
       ? ''
       : `
   The bundle statement (step 5) was signed after the force changed keys, with ${statementKey.file}, whose
   fingerprint is ${statementKey.fingerprint}: compare it with the force's too.`
   }

2. The signature. custody-head.txt holds exactly the signed bytes, the JSON array
   ["bluelight custody head", case reference, number of entries, hash of the last entry];
   custody-head.sig is the raw 64-byte signature (also base64 in custody-chain.json).
     openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in custody-head.txt -sigfile custody-head.sig
   prints "Signature Verified Successfully" (OpenSSL 3.0 or later).

3. The chain. custody-chain.json lists every entry. Each entry's ${CHAIN_RULE}.
   The number of entries and the last hash must be those in custody-head.txt.

4. The files. Every entry of the chain that names a file (file_sha256) must have it under files/, named
   <file_sha256>-<file_name> (characters other than A-Z a-z 0-9 . _ - replaced by _; a name longer than 120
   characters shortened to its first 100 and last 19 joined by _), with that SHA-256:
     sha256sum files/*
   files/ holds nothing else, and manifest.json lists the same files with the same SHA-256.

5. The bundle as exported. bundle-statement.txt names every file of the bundle with its SHA-256 (its first line
   says which case and when it was exported) and is signed with the same key (bundle-statement.sig), so the
   manifests, the exhibits' descriptions and these instructions are as Bluelight wrote them, and the bundle holds
   nothing else (no links, no other files):
     openssl pkeyutl -verify -pubin -inkey ${statementKey.file} -rawin -in bundle-statement.txt -sigfile bundle-statement.sig
     tail -n +2 bundle-statement.txt | sha256sum -c

Steps 2 to 5 in one go, with Node.js 20 or later and nothing else, giving it the fingerprint from step 1:
     node verify.mjs . --fingerprint <the fingerprint the force gave you>
   exit status 0 and "OK" when everything holds; otherwise "FAILED" and the first problem. Without
   --fingerprint it prints the fingerprint of the key it checked against, for you to compare. verify.mjs is
   part of the bundle: someone who changed the bundle could change it too. Check its SHA-256 (sha256sum
   verify.mjs) against the one the force publishes with its key (bluelight keys show), or use the openssl and
   sha256sum steps above.
`;
}
