/** Partner intelligence: values partners submitted, what they match, and partners' verdicts on published ones. */
import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { PartnerSubmissionsTable } from '../schema.ts';

/**
 * The indicator row of a submitted value, made if no report named it yet. Unlike a report's, it leaves
 * `last_seen` alone: that says when a report last named it.
 */
export function upsertSubmittedIndicator(
  q: DbOrTrx,
  row: { type: string; value: string; warning_list: string | null; at: string },
) {
  return q
    .insertInto('indicators')
    .values({
      type: row.type,
      value: row.value,
      warning_list: row.warning_list,
      campaign_id: null,
      first_seen: row.at,
      last_seen: row.at,
    })
    .onConflict((oc) =>
      oc.columns(['type', 'value']).doUpdateSet((eb) => ({ type: eb.ref('excluded.type') })),
    )
    .returning(['id', 'campaign_id'])
    .executeTakeFirstOrThrow();
}

/** Stores (or refreshes) one partner's submission of a value; `created_at` says whether it was new. */
export function upsertSubmission(q: DbOrTrx, row: Insertable<PartnerSubmissionsTable>) {
  return q
    .insertInto('partner_submissions')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['partner_id', 'indicator_id']).doUpdateSet((eb) => ({
        status_id: eb.ref('excluded.status_id'),
        stix_id: eb.ref('excluded.stix_id'),
        stix_type: eb.ref('excluded.stix_type'),
        tlp: eb.ref('excluded.tlp'),
        reshare: eb.ref('excluded.reshare'),
        labels: eb.ref('excluded.labels'),
        withheld: eb.ref('excluded.withheld'),
        valid_until: eb.ref('excluded.valid_until'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** Whether any report gives this as its reporter's own contact email: the victim's, not the offender's. */
export async function isReporterEmail(q: DbOrTrx, email: string): Promise<boolean> {
  const row = await q
    .selectFrom('reports')
    .select('id')
    .where('contact_email', '=', email)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The reports naming an indicator, with where each is held and where it named it, oldest first. */
export function reportsNamingIndicator(q: DbOrTrx, indicatorId: number) {
  return q
    .selectFrom('report_indicators')
    .innerJoin('reports', 'reports.id', 'report_indicators.report_id')
    .select([
      'reports.id',
      'reports.reference',
      'reports.unit_id',
      'reports.category',
      'reports.urgent',
      'reports.vulnerable',
      'reports.status',
      'report_indicators.source',
    ])
    .where('report_indicators.indicator_id', '=', indicatorId)
    .orderBy('reports.id')
    .execute();
}

/** Partners' submissions of these indicators, with the partner's name and sectors, oldest first. */
export function submissionsOf(q: DbOrTrx, indicatorIds: readonly number[]) {
  return q
    .selectFrom('partner_submissions')
    .innerJoin('partners', 'partners.id', 'partner_submissions.partner_id')
    .select([
      'partner_submissions.indicator_id',
      'partner_submissions.partner_id',
      'partners.name as partner_name',
      'partners.sectors as partner_sectors',
      'partner_submissions.tlp',
      'partner_submissions.reshare',
      'partner_submissions.labels',
      'partner_submissions.withheld',
      'partner_submissions.valid_until',
      'partner_submissions.created_at',
      'partner_submissions.updated_at',
    ])
    .where('partner_submissions.indicator_id', 'in', indicatorIds)
    .orderBy('partner_submissions.id')
    .execute();
}

/** Partners' sightings and false positives on these published indicators (by STIX id), with who and when. */
export function verdictsOn(q: DbOrTrx, indicatorStixIds: readonly string[]) {
  return q
    .selectFrom('taxii_feedback')
    .innerJoin('partners', 'partners.id', 'taxii_feedback.partner_id')
    .select([
      'taxii_feedback.indicator_stix_id',
      'taxii_feedback.kind',
      'taxii_feedback.partner_id',
      'partners.name as partner_name',
      'taxii_feedback.created_at',
    ])
    .where('taxii_feedback.indicator_stix_id', 'in', indicatorStixIds)
    .where('taxii_feedback.kind', 'in', ['sighting', 'false-positive'])
    .orderBy('taxii_feedback.id')
    .execute();
}

/** Every piece of partners' feedback on one published indicator (sightings, false positives, takedowns, notes). */
export function feedbackOn(q: DbOrTrx, indicatorStixId: string) {
  return q
    .selectFrom('taxii_feedback')
    .innerJoin('partners', 'partners.id', 'taxii_feedback.partner_id')
    .select(['taxii_feedback.kind', 'partners.name as partner_name', 'taxii_feedback.created_at'])
    .where('taxii_feedback.indicator_stix_id', '=', indicatorStixId)
    .orderBy('taxii_feedback.id')
    .execute();
}

/** One indicator row by id. */
export function findIndicatorById(q: DbOrTrx, id: number) {
  return q.selectFrom('indicators').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The units holding reports that name the indicator, and how many reports and forces (for the indicator page). */
export function holdersOfIndicator(q: DbOrTrx, indicatorId: number) {
  return q
    .selectFrom('report_indicators')
    .innerJoin('reports', 'reports.id', 'report_indicators.report_id')
    .select([
      'reports.reference',
      'reports.unit_id',
      'reports.force_id',
      'reports.category',
      'reports.created_at',
      'report_indicators.source',
    ])
    .where('report_indicators.indicator_id', '=', indicatorId)
    .orderBy('reports.id')
    .execute();
}

/** One partner's own submissions with their values, most recently submitted first (never another partner's). */
export function submissionsOfPartner(q: DbOrTrx, partnerId: number, count: number) {
  return q
    .selectFrom('partner_submissions')
    .innerJoin('indicators', 'indicators.id', 'partner_submissions.indicator_id')
    .select([
      'partner_submissions.id',
      'indicators.type',
      'indicators.value',
      'partner_submissions.tlp',
      'partner_submissions.reshare',
      'partner_submissions.labels',
      'partner_submissions.valid_until',
      'partner_submissions.created_at',
      'partner_submissions.updated_at',
    ])
    .where('partner_submissions.partner_id', '=', partnerId)
    .orderBy('partner_submissions.updated_at', 'desc')
    .orderBy('partner_submissions.id', 'desc')
    .limit(count)
    .execute();
}
