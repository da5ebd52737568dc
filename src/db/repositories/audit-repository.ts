/**
 * The one audit writer. Every use case writes its audit row with the transaction that makes its change, so a
 * change is never committed without its row (nor a row without its change): `writeAudit` takes a transaction,
 * never the database. Rows are numbered, hash-chained and signed (domain/tamper-evidence/audit-chain.ts) under a
 * lock on the head row, so writers chain one at a time on both databases; the lock is held to the end of the
 * transaction, so write the audit row last. A use case that changes nothing but its audit row (a look-up) uses
 * `writeAuditAlone`, which takes the database and writes the row in a transaction of its own before resolving.
 */
import { PostgresAdapter } from 'kysely';
import {
  AUDIT_GENESIS_HASH,
  CHAIN_ALTERED_ACTION,
  SYSTEM_ACTOR,
  chainRow,
  headProblem,
  signHead,
  type AuditContent,
  type AuditHead,
  type AuditRowAsStored,
} from '../../domain/tamper-evidence/audit-chain.ts';
import type { Keyring } from '../../domain/tamper-evidence/signing-key.ts';
import { wellFormed } from '../../domain/well-formed.ts';
import { auditSignerOf, type AuditSigner } from '../audit-signer.ts';
import type { Db, DbOrTrx, Trx } from '../database.ts';

export interface AuditEntry {
  at: Date | string;
  actor: string;
  action: string;
  /** The report or case reference the action was on, if any. */
  reference?: string | null;
  forceId?: string | null;
  detail: string;
}

export async function writeAudit(trx: Trx, entry: AuditEntry): Promise<void> {
  await appendEntries(trx, [entry]);
}

