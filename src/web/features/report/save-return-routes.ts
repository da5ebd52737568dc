import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { nextTriageStep } from '../../../domain/triage/triage.ts';
import type { ReportDraft } from '../../../domain/report/report-draft.ts';
import type { Services } from '../../../services/index.ts';
import { SAVED_DRAFT_DAYS } from '../../../services/saved-drafts.ts';
import { failForm, formMessages, serviceProblem } from '../../plugins/form-errors.ts';
import { clearDraft, getDraft, journeyOffers, saveDraft } from './report-session.ts';
import { stepUrl } from './triage-routes.ts';
import { validateSaveEmail } from './report-validation.ts';

const SAVE = '/report/save';
const SAVED_KEY = 'savedDraftSent';
const RESTORED_KEY = 'savedDraftRestored';

/**
 * Save and come back later: from any step, the answers so far are kept and a single-use link is emailed
 * (services/saved-drafts.ts). The link's page uses nothing up (email scanners open links); its button does.
 */
export function saveReturnRoutes(app: FastifyInstance, services: Services): void {
  const offers = journeyOffers(services);
  /** Where the person is in the journey: the step they would answer next. */
  const currentStep = (draft: ReportDraft) =>
    stepUrl(nextTriageStep(draft.triage, draft.acknowledged), draft, offers);
  const started = (draft: ReportDraft) => Object.keys(draft.triage).length > 0;

  /** Read once: shown to this browser after the redirect, then gone. */
  async function takeOnce<T>(request: FastifyRequest, key: string): Promise<T | undefined> {
    const value = request.session.get(key) as T | null | undefined;
    if (value !== undefined && value !== null) {
      request.session.set(key, null);
      await request.session.save();
    }
    return value ?? undefined;
  }

  app.get(SAVE, async (request, reply) => {
    const draft = getDraft(request);
    if (!started(draft)) return reply.code(303).redirect('/report');
    const messages = await formMessages(request, SAVE, 'report.errors');
    return reply.header('cache-control', 'no-store').page('report/views/save.njk', {
      pageTitle: request.t('report.saveReturn.title'),
      backUrl: currentStep(draft),
      days: SAVED_DRAFT_DAYS,
      ...messages,
      values: { email: draft.contactDetails?.email ?? '', ...messages.values },
    });
  });

  app.post<{ Body: Record<string, unknown> }>(
    SAVE,
    { config: { clientLimit: 'save-draft' } },
    async (request, reply) => {
      const draft = getDraft(request);
      if (!started(draft)) return reply.code(303).redirect('/report');
      const checked = validateSaveEmail(request.body);
      const typed = typeof request.body.email === 'string' ? request.body.email.trim().slice(0, 320) : '';
      if (!checked.ok)
        return failForm(
          request,
          reply,
          SAVE,
          checked.errors.map((e) => ({ field: e.field, key: `report.errors.${e.key}` })),
          { email: typed },
        );
      let saved;
      try {
        // In the journey's language now: the email is written in it.
        saved = await services.savedDrafts.save({ email: checked.value.email, draft, lng: request.lng });
      } catch (error) {
        const problem = serviceProblem(error, 'email');
        if (problem === 'not-found') throw error;
        return failForm(request, reply, SAVE, [problem], { email: typed });
      }
      // They are leaving: the answers go from this browser (a shared computer) and wait for the link.
      await clearDraft(request);
      request.session.set(SAVED_KEY, {
        email: checked.value.email.toLowerCase(),
        expiresAt: saved.expiresAt,
      });
      await request.session.save();
      return reply.code(303).redirect('/report/saved');
    },
  );

  app.get('/report/saved', async (request, reply) => {
    const sent = await takeOnce<{ email: string; expiresAt: string }>(request, SAVED_KEY);
    if (sent === undefined) return reply.code(303).redirect('/report');
    return reply.header('cache-control', 'no-store').page('report/views/saved.njk', {
      pageTitle: request.t('report.saveReturn.sentTitle'),
      email: sent.email,
      expiresAt: sent.expiresAt,
      days: SAVED_DRAFT_DAYS,
    });
  });

  const linkGone = (request: FastifyRequest, reply: FastifyReply, state: 'used' | 'expired') =>
    reply
      .code(410)
      .header('cache-control', 'no-store')
      .page('report/views/link-gone.njk', {
        pageTitle: request.t(`report.saveReturn.${state}Title`),
        state,
        days: SAVED_DRAFT_DAYS,
      });

  app.get<{ Params: { token: string } }>('/report/return/:token', async (request, reply) => {
    const state = await services.savedDrafts.state(request.params.token);
    if (state !== 'open') return linkGone(request, reply, state);
    return reply.header('cache-control', 'no-store').page('report/views/return.njk', {
      pageTitle: request.t('report.saveReturn.returnTitle'),
      // The form posts back to this address; the token is not written anywhere else on the page.
      action: `/report/return/${request.params.token}`,
    });
  });

  app.post<{ Params: { token: string } }>(
    '/report/return/:token',
    { config: { clientLimit: 'resume-draft' } },
    async (request, reply) => {
      const resumed = await services.savedDrafts.resume(request.params.token);
      if (resumed.kind !== 'restored') return linkGone(request, reply, resumed.kind);
      // A new session id: whatever this browser held before is not the restored report's.
      await request.session.regenerate();
      await saveDraft(request, resumed.draft);
      request.session.set(RESTORED_KEY, { missingFiles: resumed.missingFiles });
      await request.session.save();
      return reply.code(303).redirect('/report/restored');
    },
  );

  app.get('/report/restored', async (request, reply) => {
    const draft = getDraft(request);
    const restored = await takeOnce<{ missingFiles: string[] }>(request, RESTORED_KEY);
    if (restored === undefined)
      return reply.code(303).redirect(started(draft) ? currentStep(draft) : '/report');
    return reply.header('cache-control', 'no-store').page('report/views/restored.njk', {
      pageTitle: request.t('report.saveReturn.restoredTitle'),
      missingFiles: restored.missingFiles,
      continueUrl: currentStep(draft),
    });
  });
}
