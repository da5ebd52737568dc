/** What units were told (unit_notifications) and who wants a daily digest of it. */
import type { Insertable, Selectable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { UnitNotificationsTable } from '../schema.ts';

export type UnitNotificationRow = Selectable<UnitNotificationsTable>;

/** Records a notification once (by its outbox job's dedupe key); a job run again adds nothing. */
export async function recordUnitNotification(
  q: DbOrTrx,
  row: Insertable<UnitNotificationsTable>,
): Promise<void> {
  await q
    .insertInto('unit_notifications')
    .values(row)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

/** A unit's non-urgent notifications recorded in [from, to), oldest first: what a daily digest lists. */
export function nonUrgentNotificationsOfUnit(
  q: DbOrTrx,
  unitId: string,
  from: string,
  to: string,
  limit: number,
) {
  return q
    .selectFrom('unit_notifications')
    .select(['reason', 'reference', 'protect_request_id', 'category', 'created_at'])
    .where('unit_id', '=', unitId)
    .where('urgent', '=', 0)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Reports still awaiting first contact (status `received`) that became overdue in [since, before) and whose unit
 * has not been told so: oldest first.
 */
export function overdueReportsNotTold(q: DbOrTrx, since: string, before: string, limit: number) {
  return q
    .selectFrom('reports as r')
    .select(['r.reference', 'r.unit_id', 'r.category', 'r.urgent', 'r.vulnerable'])
    .where('r.status', '=', 'received')
    .where('r.created_at', '>=', since)
    .where('r.created_at', '<', before)
    .where('r.unit_id', 'is not', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('unit_notifications as n')
            .select('n.id')
            .whereRef('n.reference', '=', 'r.reference')
            .where('n.reason', '=', 'first-contact-overdue'),
        ),
      ),
    )
    .orderBy('r.created_at')
    .limit(limit)
    .execute();
}

/** Active accounts that chose the daily digest, with their unit and role (the service decides who may have one). */
export function digestSubscribers(q: DbOrTrx) {
  return q
    .selectFrom('users')
    .select(['id', 'email', 'role', 'unit_id'])
    .where('notification_digest', '=', 1)
    .where('disabled_at', 'is', null)
    .where('unit_id', 'is not', null)
    .orderBy('id')
    .execute();
}

/** One active account's digest choice, address and unit (undefined once disabled). */
export function digestChoiceOf(q: DbOrTrx, userId: number) {
  return q
    .selectFrom('users')
    .select(['id', 'email', 'role', 'unit_id', 'notification_digest'])
    .where('id', '=', userId)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
}

/** Sets an account's digest choice; returns its id, or undefined when no active account has that address. */
export async function setNotificationDigest(
  q: DbOrTrx,
  email: string,
  digest: boolean,
): Promise<number | undefined> {
  const row = await q
    .updateTable('users')
    .set({ notification_digest: digest ? 1 : 0 })
    .where('email', '=', email)
    .where('disabled_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}
