import { sql } from 'kysely';
import type { DbOrTrx } from '../database.ts';

/** Adds `by` attempts (one by default) to a fixed window and returns its count, atomically on both dialects. */
export async function countAttempt(db: DbOrTrx, key: string, windowStart: string, by = 1): Promise<number> {
  const row = await db
    .insertInto('attempt_counters')
    .values({ key, window_start: windowStart, count: by })
    .onConflict((oc) =>
      oc.columns(['key', 'window_start']).doUpdateSet({ count: sql`attempt_counters.count + ${by}` }),
    )
    .returning('count')
    .executeTakeFirstOrThrow();
  return row.count;
}

export async function deleteAttemptsBefore(db: DbOrTrx, windowStart: string): Promise<void> {
  await db.deleteFrom('attempt_counters').where('window_start', '<', windowStart).execute();
}

/** The count in one window without adding to it (0 when nothing was counted). */
export async function readAttempts(db: DbOrTrx, key: string, windowStart: string): Promise<number> {
  const row = await db
    .selectFrom('attempt_counters')
    .select('count')
    .where('key', '=', key)
    .where('window_start', '=', windowStart)
    .executeTakeFirst();
  return row?.count ?? 0;
}

/** Takes back one attempt counted by countAttempt (an attempt that turned out not to count, e.g. a success). */
export async function refundAttempt(db: DbOrTrx, key: string, windowStart: string): Promise<void> {
  await db
    .updateTable('attempt_counters')
    .set({ count: sql`count - 1` })
    .where('key', '=', key)
    .where('window_start', '=', windowStart)
    .where('count', '>', 0)
    .execute();
}
