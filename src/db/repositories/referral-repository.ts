/** Referrals to Victim Support and where each has got to. */
import type { Insertable, Updateable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { ReferralsTable } from '../schema.ts';

export async function insertReferral(q: DbOrTrx, row: Insertable<ReferralsTable>): Promise<void> {
  await q.insertInto('referrals').values(row).execute();
}

/** The referral; `forUpdate` (PostgreSQL only) holds it until the transaction ends. */
export function findReferral(q: DbOrTrx, id: string, forUpdate = false) {
  const query = q.selectFrom('referrals').selectAll().where('id', '=', id);
  return (forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

/** A referral with when its report's personal data was removed (null while it is held). */
export function findReferralWithReport(q: DbOrTrx, id: string) {
  return q
    .selectFrom('referrals')
    .innerJoin('reports', 'reports.id', 'referrals.report_id')
    .selectAll('referrals')
    .select('reports.anonymised_at as report_anonymised_at')
    .where('referrals.id', '=', id)
    .executeTakeFirst();
}

/** The report's referral; `forUpdate` (PostgreSQL only) holds it until the transaction ends. */
export function referralOfReport(q: DbOrTrx, reportId: number, forUpdate = false) {
  const query = q.selectFrom('referrals').selectAll().where('report_id', '=', reportId);
  return (forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

/** Changes a referral (only while it is in `onlyIfStatus`, when given); whether it changed. */
export async function updateReferral(
  q: DbOrTrx,
  id: string,
  change: Updateable<ReferralsTable>,
  onlyIfStatus?: ReferralsTable['status'] | readonly ReferralsTable['status'][],
): Promise<boolean> {
  let query = q.updateTable('referrals').set(change).where('id', '=', id);
  if (onlyIfStatus !== undefined)
    query = query.where(
      'status',
      'in',
      typeof onlyIfStatus === 'string' ? [onlyIfStatus] : [...onlyIfStatus],
    );
  const result = await query.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
