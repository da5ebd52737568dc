import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ProgressAnswer } from '../../../services/report-progress.ts';
import { parseCrimeReference } from '../../../domain/reference/crime-reference.ts';
import {
  MAX_FILE_BYTES,
  MAX_FILES_PER_REPORT,
  MAX_REPORT_BYTES,
} from '../../../domain/evidence/evidence-file.ts';
import { PREFERRED_CONTACT } from '../../../domain/report/report-draft.ts';
import type { Services } from '../../../services/index.ts';
import { LIVE_REFERRAL_STATUSES } from '../../../services/referrals.ts';
import { MAX_INFORMATION_CHARS, type VictimAccess } from '../../../services/victim-follow-up.ts';
import { failForm, formMessages, serviceProblem, type FormProblem } from '../../plugins/form-errors.ts';
import { readEvidenceUploads } from './evidence-uploads.ts';
import { errorView } from './report-session.ts';
import { normalisePhone, validateContactDetails } from './report-validation.ts';
import { endVictimAccess, grantVictimAccess, victimAccessOf } from './victim-access.ts';

const MAX_INPUT = 320;
const RESULT = '/report/progress/your-report';
const PAGES = {
  information: '/report/progress/add-information',
  evidence: '/report/progress/add-evidence',
  contact: '/report/progress/contact-details',
} as const;
/** What the result page confirms after an action (post/redirect/get: `?done=`). */
const DONE = ['information', 'evidence', 'contact', 'withdrawn'] as const;

const field = (body: Record<string, unknown>, name: string, max: number) =>
  typeof body[name] === 'string' ? body[name].trim().slice(0, max) : '';

/**
 * Check progress: reference plus the email or postcode given. Every wrong pair gets the same message. A right pair
 * gives this session the report for a short while (victim-access.ts): its page, withdrawing Victim Support
 * consent, and, when the email address proved it, adding information, evidence or new contact details.
 */
