/**
 * A report's evidence files for the officers who may read the report: downloading one and previewing text, emails
 * and images. Every look at a file's content asks why, and the audit row (what, the file's SHA-256, the reason) is
 * committed in the transaction that reads the bytes, before they are handed back; a report this person may not
 * read answers exactly like one that does not exist. Images of the restricted categories are shown only to a case
 * team holding the report (`canPreviewEvidenceImages`). How files are served: domain/evidence/file-response.ts.
 * Making a file an exhibit is the investigations' (`addReportEvidence`).
 */
import { cleanAccessReason } from '../domain/access/access-reason.ts';
import { createHash } from 'node:crypto';
import type { Db, DbOrTrx, Dialect } from '../db/database.ts';
import type { ReportEvidenceRow } from '../db/repositories/evidence-repository.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { ReportRow } from '../db/repositories/report-repository.ts';
import { canPreviewEvidenceImages, type StaffMember } from '../domain/access/access-policy.ts';
import { previewEml, previewText, type EmlPreview } from '../domain/evidence/eml-preview.ts';
import { previewKindOf, servedContentType, type PreviewKind } from '../domain/evidence/file-response.ts';
import { createCaseAccess } from './investigations/access.ts';
import { createReportAccess, reportNotFound } from './report-access.ts';
import { ServiceError } from './service-error.ts';

/** The longest reason kept (as the other reasons staff give). */
export const MAX_REASON_CHARS = 2000;

const evidenceNotFound = () =>
  new ServiceError('not-found', 'evidence-not-found', 'No such evidence file in this report');

export type EvidencePreview =
  | { kind: 'text'; text: string; truncated: boolean }
  | { kind: 'email'; email: EmlPreview | null }
  | { kind: 'image' };

