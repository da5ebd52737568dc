/**
 * Working groups as a partner member reads them (the portal and the partner API): its groups, one group's messages
 * with its own answers, and the new messages of an event stream. Every read of messages, requests or answers writes
 * an audit row naming the person (or `partner:<id>` for machine credentials) and the organisation in the read's own
 * transaction (`partner-read-group`, `partner-read-group-events`). A group the partner is not in answers as one that
 * does not exist, and writes nothing.
 */
import type { Db } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { auditPartnerRead } from './partner-reads.ts';
import type { Partner } from './partners.ts';
import { messageOf, receives, type GroupMessage } from './working-groups.ts';

export function createWorkingGroupPartnerReads(
  db: Db,
  clock: () => Date,
  repos: Repositories = repositories,
) {
  return {
    /** The groups a partner organisation is a member of (names only: no message is read). */
    async groupsFor(partner: Partner) {
      const rows = await repos.workingGroups.groupsOfPartner(db, partner.id);
      return rows.map((r) => ({ id: r.id, name: r.name, sector: r.sector }));
    },

    /**
     * One group as a partner member sees it: its newest messages up to the partner's TLP, each request with the
     * partner's own answer and whether it is still open; null for a group the partner is not in (as for none).
     * Audited as `partner-read-group`.
     */
    async groupFor(partner: Partner, groupId: number, person?: string) {
      return db.transaction().execute(async (trx) => {
        const group = await repos.workingGroups.findGroup(trx, groupId);
        if (group === undefined || !(await repos.workingGroups.isPartnerMember(trx, groupId, partner.id)))
          return null;
        const rows = (await repos.workingGroups.recentMessages(trx, groupId, 100)).filter((r) =>
          receives(partner, r.tlp),
        );
        const answers = await repos.workingGroups.answersOfPartner(
          trx,
          partner.id,
          rows.filter((r) => r.kind === 'request').map((r) => r.id),
        );
        const at = clock();
        await auditPartnerRead(
          trx,
          {
            at,
            partner,
            ...(person === undefined ? {} : { person }),
            action: 'partner-read-group',
            what: `group ${String(groupId)}: ${String(rows.length)} message(s), ${String(answers.length)} answer(s) of its own`,
          },
          repos,
        );
        const now = at.toISOString();
        return {
          id: group.id,
          name: group.name,
          sector: group.sector,
          latestId: rows[0]?.id ?? 0,
          messages: rows.map((r) => {
            const answer = answers.find((a) => a.message_id === r.id);
            return {
              ...messageOf(r),
              partnerName: r.partner_name,
              open: r.kind === 'request' && (r.deadline === null || now <= r.deadline),
              answer:
                answer === undefined
                  ? null
                  : { seen: answer.seen === 1, comment: answer.comment, answeredAt: answer.created_at },
            };
          }),
        };
      });
    },

    /**
     * The messages after `afterId` a partner receives (member, up to its TLP), for an event stream; null once it is
     * not a member. Messages handed over are audited (`partner-read-group-events`, their ids) in the same transaction.
     */
    async eventsFor(
      partner: Partner,
      groupId: number,
      afterId: number,
      person?: string,
    ): Promise<GroupMessage[] | null> {
      return db.transaction().execute(async (trx) => {
        if (!(await repos.workingGroups.isPartnerMember(trx, groupId, partner.id))) return null;
        const rows = await repos.workingGroups.messagesAfter(trx, groupId, afterId);
        const messages = rows.filter((r) => receives(partner, r.tlp)).map(messageOf);
        if (messages.length > 0)
          await auditPartnerRead(
            trx,
            {
              at: clock(),
              partner,
              ...(person === undefined ? {} : { person }),
              action: 'partner-read-group-events',
              what: `group ${String(groupId)}: message(s) ${messages.map((m) => String(m.id)).join(', ')}`,
            },
            repos,
          );
        return messages;
      });
    },

    /** Where a partner member's new event stream starts (the group's newest message), or null for a non-member. */
    async latestEventId(partner: Partner, groupId: number): Promise<number | null> {
      if (!(await repos.workingGroups.isPartnerMember(db, groupId, partner.id))) return null;
      return repos.workingGroups.latestMessageId(db, groupId);
    },
  };
}
