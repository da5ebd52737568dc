/**
 * A supplier's side of its taskings (issue 22, MSP), for the partner portal: only its own taskings, and only once
 * approved. It reads what it needs to do the work (capability, scope, deadline, cap, the requesting unit, the
 * authorising officer, the released exhibits' files), never the case, its reports or anything about the victims.
 * It accepts, downloads the released files (audited), returns deliverables — each becomes an exhibit `MSP<n>/<k>`
 * of the case with the custody entry "received from <supplier>" and its SHA-256, in one transaction — logs its time
 * and cost as it goes (time-log.ts), and says when it has finished, with its days and cost.
 */
import { createHash } from 'node:crypto';
import type { DbOrTrx } from '../../db/database.ts';
import type { TaskingRow } from '../../db/repositories/supplier-repository.ts';
import type { ReferenceData } from '../../reference-data/reference-data.ts';
import type { PartnerUser, PortalPartner } from '../../domain/access/access-policy.ts';
import { MAX_FILE_BYTES, MAX_FILES_PER_REPORT } from '../../domain/evidence/evidence-file.ts';
import {
  deliverableRef,
  isEndedEarly,
  isSupplierStatus,
  SUPPLIER_STATUSES,
} from '../../domain/suppliers/suppliers.ts';
import { ServiceError } from '../service-error.ts';
import {
  capabilityWords,
  invalid,
  logOnCase,
  moveTasking,
  requireTaskingForSupplier,
  supplierSees,
  taskingNotFound,
  type SuppliersContext,
} from './context.ts';
import { endRelease } from './release-ended.ts';
import { queueTaskingEmail } from './tasking-emails.ts';
import { timeLogOf } from './time-log.ts';

const sha256Of = (content: Uint8Array) => createHash('sha256').update(content).digest('hex');
const md5Of = (content: Uint8Array) => createHash('md5').update(content).digest('hex');
/** What the supplier reads (pages and webhook): no case reference, raiser, case content or victim detail. */
export const supplierViewOf = (reference: ReferenceData, row: TaskingRow) => ({
  id: row.id,
  capability: row.capability,
  scope: row.scope,
  deadline: row.deadline,
  budgetCapPence: row.budget_cap_pence,
  dayRatePence: row.day_rate_pence,
  requestingUnit: reference.unit(row.unit_id)?.name ?? row.unit_id,
  authorisedBy: row.approved_by,
  status: row.status,
  approvedAt: row.approved_at,
  acceptedAt: row.accepted_at,
  deliveredAt: row.delivered_at,
  costPence: row.cost_pence,
  daysWorked: row.days_worked,
  endedAt: row.ended_at,
  // Its own reason for declining; a cancellation's reason is the unit's and may speak of the case.
  declinedReason: row.status === 'declined' ? row.ended_reason : null,
});

export const receivedFromSupplierNote = (supplier: string) => `received from ${supplier}`;