/** Chains and signs `entries` in order under the head lock, in the caller's transaction; answers the new end. */
async function appendEntries(
  trx: Trx,
  entries: readonly AuditEntry[],
): Promise<{ count: number; hash: string }> {
  // The type says so; this stops a cast or plain JavaScript writing a row outside the use case's transaction.
  if (!(trx.isTransaction as boolean))
    throw new Error('writeAudit needs the use case’s transaction, not the database');
  const signer = auditSignerOf(trx);
  const keyring = signer.keyring;
  let head = await lockHead(trx);
  if (head === undefined) {
    // Made at start-up and never deleted by the application: recreate it unsigned, so the break is recorded below.
    const last = await lastChainedRow(trx);
    await trx
      .insertInto('audit_head')
      .values({
        id: 1,
        count: last?.seq ?? 0,
        hash: last?.hash ?? AUDIT_GENESIS_HASH,
        signature: '',
        key_id: '',
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    head = await lockHead(trx);
    if (head === undefined) throw new Error('audit head missing');
  }
  const problems = [signer.isLastSigned(head) ? null : headProblem(keyring, head)];
  if (!signer.sawHead(head.count))
    problems.push(
      `the audit head went back to ${head.count} rows while this process ran: the database was rolled back`,
    );
  else {
    // A head as long as before can still stand on another history (an older one put back with its rows).
    const committed = signer.lastCommitted();
    if (committed !== null && !signer.isLastSigned(head)) {
      const row = await auditRowBySeq(trx, committed.count);
      if (row?.hash !== committed.hash)
        problems.push(
          `audit row ${committed.count}, which this process committed, is no longer in the log: the database was put back to another history`,
        );
    }
  }
  const altered = problems.filter((p) => p !== null);
  const rows: AuditRowAsChained[] = [];
  let end = { count: head.count, hash: head.hash };
  const append = (content: Omit<AuditContent, 'seq'>) => {
    const row = chainRow(keyring, end, content);
    rows.push(row);
    end = { count: row.seq, hash: row.hash };
  };
  const when = (at: Date | string) => (typeof at === 'string' ? at : at.toISOString());
  // A break is written down before anything is added on top, so extending the log never hides it.
  if (altered.length > 0)
    append({
      at: when(entries[0]?.at ?? new Date()),
      actor: SYSTEM_ACTOR,
      action: CHAIN_ALTERED_ACTION,
      reference: null,
      forceId: null,
      detail: altered.join('; '),
    });
  // Hashed as the database will store it (a lone surrogate would be stored as U+FFFD and fail verification).
  const text = (value: string | null | undefined) => (value == null ? null : wellFormed(value));
  for (const entry of entries)
    append({
      at: when(entry.at),
      actor: wellFormed(entry.actor),
      action: wellFormed(entry.action),
      reference: text(entry.reference),
      forceId: text(entry.forceId),
      detail: wellFormed(entry.detail),
    });
  const signed = signHead(keyring, end.count, end.hash);
  await appendRows(trx, rows, signed);
  signer.signed(signed);
  return end;
}

interface Waiting {
  entry: AuditEntry;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface AloneQueue {
  waiting: Waiting[];
  writers: number;
}

/** Rows of reads waiting for a transaction, per signing container (see writeAuditAlone). */
const alone = new WeakMap<AuditSigner, AloneQueue>();

/** At most this many rows in one transaction. */
const ALONE_BATCH = 100;

/**
 * Transactions writing reads' rows at once: two, so that a second row need not wait for the first's commit to begin
 * (it waits for the head lock, as any writer does); rows arriving while both are busy go together in the next.
 */
const ALONE_WRITERS = 2;

/**
 * The audit row of a use case that changes nothing else (an indicator look-up), committed before it resolves.
 * Rows are chained one transaction at a time, so under load rows of reads wait and go together in a transaction
 * (one head lock and one commit for many, not one each). A row the database refuses fails alone: its batch is
 * then written again a row at a time.
 */
export function writeAuditAlone(db: Db, entry: AuditEntry): Promise<void> {
  const signer = auditSignerOf(db);
  let queue = alone.get(signer);
  if (queue === undefined) {
    queue = { waiting: [], writers: 0 };
    alone.set(signer, queue);
  }
  const mine = queue;
  return new Promise<void>((resolve, reject) => {
    mine.waiting.push({ entry, resolve, reject });
    if (mine.writers < ALONE_WRITERS) void writeWaiting(db, mine);
  });
}

/** The database refused a statement of a batch's transaction, which then rolled back: nothing of it was stored. */
class StatementRefused extends Error {
  constructor(readonly refusal: unknown) {
    super('an audit statement was refused');
  }
}

/**
 * An error the database gave because of what a row holds (a bad value, a constraint, a trigger's refusal): only
 * then can one row be to blame. Anything else (a lost connection, a timeout, a lock not granted, a full disk, a
 * server going read-only) would fail every row again, each in turn.
 */
function isRefusal(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  if (error.name === 'SqliteError') return /^SQLITE_(?:CONSTRAINT|MISMATCH|TOOBIG)/.test(code);
  // PostgreSQL's SQLSTATE classes 22 (data exception), 23 (integrity constraint), P0 (raised by a trigger).
  return /^(?:22|23|P0)[0-9A-Z]{3}$/.test(code);
}

async function writeWaiting(db: Db, queue: AloneQueue): Promise<void> {
  queue.writers++;
  const signer = auditSignerOf(db);
  const write = async (items: readonly Waiting[]) => {
    const end = await db.transaction().execute(async (trx) => {
      try {
        return await appendEntries(
          trx,
          items.map((w) => w.entry),
        );
      } catch (error) {
        throw isRefusal(error) ? new StatementRefused(error) : error;
      }
    });
    // Committed: a head found below this later is a rollback, even of these rows.
    signer.committed(end);
  };
  const cause = (error: unknown) => (error instanceof StatementRefused ? error.refusal : error);
  try {
    while (queue.waiting.length > 0) {
      const batch = queue.waiting.splice(0, ALONE_BATCH);
      try {
        await write(batch);
        for (const w of batch) w.resolve();
      } catch (error) {
        // Rows are written again one by one only when the database refused a statement (so nothing was stored):
        // not after a lost connection or a failed commit, which may have stored the batch, and not one slow
        // failure per row when the database cannot be reached.
        if (!(error instanceof StatementRefused) || batch.length === 1)
          for (const w of batch) w.reject(cause(error));
        else {
          let stop: unknown = null;
          for (const w of batch) {
            if (stop !== null) {
              w.reject(stop);
              continue;
            }
            try {
              await write([w]);
              w.resolve();
            } catch (e) {
              w.reject(cause(e));
              // Not this row's fault: the rest would fail the same way, one by one.
              if (!(e instanceof StatementRefused)) stop = e;
            }
          }
        }
      }
    }
  } finally {
    queue.writers--;
  }
}

/** Locks the head row (an update, so SQLite takes its write lock too) and reads it as committed. */
async function lockHead(q: Trx): Promise<AuditHead | undefined> {
  const row = await q
    .updateTable('audit_head')
    .set((eb) => ({ count: eb.ref('count') }))
    .where('id', '=', 1)
    .returning(['count', 'hash', 'signature', 'key_id'])
    .executeTakeFirst();
  return row && { count: row.count, hash: row.hash, signature: row.signature, keyId: row.key_id };
}

const headColumns = (head: AuditHead) => ({
  count: head.count,
  hash: head.hash,
  signature: head.signature ?? '',
  key_id: head.keyId ?? '',
});

async function saveHead(q: DbOrTrx, head: AuditHead): Promise<void> {
  await q.updateTable('audit_head').set(headColumns(head)).where('id', '=', 1).execute();
}

type AuditRowAsChained = ReturnType<typeof chainRow>;

const storedRow = (row: AuditRowAsChained) => ({
  at: row.at,
  actor: row.actor,
  action: row.action,
  reference: row.reference,
  force_id: row.forceId,
  detail: row.detail,
  seq: row.seq,
  prev_hash: row.prevHash,
  hash: row.hash,
  signature: row.signature,
  key_id: row.keyId,
});

/**
 * Adds the chained rows and moves the head to the last of them. On PostgreSQL that is one statement: the head is
 * locked until commit, so every round trip here is one the next writer waits for.
 */
async function appendRows(q: Trx, rows: AuditRowAsChained[], head: AuditHead): Promise<void> {
  if (!(q.getExecutor().adapter instanceof PostgresAdapter)) {
    await q.insertInto('audit_log').values(rows.map(storedRow)).execute();
    await saveHead(q, head);
    return;
  }
  await q
    .with('appended', (w) => w.insertInto('audit_log').values(rows.map(storedRow)))
    .updateTable('audit_head')
    .set(headColumns(head))
    .where('id', '=', 1)
    .execute();
}

function lastChainedRow(q: DbOrTrx) {
  return q
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .where('seq', 'is not', null)
    .where('hash', 'is not', null)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst() as Promise<{ seq: number; hash: string } | undefined>;
}

/**
 * The first start after signing began: numbers, chains and signs every row already in the log (in stored order)
 * and signs the head. Does nothing (returns null) if a head exists, or if rows are chained already — then the
 * head was deleted, and the writer records that instead of starting afresh.
 */
export async function startAuditChain(trx: Trx, keyring: Keyring): Promise<{ chained: number } | null> {
  if (await readAuditHead(trx)) return null;
  if (await lastChainedRow(trx)) return null;
  const claimed = await trx
    .insertInto('audit_head')
    .values({ id: 1, count: 0, hash: AUDIT_GENESIS_HASH, signature: '', key_id: '' })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  // Another instance starting at the same time did it.
  if (claimed === undefined) return null;
  let end = { count: 0, hash: AUDIT_GENESIS_HASH };
  for (;;) {
    const rows = await trx
      .selectFrom('audit_log')
      .select(['id', 'at', 'actor', 'action', 'reference', 'force_id', 'detail'])
      .where('seq', 'is', null)
      .orderBy('id')
      .limit(500)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      const row = chainRow(keyring, end, { ...r, forceId: r.force_id });
      await trx
        .updateTable('audit_log')
        .set({
          seq: row.seq,
          prev_hash: row.prevHash,
          hash: row.hash,
          signature: row.signature,
          key_id: row.keyId,
        })
        .where('id', '=', r.id)
        .execute();
      end = { count: row.seq, hash: row.hash };
    }
  }
  await saveHead(trx, signHead(keyring, end.count, end.hash));
  return { chained: end.count };
}

export async function readAuditHead(q: DbOrTrx): Promise<AuditHead | undefined> {
  const row = await q
    .selectFrom('audit_head')
    .select(['count', 'hash', 'signature', 'key_id'])
    .where('id', '=', 1)
    .executeTakeFirst();
  return row && { count: row.count, hash: row.hash, signature: row.signature, keyId: row.key_id };
}

const storedColumns = [
  'id',
  'seq',
  'at',
  'actor',
  'action',
  'reference',
  'force_id',
  'detail',
  'prev_hash',
  'hash',
  'signature',
  'key_id',
] as const;

/** Rows in stored order with ids in (afterId, lastId], a page at a time. */
export async function auditRowsAfter(
  q: DbOrTrx,
  afterId: number,
  lastId: number | null,
  limit: number,
): Promise<AuditRowAsStored[]> {
  let query = q.selectFrom('audit_log').select(storedColumns).where('id', '>', afterId);
  if (lastId !== null) query = query.where('id', '<=', lastId);
  const rows = await query.orderBy('id').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    reference: r.reference,
    forceId: r.force_id,
    detail: r.detail,
    prevHash: r.prev_hash,
    hash: r.hash,
    signature: r.signature,
    keyId: r.key_id,
  }));
}

