/**
 * Sector working groups (issue 21), a thin slice: a police admin sets up a group for a sector and adds partner
 * organisations and police units; a member unit posts alerts and requests for information (a value, a TLP and a
 * deadline) to it; partner members receive each message at once by signed webhook (the outbox, as TAXII pushes) and
 * by server-sent events, and answer requests over the API; the asking unit reads the answers.
 *
 * Everything is visible only to members: a group, message or request that is not the caller's answers exactly as
 * one that does not exist. A partner receives a message only up to its TLP, and TLP:RED never goes to partners.
 * Each change is one transaction with its audit row and any webhook jobs.
 */
import type { Db, DbOrTrx } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import {
  canPostToGroup,
  canSetUpGroups,
  canUseGroupAsPartner,
  type StaffMember,
} from '../domain/access/access-policy.ts';
import { oneLineName } from '../domain/access/access-reason.ts';
import { normaliseIndicator } from '../domain/indicators/extract.ts';
import { isIndicatorType } from '../domain/indicators/indicator.ts';
import { SECTORS } from '../domain/sharing/sectors.ts';
import { isSharingTlp, tlpRank } from '../domain/sharing/tlp.ts';
import { partnerActor } from './partner-reads.ts';
import type { Partner, Partners } from './partners.ts';
import { ServiceError } from './service-error.ts';
import { notifyUnit, reportNotice } from './unit-notifications.ts';
import { postPartnerEvent } from './webhooks.ts';

export const GROUP_WEBHOOK_JOB = 'group-webhook';
const MAX_DEADLINE_DAYS = 30;

type MessageRow = NonNullable<Awaited<ReturnType<Repositories['workingGroups']['findMessage']>>>;

/** A group message as members receive it (webhook body, event data, API answer). */
export interface GroupMessage {
  id: number;
  groupId: number;
  kind: 'alert' | 'request';
  text: string;
  indicator: { type: string; value: string } | null;
  tlp: string;
  deadline: string | null;
  postedAt: string;
  /** The unit that posted it (never the person); null when a partner member posted it from the portal. */
  unit: string | null;
  /** The partner organisation that posted it (never the person); null for a unit's. */
  partnerId: number | null;
}

/** A stored message as members see it (shared with the workspace's group page). */
export function messageOf(row: MessageRow): GroupMessage {
  return {
    id: row.id,
    groupId: row.group_id,
    kind: row.kind === 'request' ? 'request' : 'alert',
    text: row.text,
    indicator:
      row.indicator_type === null || row.indicator_value === null
        ? null
        : { type: row.indicator_type, value: row.indicator_value },
    tlp: row.tlp,
    deadline: row.deadline,
    postedAt: row.created_at,
    unit: row.unit_id === '' ? null : row.unit_id,
    partnerId: row.partner_id,
  };
}

/** Whether a partner may receive a message of this TLP (never TLP:RED, never above its own level). */
export const receives = (partner: Partner, tlp: string) =>
  isSharingTlp(tlp) && tlpRank(tlp) <= tlpRank(partner.tlp);

const notFound = () => new ServiceError('not-found', 'group-not-found', 'No such group or message');

/** What a group may be for: one sector, or all of them. */
export const GROUP_SECTORS = ['cross-sector', ...SECTORS] as const;
export const GROUP_NAME_MAX = 200;

/** A new group's name and sector, checked: the one rule for the API, the workspace's form and its check page. */
export function checkNewGroup(input: { name: string; sector: string }): { name: string; sector: string } {
  const name = oneLineName(input.name);
  if (name === '' || name.length > GROUP_NAME_MAX)
    throw new ServiceError(
      'invalid',
      'group-name',
      `Give the group a name of 1 to ${String(GROUP_NAME_MAX)} characters`,
      { field: 'name', params: { max: GROUP_NAME_MAX } },
    );
  if (!(GROUP_SECTORS as readonly string[]).includes(input.sector))
    throw new ServiceError('invalid', 'group-sector', `sector must be one of ${GROUP_SECTORS.join(', ')}`, {
      field: 'sector',
    });
  return { name, sector: input.sector };
}

