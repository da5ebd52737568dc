/**
 * The chain of custody: appending an entry (inside the caller's transaction, with the case row held), officers'
 * custody events, reading an exhibit's chain, and verifying a case's chain and files (CLI).
 */
import { createHash } from 'node:crypto';
import type { DbOrTrx, Trx } from '../../db/database.ts';
import type { CaseRow } from '../../db/repositories/case-repository.ts';
import type { StaffMember } from '../../domain/access/access-policy.ts';
import {
  entryHash,
  GENESIS_HASH,
  verifyChain,
  type CustodyEvent,
  type StoredEntry,
} from '../../domain/custody/custody-chain.ts';
import { custodySealProblem, sealCustodyHead } from '../tamper-evidence/custody-seal.ts';
import type { InvestigationsContext } from './context.ts';

/** What the service itself writes into a chain of custody; `systemCustodyText` reads it back for pages. */
export const SYSTEM_LOCATIONS = {
  evidenceStore: 'evidence store',
  forensics: 'digital forensics',
  onlineReport: 'online report',
} as const;
export const sealedNote = (seals: string[]) => `sealed: ${seals.join(', ')}`;
export const examinedNote = (requestId: number) => `examination ${requestId} complete`;
/** The `received` entry of an exhibit made from a report's evidence file (the report's crime reference). */
export const receivedOnlineNote = (report: string) => `received from victim via online report ${report}`;

/**
 * The service's own words in a custody entry, coded so a page can say them in its language (the stored entry,
 * which the hash covers, stays as written); null parts were typed by an officer.
 */
export function systemCustodyText(entry: { event: string; location: string; note: string }) {
  const place = Object.entries(SYSTEM_LOCATIONS).find(([, text]) => text === entry.location)?.[0];
  const sealed = entry.event === 'seized' ? /^sealed: (.+)$/.exec(entry.note) : null;
  const examined = entry.event === 'examined' ? /^examination (\d+) complete$/.exec(entry.note) : null;
  const received =
    entry.event === 'received' ? /^received from victim via online report (\S+)$/.exec(entry.note) : null;
  return {
    location: (place ?? null) as keyof typeof SYSTEM_LOCATIONS | null,
    note:
      sealed !== null
        ? { code: 'sealed' as const, seals: sealed[1] ?? '' }
        : examined !== null
          ? { code: 'examined' as const, id: examined[1] ?? '' }
          : received !== null
            ? { code: 'received' as const, report: received[1] ?? '' }
            : null,
  };
}

export type VerifyResult =
  | { case: string; entries: number; files: number; ok: true }
  | { case: string; entries: number; files: number; ok: false; broken: string };

export interface NewCustodyEntry {
  exhibitId: number;
  exhibitRef: string;
  event: CustodyEvent;
  actor: string;
  at: string;
  location: string;
  note: string;
  fileSha256?: string;
  fileName?: string;
}

/** An entry as services answer it (the API turns it into snake_case). */
export interface CustodyEntry {
  seq: number;
  exhibit: string;
  event: string;
  actor: string;
  at: string;
  location: string;
  note: string;
  fileSha256: string | null;
  fileName: string | null;
  prevHash: string;
  hash: string;
}

export const custodyEntry = (e: StoredEntry): CustodyEntry => ({
  seq: e.seq,
  exhibit: e.exhibitRef,
  event: e.event,
  actor: e.actor,
  at: e.at,
  location: e.location,
  note: e.note,
  fileSha256: e.fileSha256,
  fileName: e.fileName,
  prevHash: e.prevHash,
  hash: e.hash,
});

/** An entry as the evidence bundle's files show it (a format of its own, in snake_case). */
export const entryJson = (e: StoredEntry) => ({
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
});

