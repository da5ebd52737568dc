/**
 * Digital forensics: asking the case's unit's queue to examine an exhibit, examiners taking requests on and
 * completing them (an `examined` custody entry in the same transaction), and the queue with its turnaround.
 */
import { canWorkCases, type StaffMember } from '../../domain/access/access-policy.ts';
import { ServiceError } from '../service-error.ts';
import type { InvestigationsContext } from './context.ts';
import { examinedNote, SYSTEM_LOCATIONS, type CustodyChain } from './custody.ts';

export function createForensics({ db, clock, repos, access }: InvestigationsContext, custody: CustodyChain) {
  return {
    /** A request to the force's digital forensics queue to examine an exhibit. */
    async requestExamination(
      staff: StaffMember,
      exhibitId: number,
      input: { what: string; why: string; priority: string; legalAuthority: string },
    ) {
      return db.transaction().execute(async (trx) => {
        const found = await access.requireExhibit(trx, staff, exhibitId);
        const id = await repos.forensics.insertForensicRequest(trx, {
          case_id: found.row.id,
          exhibit_id: exhibitId,
          unit_id: found.row.unit_id,
          what: input.what,
          why: input.why,
          priority: input.priority,
          legal_authority: input.legalAuthority,
          status: 'requested',
          requested_by: staff.email,
          requested_at: clock().toISOString(),
          examiner: null,
          findings: null,
          completed_at: null,
        });
        await repos.audit.writeAudit(trx, {
          at: clock().toISOString(),
          actor: staff.email,
          forceId: staff.forceId,
          action: 'examination-requested',
          reference: found.row.reference,
          detail: found.exhibit.exhibit_ref,
        });
        return id;
      });
    },

    /**
     * An examiner takes a request in their unit's queue on, completes it with findings (an `examined` custody
     * entry), or rejects it: only for a case they can see, checked in the transaction that writes.
     */
    async updateExamination(
      staff: StaffMember,
      requestId: number,
      update: { status: 'in-progress' | 'complete' | 'rejected'; findings?: string },
    ) {
      await db.transaction().execute(async (trx) => {
        const { row, request } = await access.requireExaminable(trx, staff, requestId);
        if (request.status === 'complete' || request.status === 'rejected')
          throw new ServiceError('conflict', 'examination-finished', 'This examination is already finished', {
            field: 'status',
          });
        if (update.status === 'complete' && (update.findings ?? '').trim() === '')
          throw new ServiceError(
            'invalid',
            'examination-findings',
            'A completed examination needs the findings',
            {
              field: 'findings',
            },
          );
        const done = update.status !== 'in-progress';
        await repos.forensics.updateForensicRequest(trx, requestId, {
          status: update.status,
          examiner: staff.email,
          findings: update.findings ?? request.findings,
          completed_at: done ? clock().toISOString() : null,
        });
        if (update.status === 'complete') {
          const exhibit = await repos.exhibits.findExhibitById(trx, request.exhibit_id);
          if (exhibit === undefined) throw new Error(`examination ${requestId} has no exhibit`);
          await custody.append(trx, row, {
            exhibitId: request.exhibit_id,
            exhibitRef: exhibit.exhibit_ref,
            event: 'examined',
            actor: staff.email,
            at: clock().toISOString(),
            location: SYSTEM_LOCATIONS.forensics,
            note: examinedNote(requestId),
          });
        }
        await repos.audit.writeAudit(trx, {
          at: clock().toISOString(),
          actor: staff.email,
          forceId: staff.forceId,
          action: `examination-${update.status}`,
          reference: row.reference,
          detail: String(requestId),
        });
      });
    },

    /** The unit's forensics queue with each request's turnaround and the queue's median, in hours. */
    async examinationQueue(staff: StaffMember) {
      if (staff.unitId === null || !canWorkCases(staff)) return { requests: [], medianTurnaroundHours: null };
      const rows = await repos.forensics.forensicQueueOf(db, { unitId: staff.unitId, email: staff.email });
      const hours = (r: { requested_at: string; completed_at: string | null }) =>
        r.completed_at === null
          ? null
          : (Date.parse(r.completed_at) - Date.parse(r.requested_at)) / 3_600_000;
      const done = rows.flatMap((r) => {
        const h = hours(r);
        return h === null ? [] : [h];
      });
      done.sort((a, b) => a - b);
      const median = done.length === 0 ? null : (done[Math.floor((done.length - 1) / 2)] ?? null);
      return {
        requests: rows.map((r) => ({
          id: r.id,
          case: r.reference,
          exhibit: r.exhibit_ref,
          restricted: r.restricted === 1,
          what: r.what,
          priority: r.priority,
          status: r.status,
          requestedAt: r.requested_at,
          turnaroundHours: hours(r),
        })),
        medianTurnaroundHours: median,
      };
    },
  };
}
