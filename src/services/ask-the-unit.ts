/**
 * "Ask the unit": a unit announces a public Q&A event; the public send questions beforehand and during it (no
 * sign-in, name optional, rate-limited per client by the web gate: CLIENT_LIMITS['ask-question']); the unit moderates (approve, merge into another question,
 * reject with a reason) and answers; approved questions and their answers are published on the event page.
 */
import { ServiceError } from './service-error.ts';

import type { Db } from '../db/database.ts';
import type { AskEventRow, AskQuestionRow } from '../db/repositories/ask-repository.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { canWorkCases, type StaffMember } from '../domain/access/access-policy.ts';

export const QUESTION_LIMITS = { maxLength: 1000, maxName: 100 } as const;

export interface NewEvent {
  title: string;
  titleCy: string;
  description: string;
  descriptionCy: string;
  startsAt: string;
  endsAt: string;
}

/** An event as the public see it. */
export interface AskEvent {
  id: number;
  unitId: string;
  title: string;
  titleCy: string;
  description: string;
  descriptionCy: string;
  startsAt: string;
  endsAt: string;
}

/** An event as its unit sees it: who announced it, and when. */
export interface UnitAskEvent extends AskEvent {
  createdBy: string;
  createdAt: string;
}

/** A published question and its answer, as the event page shows it. */
export interface PublishedQuestion {
  id: number;
  name: string | null;
  question: string;
  answer: string | null;
  answeredAt: string | null;
}

/** A question as the unit moderates it. */
export interface ModeratedQuestion extends PublishedQuestion {
  lng: string;
  /** submitted, approved, rejected or merged. */
  status: string;
  mergedInto: number | null;
  rejectReason: string | null;
  answeredBy: string | null;
  askedAt: string;
}

const publicEvent = (row: AskEventRow): AskEvent => ({
  id: row.id,
  unitId: row.unit_id,
  title: row.title,
  titleCy: row.title_cy,
  description: row.description,
  descriptionCy: row.description_cy,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
});

const unitEvent = (row: AskEventRow): UnitAskEvent => ({
  ...publicEvent(row),
  createdBy: row.created_by,
  createdAt: row.created_at,
});

const moderatedQuestion = (row: AskQuestionRow): ModeratedQuestion => ({
  id: row.id,
  name: row.name,
  question: row.question,
  answer: row.answer,
  answeredAt: row.answered_at,
  lng: row.lng,
  status: row.status,
  mergedInto: row.merged_into,
  rejectReason: row.reject_reason,
  answeredBy: row.answered_by,
  askedAt: row.created_at,
});

export type Moderation =
  | { action: 'approve' }
  | { action: 'reject'; reason: string }
  | { action: 'merge'; into: number }
  | { action: 'answer'; answer: string };

