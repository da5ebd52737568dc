/** Organisations' requests for Cyber Protect help, in a unit's Protect queue. */
import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { ProtectRequestsTable } from '../schema.ts';

export async function insertProtectRequest(
  q: DbOrTrx,
  row: Insertable<ProtectRequestsTable>,
): Promise<number> {
  const created = await q
    .insertInto('protect_requests')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return created.id;
}

/** A unit's latest requests, newest first. */
export function protectRequestsOfUnit(q: DbOrTrx, unitId: string, limit: number) {
  return q
    .selectFrom('protect_requests')
    .selectAll()
    .where('unit_id', '=', unitId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
