/** Indicators (phone numbers, emails, URLs…) named in reports, and how far each may be shared. */
import type { Updateable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { IndicatorsTable } from '../schema.ts';

/** The indicator of this type and value that the report names, if it names one. */
export async function findReportIndicator(
  q: DbOrTrx,
  reportId: number,
  indicator: { type: string; value: string },
): Promise<number | undefined> {
  const row = await q
    .selectFrom('indicators')
    .innerJoin('report_indicators', 'report_indicators.indicator_id', 'indicators.id')
    .select('indicators.id')
    .where('report_indicators.report_id', '=', reportId)
    .where('indicators.type', '=', indicator.type)
    .where('indicators.value', '=', indicator.value)
    .executeTakeFirst();
  return row?.id;
}

/** Changes how far an indicator is shared (held back, retracted, released to partners). */
export async function updateIndicatorSharing(
  q: DbOrTrx,
  id: number,
  change: Pick<Updateable<IndicatorsTable>, 'held_back' | 'retracted' | 'released_at' | 'released_by'>,
): Promise<void> {
  await q.updateTable('indicators').set(change).where('id', '=', id).execute();
}

/**
 * Values not released, held back, retracted or on a warning list that some intelligence-only, anonymous or
 * unassessed public report names (the only ones that can be waiting for a release), most recently seen first, with
 * how many reports name each.
 */
export function releaseCandidates(q: DbOrTrx, assessedStatuses: Iterable<string>, limit: number) {
  return q
    .selectFrom('indicators')
    .innerJoin('report_indicators', 'report_indicators.indicator_id', 'indicators.id')
    .innerJoin('reports', 'reports.id', 'report_indicators.report_id')
    .select((eb) => [
      'indicators.id',
      'indicators.type',
      'indicators.value',
      'indicators.last_seen',
      eb.fn.countAll<number | string>().as('reports'),
    ])
    .where('indicators.released_at', 'is', null)
    .where('indicators.held_back', '=', 0)
    .where('indicators.retracted', '=', 0)
    .where('indicators.warning_list', 'is', null)
    .where((eb) =>
      eb.or([
        eb('reports.category', '=', 'phishing-attempt'),
        eb('reports.status', '=', 'intelligence'),
        eb.and([
          eb('reports.partner_token_id', 'is', null),
          eb.or([
            eb('reports.contact_email', 'is', null),
            eb('reports.status', 'not in', [...assessedStatuses]),
          ]),
        ]),
      ]),
    )
    .groupBy(['indicators.id', 'indicators.type', 'indicators.value', 'indicators.last_seen'])
    .orderBy('indicators.last_seen', 'desc')
    .orderBy('indicators.id', 'desc')
    .limit(limit)
    .execute();
}

/** An indicator by type and value, with the latest report naming it; undefined when no report does. */
export function latestReportNaming(q: DbOrTrx, type: string, value: string) {
  return q
    .selectFrom('indicators')
    .innerJoin('report_indicators', 'report_indicators.indicator_id', 'indicators.id')
    .select(['indicators.id', 'report_indicators.report_id'])
    .where('indicators.type', '=', type)
    .where('indicators.value', '=', value)
    .orderBy('report_indicators.report_id', 'desc')
    .executeTakeFirst();
}
