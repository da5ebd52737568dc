/**
 * Exhibits: recording what was seized (with its `seized` custody entry, in the same transaction) and files derived
 * from an exhibit, stored once by SHA-256 (with the MD5 many hash lists give) and logged in the chain.
 */
import { createHash } from 'node:crypto';
import type { StaffMember } from '../../domain/access/access-policy.ts';
import type { InvestigationsContext } from './context.ts';
import {
  custodyEntry,
  sealedNote,
  SYSTEM_LOCATIONS,
  type CustodyChain,
  type CustodyEntry,
} from './custody.ts';

export const EXHIBIT_KINDS = [
  'phone',
  'laptop',
  'storage',
  'cloud-export',
  'call-data-records',
  'other',
] as const;

export function createExhibits({ db, clock, repos, access }: InvestigationsContext, custody: CustodyChain) {
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
  };

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
      sha256: createHash('sha256').update(file.content).digest('hex'),
      md5: createHash('md5').update(file.content).digest('hex'),
    }));
    return db.transaction().execute(async (trx) => {
      const found = await access.requireExhibit(trx, staff, exhibitId);
      const entries: CustodyEntry[] = [];
      for (const file of hashed) {
        await repos.evidence.storeEvidenceBlob(trx, file.sha256, file.content, clock());
        await repos.custody.keepFileMd5(trx, file.sha256, file.md5);
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