export function createAskTheUnit(db: Db, clock: () => Date, repos: Repositories = repositories) {
  async function ownEvent(staff: StaffMember, eventId: number) {
    if (!canWorkCases(staff)) return undefined;
    return repos.ask.findUnitAskEvent(db, eventId, staff.unitId ?? '');
  }

  return {
    async createEvent(staff: StaffMember, input: NewEvent): Promise<number> {
      if (!canWorkCases(staff))
        throw new ServiceError(
          'forbidden',
          'events-unit',
          'Only a unit’s officers and supervisors run its events',
        );
      return db.transaction().execute(async (trx) => {
        const id = await repos.ask.insertAskEvent(trx, {
          unit_id: staff.unitId ?? '',
          title: input.title,
          title_cy: input.titleCy,
          description: input.description,
          description_cy: input.descriptionCy,
          starts_at: input.startsAt,
          ends_at: input.endsAt,
          created_by: staff.email,
          created_at: clock().toISOString(),
        });
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor: staff.email,
          action: 'ask-event-created',
          forceId: staff.forceId,
          detail: `event ${id}: ${input.title}`,
        });
        return id;
      });
    },

    /** Events not yet a month past, soonest first. */
    async publicEvents(): Promise<AskEvent[]> {
      const cutoff = new Date(clock().getTime() - 30 * 86_400_000).toISOString();
      return (await repos.ask.askEventsEndingFrom(db, cutoff)).map(publicEvent);
    },

    async publicEvent(
      eventId: number,
    ): Promise<{ event: AskEvent; questions: PublishedQuestion[]; open: boolean; live: boolean } | null> {
      const row = await repos.ask.findAskEvent(db, eventId);
      if (row === undefined) return null;
      const questions = await repos.ask.approvedAskQuestions(db, eventId);
      const now = clock().toISOString();
      const event = publicEvent(row);
      return {
        event,
        questions: questions.map((q) => ({
          id: q.id,
          name: q.name,
          question: q.question,
          answer: q.answer,
          answeredAt: q.answered_at,
        })),
        open: now < event.endsAt,
        live: event.startsAt <= now && now < event.endsAt,
      };
    },

    /** A question from the public; refused (conflict, event-closed) once the event is over. */
    async ask(
      eventId: number,
      input: { name: string | null; question: string; lng: 'en' | 'cy' },
    ): Promise<void> {
      const event = await repos.ask.findAskEvent(db, eventId);
      if (event === undefined) throw new ServiceError('not-found', 'event-not-found', 'No such event');
      const now = clock();
      if (now.toISOString() >= event.ends_at)
        throw new ServiceError('conflict', 'event-closed', 'The event is over: questions are closed', {
          field: 'question',
        });
      await repos.ask.insertAskQuestion(db, {
        event_id: eventId,
        name: input.name,
        question: input.question,
        lng: input.lng,
        status: 'submitted',
        merged_into: null,
        reject_reason: null,
        answer: null,
        answered_by: null,
        answered_at: null,
        created_at: now.toISOString(),
      });
    },

    async staffEvents(staff: StaffMember): Promise<UnitAskEvent[]> {
      if (!canWorkCases(staff)) return [];
      return (await repos.ask.askEventsOfUnit(db, staff.unitId ?? '')).map(unitEvent);
    },

    async moderationQueue(
      staff: StaffMember,
      eventId: number,
    ): Promise<{ event: UnitAskEvent; questions: ModeratedQuestion[] } | null> {
      const event = await ownEvent(staff, eventId);
      if (event === undefined) return null;
      const questions = await repos.ask.askQuestionsOfEvent(db, eventId);
      return { event: unitEvent(event), questions: questions.map(moderatedQuestion) };
    },

    async moderate(staff: StaffMember, eventId: number, questionId: number, step: Moderation): Promise<void> {
      const event = await ownEvent(staff, eventId);
      if (event === undefined)
        throw new ServiceError('not-found', 'event-not-found', 'No such event of your unit');
      await db.transaction().execute(async (trx) => {
        const question = await repos.ask.findAskQuestion(trx, eventId, questionId);
        if (question === undefined)
          throw new ServiceError('not-found', 'question-not-found', 'No such question in this event');
        const at = clock().toISOString();
        if (step.action === 'approve') {
          await repos.ask.updateAskQuestion(trx, questionId, { status: 'approved' });
        } else if (step.action === 'reject') {
          if (step.reason.trim() === '')
            throw new ServiceError('invalid', 'reason', 'Enter the reason for rejecting the question', {
              field: 'reason',
            });
          await repos.ask.updateAskQuestion(trx, questionId, {
            status: 'rejected',
            reject_reason: step.reason,
          });
        } else if (step.action === 'merge') {
          const target = await repos.ask.findAskQuestion(trx, eventId, step.into);
          if (target === undefined || target.id === questionId || target.status === 'merged')
            throw new ServiceError(
              'invalid',
              'merge',
              'Choose another question of this event to merge into',
              {
                field: 'into',
              },
            );
          await repos.ask.updateAskQuestion(trx, questionId, { status: 'merged', merged_into: step.into });
        } else {
          if (step.answer.trim() === '')
            throw new ServiceError('invalid', 'answer', 'Enter the answer', { field: 'answer' });
          // Answering publishes the question too.
          await repos.ask.updateAskQuestion(trx, questionId, {
            status: 'approved',
            answer: step.answer,
            answered_by: staff.email,
            answered_at: at,
          });
        }
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor: staff.email,
          action: `ask-question-${step.action}`,
          forceId: staff.forceId,
          detail: `event ${eventId} question ${questionId}`,
        });
      });
    },
  };
}

export type AskTheUnit = ReturnType<typeof createAskTheUnit>;
