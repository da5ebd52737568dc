/**
 * The audit log as a signed hash chain. Each row carries its number (`seq`), the previous row's hash, its own
 * hash (SHA-256 over its content and the previous hash) and an Ed25519 signature of its number and hash; a single
 * head row holds the last number and hash, signed. So:
 * - an edited row no longer matches its hash, and re-hashing it (and everything after) needs the key to re-sign;
 * - a deleted, inserted or reordered row breaks the numbering or the links (rows are read in stored order);
 * - deleting rows from the end leaves the signed head naming a row that is not there.
 * The writer checks the head before it extends it and records a break it finds as a row of its own
 * (`audit-chain-altered`), so a later write cannot cover up an edit. These formats are fixed: stored
 * signatures depend on them. Pure.
 */
import { createHash } from 'node:crypto';
import type { Keyring } from './signing-key.ts';

/** The hash before the first row. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** The row the writer adds when the log it is about to extend does not verify. */
export const CHAIN_ALTERED_ACTION = 'audit-chain-altered';
/** The row written when a log from before signing is chained and signed for the first time. */
export const CHAIN_STARTED_ACTION = 'audit-chain-started';
/** Who the audit log names for what the application does on its own. */
export const SYSTEM_ACTOR = 'system';

export interface AuditContent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  reference: string | null;
  forceId: string | null;
  detail: string;
}

export interface StoredAuditRow extends AuditContent {
  /** The table's own id: rows are read in this order, so a moved row shows. */
  id: number;
  prevHash: string;
  hash: string;
  signature: string | null;
  keyId: string | null;
}

/** Rows stored before chaining have no number yet. */
export type AuditRowAsStored = Omit<StoredAuditRow, 'seq' | 'prevHash' | 'hash'> & {
  seq: number | null;
  prevHash: string | null;
  hash: string | null;
};

export interface AuditHead {
  count: number;
  hash: string;
  signature: string | null;
  keyId: string | null;
}

/** SHA-256 of the JSON array [seq, at, actor, action, reference, force_id, detail, prev_hash]. */
export function auditRowHash(content: AuditContent, prevHash: string): string {
  const fields = [
    content.seq,
    content.at,
    content.actor,
    content.action,
    content.reference,
    content.forceId,
    content.detail,
    prevHash,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** What a row's signature covers (its hash covers its content and, through prev_hash, every row before it). */
export const auditRowMessage = (seq: number, hash: string) =>
  JSON.stringify(['bluelight audit row', seq, hash]);

/** What the head's signature covers: how many rows there are and the last one's hash. */
export const auditHeadMessage = (count: number, hash: string) =>
  JSON.stringify(['bluelight audit head', count, hash]);

/** Content, links and signature of a new row after `head`. */
export function chainRow(
  keyring: Keyring,
  head: { count: number; hash: string },
  entry: Omit<AuditContent, 'seq'>,
): Omit<StoredAuditRow, 'id'> {
  const content = { ...entry, seq: head.count + 1 };
  const hash = auditRowHash(content, head.hash);
  const { signature, keyId } = keyring.sign(auditRowMessage(content.seq, hash));
  return { ...content, prevHash: head.hash, hash, signature, keyId };
}

export function signHead(keyring: Keyring, count: number, hash: string): AuditHead {
  return { count, hash, ...keyring.sign(auditHeadMessage(count, hash)) };
}

const signatureProblem = (check: 'unknown-key' | 'bad-signature', keyId: string | null) =>
  check === 'unknown-key'
    ? `is signed by key ${keyId ?? '(none)'}, which is not a trusted key`
    : 'does not carry a valid signature: it was written or re-hashed without the signing key';

/** Why the stored head cannot be extended or believed, or null if it is signed by a trusted key. */
export function headProblem(keyring: Keyring, head: AuditHead): string | null {
  const check = keyring.check(auditHeadMessage(head.count, head.hash), head.signature, head.keyId);
  return check === 'ok' ? null : `the audit head (${head.count} rows) ${signatureProblem(check, head.keyId)}`;
}

const name = (row: { seq: number | null; id: number }) =>
  row.seq === null ? `the row with id ${row.id}` : `row ${row.seq} (id ${row.id})`;

/**
 * Checks rows in stored order, one at a time (the log is read in pages), from row `start.seq` whose previous
 * hash must be `start.prevHash`. Returns the first problem, naming the row.
 */
export class AuditChainCheck {
  #expected: number;
  #previous: string;
  #rows = 0;

  constructor(
    private readonly keyring: Keyring,
    start: { seq: number; prevHash: string } = { seq: 1, prevHash: AUDIT_GENESIS_HASH },
  ) {
    this.#expected = start.seq;
    this.#previous = start.prevHash;
  }

  get rows(): number {
    return this.#rows;
  }

  /** The number and hash of the last row checked. */
  get last(): { count: number; hash: string } {
    return { count: this.#expected - 1, hash: this.#previous };
  }

  row(row: AuditRowAsStored): string | null {
    if (row.seq === null || row.prevHash === null || row.hash === null)
      return `${name(row)} is not chained: it was added behind the application's back`;
    if (row.seq !== this.#expected)
      return `row ${this.#expected} is missing or out of order (found ${name(row)} in its place)`;
    if (row.prevHash !== this.#previous)
      return `${name(row)} does not follow row ${this.#expected - 1}: rows were removed, added or reordered`;
    const content: AuditContent = { ...row, seq: row.seq };
    if (auditRowHash(content, row.prevHash) !== row.hash) return `${name(row)} has been changed`;
    const check = this.keyring.check(auditRowMessage(row.seq, row.hash), row.signature, row.keyId);
    if (check !== 'ok') return `${name(row)} ${signatureProblem(check, row.keyId)}`;
    if (row.action === CHAIN_ALTERED_ACTION)
      return `${name(row)} records that the log had been altered before it was written: ${row.detail}`;
    this.#expected++;
    this.#previous = row.hash;
    this.#rows++;
    return null;
  }
}

/** After the last row: the signed head must name exactly that row. */
export function headMatches(head: AuditHead, last: { count: number; hash: string }): string | null {
  if (head.count > last.count)
    return `the signed head names ${head.count} rows but the log ends at row ${last.count}: rows were removed from the end`;
  if (head.count < last.count)
    return `row ${head.count + 1} comes after the signed head (${head.count} rows): it was added behind the application's back`;
  if (head.hash !== last.hash) return `row ${last.count} is not the row the signed head names`;
  return null;
}
