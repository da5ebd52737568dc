/**
 * Call data records of an exhibit: CSV import (parsing in domain/investigations/call-records.ts), a timeline, and
 * marking the events that place the number near a place and time (distance maths in domain/investigations/).
 */
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

export function createCallRecords({ db, repos, access, audit }: InvestigationsContext) {
  return {
    /** Imports call data records or cell-site events for an exhibit (columns in docs/investigations.md). */
    async importCdr(staff: StaffMember, exhibitId: number, csv: string): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const found = await access.requireExhibit(trx, staff, exhibitId);
        const records = readCdr(csv);
        await repos.callRecords.insertCallRecords(trx, exhibitId, records);
        await audit(
          trx,
          staff,
          'cdr-imported',
          found.row.reference,
          `${found.exhibit.exhibit_ref}: ${records.length} events`,
        );
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
        await audit(
          trx,
          staff,
          'cdr-marked',
          found.row.reference,
          `${found.exhibit.exhibit_ref}: ${near.length} events`,
        );
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
      const found = await access.findVisibleExhibit(db, staff, exhibitId);
      if (found === null) return null;
      await audit(db, staff, 'read-cdr', found.row.reference, found.exhibit.exhibit_ref);
      const events = await repos.callRecords.callRecordTimeline(db, exhibitId, page);
      return {
        exhibit: found.exhibit.exhibit_ref,
        ...(await repos.callRecords.callRecordCounts(db, exhibitId)),
        events: events.map((e) => ({ ...e, marked: e.marked === 1 })),
      };
    },
  };
}
