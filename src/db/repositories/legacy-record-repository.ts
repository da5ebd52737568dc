/** Records imported from forces' old systems, each once per (force, record id), with their classification. */
import type { Insertable, Updateable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { LegacyRecordsTable } from '../schema.ts';

/** Adds the records not already imported (same force and record id); answers the ones added. */
export function insertLegacyRecords(q: DbOrTrx, rows: readonly Insertable<LegacyRecordsTable>[]) {
  return q
    .insertInto('legacy_records')
    .values([...rows])
    .onConflict((oc) => oc.columns(['force_id', 'record_id']).doNothing())
    .returning(['recorded_on', 'category', 'cyber', 'loss_pence'])
    .execute();
}

/** The next `limit` of a force's records after `afterId` that no person has confirmed or corrected, by id. */
export function unreviewedLegacyRecords(q: DbOrTrx, forceId: string, afterId: number, limit: number) {
  return q
    .selectFrom('legacy_records')
    .selectAll()
    .where('force_id', '=', forceId)
    .where('id', '>', afterId)
    .where('review', 'not in', ['confirmed', 'corrected'])
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function updateLegacyRecord(
  q: DbOrTrx,
  id: number,
  change: Updateable<LegacyRecordsTable>,
): Promise<void> {
  await q.updateTable('legacy_records').set(change).where('id', '=', id).execute();
}

/** A force's record by its own record id. */
export function findLegacyRecord(q: DbOrTrx, forceId: string, recordId: string) {
  return q
    .selectFrom('legacy_records')
    .select(['id', 'category', 'online'])
    .where('force_id', '=', forceId)
    .where('record_id', '=', recordId)
    .executeTakeFirst();
}
