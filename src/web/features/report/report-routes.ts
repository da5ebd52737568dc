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
import { PUBLIC_JOURNEY, type Journey } from './journey.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { checkAnswersRows } from './report-summary.ts';
import { exitVars, stepUrl } from './triage-routes.ts';
import { normalisePhone, parsePence } from './report-validation.ts';

export const LAST_REPORT_KEY = 'lastReport';
/** What an adviser last submitted: their own confirmation, and nobody else's. */
export const ADVISER_LAST_REPORT_KEY = 'adviserLastReport';

function redirect(reply: FastifyReply, url: string) {
  return reply.code(303).redirect(url);
}

/** Where someone may not be yet: triage unfinished, or a page that does not apply to their answers. */
function guard(draft: ReportDraft, page: ReportPage, offers: JourneyOffers, base: string): string | null {
  const step = nextTriageStep(draft.triage, draft.acknowledged);
  if (step.kind !== 'report') return stepUrl(step, draft, offers, base);
  const pages = reportPages(draft, offers);
  if (!pages.includes(page)) return `${base}/${firstUnansweredPage(draft, offers)}`;
  const first = firstUnansweredPage(draft, offers);
  if (pages.indexOf(page) > pages.indexOf(first)) return `${base}/${first}`;
  return null;
}

export function backUrl(
  draft: ReportDraft,
  page: ReportPage,
  offers: JourneyOffers,
  base = PUBLIC_JOURNEY.base,
): string {
  const pages = reportPages(draft, offers);
  const previous = pages[pages.indexOf(page) - 1];
  if (previous) return `${base}/${previous}`;
  return `${base}/triage/danger`;
}

/** After an answer: back to check answers when changing one, otherwise the next page. */
export function nextUrl(
  draft: ReportDraft,
  page: ReportPage,
  changing: boolean,
  offers: JourneyOffers,
  base = PUBLIC_JOURNEY.base,
): string {
  const first = firstUnansweredPage(draft, offers);
  if (changing && first === 'check-answers') return `${base}/check-answers`;
  const pages = reportPages(draft, offers);
  const next = pages[pages.indexOf(page) + 1] ?? 'check-answers';
  return `${base}/${pages.indexOf(first) < pages.indexOf(next) ? first : next}`;
}

function isChanging(request: FastifyRequest): boolean {
  return (request.query as Record<string, unknown>).change === '1';
}

export function reportRoutes(
  app: FastifyInstance,
  services: Services,
  journey: Journey = PUBLIC_JOURNEY,
): void {
  const offers = journeyOffers(services);
  const { base, config } = journey;
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
      backUrl: isChanging(request) ? `${base}/check-answers` : backUrl(draft, page, offers, base),
      change: isChanging(request),
      journeyBase: base,
      ...extra,
    });

  for (const page of Object.keys(PAGES) as (keyof typeof PAGES)[]) {
    const definition = PAGES[page];
    app.get(`${base}/${page}`, { config }, async (request, reply) => {
      const draft = getDraft(request, journey);
      const elsewhere = guard(draft, page, offers, base);
      if (elsewhere !== null) return redirect(reply, elsewhere);
      return render(request, reply, page, draft, { values: definition.values(draft) ?? {} });
    });

    app.post<{ Body: Record<string, unknown> }>(`${base}/${page}`, { config }, async (request, reply) => {
      const draft = getDraft(request, journey);
      const elsewhere = guard(draft, page, offers, base);
      if (elsewhere !== null) return redirect(reply, elsewhere);
      const result = await definition.apply(request.body, draft, { services, request, today: new Date() });
      if (!result.ok) {
        return render(request, reply.code(400), page, draft, {
          values: request.body,
          ...errorView(request, result.errors),
        });
      }
      await saveDraft(request, result.value, journey);
      // "Save and come back later": this page's answer is kept with the others, then the link is asked for.
      if (request.body.saveAndReturn === 'yes' && !journey.adviser) return redirect(reply, '/report/save');
      return redirect(reply, nextUrl(result.value, page, isChanging(request), offers, base));
    });
  }

  app.get(`${base}/check-answers`, { config }, async (request, reply) => {
    const draft = getDraft(request, journey);
    const elsewhere = guard(draft, 'check-answers', offers, base);
    if (elsewhere !== null) return redirect(reply, elsewhere);
    return reply.page('report/views/check-answers.njk', {
      pageTitle: request.t('report.pages.check-answers.title'),
      sections: checkAnswersRows(draft, request, services, base),
      backUrl: backUrl(draft, 'check-answers', offers, base),
      journeyBase: base,
      adviser: journey.adviser,
    });
  });

  app.post(
    `${base}/submit`,
    { config: { ...config, clientLimit: 'report-submit' } },
    async (request, reply) => {
      const draft = getDraft(request, journey);
      const elsewhere = guard(draft, 'check-answers', offers, base);
      if (elsewhere !== null) return redirect(reply, elsewhere);
      const submission = draftToSubmission(
        draft,
        draft.money?.lost === 'yes' ? parsePence(draft.money.amount) : null,
        draft.contactDetails?.phone ? normalisePhone(draft.contactDetails.phone) : null,
      );
      // A copy of what they told us, in their language, for the confirmation page (e.g. to reuse for the ICO).
      const copy = checkAnswersRows(draft, request, services, base).map((r) => ({
        key: r.key.text,
        value: r.value.text,
      }));
      if (journey.adviser) {
        // Taken for a caller: the same intake, naming the adviser (never the adviser's own address as the reporter's).
        const staff = staffOf(request);
        const user = await services.staff.userIdByEmail(staff.email);
        if (user === null) throw new Error('a signed-in adviser has no account');
        const report = await services.reportIntake.submit(submission, {
          lng: request.lng,
          adviser: { userId: user.id, name: staff.email },
        });
        app.metrics.reportReceived('journey');
        await clearDraft(request, journey);
        request.session.set(ADVISER_LAST_REPORT_KEY, {
          reference: report.reference,
          category: report.category,
          email: submission.reporter.email,
          copy,
        });
        await request.session.save();
        return redirect(reply, `${base}/confirmation`);
      }
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
    },
  );

  app.get(`${base}/start-again`, { config }, async (request, reply) => {
    await clearDraft(request, journey);
    return redirect(reply, `${base}/triage/danger`);
  });

  // The adviser's confirmation is features/adviser's.
  if (journey.adviser) return;

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
}
