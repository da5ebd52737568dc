/** Partners' feedback on shared indicators (sightings, takedowns, notes), and the status resource of each POST. */
import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { TaxiiFeedbackTable, TaxiiStatusTable } from '../schema.ts';

/** The latest version of each of these indicator objects, with who may read it (the caller decides). */
export async function latestIndicatorObjects(q: DbOrTrx, stixIds: readonly string[]) {
  // `in ()` is a syntax error on PostgreSQL: a partner with no feedback yet asks about nothing.
  if (stixIds.length === 0) return [];
  return q
    .selectFrom('taxii_objects')
    .select(['stix_id', 'tlp', 'sectors', 'body'])
    .where('stix_id', 'in', stixIds)
    .where('stix_type', '=', 'indicator')
    .where('latest', '=', 1)
    .execute();
}

/** Stores a partner's feedback on one indicator; the same object posted again changes nothing. */
export async function insertFeedback(q: DbOrTrx, row: Insertable<TaxiiFeedbackTable>): Promise<void> {
  await q
    .insertInto('taxii_feedback')
    .values(row)
    .onConflict((oc) => oc.columns(['partner_id', 'stix_id', 'indicator_stix_id']).doNothing())
    .execute();
}

export async function insertStatus(q: DbOrTrx, row: Insertable<TaxiiStatusTable>): Promise<void> {
  await q.insertInto('taxii_status').values(row).execute();
}

/** Feedback on these indicators, with the partner's name, oldest observation first. */
export function feedbackOnIndicators(q: DbOrTrx, indicatorStixIds: readonly string[]) {
  return q
    .selectFrom('taxii_feedback')
    .innerJoin('partners', 'partners.id', 'taxii_feedback.partner_id')
    .select([
      'taxii_feedback.indicator_stix_id',
      'taxii_feedback.kind',
      'taxii_feedback.observed_at',
      'partners.name',
    ])
    .where('taxii_feedback.indicator_stix_id', 'in', indicatorStixIds)
    .orderBy('taxii_feedback.observed_at')
    .execute();
}

/** A partner's own feedback (sightings, false positives, takedowns, notes), newest first. */
export function feedbackOfPartner(q: DbOrTrx, partnerId: number, count: number) {
  return q
    .selectFrom('taxii_feedback')
    .select(['id', 'kind', 'indicator_stix_id', 'observed_at', 'created_at'])
    .where('partner_id', '=', partnerId)
    .orderBy('id', 'desc')
    .limit(count)
    .execute();
}