export function createWorkingGroups(
  db: Db,
  clock: () => Date,
  partners: Partners,
  /** The ids of the units in the reference data: only those may be members. */
  unitIds: ReadonlySet<string>,
  repos: Repositories = repositories,
) {
  /**
   * A partner saw the value asked about: the asking unit's reports naming it say so in their history (as partner
   * intelligence is recorded), and the unit is told through the outbox, once per partner and request.
   */
  async function linkSeen(
    trx: DbOrTrx,
    partner: Partner,
    message: MessageRow,
    comment: string,
    now: Date,
  ): Promise<number> {
    if (message.indicator_type === null || message.indicator_value === null) return 0;
    const indicator = await repos.intelligence.findIndicator(
      trx,
      message.indicator_type,
      message.indicator_value,
    );
    if (indicator === undefined) return 0;
    const reports = (await repos.partnerSubmissions.reportsNamingIndicator(trx, indicator.id)).filter(
      (r) => r.unit_id === message.unit_id,
    );
    for (const report of reports)
      await repos.reports.insertReportUpdate(trx, {
        report_id: report.id,
        kind: 'partner-intelligence',
        message: `${partner.name} has seen ${message.indicator_value} (answer to working group request ${String(message.id)})${comment === '' ? '' : `: ${comment}`}`,
        visible_to_victim: 0,
        created_at: now.toISOString(),
      });
    const [first] = reports;
    if (first !== undefined)
      await notifyUnit(
        trx,
        reportNotice(first, 'partner-intelligence'),
        `group-answer:${String(message.id)}:${String(partner.id)}`,
        now,
        repos,
      );
    return reports.length;
  }

  /** Queues the signed webhook of a new message to every partner member with a webhook, but its author. */
  async function queueMemberWebhooks(
    trx: DbOrTrx,
    members: readonly { partner_id: number | null }[],
    groupId: number,
    messageId: number,
    now: Date,
    authorPartnerId: number | null = null,
  ): Promise<number> {
    const withWebhooks = new Set(await repos.partners.partnerIdsWithWebhooks(trx));
    let queued = 0;
    for (const m of members) {
      if (m.partner_id === null || m.partner_id === authorPartnerId || !withWebhooks.has(m.partner_id))
        continue;
      await repos.outbox.enqueueJob(
        trx,
        {
          kind: GROUP_WEBHOOK_JOB,
          dedupeKey: `${GROUP_WEBHOOK_JOB}:${String(m.partner_id)}:${String(messageId)}`,
          payload: { partnerId: m.partner_id, groupId, messageId },
        },
        now,
      );
      queued++;
    }
    return queued;
  }

  return {
    /** Sets up a group; the person becomes its admin and their unit its first member. */
    async create(staff: StaffMember, input: { name: string; sector: string }): Promise<number> {
      if (!canSetUpGroups(staff) || staff.unitId === null)
        throw new ServiceError(
          'forbidden',
          'group-setup',
          'Only supervisors and regional or national officers set up groups',
        );
      const { name, sector } = checkNewGroup(input);
      const now = clock();
      return db.transaction().execute(async (trx) => {
        const { id } = await repos.workingGroups.insertGroup(trx, {
          name,
          sector,
          admin_email: staff.email,
          created_at: now.toISOString(),
        });
        await repos.workingGroups.addMember(trx, {
          group_id: id,
          partner_id: null,
          unit_id: staff.unitId,
          added_by: staff.email,
          added_at: now.toISOString(),
        });
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'group-created',
          forceId: staff.forceId,
          detail: `group ${String(id)} "${name}" (${sector}), admin ${staff.email}`,
        });
        return id;
      });
    },

    /** Adds a partner organisation or a police unit; only the group's admin may. */
    async addMember(
      staff: StaffMember,
      groupId: number,
      member: { partnerId?: number; unitId?: string },
    ): Promise<void> {
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const group = await repos.workingGroups.findGroup(trx, groupId);
        const units =
          group === undefined
            ? []
            : (await repos.workingGroups.membersOf(trx, groupId)).map((m) => m.unit_id);
        // Someone who is not even a member learns nothing; a member who is not the admin is refused.
        if (group === undefined || (group.admin_email !== staff.email && !canPostToGroup(staff, units)))
          throw notFound();
        if (group.admin_email !== staff.email)
          throw new ServiceError('forbidden', 'group-admin', 'Only the group’s admin manages its members');
        const partnerId = member.partnerId ?? null;
        const unitId = member.unitId ?? null;
        if ((partnerId === null) === (unitId === null))
          throw new ServiceError('invalid', 'group-member', 'Name one partner_id or one unit_id', {
            field: 'partner_id',
          });
        if (partnerId !== null && (await repos.partners.findPartner(trx, partnerId)) === undefined)
          throw new ServiceError('invalid', 'group-member', 'No such partner', { field: 'partner_id' });
        if (unitId !== null && !unitIds.has(unitId))
          throw new ServiceError('invalid', 'group-member', 'No such unit', { field: 'unit_id' });
        await repos.workingGroups.addMember(trx, {
          group_id: groupId,
          partner_id: partnerId,
          unit_id: unitId,
          added_by: staff.email,
          added_at: now.toISOString(),
        });
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'group-member-added',
          forceId: staff.forceId,
          detail: `group ${String(groupId)}: ${partnerId === null ? `unit ${String(unitId)}` : `partner ${String(partnerId)}`}`,
        });
      });
    },

    /**
     * A member unit's alert or request for information; queued at once, in the same transaction, as a signed
     * webhook to every partner member that has one and may receive its TLP. Returns the message id.
     */
    async post(
      staff: StaffMember,
      groupId: number,
      input: {
        kind: string;
        text: string;
        tlp: string;
        indicatorType?: string;
        indicatorValue?: string;
        deadline?: string;
      },
    ): Promise<number> {
      const now = clock();
      if (input.kind !== 'alert' && input.kind !== 'request')
        throw new ServiceError('invalid', 'group-message-kind', 'kind must be alert or request', {
          field: 'kind',
        });
      const text = input.text.trim();
      if (text === '' || text.length > 2000)
        throw new ServiceError('invalid', 'group-message-text', 'text must be 1 to 2,000 characters', {
          field: 'text',
        });
      if (!isSharingTlp(input.tlp))
        throw new ServiceError(
          'invalid',
          'group-message-tlp',
          'tlp must be clear, green or amber: TLP:RED never goes to partners',
          {
            field: 'tlp',
          },
        );
      let indicator: { type: string; value: string } | null = null;
      if (input.indicatorType !== undefined || input.indicatorValue !== undefined) {
        const type = input.indicatorType ?? '';
        const value = isIndicatorType(type) ? normaliseIndicator(type, input.indicatorValue ?? '') : null;
        if (value === null)
          throw new ServiceError(
            'invalid',
            'group-message-indicator',
            'indicator_value is not a valid value of indicator_type',
            {
              field: 'indicator_value',
            },
          );
        indicator = { type, value };
      }
      let deadline: string | null = null;
      if (input.kind === 'request') {
        const at = Date.parse(input.deadline ?? '');
        if (
          indicator === null ||
          Number.isNaN(at) ||
          at <= now.getTime() ||
          at > now.getTime() + MAX_DEADLINE_DAYS * 86_400_000
        )
          throw new ServiceError(
            'invalid',
            'group-request',
            `A request needs an indicator and a deadline within ${String(MAX_DEADLINE_DAYS)} days`,
            { field: indicator === null ? 'indicator_value' : 'deadline' },
          );
        deadline = new Date(at).toISOString();
      }
      return db.transaction().execute(async (trx) => {
        const group = await repos.workingGroups.findGroup(trx, groupId);
        const members = group === undefined ? [] : await repos.workingGroups.membersOf(trx, groupId);
        if (
          group === undefined ||
          !canPostToGroup(
            staff,
            members.map((m) => m.unit_id),
          ) ||
          staff.unitId === null
        )
          throw notFound();
        const { id } = await repos.workingGroups.insertMessage(trx, {
          group_id: groupId,
          kind: input.kind,
          unit_id: staff.unitId,
          author: staff.email,
          text,
          indicator_type: indicator?.type ?? null,
          indicator_value: indicator?.value ?? null,
          tlp: input.tlp,
          deadline,
          created_at: now.toISOString(),
        });
        const queued = await queueMemberWebhooks(trx, members, groupId, id, now);
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'group-message',
          forceId: staff.forceId,
          detail: `group ${String(groupId)}: ${input.kind} ${String(id)} at TLP:${input.tlp.toUpperCase()}${deadline === null ? '' : `, deadline ${deadline}`}; ${String(queued)} webhook(s) queued`,
        });
        return id;
      });
    },

    /** A partner member's answer to a request for information, before its deadline (a later answer replaces it). */
    async answer(
      partner: Partner,
      groupId: number,
      messageId: number,
      input: { seen: boolean; comment: string },
      /** The partner's person answering from the portal (the audit row names them); the API's machine: none. */
      person?: string,
    ): Promise<void> {
      const now = clock();
      const comment = input.comment.trim();
      if (comment.length > 2000)
        throw new ServiceError('invalid', 'group-answer', 'comment must be at most 2,000 characters', {
          field: 'comment',
        });
      await db.transaction().execute(async (trx) => {
        const message = await repos.workingGroups.findMessage(trx, groupId, messageId);
        if (
          message === undefined ||
          message.kind !== 'request' ||
          !(await repos.workingGroups.isPartnerMember(trx, groupId, partner.id)) ||
          !receives(partner, message.tlp)
        )
          throw notFound();
        if (message.deadline !== null && now.toISOString() > message.deadline)
          throw new ServiceError('conflict', 'group-request-closed', 'The deadline for answers has passed');
        await repos.workingGroups.upsertAnswer(trx, {
          message_id: messageId,
          partner_id: partner.id,
          seen: input.seen ? 1 : 0,
          comment,
          created_at: now.toISOString(),
        });
        const linked = input.seen ? await linkSeen(trx, partner, message, comment, now) : 0;
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: partnerActor(partner, person),
          action: 'group-answer',
          detail: `group ${String(groupId)}: request ${String(messageId)} answered by partner ${String(partner.id)} "${partner.name}" (${input.seen ? 'seen' : 'not seen'}); ${String(linked)} report(s) of the asking unit`,
        });
      });
    },

    /**
     * A partner member's alert to its group, from the portal: one transaction with the message (naming the partner,
     * never the person), a signed webhook job for every other partner member that has one, and the audit row
     * naming the person. Partners post alerts only; requests for information are units'. Returns the message id.
     */
    async postAlert(
      partner: Partner,
      person: string,
      groupId: number,
      input: { text: string; tlp: string; indicatorType?: string; indicatorValue?: string },
    ): Promise<number> {
      const now = clock();
      const text = input.text.trim();
      if (text === '' || text.length > 2000)
        throw new ServiceError('invalid', 'group-message-text', 'text must be 1 to 2,000 characters', {
          field: 'text',
        });
      // Its members include partners of lower TLPs: an alert goes to those who may receive it (the rule above).
      if (!isSharingTlp(input.tlp) || !receives(partner, input.tlp))
        throw new ServiceError(
          'invalid',
          'group-message-tlp',
          'tlp must be clear, green or amber: TLP:RED never goes to partners',
          { field: 'tlp' },
        );
      let indicator: { type: string; value: string } | null = null;
      if ((input.indicatorValue ?? '') !== '') {
        const type = input.indicatorType ?? '';
        const value = isIndicatorType(type) ? normaliseIndicator(type, input.indicatorValue ?? '') : null;
        if (value === null)
          throw new ServiceError(
            'invalid',
            'group-message-indicator',
            'indicator_value is not a valid value of indicator_type',
            { field: 'indicator_value' },
          );
        indicator = { type, value };
      }
      return db.transaction().execute(async (trx) => {
        const members = await repos.workingGroups.membersOf(trx, groupId);
        if (
          !canUseGroupAsPartner(
            { partnerId: partner.id },
            members.map((m) => m.partner_id),
          )
        )
          throw notFound();
        const { id } = await repos.workingGroups.insertMessage(trx, {
          group_id: groupId,
          kind: 'alert',
          unit_id: '',
          partner_id: partner.id,
          author: person,
          text,
          indicator_type: indicator?.type ?? null,
          indicator_value: indicator?.value ?? null,
          tlp: input.tlp,
          deadline: null,
          created_at: now.toISOString(),
        });
        const queued = await queueMemberWebhooks(trx, members, groupId, id, now, partner.id);
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: person,
          action: 'group-message',
          detail: `group ${String(groupId)}: alert ${String(id)} from partner ${String(partner.id)} "${partner.name}" at TLP:${input.tlp.toUpperCase()}; ${String(queued)} webhook(s) queued`,
        });
        return id;
      });
    },

    /** A message with its answers, for staff of a member unit (audited read). */
    async read(staff: StaffMember, groupId: number, messageId: number) {
      return db.transaction().execute(async (trx) => {
        const members = await repos.workingGroups.membersOf(trx, groupId);
        const message = await repos.workingGroups.findMessage(trx, groupId, messageId);
        if (
          message === undefined ||
          !canPostToGroup(
            staff,
            members.map((m) => m.unit_id),
          )
        )
          return null;
        const answers = await repos.workingGroups.answersTo(trx, messageId);
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor: staff.email,
          action: 'read-group-message',
          forceId: staff.forceId,
          detail: `group ${String(groupId)}: message ${String(messageId)}`,
        });
        return {
          ...messageOf(message),
          answers: answers.map((a) => ({
            id: a.id,
            partner: a.partner_name,
            seen: a.seen === 1,
            comment: a.comment,
            answeredAt: a.created_at,
          })),
        };
      });
    },

    /** The outbox handler: POSTs one message to one partner's webhook, signed as TAXII pushes are. */
    webhookHandler() {
      return async (payload: unknown, job: { dedupe_key: string }): Promise<void> => {
        const { partnerId, groupId, messageId } = payload as {
          partnerId: number;
          groupId: number;
          messageId: number;
        };
        const partner = await partners.byId(partnerId);
        const message = await repos.workingGroups.findMessage(db, groupId, messageId);
        // Left the group or revoked since, or not for its TLP: nothing to send (nor without a webhook, below).
        if (
          partner === null ||
          message === undefined ||
          !receives(partner, message.tlp) ||
          !(await repos.workingGroups.isPartnerMember(db, groupId, partnerId))
        )
          return;
        await postPartnerEvent(
          db,
          partners,
          partnerId,
          job.dedupe_key,
          { type: 'group-message', message: messageOf(message) },
          clock(),
          repos,
        );
      };
    },
  };
}

export type WorkingGroups = ReturnType<typeof createWorkingGroups>;