/** Appending to a case's chain and reading it back: what every module that writes custody entries uses. */
export function createCustodyChain({ repos, clock }: InvestigationsContext) {
  /**
   * Appends one entry to the case's chain, in the caller's transaction (never one of its own). `locked` must have
   * been read in `trx` by the writer's access check, which holds the case row, so entries are numbered and
   * chained one at a time.
   */
  async function append(trx: Trx, locked: CaseRow, entry: NewCustodyEntry): Promise<StoredEntry> {
    const content = {
      caseReference: locked.reference,
      seq: locked.custody_count + 1,
      exhibitRef: entry.exhibitRef,
      event: entry.event,
      actor: entry.actor,
      at: entry.at,
      location: entry.location,
      note: entry.note,
      fileSha256: entry.fileSha256 ?? null,
      fileName: entry.fileName ?? null,
    };
    const prevHash = locked.custody_head ?? GENESIS_HASH;
    const hash = entryHash(content, prevHash);
    await repos.custody.insertCustodyEntry(trx, {
      case_id: locked.id,
      seq: content.seq,
      exhibit_id: entry.exhibitId,
      event: content.event,
      actor: content.actor,
      at: content.at,
      location: content.location,
      note: content.note,
      file_sha256: content.fileSha256,
      file_name: content.fileName,
      prev_hash: prevHash,
      hash,
    });
    await repos.custody.setCustodyHead(trx, locked.id, hash, content.seq);
    // Checks the signed head it extends, then signs the new one (src/services/tamper-evidence).
    const seal = await sealCustodyHead(trx, locked, { count: content.seq, hash }, clock(), repos);
    // The next append in this transaction chains on from this one, and checks the head signed here.
    locked.custody_head = hash;
    locked.custody_count = content.seq;
    locked.custody_signature = seal.signature;
    locked.custody_key_id = seal.keyId;
    return { ...content, prevHash, hash };
  }

  /** The case's whole chain, in stored order (a reordering behind the application's back then shows). */
  async function chainOf(q: DbOrTrx, caseId: number): Promise<StoredEntry[]> {
    const rows = await repos.custody.custodyEntriesOf(q, caseId);
    return rows.map((r) => ({
      caseReference: r.reference,
      seq: r.seq,
      exhibitRef: r.exhibit_ref,
      event: r.event,
      actor: r.actor,
      at: r.at,
      location: r.location,
      note: r.note,
      fileSha256: r.file_sha256,
      fileName: r.file_name,
      prevHash: r.prev_hash,
      hash: r.hash,
    }));
  }

  return { append, chainOf };
}

export type CustodyChain = ReturnType<typeof createCustodyChain>;

/** Officers' custody events, reading an exhibit's chain, and verifying a case's chain and files. */
export function createCustody({ db, clock, repos, access }: InvestigationsContext, chain: CustodyChain) {
  const { append, chainOf } = chain;
  return {
    /** An officer's custody event for an exhibit (sealed, booked in, moved…). */
    async addCustody(
      staff: StaffMember,
      exhibitId: number,
      input: { event: CustodyEvent; at: string; location: string; note: string },
    ): Promise<CustodyEntry> {
      return db.transaction().execute(async (trx) => {
        const found = await access.requireExhibit(trx, staff, exhibitId);
        const entry = await append(trx, found.row, {
          exhibitId,
          exhibitRef: found.exhibit.exhibit_ref,
          actor: staff.email,
          ...input,
        });
        await repos.audit.writeAudit(trx, {
          at: clock().toISOString(),
          actor: staff.email,
          forceId: staff.forceId,
          action: 'custody-added',
          reference: found.row.reference,
          detail: `${found.exhibit.exhibit_ref}: ${input.event}`,
        });
        return custodyEntry(entry);
      });
    },

    /** An exhibit's chain of custody, oldest first (audited), or null when it is not available. */
    async custody(staff: StaffMember, exhibitId: number) {
      // One transaction: what was read and its audit row (last: it holds the chain's head) commit together.
      return db.transaction().execute(async (trx) => {
        const found = await access.findVisibleExhibit(trx, staff, exhibitId);
        if (found === null) return null;
        const entries = (await chainOf(trx, found.row.id)).filter(
          (e) => e.exhibitRef === found.exhibit.exhibit_ref,
        );
        await repos.audit.writeAudit(trx, {
          at: clock().toISOString(),
          actor: staff.email,
          forceId: staff.forceId,
          action: 'read-custody',
          reference: found.row.reference,
          detail: found.exhibit.exhibit_ref,
        });
        return {
          exhibit: found.exhibit.exhibit_ref,
          case: found.row.reference,
          entries: entries.map(custodyEntry),
        };
      });
    },

    /** Re-computes the chain and every stored file's SHA-256 (CLI; no staff scope: run by the evidence officer). */
    verify(reference: string): Promise<VerifyResult | null> {
      // One snapshot, so an entry appended meanwhile cannot be read against an older signed head.
      return db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (trx): Promise<VerifyResult | null> => {
          const row = await repos.cases.findCaseByReference(trx, reference);
          if (row === undefined) return null;
          const entries = await chainOf(trx, row.id);
          const files = entries.filter((e) => e.fileSha256 !== null);
          const result = { case: row.reference, entries: entries.length, files: files.length };
          const chain = verifyChain(entries, { hash: row.custody_head, count: row.custody_count });
          if (!chain.ok) return { ...result, ok: false, broken: chain.problem };
          const unsigned = await custodySealProblem(trx, row, repos);
          if (unsigned !== null) return { ...result, ok: false, broken: unsigned };
          for (const file of files) {
            const content = await repos.evidence.findEvidenceBlob(trx, file.fileSha256 ?? '');
            if (content === undefined)
              return {
                ...result,
                ok: false,
                broken: `file ${file.fileName ?? ''} (entry ${file.seq}) is missing`,
              };
            const actual = createHash('sha256').update(content).digest('hex');
            if (actual !== file.fileSha256)
              return {
                ...result,
                ok: false,
                broken: `file ${file.fileName ?? ''} (entry ${file.seq}) has been changed`,
              };
          }
          return { ...result, ok: true };
        });
    },
  };
}
