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
