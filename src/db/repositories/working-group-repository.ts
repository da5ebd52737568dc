/** Sector working groups: groups, their members (partners and police units), messages and partners' answers. */
import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { GroupMessagesTable } from '../schema.ts';

export function insertGroup(
  q: DbOrTrx,
  row: { name: string; sector: string; admin_email: string; created_at: string },
) {
  return q.insertInto('working_groups').values(row).returning('id').executeTakeFirstOrThrow();
}

export function findGroup(q: DbOrTrx, id: number) {
  return q.selectFrom('working_groups').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Adds a member unless already one; answers whether it was added. */
export async function addMember(
  q: DbOrTrx,
  row: {
    group_id: number;
    partner_id: number | null;
    unit_id: string | null;
    added_by: string;
    added_at: string;
  },
): Promise<boolean> {
  const result = await q
    .insertInto('working_group_members')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export function membersOf(q: DbOrTrx, groupId: number) {
  return q
    .selectFrom('working_group_members')
    .select(['partner_id', 'unit_id'])
    .where('group_id', '=', groupId)
    .orderBy('id')
    .execute();
}

export async function isPartnerMember(q: DbOrTrx, groupId: number, partnerId: number): Promise<boolean> {
  const row = await q
    .selectFrom('working_group_members')
    .select('id')
    .where('group_id', '=', groupId)
    .where('partner_id', '=', partnerId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function isUnitMember(q: DbOrTrx, groupId: number, unitId: string): Promise<boolean> {
  const row = await q
    .selectFrom('working_group_members')
    .select('id')
    .where('group_id', '=', groupId)
    .where('unit_id', '=', unitId)
    .executeTakeFirst();
  return row !== undefined;
}

export function insertMessage(q: DbOrTrx, row: Insertable<GroupMessagesTable>) {
  return q.insertInto('group_messages').values(row).returning('id').executeTakeFirstOrThrow();
}

export function findMessage(q: DbOrTrx, groupId: number, messageId: number) {
  return q
    .selectFrom('group_messages')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('id', '=', messageId)
    .executeTakeFirst();
}

/** A group's messages after `afterId`, oldest first (the event stream's next events). */
export function messagesAfter(q: DbOrTrx, groupId: number, afterId: number, limit = 100) {
  return q
    .selectFrom('group_messages')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** The newest message id of a group (0 when it has none). */
export async function latestMessageId(q: DbOrTrx, groupId: number): Promise<number> {
  const row = await q
    .selectFrom('group_messages')
    .select((eb) => eb.fn.max<number | string | null>('id').as('id'))
    .where('group_id', '=', groupId)
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** Stores a partner's answer, or replaces its earlier one. */
export function upsertAnswer(
  q: DbOrTrx,
  row: { message_id: number; partner_id: number; seen: number; comment: string; created_at: string },
) {
  return q
    .insertInto('group_answers')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['message_id', 'partner_id']).doUpdateSet((eb) => ({
        seen: eb.ref('excluded.seen'),
        comment: eb.ref('excluded.comment'),
        created_at: eb.ref('excluded.created_at'),
      })),
    )
    .execute();
}

export function answersTo(q: DbOrTrx, messageId: number) {
  return q
    .selectFrom('group_answers')
    .innerJoin('partners', 'partners.id', 'group_answers.partner_id')
    .select([
      'group_answers.id',
      'partners.name as partner_name',
      'group_answers.seen',
      'group_answers.comment',
      'group_answers.created_at',
    ])
    .where('group_answers.message_id', '=', messageId)
    .orderBy('group_answers.id')
    .execute();
}

/** The groups a partner organisation is a member of, by name. */
export function groupsOfPartner(q: DbOrTrx, partnerId: number) {
  return q
    .selectFrom('working_group_members')
    .innerJoin('working_groups', 'working_groups.id', 'working_group_members.group_id')
    .select(['working_groups.id', 'working_groups.name', 'working_groups.sector'])
    .where('working_group_members.partner_id', '=', partnerId)
    .orderBy('working_groups.name')
    .orderBy('working_groups.id')
    .execute();
}

/** A group's newest messages, newest first, with the name of the partner that posted each (null: a unit's). */
export function recentMessages(q: DbOrTrx, groupId: number, count: number) {
  return q
    .selectFrom('group_messages')
    .leftJoin('partners', 'partners.id', 'group_messages.partner_id')
    .selectAll('group_messages')
    .select('partners.name as partner_name')
    .where('group_messages.group_id', '=', groupId)
    .orderBy('group_messages.id', 'desc')
    .limit(count)
    .execute();
}

/** One partner's answers to these requests. */
export function answersOfPartner(q: DbOrTrx, partnerId: number, messageIds: readonly number[]) {
  return q
    .selectFrom('group_answers')
    .select(['message_id', 'seen', 'comment', 'created_at'])
    .where('partner_id', '=', partnerId)
    .where('message_id', 'in', messageIds.length > 0 ? messageIds : [0])
    .execute();
}

/** The groups a police unit is a member of, by name. */
export function groupsOfUnit(q: DbOrTrx, unitId: string) {
  return q
    .selectFrom('working_group_members')
    .innerJoin('working_groups', 'working_groups.id', 'working_group_members.group_id')
    .select([
      'working_groups.id',
      'working_groups.name',
      'working_groups.sector',
      'working_groups.admin_email',
    ])
    .where('working_group_members.unit_id', '=', unitId)
    .orderBy('working_groups.name')
    .orderBy('working_groups.id')
    .execute();
}

/** A group's members with the partners' names (a unit member's partner_name is null). */
export function membersWithNames(q: DbOrTrx, groupId: number) {
  return q
    .selectFrom('working_group_members')
    .leftJoin('partners', 'partners.id', 'working_group_members.partner_id')
    .select([
      'working_group_members.partner_id',
      'working_group_members.unit_id',
      'working_group_members.added_at',
      'partners.name as partner_name',
    ])
    .where('working_group_members.group_id', '=', groupId)
    .orderBy('working_group_members.id')
    .execute();
}

/** Removes a member; answers whether there was one. */
export async function removeMember(
  q: DbOrTrx,
  groupId: number,
  member: { partnerId: number | null; unitId: string | null },
): Promise<boolean> {
  let query = q.deleteFrom('working_group_members').where('group_id', '=', groupId);
  query =
    member.partnerId === null
      ? query.where('unit_id', '=', member.unitId ?? '')
      : query.where('partner_id', '=', member.partnerId);
  const result = await query.executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Every answer to these requests with its partner's name and id. */
export function answersToMessages(q: DbOrTrx, messageIds: readonly number[]) {
  return q
    .selectFrom('group_answers')
    .innerJoin('partners', 'partners.id', 'group_answers.partner_id')
    .select([
      'group_answers.id',
      'group_answers.message_id',
      'partners.name as partner_name',
      'group_answers.seen',
      'group_answers.comment',
      'group_answers.created_at',
    ])
    .where('group_answers.message_id', 'in', messageIds.length > 0 ? messageIds : [0])
    .orderBy('group_answers.id')
    .execute();
}

export function findAnswer(q: DbOrTrx, messageId: number, answerId: number) {
  return q
    .selectFrom('group_answers')
    .innerJoin('partners', 'partners.id', 'group_answers.partner_id')
    .select([
      'group_answers.id',
      'group_answers.partner_id',
      'partners.name as partner_name',
      'group_answers.seen',
      'group_answers.comment',
    ])
    .where('group_answers.message_id', '=', messageId)
    .where('group_answers.id', '=', answerId)
    .executeTakeFirst();
}

/** Links an answer to a case or a report unless already linked; answers whether it was linked now. */
export async function insertAnswerLink(
  q: DbOrTrx,
  row: {
    answer_id: number;
    case_id: number | null;
    report_id: number | null;
    linked_by: string;
    linked_at: string;
  },
): Promise<boolean> {
  const result = await q
    .insertInto('group_answer_links')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** What these answers are linked to: case and report references. */
export function linksOfAnswers(q: DbOrTrx, answerIds: readonly number[]) {
  return q
    .selectFrom('group_answer_links')
    .leftJoin('cases', 'cases.id', 'group_answer_links.case_id')
    .leftJoin('reports', 'reports.id', 'group_answer_links.report_id')
    .select([
      'group_answer_links.answer_id',
      'cases.reference as case_reference',
      'reports.reference as report_reference',
    ])
    .where('group_answer_links.answer_id', 'in', answerIds.length > 0 ? answerIds : [0])
    .orderBy('group_answer_links.id')
    .execute();
}
