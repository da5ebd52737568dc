import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { canWorkCases, type StaffMember } from '../domain/access/access-policy.ts';
import { isEmailAddress } from '../domain/contact/email-address.ts';
import {
  ENGAGEMENT_AUDIENCES,
  ENGAGEMENT_SECTORS,
  ENGAGEMENT_TYPES,
  isOneOf,
  WILL_CHANGE,
} from '../domain/protect/protect-workflow.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import type { EmailSender } from './email/email-sender.ts';
import type { Translate } from './email/victim-emails.ts';
import { DiscardJob, type JobHandler } from './outbox-worker.ts';
import { isCalendarDate, PROTECT_REPLY_EMAIL_JOB, type ProtectReplyJob } from './protect-requests.ts';
import { ServiceError } from './service-error.ts';

export const PROTECT_FEEDBACK_EMAIL_JOB = 'protect-feedback-email';
export const ENGAGEMENT_LIMITS = {
  materials: 2000,
  organisation: 200,
  people: 100_000,
  comments: 2000,
} as const;

export interface EngagementInput {
  requestId?: number | null;
  type: string;
  audience: string;
  sector: string;
  peopleReached: number;
  materials: string;
  deliveredOn: string;
  /** Without a request: who it was for, and where the questionnaire goes (optional). */
  organisation?: string;
  contactEmail?: string | null;
  lng: 'en' | 'cy';
}

export interface ReachRow {
  key: string;
  engagements: number;
  people: number;
}

const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const invalid = (code: string, field: string, message: string, params?: Record<string, number>) =>
  new ServiceError('invalid', code, message, { field, ...(params ? { params } : {}) });

