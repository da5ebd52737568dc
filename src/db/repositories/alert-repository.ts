/** Stay-safe alerts, their subscribers (email address and areas only) and the progress of each sending batch. */
import type { Insertable, Updateable } from 'kysely';
import type { DbOrTrx, Dialect } from '../database.ts';
import type { AlertsTable } from '../schema.ts';

export async function insertAlert(q: DbOrTrx, row: Insertable<AlertsTable>): Promise<number> {
  const created = await q.insertInto('alerts').values(row).returning('id').executeTakeFirstOrThrow();
  return created.id;
}

export function findAlert(q: DbOrTrx, id: number) {
  return q.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockAlert(q: DbOrTrx, id: number, dialect: Dialect) {
  const query = q.selectFrom('alerts').selectAll().where('id', '=', id);
  return (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
}

/** Changes a draft; false when it is no longer a draft. */
export async function updateAlertDraft(
  q: DbOrTrx,
  id: number,
  changes: Updateable<AlertsTable>,
): Promise<boolean> {
  const result = await q
    .updateTable('alerts')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function alertsOfUnit(q: DbOrTrx, unitId: string, limit: number) {
  return q
    .selectFrom('alerts')
    .selectAll()
    .where('unit_id', '=', unitId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export function publishedAlertsIn(q: DbOrTrx, areas: readonly string[], limit: number) {
  return q
    .selectFrom('alerts')
    .select(['id', 'area', 'title_en', 'body_en', 'title_cy', 'body_cy', 'published_at', 'unit_id'])
    .where('status', '=', 'published')
    .where('area', 'in', areas)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Whether the campaign holds a report of the unit (what an officer may see of it). */
export async function campaignHoldsUnitReport(
  q: DbOrTrx,
  campaignId: number,
  unitId: string,
): Promise<boolean> {
  const row = await q
    .selectFrom('reports')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where('unit_id', '=', unitId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export function findSubscriberByEmail(q: DbOrTrx, email: string) {
  return q.selectFrom('alert_subscribers').selectAll().where('email', '=', email).executeTakeFirst();
}

export function findSubscriber(q: DbOrTrx, id: number) {
  return q.selectFrom('alert_subscribers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Adds the subscriber, or finds the one already there (two requests at once both end with the one row). */
export async function insertSubscriber(
  q: DbOrTrx,
  row: { email: string; lng: string; created_at: string },
): Promise<number> {
  await q
    .insertInto('alert_subscribers')
    .values(row)
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
  const found = await findSubscriberByEmail(q, row.email);
  if (found === undefined) throw new Error('alert subscriber vanished while being added');
  return found.id;
}

export async function setSubscriberLanguage(q: DbOrTrx, id: number, lng: string): Promise<void> {
  await q.updateTable('alert_subscribers').set({ lng }).where('id', '=', id).execute();
}

export async function requestSubscriberArea(
  q: DbOrTrx,
  subscriberId: number,
  area: string,
  at: string,
): Promise<void> {
  await q
    .insertInto('alert_subscriber_areas')
    .values({ subscriber_id: subscriberId, area, requested_at: at, confirmed_at: null })
    .onConflict((oc) => oc.columns(['subscriber_id', 'area']).doNothing())
    .execute();
}

export function subscriberAreas(q: DbOrTrx, subscriberId: number) {
  return q
    .selectFrom('alert_subscriber_areas')
    .select(['area', 'confirmed_at'])
    .where('subscriber_id', '=', subscriberId)
    .orderBy('area')
    .execute();
}

export async function confirmSubscriberAreas(q: DbOrTrx, subscriberId: number, at: string): Promise<number> {
  const result = await q
    .updateTable('alert_subscriber_areas')
    .set({ confirmed_at: at })
    .where('subscriber_id', '=', subscriberId)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deleteSubscriber(q: DbOrTrx, subscriberId: number): Promise<void> {
  await q.deleteFrom('alert_subscriber_areas').where('subscriber_id', '=', subscriberId).execute();
  await q.deleteFrom('alert_subscribers').where('id', '=', subscriberId).execute();
}

/** Unconfirmed areas asked for before `before`, and subscribers left with no area, are removed. */
export async function purgeUnconfirmed(q: DbOrTrx, before: string): Promise<number> {
  const areas = await q
    .deleteFrom('alert_subscriber_areas')
    .where('confirmed_at', 'is', null)
    .where('requested_at', '<', before)
    .executeTakeFirst();
  await q
    .deleteFrom('alert_subscribers')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('alert_subscriber_areas')
            .select('subscriber_id')
            .whereRef('alert_subscriber_areas.subscriber_id', '=', 'alert_subscribers.id'),
        ),
      ),
    )
    .where('created_at', '<', before)
    .execute();
  return Number(areas.numDeletedRows);
}

/** Confirmed subscribers of any of these areas, each once, in id order. */
export async function confirmedSubscriberIds(q: DbOrTrx, areas: readonly string[]): Promise<number[]> {
  const rows = await q
    .selectFrom('alert_subscriber_areas')
    .select('subscriber_id')
    .distinct()
    .where('area', 'in', areas)
    .where('confirmed_at', 'is not', null)
    .orderBy('subscriber_id')
    .execute();
  return rows.map((r) => r.subscriber_id);
}

/** Confirmed subscribers of these areas with ids after `after`, up to `last`, in id order. */
export function confirmedSubscribersBetween(
  q: DbOrTrx,
  areas: readonly string[],
  after: number,
  last: number,
) {
  return q
    .selectFrom('alert_subscribers')
    .select(['id', 'email', 'lng'])
    .where('id', '>', after)
    .where('id', '<=', last)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('alert_subscriber_areas')
          .select('subscriber_id')
          .whereRef('alert_subscriber_areas.subscriber_id', '=', 'alert_subscribers.id')
          .where('alert_subscriber_areas.area', 'in', areas)
          .where('alert_subscriber_areas.confirmed_at', 'is not', null),
      ),
    )
    .orderBy('id')
    .execute();
}

/** How far a batch got; started at `firstId - 1` the first time it is read. */
export async function batchProgress(q: DbOrTrx, alertId: number, firstId: number): Promise<number> {
  await q
    .insertInto('alert_batches')
    .values({ alert_id: alertId, first_id: firstId, sent_through: firstId - 1 })
    .onConflict((oc) => oc.columns(['alert_id', 'first_id']).doNothing())
    .execute();
  const row = await q
    .selectFrom('alert_batches')
    .select('sent_through')
    .where('alert_id', '=', alertId)
    .where('first_id', '=', firstId)
    .executeTakeFirstOrThrow();
  return row.sent_through;
}

export async function setBatchProgress(
  q: DbOrTrx,
  alertId: number,
  firstId: number,
  sentThrough: number,
): Promise<void> {
  await q
    .updateTable('alert_batches')
    .set({ sent_through: sentThrough })
    .where('alert_id', '=', alertId)
    .where('first_id', '=', firstId)
    .execute();
}

export async function countPublishedAlerts(q: DbOrTrx, unitId: string): Promise<number> {
  const row = await q
    .selectFrom('alerts')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('unit_id', '=', unitId)
    .where('status', '=', 'published')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
