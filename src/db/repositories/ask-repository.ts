/** "Ask the unit" events and the public's questions to them. */
import type { Insertable, Updateable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { AskEventsTable, AskQuestionsTable } from '../schema.ts';

export async function insertAskEvent(q: DbOrTrx, row: Insertable<AskEventsTable>): Promise<number> {
  const created = await q.insertInto('ask_events').values(row).returning('id').executeTakeFirstOrThrow();
  return created.id;
}

export function findAskEvent(q: DbOrTrx, id: number) {
  return q.selectFrom('ask_events').selectAll().where('id', '=', id).executeTakeFirst();
}

export type AskEventRow = NonNullable<Awaited<ReturnType<typeof findAskEvent>>>;

/** An event of this unit, or undefined. */
export function findUnitAskEvent(q: DbOrTrx, id: number, unitId: string) {
  return q
    .selectFrom('ask_events')
    .selectAll()
    .where('id', '=', id)
    .where('unit_id', '=', unitId)
    .executeTakeFirst();
}

/** Events ending at or after `cutoff`, soonest first. */
export function askEventsEndingFrom(q: DbOrTrx, cutoff: string) {
  return q.selectFrom('ask_events').selectAll().where('ends_at', '>=', cutoff).orderBy('starts_at').execute();
}

/** A unit's events, latest first. */
export function askEventsOfUnit(q: DbOrTrx, unitId: string) {
  return q
    .selectFrom('ask_events')
    .selectAll()
    .where('unit_id', '=', unitId)
    .orderBy('starts_at', 'desc')
    .execute();
}

/** What the public see of an event's questions: the approved ones, oldest first. */
export function approvedAskQuestions(q: DbOrTrx, eventId: number) {
  return q
    .selectFrom('ask_questions')
    .select(['id', 'name', 'question', 'answer', 'answered_at'])
    .where('event_id', '=', eventId)
    .where('status', '=', 'approved')
    .orderBy('id')
    .execute();
}

/** Every question to an event, oldest first (the unit's moderation queue). */
export function askQuestionsOfEvent(q: DbOrTrx, eventId: number) {
  return q.selectFrom('ask_questions').selectAll().where('event_id', '=', eventId).orderBy('id').execute();
}

export function findAskQuestion(q: DbOrTrx, eventId: number, questionId: number) {
  return q
    .selectFrom('ask_questions')
    .selectAll()
    .where('id', '=', questionId)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
}

export type AskQuestionRow = NonNullable<Awaited<ReturnType<typeof findAskQuestion>>>;

export async function insertAskQuestion(q: DbOrTrx, row: Insertable<AskQuestionsTable>): Promise<void> {
  await q.insertInto('ask_questions').values(row).execute();
}

export async function updateAskQuestion(
  q: DbOrTrx,
  id: number,
  change: Updateable<AskQuestionsTable>,
): Promise<void> {
  await q.updateTable('ask_questions').set(change).where('id', '=', id).execute();
}