export function auditRowBySeq(q: DbOrTrx, seq: number) {
  return q.selectFrom('audit_log').select(['id', 'seq', 'hash']).where('seq', '=', seq).executeTakeFirst();
}

/** The first and last row numbers written at or after `from` and before `toExclusive` (ISO-8601 UTC). */
export async function auditSeqRange(
  q: DbOrTrx,
  range: { from: string | null; toExclusive: string | null },
): Promise<{ first: number | null; last: number | null }> {
  let query = q
    .selectFrom('audit_log')
    .select((eb) => [
      eb.fn.min<number | null>('seq').as('first'),
      eb.fn.max<number | null>('seq').as('last'),
    ]);
  if (range.from !== null) query = query.where('at', '>=', range.from);
  if (range.toExclusive !== null) query = query.where('at', '<', range.toExclusive);
  const row = await query.executeTakeFirst();
  return { first: row?.first ?? null, last: row?.last ?? null };
}

/** Audit rows about one reference with this action (the custody check looks for breaks recorded on its case). */
export function auditRowsAbout(q: DbOrTrx, reference: string, action: string) {
  return q
    .selectFrom('audit_log')
    .select(['seq', 'id', 'detail'])
    .where('reference', '=', reference)
    .where('action', '=', action)
    .orderBy('id')
    .execute();
}

/** Every audit row about one reference, oldest first (a supervisor's view of who did what with a report). */
export function auditTrailOf(q: DbOrTrx, reference: string) {
  return q.selectFrom('audit_log').selectAll().where('reference', '=', reference).orderBy('id').execute();
}
