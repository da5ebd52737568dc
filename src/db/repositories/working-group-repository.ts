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
      'partners.name as partner_name',
      'group_answers.seen',
      'group_answers.comment',
      'group_answers.created_at',
    ])
    .where('group_answers.message_id', '=', messageId)
    .orderBy('group_answers.id')
    .execute();
}