/** Protect engagements: logged with or without a request, counted by month, sector and audience, followed up. */
export function createProtectEngagements(
  db: Db,
  clock: () => Date,
  reference: ReferenceData,
  repos: Repositories = repositories,
) {
  const unitOf = (staff: StaffMember): string => {
    if (!canWorkCases(staff) || staff.unitId === null)
      throw new ServiceError('forbidden', 'protect-unit', 'Only a unit’s officers log its Protect work');
    return staff.unitId;
  };

  return {
    /** Logs an engagement; after delivery the organisation is emailed a questionnaire link (outbox). */
    async record(staff: StaffMember, input: EngagementInput): Promise<number> {
      const unitId = unitOf(staff);
      if (!isOneOf(ENGAGEMENT_TYPES, input.type)) throw invalid('engagement-type', 'type', 'Choose the type');
      if (!isOneOf(ENGAGEMENT_AUDIENCES, input.audience))
        throw invalid('engagement-audience', 'audience', 'Choose the audience');
      if (!isOneOf(ENGAGEMENT_SECTORS, input.sector))
        throw invalid('engagement-sector', 'sector', 'Choose the sector');
      if (
        !Number.isInteger(input.peopleReached) ||
        input.peopleReached < 1 ||
        input.peopleReached > ENGAGEMENT_LIMITS.people
      )
        throw invalid('engagement-people', 'peopleReached', 'Enter how many people were reached', {
          max: ENGAGEMENT_LIMITS.people,
        });
      const materials = input.materials.trim();
      if (materials === '' || materials.length > ENGAGEMENT_LIMITS.materials)
        throw invalid('engagement-materials', 'materials', 'Enter the materials used', {
          max: ENGAGEMENT_LIMITS.materials,
        });
      if (!isCalendarDate(input.deliveredOn) || input.deliveredOn > clock().toISOString().slice(0, 10))
        throw invalid('engagement-date', 'deliveredOn', 'Enter the date it was delivered, today or before');
      const now = clock();
      return db.transaction().execute(async (trx) => {
        let organisation = (input.organisation ?? '').trim();
        let contactEmail = input.contactEmail?.trim() ?? '';
        const requestId = input.requestId ?? null;
        if (requestId !== null) {
          const request = await repos.protectRequests.findProtectRequest(trx, requestId);
          if (request?.unit_id !== unitId)
            throw new ServiceError('not-found', 'protect-request-not-found', 'No such Protect request');
          if (request.status !== 'delivered')
            throw new ServiceError(
              'conflict',
              'engagement-not-delivered',
              'Record the request as delivered first',
              {
                field: 'requestId',
              },
            );
          if ((await repos.protectRequests.engagementForRequest(trx, requestId)) !== undefined)
            throw new ServiceError(
              'conflict',
              'engagement-exists',
              'This request’s engagement is already logged',
              {
                field: 'requestId',
              },
            );
          organisation = request.organisation;
          contactEmail = request.email;
        }
        if (organisation === '' || organisation.length > ENGAGEMENT_LIMITS.organisation)
          throw invalid('engagement-organisation', 'organisation', 'Enter who the engagement was for');
        if (contactEmail !== '' && (!isEmailAddress(contactEmail) || contactEmail.length > 320))
          throw invalid('engagement-email', 'contactEmail', 'Enter a valid email address or leave it empty');
        const id = await repos.protectRequests.insertProtectEngagement(trx, {
          unit_id: unitId,
          request_id: requestId,
          type: input.type,
          audience: input.audience,
          sector: input.sector,
          people_reached: input.peopleReached,
          materials,
          delivered_on: input.deliveredOn,
          organisation,
          contact_email: contactEmail === '' ? null : contactEmail,
          lng: input.lng,
          recorded_by: staff.email,
          created_at: now.toISOString(),
        });
        if (contactEmail !== '')
          await repos.outbox.enqueueJob(
            trx,
            {
              kind: PROTECT_FEEDBACK_EMAIL_JOB,
              dedupeKey: `protect-feedback:${String(id)}`,
              payload: { id },
            },
            now,
          );
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'protect-engagement',
          detail: `Protect engagement ${String(id)} logged (${input.type}, ${String(input.peopleReached)} people)`,
        });
        return id;
      });
    },

    /** The unit's engagements, latest first. */
    async list(staff: StaffMember) {
      const rows = await repos.protectRequests.engagementsOfUnit(db, unitOf(staff), 100);
      return rows.map((r) => ({
        id: r.id,
        requestId: r.request_id,
        type: r.type,
        audience: r.audience,
        sector: r.sector,
        peopleReached: r.people_reached,
        materials: r.materials,
        deliveredOn: r.delivered_on,
        organisation: r.organisation,
        answered: r.answered_at !== null,
      }));
    },

    /** The unit's reach: engagements and people by month, sector and audience, and the questionnaires' summary. */
    async reach(staff: StaffMember) {
      const unitId = unitOf(staff);
      const counted = async (by: 'month' | 'sector' | 'audience'): Promise<ReachRow[]> =>
        (await repos.protectRequests.reachOfUnit(db, unitId, by)).map((r) => ({
          key: r.key,
          engagements: Number(r.engagements),
          people: Number(r.people),
        }));
      const [byMonth, bySector, byAudience, feedback] = await Promise.all([
        counted('month'),
        counted('sector'),
        counted('audience'),
        repos.protectRequests.feedbackOfUnit(db, unitId),
      ]);
      const total = byMonth.reduce(
        (sum, r) => ({ engagements: sum.engagements + r.engagements, people: sum.people + r.people }),
        { engagements: 0, people: 0 },
      );
      const answers = feedback.length;
      return {
        byMonth,
        bySector,
        byAudience,
        total,
        feedback: {
          answers,
          averageUsefulness:
            answers === 0
              ? null
              : Math.round((feedback.reduce((s, f) => s + f.usefulness, 0) / answers) * 10) / 10,
          willChange: Object.fromEntries(
            WILL_CHANGE.map((w) => [w, feedback.filter((f) => f.will_change === w).length]),
          ) as Record<(typeof WILL_CHANGE)[number], number>,
          comments: feedback
            .filter((f) => f.comments !== '')
            .slice(0, 20)
            .map((f) => ({ text: f.comments, at: f.answered_at })),
        },
      };
    },

    /** The questionnaire a link opens, or null (unknown token, or already answered). */
    async questionnaire(token: string) {
      if (!TOKEN.test(token)) return null;
      const row = await repos.protectRequests.engagementByFeedbackToken(db, tokenHash(token));
      if (row === undefined) return null;
      const unit = reference.unit(row.unit_id);
      return {
        organisation: row.organisation,
        type: row.type,
        deliveredOn: row.delivered_on,
        unitName: unit?.name ?? '',
        unitNameCy: unit?.nameCy ?? unit?.name ?? '',
      };
    },

    /** Stores the organisation's answers; the link is used up (of two answers at once, one wins). */
    async answer(
      token: string,
      input: { usefulness: number; willChange: string; comments: string },
    ): Promise<void> {
      if (!Number.isInteger(input.usefulness) || input.usefulness < 1 || input.usefulness > 5)
        throw invalid('feedback-usefulness', 'usefulness', 'Choose how useful it was');
      if (!isOneOf(WILL_CHANGE, input.willChange))
        throw invalid('feedback-will-change', 'willChange', 'Choose whether you will change anything');
      const comments = input.comments.trim();
      if (comments.length > ENGAGEMENT_LIMITS.comments)
        throw invalid('feedback-comments', 'comments', 'Your comments are too long', {
          max: ENGAGEMENT_LIMITS.comments,
        });
      const gone = () =>
        new ServiceError(
          'not-found',
          'feedback-link',
          'This questionnaire link has been used or is not valid',
        );
      if (!TOKEN.test(token)) throw gone();
      const hash = tokenHash(token);
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const row = await repos.protectRequests.engagementByFeedbackToken(trx, hash);
        if (row === undefined || !(await repos.protectRequests.clearFeedbackToken(trx, row.id, hash)))
          throw gone();
        await repos.protectRequests.insertProtectFeedback(trx, {
          engagement_id: row.id,
          unit_id: row.unit_id,
          usefulness: input.usefulness,
          will_change: input.willChange,
          comments,
          answered_at: now.toISOString(),
        });
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: 'organisation (questionnaire link)',
          action: 'protect-feedback',
          detail: `Protect engagement ${String(row.id)}: questionnaire answered`,
        });
      });
    },

    /** Background jobs: the reply to a request and the questionnaire link (its token made here, kept as a hash). */
    handlers(sender: EmailSender, t: Translate, baseUrl: string): Record<string, JobHandler> {
      const unitName = (unitId: string, lng: 'en' | 'cy') => {
        const unit = reference.unit(unitId);
        return (lng === 'cy' ? unit?.nameCy : unit?.name) ?? unit?.name ?? '';
      };
      return {
        [PROTECT_REPLY_EMAIL_JOB]: async (payload) => {
          const job = payload as ProtectReplyJob;
          const vars = { unit: unitName(job.unitId, job.lng), message: job.message };
          await sender.send({
            to: job.to,
            subject: t(job.lng, 'email.protectReply.subject', vars),
            text: t(job.lng, 'email.protectReply.body', vars),
            template: 'email.protectReply',
            reference: null,
          });
        },
        [PROTECT_FEEDBACK_EMAIL_JOB]: async (payload) => {
          const { id } = (payload ?? {}) as { id?: unknown };
          if (typeof id !== 'number') throw new DiscardJob('not an engagement');
          const row = await repos.protectRequests.findProtectEngagement(db, id);
          if (row?.contact_email == null) throw new DiscardJob('no engagement or no address; not sent');
          if (await repos.protectRequests.hasProtectFeedback(db, id))
            throw new DiscardJob('the questionnaire was answered; not sent again');
          const token = randomBytes(32).toString('base64url');
          await repos.protectRequests.setFeedbackToken(db, id, tokenHash(token));
          const lng = row.lng === 'cy' ? 'cy' : 'en';
          const vars = {
            unit: unitName(row.unit_id, lng),
            link: `${baseUrl}/protect/feedback/${token}?lng=${lng}`,
          };
          await sender.send({
            to: row.contact_email,
            subject: t(lng, 'email.protectFeedback.subject', vars),
            text: t(lng, 'email.protectFeedback.body', vars),
            template: 'email.protectFeedback',
            reference: null,
          });
        },
      };
    },
  };
}