export function progressRoutes(app: FastifyInstance, services: Services): void {
  const now = () => services.clock();

  /** The session's proof, or a redirect to the check (saying why when it ran out). */
  async function proven(
    request: FastifyRequest,
    reply: FastifyReply,
    needs: 'any' | 'email',
  ): Promise<{ victim: VictimAccess } | { reply: FastifyReply }> {
    const access = victimAccessOf(request, now());
    if (access === null)
      return {
        reply: await failForm(request, reply, '/report/progress', [
          { field: 'reference', key: 'report.errors.progress.checkAgain' },
        ]),
      };
    if (needs === 'email' && access.provedBy !== 'email') return { reply: reply.code(303).redirect(RESULT) };
    return { victim: { reference: access.reference } };
  }

  async function result(
    request: FastifyRequest,
    reply: FastifyReply,
    answer: Extract<ProgressAnswer, { kind: 'found' }>,
  ) {
    const force = answer.forceId === null ? undefined : services.reference.force(answer.forceId);
    const unit = answer.unitId === null ? undefined : services.reference.unit(answer.unitId);
    const unitName = unit === undefined ? '' : request.lng === 'cy' ? unit.nameCy : unit.name;
    const routedTo =
      answer.routingRule === ''
        ? null
        : request.t(`routing.victim.${answer.routingRule}`, { unit: unitName, defaultValue: '' });
    const reportId = await services.intelligence.reportIdOf(answer.reference);
    const referral = reportId === null ? undefined : await services.referrals.forReport(reportId);
    const done = (request.query as Record<string, unknown>).done;
    return reply.header('cache-control', 'no-store').page('report/views/progress-result.njk', {
      pageTitle: request.t('report.progress.resultTitle'),
      report: answer,
      force,
      routedTo,
      referral: referral === undefined ? null : { status: referral.status },
      canWithdraw: referral !== undefined && LIVE_REFERRAL_STATUSES.includes(referral.status),
      done: (DONE as readonly unknown[]).includes(done) ? done : null,
      // Adding to the report needs the email address given; a postcode only shows progress.
      canAdd: answer.personalDataHeld ? answer.provedBy === 'email' : null,
      // Industry partners' takedowns of what the victim reported, in plain words and without naming the partner.
      takedowns: reportId === null ? [] : await services.intelligence.takedownsOf(reportId),
    });
  }

  app.get<{ Querystring: { finished?: string } }>('/report/progress', async (request, reply) =>
    reply.page('report/views/progress.njk', {
      pageTitle: request.t('report.progress.title'),
      finished: request.query.finished === '1',
      ...(await formMessages(request, '/report/progress', 'report.errors')),
    }),
  );

  /** "Finish": this browser no longer opens the report (a shared computer), without waiting for the 30 minutes. */
  app.post('/report/progress/finish', async (request, reply) => {
    await endVictimAccess(request);
    return reply.code(303).redirect('/report/progress?finished=1');
  });

  app.post<{ Body: Record<string, unknown> }>(
    '/report/progress',
    { config: { clientLimit: 'progress-check' } },
    async (request, reply) => {
      const reference = field(request.body, 'reference', MAX_INPUT);
      const secret = field(request.body, 'secret', MAX_INPUT);
      const values = { reference, secret };
      const fail = (status: number, errors: { field: string; key: string }[]) =>
        reply.code(status).page('report/views/progress.njk', {
          pageTitle: request.t('report.progress.title'),
          values,
          ...errorView(request, errors),
        });

      const errors: { field: string; key: string }[] = [];
      if (reference === '') errors.push({ field: 'reference', key: 'progress.referenceRequired' });
      // The check symbol catches typing mistakes without revealing whether any report exists.
      else if (parseCrimeReference(reference) === null)
        errors.push({ field: 'reference', key: 'progress.referenceInvalid' });
      if (secret === '') errors.push({ field: 'secret', key: 'progress.secretRequired' });
      if (errors.length > 0) return fail(400, errors);

      const answer = await services.progress.check(reference, secret, request.ip);
      if (answer.kind === 'throttled') return reply.tooManyAttempts(answer.retryAt);
      if (answer.kind === 'no-match') return fail(400, [{ field: 'reference', key: 'progress.noMatch' }]);
      await grantVictimAccess(request, answer.reference, answer.provedBy, now());
      return reply.code(303).redirect(RESULT);
    },
  );

  app.get(RESULT, async (request, reply) => {
    const access = victimAccessOf(request, now());
    if (access === null) return reply.code(303).redirect('/report/progress');
    const answer = await services.progress.again(access.reference, access.provedBy);
    if (answer.kind !== 'found') return reply.code(303).redirect('/report/progress');
    return result(request, reply, answer);
  });

  app.post('/report/progress/withdraw-referral', async (request, reply) => {
    const access = await proven(request, reply, 'any');
    if ('reply' in access) return access.reply;
    const reportId = await services.intelligence.reportIdOf(access.victim.reference);
    if (reportId !== null) await services.referrals.withdraw(reportId);
    return reply.code(303).redirect(`${RESULT}?done=withdrawn`);
  });

  /** A victim action's form page: the proof first, then the page with its problems shown once. */
  async function formPage(
    request: FastifyRequest,
    reply: FastifyReply,
    path: string,
    template: string,
    title: string,
    extra: Record<string, unknown> = {},
  ) {
    const access = await proven(request, reply, 'email');
    if ('reply' in access) return access.reply;
    return reply.header('cache-control', 'no-store').page(template, {
      pageTitle: request.t(title),
      backUrl: RESULT,
      ...extra,
      ...(await formMessages(request, path, 'report.errors')),
    });
  }

  /** Runs a victim's use case; a refusal goes back to its form (a report gone since goes back to the check). */
  async function act(
    request: FastifyRequest,
    reply: FastifyReply,
    path: string,
    inputField: string,
    values: Record<string, string>,
    run: () => Promise<void>,
    done: (typeof DONE)[number],
  ) {
    try {
      await run();
    } catch (error) {
      const problem = serviceProblem(error, inputField);
      if (problem === 'not-found') return reply.code(303).redirect('/report/progress');
      return failForm(request, reply, path, [problem], values);
    }
    return reply.code(303).redirect(`${RESULT}?done=${done}`);
  }

  app.get(PAGES.information, async (request, reply) =>
    formPage(
      request,
      reply,
      PAGES.information,
      'report/views/add-information.njk',
      'report.followUp.information.title',
      {
        maxLength: MAX_INFORMATION_CHARS,
      },
    ),
  );

  app.post<{ Body: Record<string, unknown> }>(
    PAGES.information,
    { config: { clientLimit: 'victim-addition' } },
    async (request, reply) => {
      const access = await proven(request, reply, 'email');
      if ('reply' in access) return access.reply;
      // The reference in a posted form is never read: the session's report is the only one this victim may add to.
      const text = typeof request.body.information === 'string' ? request.body.information : '';
      return act(
        request,
        reply,
        PAGES.information,
        'information',
        { information: text.slice(0, MAX_INFORMATION_CHARS + 1000) },
        () => services.victimFollowUp.addInformation(access.victim, text),
        'information',
      );
    },
  );

  app.get(PAGES.evidence, async (request, reply) =>
    formPage(
      request,
      reply,
      PAGES.evidence,
      'report/views/add-evidence.njk',
      'report.followUp.evidence.title',
      {
        maxMb: MAX_FILE_BYTES / 1024 / 1024,
        maxTotalMb: MAX_REPORT_BYTES / 1024 / 1024,
        maxFiles: MAX_FILES_PER_REPORT,
      },
    ),
  );

  // The journey's checks, file by file (evidence-uploads.ts), then the use case's for the report as a whole.
  app.post(PAGES.evidence, { config: { clientLimit: 'evidence-upload' } }, async (request, reply) => {
    const access = await proven(request, reply, 'email');
    if ('reply' in access) return access.reply;
    const held = await services.victimFollowUp.evidenceHeld(access.victim);
    if (held === null) return reply.code(303).redirect('/report/progress');
    const refused = (problems: FormProblem[]) => failForm(request, reply, PAGES.evidence, problems);
    if (!request.isMultipart()) return refused([{ field: 'files', key: 'report.errors.evidence.none' }]);
    const { added, errors } = await readEvidenceUploads(request, services, held);
    // Nothing is added unless every file chosen passed: the victim sends this upload as one.
    const [first] = errors;
    if (first !== undefined) return refused([{ field: 'files', key: `report.errors.${first.key}` }]);
    return act(
      request,
      reply,
      PAGES.evidence,
      'files',
      {},
      () => services.victimFollowUp.addEvidence(access.victim, added),
      'evidence',
    );
  });

  app.get(PAGES.contact, async (request, reply) =>
    formPage(
      request,
      reply,
      PAGES.contact,
      'report/views/correct-contact.njk',
      'report.followUp.contact.title',
      {
        options: { preferred: PREFERRED_CONTACT },
      },
    ),
  );

  app.post<{ Body: Record<string, unknown> }>(
    PAGES.contact,
    { config: { clientLimit: 'victim-addition' } },
    async (request, reply) => {
      const access = await proven(request, reply, 'email');
      if ('reply' in access) return access.reply;
      // The journey's rules; a way to reach them stays required.
      const checked = validateContactDetails(request.body, true);
      const values = {
        email: field(request.body, 'email', MAX_INPUT),
        phone: field(request.body, 'phone', 40),
        preferred: field(request.body, 'preferred', 40),
      };
      if (!checked.ok)
        return failForm(
          request,
          reply,
          PAGES.contact,
          checked.errors.map((e) => ({ field: e.field, key: `report.errors.${e.key}` })),
          values,
        );
      const details = checked.value;
      return act(
        request,
        reply,
        PAGES.contact,
        'email',
        values,
        () =>
          services.victimFollowUp.correctContactDetails(access.victim, {
            email: details.email === '' ? null : details.email,
            phone: details.phone === '' ? null : normalisePhone(details.phone),
            preferredContact: details.preferred === '' ? null : details.preferred,
          }),
        'contact',
      );
    },
  );
}
