/**
 * Prevent (issue 24): referrals of young people at risk of getting involved in cyber crime, in the Cyber Choices
 * style. A school, parent or carer, or organisation refers through the public form, an officer from the workspace;
 * each referral is routed to the region's unit, where only its Prevent officers see it and take it through the
 * workflow (contacted → intervention type → outcome → closed). Minimal data, emptied by the hourly retention job
 * (services/retention.ts, PREVENT_RETENTION_DAYS); the counts by region and month stay, published with small numbers
 * protected as the crime figures are.
 */
import type { Db, Dialect } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { PreventReferralRow } from '../db/repositories/prevent-repository.ts';
import {
  canReferToPrevent,
  canSeePreventReferral,
  canWorkPrevent,
  type StaffMember,
} from '../domain/access/access-policy.ts';
import { isEmailAddress } from '../domain/contact/email-address.ts';
import {
  AGE_RANGE,
  INTERVENTION_TYPES,
  nextAction,
  OUTCOMES,
  PREVENT_LIMITS,
  PUBLIC_REFERRER_KINDS,
  statusAfter,
  type PreventStep,
  type PublicReferrerKind,
} from '../domain/prevent/prevent-referral.ts';
import { figureOf, protectCell, type PublishedFigure } from '../domain/statistics/disclosure-control.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import type { EmailSender } from './email/email-sender.ts';
import type { Translate } from './email/victim-emails.ts';
import { DiscardJob, type JobHandler } from './outbox-worker.ts';
import { ServiceError } from './service-error.ts';

/** Tells the region's Prevent mailbox (its Prevent officers in copy) of a new referral: its number and a link only. */
export const PREVENT_REFERRAL_EMAIL_JOB = 'prevent-referral-email';

const QUEUE_SIZE = 100;

/** What the public form and the workspace form give (the officer's own details come from their account). */
export interface PreventReferralInput {
  youngPerson: string;
  age: number;
  forceId: string;
  concern: string;
  aware: boolean;
  lng: 'en' | 'cy';
}

export interface PublicReferrer {
  kind: PublicReferrerKind;
  name: string;
  email: string;
  phone: string | null;
  organisation: string | null;
}

/** A referral as its region's Prevent officers see it. */
export interface PreventReferral {
  id: number;
  unitId: string;
  regionId: string;
  forceId: string;
  source: string;
  referredBy: string | null;
  referrerName: string | null;
  referrerEmail: string | null;
  referrerPhone: string | null;
  referrerOrganisation: string | null;
  youngPerson: string | null;
  age: number | null;
  concern: string | null;
  aware: boolean;
  status: string;
  intervention: string | null;
  outcome: string | null;
  contactedAt: string | null;
  closedAt: string | null;
  receivedAt: string;
  anonymised: boolean;
  /** The step it takes next (null once closed, or once its details were deleted). */
  next: PreventStep['action'] | null;
}

export interface PreventFigureRow {
  regionId: string;
  month: string;
  referrals: PublishedFigure['reports'];
}

const toReferral = (r: PreventReferralRow): PreventReferral => ({
  id: r.id,
  unitId: r.unit_id,
  regionId: r.region_id,
  forceId: r.force_id,
  source: r.source,
  referredBy: r.referred_by,
  referrerName: r.referrer_name,
  referrerEmail: r.referrer_email,
  referrerPhone: r.referrer_phone,
  referrerOrganisation: r.referrer_organisation,
  youngPerson: r.young_person,
  age: r.age,
  concern: r.concern,
  aware: r.aware === 1,
  status: r.status,
  intervention: r.intervention,
  outcome: r.outcome,
  contactedAt: r.contacted_at,
  closedAt: r.closed_at,
  receivedAt: r.created_at,
  anonymised: r.anonymised_at !== null,
  next: r.anonymised_at === null ? nextAction(r.status) : null,
});

const invalid = (code: string, field: string, message: string) =>
  new ServiceError('invalid', code, message, { field });