export function createSupplierWork(ctx: SuppliersContext) {
  const { db, dialect, clock, reference, repos, custody } = ctx;
  const canLock = dialect === 'postgres';

  const visible = supplierSees;
  const requireForSupplier = (trx: DbOrTrx, user: PartnerUser, partner: PortalPartner, id: number) =>
    requireTaskingForSupplier(ctx, trx, user, partner, id);

  const supplierView = (row: TaskingRow) => supplierViewOf(reference, row);

  /** The released exhibits' files: what the supplier may download (refs, kinds, file names and hashes). */
  async function releasedFiles(q: DbOrTrx, id: number) {
    const exhibits = await repos.suppliers.exhibitsOfTasking(q, id);
    const files = await repos.suppliers.filesOfExhibits(
      q,
      exhibits.map((e) => e.id),
    );
    return exhibits.map((e) => ({
      ref: e.exhibit_ref,
      kind: e.kind,
      files: files
        .filter((f) => f.exhibit_id === e.id)
        .map((f) => ({ name: f.file_name ?? '', sha256: f.file_sha256 ?? '' })),
    }));
  }

  return {
    async forSupplier(user: PartnerUser, partner: PortalPartner) {
      if (!partner.supplier || user.partnerId !== partner.id) return [];
      return (await repos.suppliers.taskingsOfSupplier(db, partner.id, SUPPLIER_STATUSES))
        .filter((row) => isSupplierStatus(row.status, row.approved_at))
        .map(supplierView);
    },

    /** One of the supplier's taskings with its released exhibits and its deliverables; not-found otherwise. */
    async oneForSupplier(user: PartnerUser, partner: PortalPartner, id: number) {
      const row = await repos.suppliers.findTasking(db, id);
      if (!visible(user, partner, row)) throw taskingNotFound();
      return {
        tasking: supplierView(row),
        timeLog: await timeLogOf(ctx, db, id, row.budget_cap_pence),
        exhibits: await releasedFiles(db, id),
        deliverables: (await repos.suppliers.deliverablesOf(db, id)).map((d) => ({
          ref: d.exhibit_ref,
          fileName: d.file_name,
          sha256: d.sha256,
          uploadedAt: d.uploaded_at,
        })),
      };
    },

    async accept(user: PartnerUser, partner: PortalPartner, id: number): Promise<void> {
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const row = await requireForSupplier(trx, user, partner, id);
        const moved = await moveTasking(ctx, trx, row, 'accept', {
          accepted_by: user.email,
          accepted_at: now.toISOString(),
        });
        await logOnCase(ctx, trx, moved, user.email, 'accepted by the supplier', now);
        await queueTaskingEmail(ctx, trx, moved, 'accepted', now);
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: user.email,
          action: 'supplier-tasking-accepted',
          reference: row.case_reference,
          detail: `tasking ${String(id)} by supplier ${String(partner.id)}`,
        });
      });
    },

    /**
     * A released file, for the supplier to download while it works the tasking (audited, in the transaction that
     * reads it). Not-found for a file the tasking did not release.
     */
    async releasedFile(user: PartnerUser, partner: PortalPartner, id: number, sha256: string) {
      const now = clock();
      return db.transaction().execute(async (trx) => {
        const row = await repos.suppliers.findTasking(trx, id);
        // Released only while the supplier works it: not once closed, declined or cancelled.
        if (!visible(user, partner, row) || row.status === 'closed' || isEndedEarly(row.status))
          throw taskingNotFound();
        const file = (await releasedFiles(trx, id))
          .flatMap((e) => e.files.map((f) => ({ ...f, exhibit: e.ref })))
          .find((f) => f.sha256 === sha256);
        const content =
          file === undefined ? undefined : await repos.evidence.findEvidenceBlob(trx, file.sha256);
        if (file === undefined || content === undefined)
          throw new ServiceError('not-found', 'tasking-file-not-found', 'No such file was released to you');
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: user.email,
          action: 'supplier-file-read',
          reference: row.case_reference,
          detail: `tasking ${String(id)}: ${file.exhibit} ${file.sha256} by supplier ${String(partner.id)}`,
        });
        return { name: file.name, content };
      });
    },

    /**
     * Deliverables: each file becomes an exhibit of the tasking's case numbered `MSP<tasking>/<n>`, stored by SHA-256
     * with its "received from <supplier>" custody entry, all files and one audit row in one transaction.
     */
    async deliver(
      user: PartnerUser,
      partner: PortalPartner,
      id: number,
      files: readonly { name: string; content: Uint8Array }[],
    ) {
      if (files.length === 0 || files.length > MAX_FILES_PER_REPORT)
        throw invalid(
          'deliverable-count',
          `return 1 to ${String(MAX_FILES_PER_REPORT)} files at once`,
          'files',
        );
      for (const file of files)
        if (file.content.byteLength === 0 || file.content.byteLength > MAX_FILE_BYTES)
          throw invalid(
            'deliverable-size',
            `each file must hold something and be at most ${String(MAX_FILE_BYTES / 1024 / 1024)} MB`,
            'files',
          );
      const hashed = files.map((f) => ({ ...f, sha256: sha256Of(f.content), md5: md5Of(f.content) }));
      const now = clock();
      return db.transaction().execute(async (trx) => {
        const row = await requireForSupplier(trx, user, partner, id);
        if (row.status !== 'accepted')
          throw new ServiceError(
            'conflict',
            'tasking-state',
            `The tasking is ${row.status}: it cannot take that step now`,
            {
              params: { status: row.status },
            },
          );
        const caseRow = await repos.cases.findCaseById(trx, row.case_id, canLock);
        if (caseRow === undefined) throw taskingNotFound();
        let n = (await repos.suppliers.deliverablesOf(trx, id)).length;
        const made: { ref: string; sha256: string }[] = [];
        for (const file of hashed) {
          n += 1;
          const ref = deliverableRef(id, n);
          const exhibitId = await repos.exhibits.insertExhibit(trx, {
            case_id: row.case_id,
            exhibit_ref: ref,
            kind: 'other',
            description: `${file.name}: deliverable of supplier tasking ${String(id)} from ${row.supplier_name}`,
            seized_by: user.email,
            seized_at: now.toISOString(),
            seized_where: row.supplier_name,
            seal_numbers: '',
            created_at: now.toISOString(),
          });
          await repos.evidence.storeEvidenceBlob(trx, file.sha256, file.content, now);
          await repos.custody.keepFileMd5(trx, file.sha256, file.md5);
          await custody.append(trx, caseRow, {
            exhibitId,
            exhibitRef: ref,
            event: 'received',
            actor: user.email,
            at: now.toISOString(),
            location: row.supplier_name,
            note: receivedFromSupplierNote(row.supplier_name),
            fileSha256: file.sha256,
            fileName: file.name,
          });
          await repos.suppliers.insertDeliverable(trx, {
            tasking_id: id,
            exhibit_id: exhibitId,
            file_name: file.name,
            sha256: file.sha256,
            uploaded_by: user.email,
            uploaded_at: now.toISOString(),
          });
          made.push({ ref, sha256: file.sha256 });
        }
        await logOnCase(
          ctx,
          trx,
          row,
          user.email,
          `deliverables received: ${made.map((m) => m.ref).join(', ')}`,
          now,
        );
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: user.email,
          action: 'supplier-deliverables-received',
          reference: row.case_reference,
          detail: `tasking ${String(id)} by supplier ${String(partner.id)}: ${made.map((m) => `${m.ref} ${m.sha256}`).join(', ')}`,
        });
        return made;
      });
    },

    /**
     * The supplier turns down a tasking it has not accepted, saying why: the release of the shared exhibits ends (a
     * `release-ended` custody entry each), the unit reads the reason and is emailed, in one transaction.
     */
    async decline(user: PartnerUser, partner: PortalPartner, id: number, input: { reason: string }) {
      const reason = input.reason.trim();
      if (reason.length < 5 || reason.length > 2000)
        throw invalid('tasking-reason', 'reason must be 5 to 2,000 characters', 'reason');
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const row = await requireForSupplier(trx, user, partner, id);
        const moved = await moveTasking(ctx, trx, row, 'decline', {
          ended_by: user.email,
          ended_at: now.toISOString(),
          ended_reason: reason,
        });
        const ended = await endRelease(
          ctx,
          trx,
          row,
          user.email,
          `release to ${row.supplier_name} ended: declined by the supplier (tasking ${String(id)}, ${capabilityWords(row.capability)})`,
          now,
        );
        await logOnCase(ctx, trx, moved, user.email, `declined by the supplier: ${reason}`, now);
        await queueTaskingEmail(ctx, trx, moved, 'declined', now);
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: user.email,
          action: 'supplier-tasking-declined',
          reference: row.case_reference,
          detail: `tasking ${String(id)} by supplier ${String(partner.id)}; release ended: ${ended.join(', ') || 'no exhibits'}`,
        });
      });
    },

    /** The supplier has finished: its days worked and cost (no more than the cap), once it has returned something. */
    async complete(
      user: PartnerUser,
      partner: PortalPartner,
      id: number,
      input: { daysWorked: number; costPence: number },
    ): Promise<void> {
      if (!Number.isInteger(input.daysWorked) || input.daysWorked < 1 || input.daysWorked > 366)
        throw invalid('tasking-days', 'days must be a whole number of days worked, 1 or more', 'days');
      if (!Number.isInteger(input.costPence) || input.costPence < 0)
        throw invalid('tasking-cost', 'cost must be an amount of money', 'cost');
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const row = await requireForSupplier(trx, user, partner, id);
        if (input.costPence > row.budget_cap_pence)
          throw new ServiceError(
            'invalid',
            'tasking-cost-over-cap',
            'The cost is more than the tasking’s budget cap',
            {
              field: 'cost',
              params: { cap: (row.budget_cap_pence / 100).toFixed(2) },
            },
          );
        // What it logged as it went is the least it may say the work cost.
        const logged = (await timeLogOf(ctx, trx, id, row.budget_cap_pence)).costPence;
        if (input.costPence < logged)
          throw new ServiceError(
            'invalid',
            'tasking-cost-below-logged',
            'The cost is less than the costs you logged on the tasking',
            { field: 'cost', params: { logged: (logged / 100).toFixed(2) } },
          );
        if (row.status === 'accepted' && (await repos.suppliers.deliverablesOf(trx, id)).length === 0)
          throw new ServiceError(
            'conflict',
            'tasking-no-deliverables',
            'Return your deliverables before saying you have finished',
            {
              field: 'files',
            },
          );
        const moved = await moveTasking(ctx, trx, row, 'complete', {
          delivered_at: now.toISOString(),
          cost_pence: input.costPence,
          days_worked: input.daysWorked,
        });
        await logOnCase(
          ctx,
          trx,
          moved,
          user.email,
          `delivered: ${String(input.daysWorked)} day(s), £${(input.costPence / 100).toFixed(2)}`,
          now,
        );
        await queueTaskingEmail(ctx, trx, moved, 'delivered', now);
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: user.email,
          action: 'supplier-tasking-delivered',
          reference: row.case_reference,
          detail: `tasking ${String(id)} by supplier ${String(partner.id)}: ${String(input.daysWorked)} day(s), ${String(input.costPence)} pence`,
        });
      });
    },
  };
}
