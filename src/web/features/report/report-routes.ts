import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  firstUnansweredPage,
  reportPages,
  type JourneyOffers,
  type ReportDraft,
  type ReportPage,
} from '../../../domain/report/report-draft.ts';
import { draftToSubmission } from '../../../domain/report/report-submission.ts';
import { nextTriageStep } from '../../../domain/triage/triage.ts';
import type { Services } from '../../../services/index.ts';
import { PAGES } from './report-pages.ts';
import { clearDraft, errorView, getDraft, journeyOffers, saveDraft } from './report-session.ts';
import { checkAnswersRows } from './report-summary.ts';
import { exitVars, stepUrl } from './triage-routes.ts';
import { normalisePhone, parsePence } from './report-validation.ts';

const LAST_REPORT_KEY = 'lastReport';

function redirect(reply: FastifyReply, url: string) {
  return reply.code(303).redirect(url);
}

/** Where someone may not be yet: triage unfinished, or a page that does not apply to their answers. */
function guard(draft: ReportDraft, page: ReportPage, offers: JourneyOffers): string | null {
  const step = nextTriageStep(draft.triage, draft.acknowledged);
  if (step.kind !== 'report') return stepUrl(step, draft, offers);
  const pages = reportPages(draft, offers);
  if (!pages.includes(page)) return `/report/${firstUnansweredPage(draft, offers)}`;
  const first = firstUnansweredPage(draft, offers);
  if (pages.indexOf(page) > pages.indexOf(first)) return `/report/${first}`;
  return null;
}

export function backUrl(draft: ReportDraft, page: ReportPage, offers: JourneyOffers): string {
  const pages = reportPages(draft, offers);
  const previous = pages[pages.indexOf(page) - 1];
  if (previous) return `/report/${previous}`;
  return '/report/triage/danger';
}

/** After an answer: back to check answers when changing one, otherwise the next page. */
export function nextUrl(
  draft: ReportDraft,
  page: ReportPage,
  changing: boolean,
  offers: JourneyOffers,
): string {
  const first = firstUnansweredPage(draft, offers);
  if (changing && first === 'check-answers') return '/report/check-answers';
  const pages = reportPages(draft, offers);
  const next = pages[pages.indexOf(page) + 1] ?? 'check-answers';
  return `/report/${pages.indexOf(first) < pages.indexOf(next) ? first : next}`;
}

function isChanging(request: FastifyRequest): boolean {
  return (request.query as Record<string, unknown>).change === '1';
}

export function reportRoutes(app: FastifyInstance, services: Services): void {
  const offers = journeyOffers(services);
  const render = (
    request: FastifyRequest,
    reply: FastifyReply,
    page: ReportPage,
    draft: ReportDraft,
    extra: Record<string, unknown>,
  ) =>
    reply.page(`report/views/${page}.njk`, {
      pageTitle: request.t(`report.pages.${page}.title`),
      page,
      draft,
      options: PAGES[page as keyof typeof PAGES].options ?? {},
      backUrl: isChanging(request) ? '/report/check-answers' : backUrl(draft, page, offers),
      change: isChanging(request),
      ...extra,
    });

  for (const page of Object.keys(PAGES) as (keyof typeof PAGES)[]) {
    const definition = PAGES[page];
    app.get(`/report/${page}`, async (request, reply) => {
      const draft = getDraft(request);
      const elsewhere = guard(draft, page, offers);
      if (elsewhere !== null) return redirect(reply, elsewhere);
      return render(request, reply, page, draft, { values: definition.values(draft) ?? {} });
    });

    app.post<{ Body: Record<string, unknown> }>(`/report/${page}`, async (request, reply) => {
      const draft = getDraft(request);
      const elsewhere = guard(draft, page, offers);
      if (elsewhere !== null) return redirect(reply, elsewhere);
      const result = await definition.apply(request.body, draft, { services, request, today: new Date() });
      if (!result.ok) {
        return render(request, reply.code(400), page, draft, {
          values: request.body,
          ...errorView(request, result.errors),
        });
      }
      await saveDraft(request, result.value);
      // "Save and come back later": this page's answer is kept with the others, then the link is asked for.
      if (request.body.saveAndReturn === 'yes') return redirect(reply, '/report/save');
      return redirect(reply, nextUrl(result.value, page, isChanging(request), offers));
    });
  }

  app.get('/report/check-answers', async (request, reply) => {
    const draft = getDraft(request);
    const elsewhere = guard(draft, 'check-answers', offers);
    if (elsewhere !== null) return redirect(reply, elsewhere);
    return reply.page('report/views/check-answers.njk', {
      pageTitle: request.t('report.pages.check-answers.title'),
      sections: checkAnswersRows(draft, request, services),
      backUrl: backUrl(draft, 'check-answers', offers),
    });
  });

  app.post('/report/submit', { config: { clientLimit: 'report-submit' } }, async (request, reply) => {
    const draft = getDraft(request);
    const elsewhere = guard(draft, 'check-answers', offers);
    if (elsewhere !== null) return redirect(reply, elsewhere);
    const submission = draftToSubmission(
      draft,
      draft.money?.lost === 'yes' ? parsePence(draft.money.amount) : null,
      draft.contactDetails?.phone ? normalisePhone(draft.contactDetails.phone) : null,
    );
    // A copy of what they told us, in their language, for the confirmation page (e.g. to reuse for the ICO).
    const copy = checkAnswersRows(draft, request, services).map((r) => ({
      key: r.key.text,
      value: r.value.text,
    }));
    // Stored and committed before the confirmation is shown: nothing acknowledged is ever lost.
    const report = await services.reportIntake.submit(submission, {
      lng: request.lng,
      clientAddress: request.ip,
    });
    app.metrics.reportReceived('journey');
    // The copy of the answers lives only in a session the journey's old cookie cannot open.
    await request.session.regenerate();
    await clearDraft(request);
    request.session.set(LAST_REPORT_KEY, {
      reference: report.reference,
      category: report.category,
      email: submission.reporter.email,
      copy,
    });
    await request.session.save();
    return redirect(reply, '/report/confirmation');
  });

  app.get('/report/confirmation', async (request, reply) => {
    const last = request.session.get(LAST_REPORT_KEY) as
      | { reference: string; category: string; email: string | null; copy?: { key: string; value: string }[] }
      | undefined;
    // Without the submitting browser's session (closed, another browser, an old cookie) there is nothing to show.
    if (last === undefined) return redirect(reply, '/report');
    return reply.header('cache-control', 'no-store').page('report/views/confirmation.njk', {
      pageTitle: request.t('report.confirmation.title'),
      reference: last.reference,
      category: last.category,
      email: last.email,
      copy: (last.copy ?? []).map((r) => ({ key: { text: r.key }, value: { text: r.value } })),
      advice: request.t(`advice.${last.category}`, {
        ...exitVars(services),
        returnObjects: true,
        defaultValue: [],
      }),
    });
  });

  app.get('/report/start-again', async (request, reply) => {
    await clearDraft(request);
    return redirect(reply, '/report/triage/danger');
  });
}
