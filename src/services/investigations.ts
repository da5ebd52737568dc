/**
 * Investigations: cases that group reports, exhibits seized in them (with files stored by SHA-256), and a
 * tamper-evident chain of custody for every exhibit. Cases are scoped to the unit that opened them; a restricted
 * case (child sexual abuse) is visible only to its officer in charge and named members. Every read is audited.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db, DbOrTrx, Dialect } from '../db/database.ts';
import { storeEvidenceBlob } from '../db/repositories/evidence-repository.ts';
import { findReportByReference } from '../db/repositories/report-repository.ts';
import { canReadReport, type StaffMember } from '../domain/access/access-policy.ts';
import {
  entryHash,
  GENESIS_HASH,
  verifyChain,
  type CustodyEvent,
  type StoredEntry,
} from '../domain/custody/custody-chain.ts';
import { CROCKFORD, parseCrimeReference } from '../domain/reference/crime-reference.ts';

export const EXHIBIT_KINDS = [
  'phone',
  'laptop',
  'storage',
  'cloud-export',
  'call-data-records',
  'other',
] as const;

export class CaseError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

type CaseRow = Awaited<ReturnType<ReturnType<typeof caseQuery>['executeTakeFirst']>>;
const caseQuery = (db: DbOrTrx, reference: string) =>
  db.selectFrom('cases').selectAll().where('reference', '=', reference.trim().toUpperCase());

export type VerifyResult =
  | { case: string; entries: number; files: number; ok: true }
  | { case: string; entries: number; files: number; ok: false; broken: string };

export function createInvestigations(db: Db, dialect: Dialect, clock: () => Date) {
  const audit = (staff: StaffMember, action: string, reference: string, detail = '') =>
    db
      .insertInto('audit_log')
      .values({
        at: clock().toISOString(),
        actor: staff.email,
        action,
        reference,
        force_id: staff.forceId,
        detail,
      })
      .execute();

  async function visibleCase(staff: StaffMember, reference: string): Promise<NonNullable<CaseRow> | null> {
    const row = await caseQuery(db, reference).executeTakeFirst();
    if (row === undefined || staff.unitId === null || row.unit_id !== staff.unitId) return null;
    if (row.restricted === 1 && row.officer_in_charge !== staff.email) {
      const member = await db
        .selectFrom('case_members')
        .select('email')
        .where('case_id', '=', row.id)
        .where('email', '=', staff.email)
        .executeTakeFirst();
      if (member === undefined) return null;
    }
    return row;
  }

  async function exhibitFor(staff: StaffMember, exhibitId: number) {
    const exhibit = await db
      .selectFrom('exhibits')
      .selectAll()
      .where('id', '=', exhibitId)
      .executeTakeFirst();
    if (exhibit === undefined) return null;
    const owner = await db
      .selectFrom('cases')
      .select('reference')
      .where('id', '=', exhibit.case_id)
      .executeTakeFirst();
    const visible = owner === undefined ? null : await visibleCase(staff, owner.reference);
    return visible === null ? null : { exhibit, caseRow: visible };
  }

  /** Appends one entry under a lock on the case row, so entries are numbered and chained one at a time. */
  async function append(
    caseId: number,
    entry: {
      exhibitId: number;
      exhibitRef: string;
      event: CustodyEvent;
      actor: string;
      at: string;
      location: string;
      note: string;
      fileSha256?: string;
      fileName?: string;
    },
  ): Promise<StoredEntry> {
    return db.transaction().execute(async (trx) => {
      const locked =
        dialect === 'postgres'
          ? await trx
              .selectFrom('cases')
              .selectAll()
              .where('id', '=', caseId)
              .forUpdate()
              .executeTakeFirstOrThrow()
          : await trx.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
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
      await trx
        .insertInto('custody_entries')
        .values({
          case_id: caseId,
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
        })
        .execute();
      await trx
        .updateTable('cases')
        .set({ custody_head: hash, custody_count: content.seq })
        .where('id', '=', caseId)
        .execute();
      return { ...content, prevHash, hash };
    });
  }

  async function chainOf(caseId: number): Promise<StoredEntry[]> {
    const rows = await db
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
      // Stored order: a reordering behind the application's back shows up as a broken chain.
      .orderBy('custody_entries.id')
      .execute();
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

  const entryJson = (e: StoredEntry) => ({
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

  return {
    async createCase(
      staff: StaffMember,
      input: { title: string; reports: string[]; restricted: boolean; members: string[] },
    ): Promise<string> {
      if (staff.unitId === null || staff.role === 'analyst' || staff.role === 'admin')
        throw new CaseError(404, 'Your role cannot open cases');
      const reportIds: number[] = [];
      for (const input_ref of input.reports) {
        const ref = parseCrimeReference(input_ref);
        const report = ref === null ? undefined : await findReportByReference(db, ref);
        if (
          report === undefined ||
          !canReadReport(staff, { unitId: report.unit_id, forceId: report.force_id })
        )
          throw new CaseError(400, `No report ${input_ref} is available to you`, 'reports');
        reportIds.push(report.id);
      }
      for (let attempt = 0; attempt < 5; attempt++) {
        const reference = `CASE-${Array.from(randomBytes(8), (b) => CROCKFORD.charAt(b & 31)).join('')}`;
        const inserted = await db
          .insertInto('cases')
          .values({
            reference,
            title: input.title,
            force_id: staff.forceId,
            unit_id: staff.unitId,
            officer_in_charge: staff.email,
            status: 'open',
            outcome: null,
            restricted: input.restricted ? 1 : 0,
            custody_head: null,
            custody_count: 0,
            created_by: staff.email,
            created_at: clock().toISOString(),
          })
          .onConflict((oc) => oc.column('reference').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (inserted === undefined) continue;
        for (const reportId of reportIds)
          await db.insertInto('case_reports').values({ case_id: inserted.id, report_id: reportId }).execute();
        for (const email of new Set([staff.email, ...input.members]))
          await db.insertInto('case_members').values({ case_id: inserted.id, email }).execute();
        await audit(staff, 'case-opened', reference, input.title);
        return reference;
      }
      throw new Error('could not allocate a case reference');
    },

    async readCase(staff: StaffMember, reference: string) {
      const row = await visibleCase(staff, reference);
      if (row === null) return null;
      await audit(staff, 'read-case', row.reference);
      const reports = await db
        .selectFrom('case_reports')
        .innerJoin('reports', 'reports.id', 'case_reports.report_id')
        .select(['reports.reference', 'reports.category'])
        .where('case_reports.case_id', '=', row.id)
        .execute();
      const exhibits = await db
        .selectFrom('exhibits')
        .selectAll()
        .where('case_id', '=', row.id)
        .orderBy('id')
        .execute();
      return {
        reference: row.reference,
        title: row.title,
        unit: row.unit_id,
        officer_in_charge: row.officer_in_charge,
        status: row.status,
        outcome: row.outcome,
        restricted: row.restricted === 1,
        reports,
        exhibits: exhibits.map((e) => ({
          id: e.id,
          exhibit_ref: e.exhibit_ref,
          kind: e.kind,
          description: e.description,
          seized_by: e.seized_by,
          seized_at: e.seized_at,
          seized_where: e.seized_where,
          seal_numbers: e.seal_numbers === '' ? [] : e.seal_numbers.split(','),
        })),
        custody_entries: row.custody_count,
      };
    },

    async addExhibit(
      staff: StaffMember,
      reference: string,
      input: {
        initials: string;
        kind: string;
        description: string;
        seizedAt: string;
        seizedWhere: string;
        sealNumbers: string[];
      },
    ) {
      const row = await visibleCase(staff, reference);
      if (row === null) throw new CaseError(404, 'No case with that reference is available to you');
      const existing = await db
        .selectFrom('exhibits')
        .select('exhibit_ref')
        .where('case_id', '=', row.id)
        .where('exhibit_ref', 'like', `${input.initials}/%`)
        .execute();
      const exhibitRef = `${input.initials}/${existing.length + 1}`;
      const created = await db
        .insertInto('exhibits')
        .values({
          case_id: row.id,
          exhibit_ref: exhibitRef,
          kind: input.kind,
          description: input.description,
          seized_by: staff.email,
          seized_at: input.seizedAt,
          seized_where: input.seizedWhere,
          seal_numbers: input.sealNumbers.join(','),
          created_at: clock().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await append(row.id, {
        exhibitId: created.id,
        exhibitRef,
        event: 'seized',
        actor: staff.email,
        at: input.seizedAt,
        location: input.seizedWhere,
        note: input.sealNumbers.length > 0 ? `sealed: ${input.sealNumbers.join(', ')}` : '',
      });
      await audit(staff, 'exhibit-added', row.reference, exhibitRef);
      return { id: created.id, exhibit_ref: exhibitRef };
    },

    async addCustody(
      staff: StaffMember,
      exhibitId: number,
      input: { event: CustodyEvent; at: string; location: string; note: string },
    ) {
      const found = await exhibitFor(staff, exhibitId);
      if (found === null) throw new CaseError(404, 'No exhibit with that id is available to you');
      const entry = await append(found.caseRow.id, {
        exhibitId,
        exhibitRef: found.exhibit.exhibit_ref,
        actor: staff.email,
        ...input,
      });
      return entryJson(entry);
    },

    /** A file derived from an exhibit (extraction report, image), stored by SHA-256 and logged in the chain. */
    async addFile(staff: StaffMember, exhibitId: number, fileName: string, content: Uint8Array) {
      const found = await exhibitFor(staff, exhibitId);
      if (found === null) throw new CaseError(404, 'No exhibit with that id is available to you');
      const sha256 = createHash('sha256').update(content).digest('hex');
      await storeEvidenceBlob(db, sha256, content, clock());
      const entry = await append(found.caseRow.id, {
        exhibitId,
        exhibitRef: found.exhibit.exhibit_ref,
        event: 'file-added',
        actor: staff.email,
        at: clock().toISOString(),
        location: 'evidence store',
        note: '',
        fileSha256: sha256,
        fileName,
      });
      return entryJson(entry);
    },

    async custody(staff: StaffMember, exhibitId: number) {
      const found = await exhibitFor(staff, exhibitId);
      if (found === null) return null;
      await audit(staff, 'read-custody', found.caseRow.reference, found.exhibit.exhibit_ref);
      const entries = (await chainOf(found.caseRow.id)).filter(
        (e) => e.exhibitRef === found.exhibit.exhibit_ref,
      );
      return {
        exhibit: found.exhibit.exhibit_ref,
        case: found.caseRow.reference,
        entries: entries.map(entryJson),
      };
    },

    /** Re-computes the chain and every stored file's SHA-256 (CLI; no staff scope: run by the evidence officer). */
    async verify(reference: string): Promise<VerifyResult | null> {
      const row = await caseQuery(db, reference).executeTakeFirst();
      if (row === undefined) return null;
      const entries = await chainOf(row.id);
      const files = entries.filter((e) => e.fileSha256 !== null);
      const result = { case: row.reference, entries: entries.length, files: files.length };
      const chain = verifyChain(entries, { hash: row.custody_head, count: row.custody_count });
      if (!chain.ok) return { ...result, ok: false, broken: chain.problem };
      for (const file of files) {
        const blob = await db
          .selectFrom('evidence_blobs')
          .select('content')
          .where('sha256', '=', file.fileSha256 ?? '')
          .executeTakeFirst();
        if (blob === undefined)
          return {
            ...result,
            ok: false,
            broken: `file ${file.fileName ?? ''} (entry ${file.seq}) is missing`,
          };
        const actual = createHash('sha256').update(blob.content).digest('hex');
        if (actual !== file.fileSha256)
          return {
            ...result,
            ok: false,
            broken: `file ${file.fileName ?? ''} (entry ${file.seq}) has been changed`,
          };
      }
      return { ...result, ok: true };
    },

    /** The prosecutor's bundle: exhibits' files, manifest.json and a readable manifest.html with the whole log. */
    async exportCase(reference: string, dir: string): Promise<{ files: number; entries: number } | null> {
      const row = await caseQuery(db, reference).executeTakeFirst();
      if (row === undefined) return null;
      const entries = await chainOf(row.id);
      const exhibits = await db
        .selectFrom('exhibits')
        .selectAll()
        .where('case_id', '=', row.id)
        .orderBy('id')
        .execute();
      await mkdir(join(dir, 'files'), { recursive: true });
      const files: { file: string; sha256: string; exhibit: string }[] = [];
      for (const entry of entries) {
        if (entry.fileSha256 === null) continue;
        const blob = await db
          .selectFrom('evidence_blobs')
          .select('content')
          .where('sha256', '=', entry.fileSha256)
          .executeTakeFirst();
        if (blob === undefined) continue;
        const name = `${entry.fileSha256}-${(entry.fileName ?? 'file').replace(/[^A-Za-z0-9._-]/g, '_')}`;
        await writeFile(join(dir, 'files', name), blob.content);
        files.push({ file: `files/${name}`, sha256: entry.fileSha256, exhibit: entry.exhibitRef });
      }
      const manifest = {
        case: row.reference,
        title: row.title,
        exported_at: clock().toISOString(),
        hash_algorithm: 'SHA-256',
        chain: {
          rule: 'hash = SHA-256 of the JSON array [case, seq, exhibit, event, actor, at, location, note, file_sha256, file_name, prev_hash]; the first prev_hash is 64 zeros',
          head: row.custody_head,
          entries: entries.length,
        },
        exhibits: exhibits.map((e) => ({
          exhibit_ref: e.exhibit_ref,
          kind: e.kind,
          description: e.description,
          seized_by: e.seized_by,
          seized_at: e.seized_at,
          seized_where: e.seized_where,
          seal_numbers: e.seal_numbers === '' ? [] : e.seal_numbers.split(','),
        })),
        files,
        custody_log: entries.map(entryJson),
      };
      await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      await writeFile(join(dir, 'manifest.html'), manifestHtml(manifest));
      return { files: files.length, entries: entries.length };
    },
  };
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function manifestHtml(manifest: {
  case: string;
  title: string;
  exported_at: string;
  files: { file: string; sha256: string; exhibit: string }[];
  custody_log: Record<string, unknown>[];
}): string {
  const rows = manifest.custody_log
    .map(
      (e) =>
        `<tr>${['seq', 'exhibit', 'event', 'actor', 'at', 'location', 'note', 'file_name', 'hash']
          .map((k) => `<td>${escapeHtml(String(e[k] ?? ''))}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  const files = manifest.files
    .map(
      (f) =>
        `<tr><td>${escapeHtml(f.exhibit)}</td><td>${escapeHtml(f.file)}</td><td><code>${f.sha256}</code></td></tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Evidence bundle ${escapeHtml(manifest.case)}</title>
<style>body{font-family:Arial,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #b1b4b6;padding:4px;text-align:left;vertical-align:top;font-size:14px}code{word-break:break-all}</style></head>
<body><h1>Evidence bundle: ${escapeHtml(manifest.case)}</h1><p>${escapeHtml(manifest.title)}. Exported ${escapeHtml(manifest.exported_at)}.</p>
<p>Check each file's SHA-256 against the table below (for example with <code>sha256sum</code>), and the chain with manifest.json: each entry's hash is the SHA-256 of the JSON array [case, seq, exhibit, event, actor, at, location, note, file_sha256, file_name, prev_hash].</p>
<h2>Files</h2><table><thead><tr><th>Exhibit</th><th>File</th><th>SHA-256</th></tr></thead><tbody>
${files}
</tbody></table>
<h2>Chain of custody</h2><table><thead><tr><th>#</th><th>Exhibit</th><th>Event</th><th>By</th><th>At</th><th>Where</th><th>Note</th><th>File</th><th>Hash</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
}

export type Investigations = ReturnType<typeof createInvestigations>;
