/** Organisations' requests for Cyber Protect help, in a unit's Protect queue. */
import { sql, type Insertable, type Updateable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type {
  ProtectEngagementsTable,
  ProtectFeedbackTable,
  ProtectRequestEventsTable,
  ProtectRequestsTable,
} from '../schema.ts';

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

export function findProtectRequest(q: DbOrTrx, id: number) {
  return q.selectFrom('protect_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Holds the row for the use case's changes (PostgreSQL; SQLite has one writer). */
export function lockProtectRequest(q: DbOrTrx, id: number, dialect: 'sqlite' | 'postgres') {
  const query = q.selectFrom('protect_requests').selectAll().where('id', '=', id);
  return (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
}

export async function updateProtectRequest(
  q: DbOrTrx,
  id: number,
  changes: Updateable<ProtectRequestsTable>,
): Promise<void> {
  await q.updateTable('protect_requests').set(changes).where('id', '=', id).execute();
}

export async function insertProtectRequestEvent(
  q: DbOrTrx,
  row: Insertable<ProtectRequestEventsTable>,
): Promise<void> {
  await q.insertInto('protect_request_events').values(row).execute();
}

export function eventsOfProtectRequest(q: DbOrTrx, requestId: number) {
  return q
    .selectFrom('protect_request_events')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
}

export async function insertProtectEngagement(
  q: DbOrTrx,
  row: Insertable<ProtectEngagementsTable>,
): Promise<number> {
  const created = await q
    .insertInto('protect_engagements')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return created.id;
}

export function findProtectEngagement(q: DbOrTrx, id: number) {
  return q.selectFrom('protect_engagements').selectAll().where('id', '=', id).executeTakeFirst();
}

export function engagementForRequest(q: DbOrTrx, requestId: number) {
  return q
    .selectFrom('protect_engagements')
    .select(['id'])
    .where('request_id', '=', requestId)
    .executeTakeFirst();
}

/** A unit's engagements, latest delivery first, with whether the organisation answered the questionnaire. */
export function engagementsOfUnit(q: DbOrTrx, unitId: string, limit: number) {
  return q
    .selectFrom('protect_engagements')
    .leftJoin('protect_feedback', 'protect_feedback.engagement_id', 'protect_engagements.id')
    .select([
      'protect_engagements.id',
      'protect_engagements.request_id',
      'protect_engagements.type',
      'protect_engagements.audience',
      'protect_engagements.sector',
      'protect_engagements.people_reached',
      'protect_engagements.materials',
      'protect_engagements.delivered_on',
      'protect_engagements.organisation',
      'protect_feedback.answered_at',
    ])
    .where('protect_engagements.unit_id', '=', unitId)
    .orderBy('protect_engagements.delivered_on', 'desc')
    .orderBy('protect_engagements.id', 'desc')
    .limit(limit)
    .execute();
}

/** Engagements and people reached, grouped by one of month, sector or audience. */
export function reachOfUnit(q: DbOrTrx, unitId: string, by: 'month' | 'sector' | 'audience') {
  const key =
    by === 'month'
      ? sql<string>`substr(delivered_on, 1, 7)`
      : by === 'sector'
        ? sql<string>`sector`
        : sql<string>`audience`;
  return q
    .selectFrom('protect_engagements')
    .select([
      key.as('key'),
      (eb) => eb.fn.countAll<number | string>().as('engagements'),
      (eb) => eb.fn.sum<number | string>('people_reached').as('people'),
    ])
    .where('unit_id', '=', unitId)
    .groupBy(key)
    .orderBy(key)
    .execute();
}

export async function setFeedbackToken(q: DbOrTrx, engagementId: number, hash: string): Promise<void> {
  await q
    .updateTable('protect_engagements')
    .set({ feedback_token_hash: hash })
    .where('id', '=', engagementId)
    .execute();
}

export function engagementByFeedbackToken(q: DbOrTrx, hash: string) {
  return q
    .selectFrom('protect_engagements')
    .select(['id', 'unit_id', 'organisation', 'type', 'delivered_on', 'lng'])
    .where('feedback_token_hash', '=', hash)
    .executeTakeFirst();
}

/** Uses the token up: one of two answers at once wins. */
export async function clearFeedbackToken(q: DbOrTrx, engagementId: number, hash: string): Promise<boolean> {
  const result = await q
    .updateTable('protect_engagements')
    .set({ feedback_token_hash: null })
    .where('id', '=', engagementId)
    .where('feedback_token_hash', '=', hash)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertProtectFeedback(
  q: DbOrTrx,
  row: Insertable<ProtectFeedbackTable>,
): Promise<void> {
  await q.insertInto('protect_feedback').values(row).execute();
}

export function feedbackOfUnit(q: DbOrTrx, unitId: string) {
  return q
    .selectFrom('protect_feedback')
    .select(['usefulness', 'will_change', 'comments', 'answered_at'])
    .where('unit_id', '=', unitId)
    .orderBy('answered_at', 'desc')
    .execute();
}

export async function hasProtectFeedback(q: DbOrTrx, engagementId: number): Promise<boolean> {
  const row = await q
    .selectFrom('protect_feedback')
    .select('engagement_id')
    .where('engagement_id', '=', engagementId)
    .executeTakeFirst();
  return row !== undefined;
}
