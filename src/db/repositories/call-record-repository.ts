/** Call data records and cell-site events imported for an exhibit. */
import type { CallRecord } from '../../domain/investigations/call-records.ts';
import type { DbOrTrx } from '../database.ts';

/** Rows per statement: well inside both dialects' limits on bound parameters. */
const BATCH = 500;

export async function insertCallRecords(
  q: DbOrTrx,
  exhibitId: number,
  records: readonly CallRecord[],
): Promise<void> {
  for (let i = 0; i < records.length; i += BATCH)
    await q
      .insertInto('cdr_events')
      .values(
        records.slice(i, i + BATCH).map((r) => ({ exhibit_id: exhibitId, ...r, marked: 0, note: null })),
      )
      .execute();
}

/** How many records the exhibit has, and how many are marked. */
export async function callRecordCounts(q: DbOrTrx, exhibitId: number) {
  const counts = await q
    .selectFrom('cdr_events')
    .select((eb) => [
      // PostgreSQL answers count and sum as strings.
      eb.fn.countAll<number | string>().as('total'),
      eb.fn.sum<number | string | null>('marked').as('marked'),
    ])
    .where('exhibit_id', '=', exhibitId)
    .executeTakeFirstOrThrow();
  return { total: Number(counts.total), marked: Number(counts.marked ?? 0) };
}

/** The exhibit's records between two times (inclusive), with their positions. */
export function callRecordsBetween(q: DbOrTrx, exhibitId: number, from: string, to: string) {
  return q
    .selectFrom('cdr_events')
    .select(['id', 'lat', 'lon'])
    .where('exhibit_id', '=', exhibitId)
    .where('at', '>=', from)
    .where('at', '<=', to)
    .execute();
}

export async function markCallRecords(q: DbOrTrx, ids: readonly number[], note: string): Promise<void> {
  for (let i = 0; i < ids.length; i += BATCH)
    await q
      .updateTable('cdr_events')
      .set({ marked: 1, note })
      .where('id', 'in', ids.slice(i, i + BATCH))
      .execute();
}

/** The exhibit's records oldest first: all, or one page (optionally only the marked ones). */
export function callRecordTimeline(
  q: DbOrTrx,
  exhibitId: number,
  page?: { offset: number; limit: number; markedOnly: boolean },
) {
  let query = q
    .selectFrom('cdr_events')
    .select([
      'at',
      'kind',
      'from_number',
      'to_number',
      'duration_s',
      'cell_id',
      'lat',
      'lon',
      'marked',
      'note',
    ])
    .where('exhibit_id', '=', exhibitId)
    .orderBy('at')
    .orderBy('id');
  if (page !== undefined) {
    if (page.markedOnly) query = query.where('marked', '=', 1);
    query = query.offset(page.offset).limit(page.limit);
  }
  return query.execute();
}