export function createPrevent(
  db: Db,
  dialect: Dialect,
  clock: () => Date,
  reference: ReferenceData,
  repos: Repositories = repositories,
) {
  /** The rules both forms share: the pages check the same first, so these refuse only what a page let through. */
  function checkInput(input: PreventReferralInput): { unitId: string; regionId: string } {
    const youngPerson = input.youngPerson.trim();
    if (youngPerson === '' || youngPerson.length > PREVENT_LIMITS.youngPerson)
      throw invalid('prevent-young-person', 'youngPerson', 'Give the young person’s first name or initials');
    if (!Number.isInteger(input.age) || input.age < AGE_RANGE.min || input.age > AGE_RANGE.max)
      throw invalid('prevent-age', 'age', `Give an age from ${AGE_RANGE.min} to ${AGE_RANGE.max}`);
    if (input.concern.trim() === '' || input.concern.length > PREVENT_LIMITS.concern)
      throw invalid('prevent-concern', 'concern', 'Say what worries you, in up to 2,000 characters');
    const region = reference.regionOfForce(input.forceId);
    const unitId = reference.unitDirectory.regionalUnit(input.forceId);
    if (region === undefined || unitId === undefined)
      throw invalid('prevent-area', 'postcode', 'Give a postcode in England or Wales');
    return { unitId, regionId: region.id };
  }

  async function record(
    input: PreventReferralInput,
    who: { source: string; referredBy: string | null; referrer: Partial<PublicReferrer> },
    actor: string,
  ): Promise<{ id: number; unitId: string }> {
    const { unitId, regionId } = checkInput(input);
    const at = clock();
    const now = at.toISOString();
    const id = await db.transaction().execute(async (trx) => {
      const id = await repos.prevent.insertPreventReferral(trx, {
        unit_id: unitId,
        region_id: regionId,
        force_id: input.forceId,
        source: who.source,
        referred_by: who.referredBy,
        referrer_name: who.referrer.name ?? null,
        referrer_email: who.referrer.email ?? null,
        referrer_phone: who.referrer.phone ?? null,
        referrer_organisation: who.referrer.organisation ?? null,
        young_person: input.youngPerson.trim(),
        age: input.age,
        concern: input.concern.trim(),
        aware: input.aware ? 1 : 0,
        lng: input.lng,
        status: 'new',
        created_at: now,
        updated_at: now,
      });
      // Nothing personal in the payload or the email: the Prevent officers read the referral in the workspace.
      await repos.outbox.enqueueJob(
        trx,
        {
          kind: PREVENT_REFERRAL_EMAIL_JOB,
          dedupeKey: `${PREVENT_REFERRAL_EMAIL_JOB}:${String(id)}`,
          payload: { referralId: id, unitId },
        },
        at,
      );
      // Never the young person's details: the audit log outlives the referral's retention.
      await repos.audit.writeAudit(trx, {
        at: now,
        actor,
        action: 'prevent-referral-received',
        forceId: input.forceId,
        detail: `referral ${id} from ${who.source === 'officer' ? 'an officer' : `a ${who.source}`}, routed to ${unitId}`,
      });
      return id;
    });
    return { id, unitId };
  }

  return {
    /** The public form: a school, parent or carer, or organisation refers a young person. */
    async referFromPublic(
      referrer: PublicReferrer,
      input: PreventReferralInput,
    ): Promise<{ id: number; unitId: string }> {
      if (!(PUBLIC_REFERRER_KINDS as readonly string[]).includes(referrer.kind))
        throw invalid('prevent-referrer-kind', 'referrerKind', 'Say who you are');
      if (referrer.name.trim() === '' || referrer.name.length > PREVENT_LIMITS.name)
        throw invalid('prevent-referrer-name', 'referrerName', 'Give your name');
      if (!isEmailAddress(referrer.email))
        throw invalid('prevent-referrer-email', 'referrerEmail', 'Give an email address we can reply to');
      if (referrer.kind !== 'parent' && (referrer.organisation ?? '').trim() === '')
        throw invalid('prevent-organisation', 'organisation', 'Give the school’s or organisation’s name');
      if ((referrer.organisation ?? '').length > PREVENT_LIMITS.organisation)
        throw invalid('prevent-organisation', 'organisation', 'Give the school’s or organisation’s name');
      return record(
        input,
        {
          source: referrer.kind,
          referredBy: null,
          referrer: {
            ...referrer,
            name: referrer.name.trim(),
            organisation: referrer.kind === 'parent' ? null : (referrer.organisation?.trim() ?? null),
          },
        },
        'public-form',
      );
    },

    /** An officer refers a young person they met from the workspace (as themselves). */
    async referFromWorkspace(
      staff: StaffMember,
      input: PreventReferralInput,
    ): Promise<{ id: number; unitId: string }> {
      if (!canReferToPrevent(staff))
        throw new ServiceError('forbidden', 'prevent-refer', 'Only officers of a unit refer to Prevent');
      return record(
        input,
        { source: 'officer', referredBy: staff.email, referrer: { email: staff.email } },
        staff.email,
      );
    },

    /** The region's Prevent queue: open referrals, then the latest closed. */
    async queue(staff: StaffMember): Promise<PreventReferral[]> {
      if (!canWorkPrevent(staff) || staff.unitId === null) return [];
      return (await repos.prevent.preventReferralsOfUnit(db, staff.unitId, QUEUE_SIZE)).map(toReferral);
    },

    /** One referral, for its own region's Prevent officers only (anyone else: not found). */
    async find(staff: StaffMember, id: number): Promise<PreventReferral> {
      const row = await repos.prevent.findPreventReferralForUpdate(db, id, 'sqlite');
      if (row === undefined || !canSeePreventReferral(staff, { unitId: row.unit_id }))
        throw new ServiceError('not-found', 'prevent-referral', 'No such referral');
      return toReferral(row);
    },

    /** The next step of the workflow, in order, each audited. */
    async advance(staff: StaffMember, id: number, step: PreventStep): Promise<void> {
      if (step.action === 'intervention' && !(INTERVENTION_TYPES as readonly string[]).includes(step.type))
        throw invalid('prevent-intervention', 'intervention', 'Choose the type of intervention');
      if (step.action === 'outcome' && !(OUTCOMES as readonly string[]).includes(step.outcome))
        throw invalid('prevent-outcome', 'outcome', 'Choose the outcome');
      const at = clock().toISOString();
      await db.transaction().execute(async (trx) => {
        const row = await repos.prevent.findPreventReferralForUpdate(trx, id, dialect);
        if (row === undefined || !canSeePreventReferral(staff, { unitId: row.unit_id }))
          throw new ServiceError('not-found', 'prevent-referral', 'No such referral');
        const next = row.anonymised_at === null ? statusAfter(row.status, step) : null;
        if (next === null)
          throw new ServiceError('conflict', 'prevent-step', 'That step is not the referral’s next one', {
            field: step.action,
          });
        const moved = await repos.prevent.updatePreventReferral(trx, id, row.status, {
          status: next,
          updated_at: at,
          ...(step.action === 'contacted' ? { contacted_at: at } : {}),
          ...(step.action === 'intervention' ? { intervention: step.type } : {}),
          ...(step.action === 'outcome' ? { outcome: step.outcome } : {}),
          ...(step.action === 'close' ? { closed_at: at } : {}),
        });
        if (!moved)
          throw new ServiceError('conflict', 'prevent-step', 'That step is not the referral’s next one', {
            field: step.action,
          });
        await repos.audit.writeAudit(trx, {
          at,
          actor: staff.email,
          action: 'prevent-referral-step',
          forceId: row.force_id,
          detail: `referral ${id}: ${row.status} → ${next}${step.action === 'intervention' ? ` (${step.type})` : ''}${step.action === 'outcome' ? ` (${step.outcome})` : ''}`,
        });
      });
    },

    handlers(sender: EmailSender, t: Translate, baseUrl: string): Record<string, JobHandler> {
      return {
        [PREVENT_REFERRAL_EMAIL_JOB]: async (payload) => {
          const { referralId, unitId } = (payload ?? {}) as Record<string, unknown>;
          if (typeof referralId !== 'number' || typeof unitId !== 'string')
            throw new DiscardJob('not a Prevent referral');
          const unit = reference.unit(unitId);
          if (unit?.preventMailbox === undefined) throw new DiscardJob('the unit has no Prevent mailbox');
          const officers = await repos.prevent.activePreventOfficerEmails(db, unitId);
          const vars = {
            number: String(referralId),
            unit: unit.name,
            link: `${baseUrl}/staff/prevent/${String(referralId)}`,
          };
          await sender.send({
            to: unit.preventMailbox,
            ...(officers.length > 0 ? { cc: officers } : {}),
            subject: t('en', 'email.preventReferral.subject', vars),
            text: t('en', 'email.preventReferral.body', vars),
            template: 'email.preventReferral',
            reference: null,
          });
        },
      };
    },

    /**
     * Referrals by region and month, each cell protected as the crime figures are (1–4: "fewer than 5"; others to
     * the nearest 5), ended months only, the last 12.
     */
    async publishedFigures(): Promise<PreventFigureRow[]> {
      const now = clock();
      const to = `${now.toISOString().slice(0, 7)}-01T00:00:00.000Z`;
      const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 12, 1)).toISOString();
      const rows = await repos.prevent.preventCountsByRegionMonth(db, start, to);
      return rows.map((r) => ({
        regionId: r.region_id,
        month: r.month,
        referrals: figureOf([protectCell(Number(r.referrals), 0)]).reports,
      }));
    },
  };
}

export type Prevent = ReturnType<typeof createPrevent>;