export function createReportEvidence(
  db: Db,
  dialect: Dialect,
  clock: () => Date,
  repos: Repositories = repositories,
) {
  const reportAccess = createReportAccess(dialect, repos);
  const caseAccess = createCaseAccess(dialect, repos);

  /** The report and its file, or not-found (for a report this person may not read too). Writes nothing. */
  async function locate(q: DbOrTrx, staff: StaffMember, reference: string, evidenceId: number) {
    const report = await reportAccess.findVisibleReport(q, staff, reference);
    if (report === null) throw reportNotFound();
    const item = await repos.evidence.findReportEvidence(q, report.id, evidenceId);
    if (item === undefined) throw evidenceNotFound();
    return { report, item };
  }

  async function imagesAllowed(q: DbOrTrx, staff: StaffMember, report: ReportRow): Promise<boolean> {
    const scopes = [];
    for (const row of await repos.cases.casesHoldingReport(q, report.id))
      scopes.push(await caseAccess.scopeOf(q, row));
    return canPreviewEvidenceImages(
      staff,
      { unitId: report.unit_id, forceId: report.force_id, category: report.category },
      scopes,
    );
  }

  /** The stored bytes, which must still be the file the report names (retention may have removed them). */
  async function contentOf(q: DbOrTrx, item: ReportEvidenceRow): Promise<Uint8Array> {
    const content = await repos.evidence.findEvidenceBlob(q, item.sha256);
    if (content === undefined || createHash('sha256').update(content).digest('hex') !== item.sha256)
      throw new ServiceError('conflict', 'evidence-unavailable', 'The evidence file is no longer stored');
    return content;
  }

  function checkedReason(input: string): string {
    // No control or invisible character counts as a reason, or reaches the audit detail.
    const reason = cleanAccessReason(input);
    if (reason === '')
      throw new ServiceError('invalid', 'evidence-reason', 'Give the reason for opening the file', {
        field: 'reason',
      });
    if (reason.length > MAX_REASON_CHARS)
      throw new ServiceError('invalid', 'evidence-reason-long', 'The reason is too long', {
        field: 'reason',
        params: { max: MAX_REASON_CHARS },
      });
    return reason;
  }

  /** Checks, reads and audits in one transaction; the bytes are handed back only once the audit row is committed. */
  function audited<T>(
    staff: StaffMember,
    reference: string,
    evidenceId: number,
    reasonInput: string,
    action: { name: string; what: string },
    read: (trx: DbOrTrx, found: { report: ReportRow; item: ReportEvidenceRow }) => Promise<T>,
  ): Promise<T> {
    return db.transaction().execute(async (trx) => {
      const found = await locate(trx, staff, reference, evidenceId);
      const reason = checkedReason(reasonInput);
      const result = await read(trx, found);
      const { item, report } = found;
      // Last: the audit writer holds the chain's head until commit.
      await repos.audit.writeAudit(trx, {
        at: clock(),
        actor: staff.email,
        action: action.name,
        reference: report.reference,
        forceId: report.force_id,
        detail: `${action.what}: ${item.file_name} (SHA-256 ${item.sha256}); reason: ${reason}`,
      });
      return result;
    });
  }

  return {
    /**
     * What the file's page shows before anything is opened (name, stored type, size, SHA-256, when received, what
     * it may be previewed as), or null when it is not available to this person. Writes nothing: it shows only
     * what the (audited) report view lists.
     */
    async describe(staff: StaffMember, reference: string, evidenceId: number) {
      try {
        const { report, item } = await locate(db, staff, reference, evidenceId);
        const preview = previewKindOf(item.content_type);
        return {
          report: report.reference,
          id: item.id,
          fileName: item.file_name,
          contentType: servedContentType(item.content_type),
          size: item.size,
          sha256: item.sha256,
          receivedAt: item.created_at,
          preview,
          imagesAllowed: preview === 'image' && (await imagesAllowed(db, staff, report)),
        };
      } catch (error) {
        if (error instanceof ServiceError && error.kind === 'not-found') return null;
        throw error;
      }
    },

    /**
     * The report's files (the staff API's list): what the report view shows of them, read with a reason and audited
     * (`list-evidence`) in the same transaction, as the view's read is; not-found for a report this person may not
     * read, before the reason is looked at.
     */
    async list(staff: StaffMember, reference: string, reasonInput: string) {
      return db.transaction().execute(async (trx) => {
        const report = await reportAccess.findVisibleReport(trx, staff, reference);
        if (report === null) throw reportNotFound();
        const reason = checkedReason(reasonInput);
        const files = await repos.evidence.evidenceOfReport(trx, report.id);
        // Last: the audit writer holds the chain's head until commit.
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor: staff.email,
          action: 'list-evidence',
          reference: report.reference,
          forceId: report.force_id,
          detail: `${String(files.length)} file(s) listed; reason: ${reason}`,
        });
        return {
          reference: report.reference,
          files: files.map((e) => ({
            id: e.id,
            fileName: e.file_name,
            contentType: servedContentType(e.content_type),
            size: e.size,
            sha256: e.sha256,
            receivedAt: e.created_at,
          })),
        };
      });
    },

    /** The file to download, with the type it was stored with: audited (`download-evidence`) with the reason. */
    async download(staff: StaffMember, reference: string, evidenceId: number, reason: string) {
      return audited(
        staff,
        reference,
        evidenceId,
        reason,
        { name: 'download-evidence', what: 'download' },
        async (trx, { item }) => ({
          fileName: item.file_name,
          contentType: servedContentType(item.content_type),
          sha256: item.sha256,
          content: await contentOf(trx, item),
        }),
      );
    },

    /**
     * Text and emails as text for an escaping page; for an image, leave to show it (then `image`). Audited
     * (`preview-evidence`) with the reason. Refused for other types, and for images of the restricted categories
     * unless this person is on the team of a case holding the report (forbidden, nothing written).
     */
    async preview(
      staff: StaffMember,
      reference: string,
      evidenceId: number,
      reason: string,
    ): Promise<EvidencePreview> {
      const read = await audited(
        staff,
        reference,
        evidenceId,
        reason,
        { name: 'preview-evidence', what: 'preview' },
        async (trx, { report, item }): Promise<{ kind: PreviewKind; content: Uint8Array | null }> => {
          const kind = previewKindOf(item.content_type);
          if (kind === null)
            throw new ServiceError('invalid', 'evidence-no-preview', 'This type of file cannot be previewed');
          if (kind !== 'image') return { kind, content: await contentOf(trx, item) };
          if (!(await imagesAllowed(trx, staff, report)))
            throw new ServiceError(
              'forbidden',
              'evidence-image-restricted',
              'Images in reports of this type are shown only to the team of a case that holds the report',
            );
          return { kind, content: null };
        },
      );
      if (read.kind === 'image' || read.content === null) return { kind: 'image' };
      if (read.kind === 'email') return { kind: 'email', email: await previewEml(Buffer.from(read.content)) };
      return { kind: 'text', ...previewText(read.content) };
    },

    /**
     * An image's bytes for the page a `preview` has just opened (the route checks the person asked for it there):
     * only an allowlisted image type, only for someone who may see it now. Writes nothing: the preview was audited.
     */
    async image(staff: StaffMember, reference: string, evidenceId: number) {
      const { report, item } = await locate(db, staff, reference, evidenceId);
      if (previewKindOf(item.content_type) !== 'image' || !(await imagesAllowed(db, staff, report)))
        throw evidenceNotFound();
      return {
        fileName: item.file_name,
        contentType: servedContentType(item.content_type),
        content: await contentOf(db, item),
      };
    },
  };
}

export type ReportEvidence = ReturnType<typeof createReportEvidence>;
