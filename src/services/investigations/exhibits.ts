/**
 * Exhibits: recording what was seized (with its `seized` custody entry, in the same transaction) and files derived
 * from an exhibit, stored once by SHA-256 (with the MD5 many hash lists give) and logged in the chain.
 */
import { createHash } from 'node:crypto';
import type { DbOrTrx } from '../../db/database.ts';
import type { StaffMember } from '../../domain/access/access-policy.ts';
import { isServiceError, ServiceError } from '../service-error.ts';
import type { InvestigationsContext } from './context.ts';
import {
  custodyEntry,
  receivedOnlineNote,
  sealedNote,
  SYSTEM_LOCATIONS,
  type CustodyChain,
  type CustodyEntry,
} from './custody.ts';

const sha256Of = (content: Uint8Array) => createHash('sha256').update(content).digest('hex');
const md5Of = (content: Uint8Array) => createHash('md5').update(content).digest('hex');

export const EXHIBIT_KINDS = [
  'phone',
  'laptop',
  'storage',
  'cloud-export',
  'call-data-records',
  'other',
] as const;

export function createExhibits(
  { db, clock, repos, access, reportAccess }: InvestigationsContext,
  custody: CustodyChain,
) {
  const exhibits = {
    /** Records a seized exhibit and its `seized` custody entry; numbered by the officer's initials (`JS/1`). */
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
      return db.transaction().execute(async (trx) => {
        const { row } = await access.requireCase(trx, staff, reference);
        const exhibitRef = `${input.initials}/${(await repos.exhibits.countExhibitsWithInitials(trx, row.id, input.initials)) + 1}`;
        const id = await repos.exhibits.insertExhibit(trx, {
          case_id: row.id,
          exhibit_ref: exhibitRef,
          kind: input.kind,
          description: input.description,
          seized_by: staff.email,
          seized_at: input.seizedAt,
          seized_where: input.seizedWhere,
          seal_numbers: input.sealNumbers.join(','),
          created_at: clock().toISOString(),
        });
        await custody.append(trx, row, {
          exhibitId: id,
          exhibitRef,
          event: 'seized',
          actor: staff.email,
          at: input.seizedAt,
          location: input.seizedWhere,
          note: input.sealNumbers.length > 0 ? sealedNote(input.sealNumbers) : '',
        });
        await repos.audit.writeAudit(trx, {
          at: clock().toISOString(),
          actor: staff.email,
          forceId: staff.forceId,
          action: 'exhibit-added',
          reference: row.reference,
          detail: exhibitRef,
        });
        return { id, exhibitRef };
      });
    },

    /** A file derived from an exhibit (extraction report, image), stored by SHA-256 and logged in the chain. */
    async addFile(
      staff: StaffMember,
      exhibitId: number,
      fileName: string,
      content: Uint8Array,
    ): Promise<CustodyEntry> {
      const [entry] = await addFiles(staff, exhibitId, [{ name: fileName, content }]);
      if (entry === undefined) throw new Error('a file was added but no custody entry came back');
      return entry;
    },

    addFiles,

    /**
     * Makes a report's evidence file an exhibit of one of this person's cases, in one transaction: the exhibit, the
     * same bytes stored through the exhibit file path (same SHA-256, with its MD5), a `received` custody entry
     * naming the file ("received from victim via online report <reference>", at the time the report gave it)
     * and the audit row. The report must be one this person may read (else not-found, as for no report) and the
     * case one they work (else `exhibit-case-unknown` on `case`, the same for a case that does not exist).
     */
    async addReportEvidence(
      staff: StaffMember,
      input: { report: string; evidenceId: number; case: string; initials: string },
    ) {
      return db.transaction().execute(async (trx) => {
        const report = await reportAccess.requireReport(trx, staff, input.report);
        const evidence = await repos.evidence.findReportEvidence(trx, report.id, input.evidenceId);
        if (evidence === undefined)
          throw new ServiceError('not-found', 'evidence-not-found', 'No such evidence file in this report');
        const { row } = await access.requireCase(trx, staff, input.case).catch((error: unknown) => {
          throw isServiceError(error) && error.kind === 'not-found'
            ? new ServiceError('invalid', 'exhibit-case-unknown', 'Choose one of your cases', {
                field: 'case',
              })
            : error;
        });
        const content = await repos.evidence.findEvidenceBlob(trx, evidence.sha256);
        // Retention may have removed it; an exhibit must hold exactly the bytes the victim gave.
        if (content === undefined || sha256Of(content) !== evidence.sha256)
          throw new ServiceError('conflict', 'evidence-unavailable', 'The evidence file is no longer stored');
        const note = receivedOnlineNote(report.reference);
        if (
          await repos.custody.caseHasFileEntry(trx, row.id, {
            event: 'received',
            note,
            fileSha256: evidence.sha256,
          })
        )
          throw new ServiceError('conflict', 'evidence-already-exhibit', 'The file is already in this case', {
            field: 'case',
          });
        const exhibitRef = `${input.initials}/${(await repos.exhibits.countExhibitsWithInitials(trx, row.id, input.initials)) + 1}`;
        const id = await repos.exhibits.insertExhibit(trx, {
          case_id: row.id,
          exhibit_ref: exhibitRef,
          kind: 'other',
          description: `${evidence.file_name}: evidence file of online report ${report.reference}`,
          seized_by: staff.email,
          seized_at: evidence.created_at,
          seized_where: SYSTEM_LOCATIONS.onlineReport,
          seal_numbers: '',
          created_at: clock().toISOString(),
        });
        await storeFile(trx, { sha256: evidence.sha256, md5: md5Of(content), content });
        await custody.append(trx, row, {
          exhibitId: id,
          exhibitRef,
          event: 'received',
          actor: staff.email,
          at: evidence.created_at,
          location: SYSTEM_LOCATIONS.onlineReport,
          note,
          fileSha256: evidence.sha256,
          fileName: evidence.file_name,
        });
        await repos.audit.writeAudit(trx, {
          at: clock().toISOString(),
          actor: staff.email,
          forceId: staff.forceId,
          action: 'exhibit-from-report',
          reference: report.reference,
          detail: `${row.reference} ${exhibitRef}: ${evidence.sha256}`,
        });
        return { case: row.reference, id, exhibitRef };
      });
    },
  };

  /** The exhibit file path: the bytes stored once by SHA-256, with the MD5 many hash lists give. */
  async function storeFile(trx: DbOrTrx, file: { sha256: string; md5: string; content: Uint8Array }) {
    await repos.evidence.storeEvidenceBlob(trx, file.sha256, file.content, clock());
    await repos.custody.keepFileMd5(trx, file.sha256, file.md5);
  }

  /**
   * Files derived from an exhibit, stored by SHA-256 (with their MD5) and each logged in the chain: one
   * transaction for them all, with one audit row, so an upload of several files is kept whole or not at all.
   */
  async function addFiles(
    staff: StaffMember,
    exhibitId: number,
    files: readonly { name: string; content: Uint8Array }[],
  ): Promise<CustodyEntry[]> {
    const hashed = files.map((file) => ({
      name: file.name,
      content: file.content,
      sha256: sha256Of(file.content),
      md5: md5Of(file.content),
    }));
    return db.transaction().execute(async (trx) => {
      const found = await access.requireExhibit(trx, staff, exhibitId);
      const entries: CustodyEntry[] = [];
      for (const file of hashed) {
        await storeFile(trx, file);
        const entry = await custody.append(trx, found.row, {
          exhibitId,
          exhibitRef: found.exhibit.exhibit_ref,
          event: 'file-added',
          actor: staff.email,
          at: clock().toISOString(),
          location: SYSTEM_LOCATIONS.evidenceStore,
          note: '',
          fileSha256: file.sha256,
          fileName: file.name,
        });
        entries.push(custodyEntry(entry));
      }
      await repos.audit.writeAudit(trx, {
        at: clock().toISOString(),
        actor: staff.email,
        forceId: staff.forceId,
        action: 'exhibit-file-added',
        reference: found.row.reference,
        detail: `${found.exhibit.exhibit_ref}: ${hashed.map((f) => f.sha256).join(', ')}`,
      });
      return entries;
    });
  }

  return exhibits;
}
