/**
 * The chain of custody is a hash chain per case: each entry stores the SHA-256 of its own content together with
 * the previous entry's hash. Changing, deleting, inserting or reordering any entry breaks every hash after it;
 * the case keeps the last hash and the count, so deleting the last entry is caught as well. Pure.
 */
import { createHash } from 'node:crypto';

export const CUSTODY_EVENTS = [
  'seized',
  'sealed',
  'booked-in',
  'moved',
  'examined',
  'copied',
  'returned',
  'destroyed',
  'file-added',
  'received',
  /** Handed to a specialist supplier under an approved tasking (issue 22, MSP). */
  'released',
  /** That release ended before delivery: the tasking was declined or cancelled. */
  'release-ended',
] as const;
export type CustodyEvent = (typeof CUSTODY_EVENTS)[number];
/** Events only the service writes (a file's own entry; a supplier release ending), never typed by an officer. */
export const SYSTEM_ONLY_EVENTS: readonly CustodyEvent[] = ['file-added', 'release-ended'];
export const OFFICER_EVENTS = CUSTODY_EVENTS.filter((e) => !SYSTEM_ONLY_EVENTS.includes(e));

export function isCustodyEvent(value: unknown): value is CustodyEvent {
  return typeof value === 'string' && (CUSTODY_EVENTS as readonly string[]).includes(value);
}

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export interface CustodyContent {
  caseReference: string;
  seq: number;
  exhibitRef: string;
  event: string;
  actor: string;
  at: string;
  location: string;
  note: string;
  fileSha256: string | null;
  fileName: string | null;
}

export interface StoredEntry extends CustodyContent {
  prevHash: string;
  hash: string;
}

/** SHA-256 over the content in a fixed order (a JSON array, so no field can run into another) and the previous hash. */
export function entryHash(content: CustodyContent, prevHash: string): string {
  const fields = [
    content.caseReference,
    content.seq,
    content.exhibitRef,
    content.event,
    content.actor,
    content.at,
    content.location,
    content.note,
    content.fileSha256,
    content.fileName,
    prevHash,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

export type ChainCheck = { ok: true; entries: number } | { ok: false; entry: number; problem: string };

/** Checks entries in stored order against the chain and the case's recorded head. */
export function verifyChain(
  entries: readonly StoredEntry[],
  head: { hash: string | null; count: number },
): ChainCheck {
  let previous = GENESIS_HASH;
  for (const [index, entry] of entries.entries()) {
    const expectedSeq = index + 1;
    if (entry.seq !== expectedSeq)
      return { ok: false, entry: entry.seq, problem: `entry ${expectedSeq} is missing or out of order` };
    if (entry.prevHash !== previous)
      return {
        ok: false,
        entry: entry.seq,
        problem: `entry ${entry.seq} does not follow entry ${expectedSeq - 1}`,
      };
    if (entryHash(entry, entry.prevHash) !== entry.hash)
      return { ok: false, entry: entry.seq, problem: `entry ${entry.seq} has been changed` };
    previous = entry.hash;
  }
  if (entries.length !== head.count || (entries.length > 0 && head.hash !== previous))
    return {
      ok: false,
      entry: entries.length + 1,
      problem: `the log has ${entries.length} entries but the case recorded ${head.count}: entries were removed or added`,
    };
  return { ok: true, entries: entries.length };
}
