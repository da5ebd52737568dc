/** Prevent referrals: a region's queue, one referral, its workflow, retention and the counts by region and month. */
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { PreventReferralsTable } from '../schema.ts';

export type PreventReferralRow = Selectable<PreventReferralsTable>;

export async function insertPreventReferral(
  q: DbOrTrx,
  row: Insertable<PreventReferralsTable>,
): Promise<number> {
  const created = await q
    .insertInto('prevent_referrals')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return created.id;
}

/** A unit's referrals: open ones first (oldest first), then the latest closed. */
export function preventReferralsOfUnit(q: DbOrTrx, unitId: string, limit: number) {
  return q
    .selectFrom('prevent_referrals')
    .selectAll()
    .where('unit_id', '=', unitId)
    .orderBy(sql`case when status = 'closed' then 1 else 0 end`)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Held for update on PostgreSQL, so two steps at once are taken one after the other. */
export function findPreventReferralForUpdate(q: DbOrTrx, id: number, dialect: 'sqlite' | 'postgres') {
  const query = q.selectFrom('prevent_referrals').selectAll().where('id', '=', id);
  return (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
}

/** Moves a referral on only from the status it was read at (a step taken twice at once applies once). */
export async function updatePreventReferral(
  q: DbOrTrx,
  id: number,
  fromStatus: string,
  changes: Updateable<PreventReferralsTable>,
): Promise<boolean> {
  const result = await q
    .updateTable('prevent_referrals')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', fromStatus)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Referrals whose personal details are due for deletion: closed before `closedBefore`, or untouched since `idleBefore`. */
export function preventReferralsDueForRetention(
  q: DbOrTrx,
  closedBefore: string,
  idleBefore: string,
  limit: number,
) {
  return q
    .selectFrom('prevent_referrals')
    .select(['id', 'unit_id'])
    .where('anonymised_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'closed'), eb('closed_at', '<', closedBefore)]),
        eb('updated_at', '<', idleBefore),
      ]),
    )
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Empties the personal columns of the referrals given (still due, checked again); returns how many. */
export async function anonymisePreventReferrals(
  q: DbOrTrx,
  ids: readonly number[],
  closedBefore: string,
  idleBefore: string,
  now: string,
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await q
    .updateTable('prevent_referrals')
    .set({
      referrer_name: null,
      referrer_email: null,
      referrer_phone: null,
      referrer_organisation: null,
      referred_by: null,
      young_person: null,
      age: null,
      concern: null,
      anonymised_at: now,
    })
    .where('id', 'in', ids)
    .where('anonymised_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'closed'), eb('closed_at', '<', closedBefore)]),
        eb('updated_at', '<', idleBefore),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Referrals received, by region and month (`YYYY-MM`), from `from` to before `to`: one query. */
export function preventCountsByRegionMonth(q: DbOrTrx, from: string, to: string) {
  const month = sql<string>`substr(created_at, 1, 7)`;
  return q
    .selectFrom('prevent_referrals')
    .select(['region_id', month.as('month'), (eb) => eb.fn.countAll<string | number>().as('referrals')])
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .groupBy(['region_id', month])
    .orderBy('region_id')
    .orderBy(month)
    .execute();
}

/** The addresses of a unit's Prevent officers whose accounts are not disabled (copied on new referrals). */
export async function activePreventOfficerEmails(q: DbOrTrx, unitId: string): Promise<string[]> {
  const rows = await q
    .selectFrom('users')
    .select('email')
    .where('unit_id', '=', unitId)
    .where('role', '=', 'prevent-officer')
    .where('disabled_at', 'is', null)
    .orderBy('email')
    .execute();
  return rows.map((r) => r.email);
}
