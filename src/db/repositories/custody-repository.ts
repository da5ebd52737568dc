/**
 * The chain of custody as stored: one row per entry, and the case's head (last hash) and count. The chain's rules
 * are in domain/custody/custody-chain.ts; appending is the investigations' custody module's (one function).
 */
import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { CustodyEntriesTable } from '../schema.ts';

export async function insertCustodyEntry(q: DbOrTrx, row: Insertable<CustodyEntriesTable>): Promise<void> {
  await q.insertInto('custody_entries').values(row).execute();
}

/** Moves the case's head to the entry just appended. */
export async function setCustodyHead(q: DbOrTrx, caseId: number, hash: string, count: number): Promise<void> {
  await q
    .updateTable('cases')
    .set({ custody_head: hash, custody_count: count })
    .where('id', '=', caseId)
    .execute();
}

/** The case's entries with their case and exhibit references, in stored order (a reordering then shows). */
export function custodyEntriesOf(q: DbOrTrx, caseId: number) {
  return q
    .selectFrom('custody_entries')
    .innerJoin('exhibits', 'exhibits.id', 'custody_entries.exhibit_id')
    .innerJoin('cases', 'cases.id', 'custody_entries.case_id')
    .select([
      'cases.reference',
      'custody_entries.seq',
      'exhibits.exhibit_ref',
      'custody_entries.event',
      'custody_entries.actor',
      'custody_entries.at',
      'custody_entries.location',
      'custody_entries.note',
      'custody_entries.file_sha256',
      'custody_entries.file_name',
      'custody_entries.prev_hash',
      'custody_entries.hash',
    ])
    .where('custody_entries.case_id', '=', caseId)
    .orderBy('custody_entries.id')
    .execute();
}

/** The files logged in the case's chain, oldest first. */
export function custodyFilesOf(q: DbOrTrx, caseId: number) {
  return q
    .selectFrom('custody_entries')
    .select(['exhibit_id', 'file_name', 'file_sha256', 'actor', 'at'])
    .where('case_id', '=', caseId)
    .where('file_sha256', 'is not', null)
    .orderBy('id')
    .execute();
}

/** Whether the case's chain already has this entry for this file (an exhibit made from it before). */
export async function caseHasFileEntry(
  q: DbOrTrx,
  caseId: number,
  entry: { event: string; note: string; fileSha256: string },
): Promise<boolean> {
  const row = await q
    .selectFrom('custody_entries')
    .select('id')
    .where('case_id', '=', caseId)
    .where('event', '=', entry.event)
    .where('note', '=', entry.note)
    .where('file_sha256', '=', entry.fileSha256)
    .executeTakeFirst();
  return row !== undefined;
}

/** Keeps a file's MD5 beside its SHA-256 (many hash lists give only MD5). */
export async function keepFileMd5(q: DbOrTrx, sha256: string, md5: string): Promise<void> {
  await q
    .insertInto('exhibit_file_md5')
    .values({ sha256, md5 })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

/** Stores the signature over the case's custody head and the key that made it. */
export async function setCustodySeal(
  q: DbOrTrx,
  caseId: number,
  seal: { signature: string; keyId: string },
): Promise<void> {
  await q
    .updateTable('cases')
    .set({ custody_signature: seal.signature, custody_key_id: seal.keyId })
    .where('id', '=', caseId)
    .execute();
}

/** The custody heads of cases never signed (from before signing began), by id. */
export function unsealedCustodyHeads(q: DbOrTrx) {
  return q
    .selectFrom('cases')
    .select(['id', 'reference', 'custody_count', 'custody_head'])
    .where('custody_signature', 'is', null)
    .orderBy('id')
    .execute();
}
