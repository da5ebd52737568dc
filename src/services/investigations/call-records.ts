/**
 * Call data records of an exhibit: CSV import (parsing in domain/investigations/call-records.ts), a timeline, and
 * marking the events that place the number near a place and time (distance maths in domain/investigations/).
 */
import { camelKeys } from '../camel-keys.ts';
import type { StaffMember } from '../../domain/access/access-policy.ts';
import { CallRecordsError, parseCdr } from '../../domain/investigations/call-records.ts';
import { eventsNear } from '../../domain/investigations/distance.ts';
import { ServiceError } from '../service-error.ts';
import type { InvestigationsContext } from './context.ts';

/** The parser's refusal as the service's: on the `csv` field, with its code and params for pages. */
function readCdr(csv: string) {
  try {
    return parseCdr(csv);
  } catch (error) {
    if (error instanceof CallRecordsError)
      throw new ServiceError('invalid', error.code, error.message, { field: 'csv', params: error.params });
    throw error;
  }
}

export function createCallRecords({ db, clock, repos, access }: InvestigationsContext) {
  return {
    /** Imports call data records or cell-site events for an exhibit (columns in docs/investigations.md). */
    async importCdr(staff: StaffMember, exhibitId: number, csv: string): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const found = await access.requireExhibit(trx, staff, exhibitId);
        const records = readCdr(csv);
        await repos.callRecords.insertCallRecords(trx, exhibitId, records);
        await repos.audit.writeAudit(trx, {
          at: clock().toISOString(),
          actor: staff.email,
          forceId: staff.forceId,
          action: 'cdr-imported',
          reference: found.row.reference,
          detail: `${found.exhibit.exhibit_ref}: ${records.length} events`,
        });
        return records.length;
      });
    },

    /** Marks events placing the number within `radiusM` metres of a point between two times. */
    async markNear(
      staff: StaffMember,
      exhibitId: number,
      place: { lat: number; lon: number; radiusM: number; from: string; to: string; note: string },
    ): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const found = await access.requireExhibit(trx, staff, exhibitId);
        const events = await repos.callRecords.callRecordsBetween(trx, exhibitId, place.from, place.to);
        const near = eventsNear(events, place);
        await repos.callRecords.markCallRecords(
          trx,
          near.map((e) => e.id),
          place.note,
        );
        await repos.audit.writeAudit(trx, {
          at: clock().toISOString(),
          actor: staff.email,
          forceId: staff.forceId,
          action: 'cdr-marked',
          reference: found.row.reference,
          detail: `${found.exhibit.exhibit_ref}: ${near.length} events`,
        });
        return near.length;
      });
    },

    /** How many call data records an exhibit has, and how many are marked (null when it is not available). */
    async cdrSummary(staff: StaffMember, exhibitId: number) {
      return (await access.findVisibleExhibit(db, staff, exhibitId)) === null
        ? null
        : repos.callRecords.callRecordCounts(db, exhibitId);
    },

    /**
     * An exhibit's call data records, oldest first: all of them, or one page (optionally only the marked ones),
     * with how many there are and how many are marked.
     */
    async timeline(
      staff: StaffMember,
      exhibitId: number,
      page?: { offset: number; limit: number; markedOnly: boolean },
    ) {
      // One transaction: what was read and its audit row (last: it holds the chain's head) commit together.
      return db.transaction().execute(async (trx) => {
        const found = await access.findVisibleExhibit(trx, staff, exhibitId);
        if (found === null) return null;
        const events = await repos.callRecords.callRecordTimeline(trx, exhibitId, page);
        const counts = await repos.callRecords.callRecordCounts(trx, exhibitId);
        await repos.audit.writeAudit(trx, {
          at: clock().toISOString(),
          actor: staff.email,
          forceId: staff.forceId,
          action: 'read-cdr',
          reference: found.row.reference,
          detail: found.exhibit.exhibit_ref,
        });
        return {
          exhibit: found.exhibit.exhibit_ref,
          ...counts,
          events: events.map((e) => ({ ...camelKeys(e), marked: e.marked === 1 })),
        };
      });
    },
  };
}
