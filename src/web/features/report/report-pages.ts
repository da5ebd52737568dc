import type { FastifyRequest } from 'fastify';
import {
  CONTACT_METHODS,
  EMPLOYEE_BANDS,
  PAYMENT_METHODS,
  PREFERRED_CONTACT,
  CONTACT_TIMES,
  SECTORS,
  VULNERABILITY_FLAGS,
  WHAT_HAPPENED_CHOICES,
  reporterType,
  type ReportDraft,
  type ReportPage,
} from '../../../domain/report/report-draft.ts';
import type { Services } from '../../../services/index.ts';
import * as v from './report-validation.ts';

/** One question page: how to validate its form and where its answer lives in the draft. */
export interface PageDefinition {
  /** Options the template offers, by field. */
  options?: Record<string, readonly string[]>;
  /** Validates the posted form; on success returns the draft with the answer stored. */
  apply(
    body: Record<string, unknown>,
    draft: ReportDraft,
    ctx: PageContext,
  ): Promise<v.Validated<ReportDraft>> | v.Validated<ReportDraft>;
  /** The stored answer, to fill the form when someone comes back. */
  values(draft: ReportDraft): Record<string, unknown> | undefined;
}

export interface PageContext {
  services: Services;
  request: FastifyRequest;
  today: Date;
}

function store<K extends keyof ReportDraft>(
  key: K,
  result: v.Validated<NonNullable<ReportDraft[K]>>,
  draft: ReportDraft,
): v.Validated<ReportDraft> {
  return result.ok ? { ok: true, value: { ...draft, [key]: result.value } } : result;
}

export const PAGES: Record<Exclude<ReportPage, 'evidence' | 'check-answers'>, PageDefinition> = {
  organisation: {
    options: { sector: SECTORS, employees: EMPLOYEE_BANDS },
    apply: (body, draft) => store('organisation', v.validateOrganisation(body), draft),
    values: (draft) => draft.organisation,
  },
  'about-you': {
    apply: (body, draft) =>
      store('aboutYou', v.validateAboutYou(body, reporterType(draft) === 'on-behalf'), draft),
    values: (draft) => draft.aboutYou,
  },
  'what-happened': {
    options: { choice: Object.keys(WHAT_HAPPENED_CHOICES) },
    apply: (body, draft) => store('whatHappened', v.validateWhatHappened(body), draft),
    values: (draft) => draft.whatHappened,
  },
  suspicious: {
    apply: (body, draft) => store('suspicious', v.validateSuspicious(body), draft),
    values: (draft) => draft.suspicious,
  },
  when: {
    apply: (body, draft, ctx) => store('when', v.validateWhen(body, ctx.today), draft),
    values: (draft) => draft.when,
  },
  'contact-method': {
    options: { method: CONTACT_METHODS },
    apply: (body, draft) => store('contactMethod', v.validateContactMethod(body), draft),
    values: (draft) => draft.contactMethod,
  },
  money: {
    options: { method: PAYMENT_METHODS },
    apply: (body, draft) => store('money', v.validateMoney(body), draft),
    values: (draft) => draft.money,
  },
  suspect: {
    apply: (body, draft) => store('suspect', v.validateSuspect(body), draft),
    values: (draft) => draft.suspect,
  },
  vulnerability: {
    options: { flags: VULNERABILITY_FLAGS },
    apply: (body, draft) => store('vulnerability', v.validateVulnerability(body), draft),
    values: (draft) => draft.vulnerability,
  },
  'contact-details': {
    options: { preferred: PREFERRED_CONTACT },
    apply: (body, draft) =>
      store('contactDetails', v.validateContactDetails(body, draft.intelligence === undefined), draft),
    values: (draft) => draft.contactDetails,
  },
  postcode: {
    apply(body, draft, ctx) {
      const raw = typeof body.postcode === 'string' ? body.postcode.trim() : '';
      const optional = draft.intelligence !== undefined;
      if (raw === '' && optional)
        return {
          ok: true,
          value: { ...draft, postcode: { postcode: '', normalised: '', candidates: [] }, force: undefined },
        };
      if (raw === '') return { ok: false, errors: [{ field: 'postcode', key: 'postcode.required' }] };
      const answer = raw.length > 20 ? null : ctx.services.postcodes.lookup(raw);
      if (answer?.kind === 'outside')
        return { ok: false, errors: [{ field: 'postcode', key: `postcode.outside.${answer.jurisdiction}` }] };
      if (answer?.kind !== 'found')
        return { ok: false, errors: [{ field: 'postcode', key: 'postcode.invalid' }] };
      const candidates = [...answer.forces];
      // A new postcode may no longer be split, or be split between other forces: ask again if so.
      const force =
        draft.force && candidates.includes(draft.force.force) && candidates.length > 1
          ? draft.force
          : undefined;
      return {
        ok: true,
        value: { ...draft, postcode: { postcode: raw, normalised: answer.postcode, candidates }, force },
      };
    },
    values: (draft) => (draft.postcode ? { postcode: draft.postcode.postcode } : undefined),
  },
  force: {
    apply: (body, draft) => store('force', v.validateForce(body, draft.postcode?.candidates ?? []), draft),
    values: (draft) => draft.force,
  },
  'victim-support': {
    options: { contactTime: CONTACT_TIMES },
    apply: (body, draft) => store('victimSupport', v.validateVictimSupport(body), draft),
    values: (draft) => draft.victimSupport,
  },
};
