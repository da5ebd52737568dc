import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  EXIT_PAGES,
  EXITS_THAT_CONTINUE,
  PHISHING_EXITS,
  TRIAGE_OPTIONS,
  isValidAnswer,
  nextTriageStep,
  triagePath,
  type ExitPage,
  type TriageQuestion,
  type TriageStep,
} from '../../../domain/triage/triage.ts';
import {
  firstUnansweredPage,
  type JourneyOffers,
  type ReportDraft,
} from '../../../domain/report/report-draft.ts';
import type { Services } from '../../../services/index.ts';
import { PUBLIC_JOURNEY, type Journey } from './journey.ts';
import { errorView, getDraft as draftOf, journeyOffers, saveDraft as save } from './report-session.ts';

const QUESTIONS = Object.keys(TRIAGE_OPTIONS) as TriageQuestion[];
/** The service each exit page links to (from reference data). */
const EXIT_LINKS: Partial<Record<ExitPage, string>> = {
  'phishing-email': 'ncsc-phishing-outlook',
  'phishing-website': 'ncsc-website',
  'child-abuse-images': 'iwf',
  'worried-about-child': 'ceop',
  'young-person': 'childline',
  'harmful-content': 'report-harmful-content',
  ico: 'ico',
};

/** Numbers and addresses exit pages interpolate, all from reference data. */
export function exitVars(services: Services): Record<string, string | number> {
  const s = (id: string) => services.reference.service(id);
  return {
    emergency: s('emergency').phone ?? '',
    textRelay: s('emergency').textRelay ?? '',
    nonEmergency: s('non-emergency').phone ?? '',
    fraudLine: s('fraud-cyber-line').phone ?? '',
    textphone: s('fraud-cyber-line').textphone ?? '',
    sers: s('sers').email ?? '',
    spamText: s('spam-text').phone ?? '',
    childline: s('childline').phone ?? '',
    icoPhone: s('ico').phone ?? '',
    icoHours: s('ico').deadlineHours ?? 72,
  };
}

const PHISHING_KIND = {
  'phishing-email': 'email',
  'phishing-text': 'text',
  'phishing-website': 'website',
} as const;

export function stepUrl(
  step: TriageStep,
  draft: Parameters<typeof firstUnansweredPage>[0],
  offers: JourneyOffers,
  base = PUBLIC_JOURNEY.base,
): string {
  if (step.kind === 'question') return `${base}/triage/${step.question}`;
  if (step.kind === 'exit') return `${base}/help/${step.page}`;
  return `${base}/${firstUnansweredPage(draft, offers)}`;
}

function redirect(reply: FastifyReply, url: string) {
  return reply.code(303).redirect(url);
}

export function triageRoutes(
  app: FastifyInstance,
  services: Services,
  journey: Journey = PUBLIC_JOURNEY,
): void {
  const offers = journeyOffers(services);
  const { base, config } = journey;
  const getDraft = (request: FastifyRequest) => draftOf(request, journey);
  const saveDraft = (request: FastifyRequest, draft: ReportDraft) => save(request, draft, journey);
  const urlOf = (step: TriageStep, draft: ReportDraft) => stepUrl(step, draft, offers, base);
  // The adviser's start page is their own (features/adviser).
  if (!journey.adviser)
    app.get('/report', async (request, reply) =>
      reply.page('report/views/start.njk', {
        pageTitle: request.t('report.start.title'),
        offersVictimSupport: services.referrals.offered,
        // Triage starts here: while a significant incident is open, "Were you affected by …?" comes first.
        incidents: await services.incidents.openForPublic(),
      }),
    );

  app.get<{ Params: { question: string } }>(
    `${base}/triage/:question`,
    { config },
    async (request, reply) => {
      const question = request.params.question as TriageQuestion;
      if (!QUESTIONS.includes(question)) {
        reply.callNotFound();
        return;
      }
      const draft = getDraft(request);
      const path = triagePath(draft.triage, draft.acknowledged);
      if (!path.includes(question))
        return redirect(reply, urlOf(nextTriageStep(draft.triage, draft.acknowledged), draft));
      const previous = path[path.indexOf(question) - 1];
      return reply.page('report/views/triage-question.njk', {
        pageTitle: request.t(`triage.${question}.title`),
        question,
        options: TRIAGE_OPTIONS[question],
        value: draft.triage[question],
        backUrl: previous ? `${base}/triage/${previous}` : journey.start,
        journeyBase: base,
        // "Save and come back later" once there is an answer to keep; an adviser's caller cannot come back to it.
        canSave: !journey.adviser && Object.keys(draft.triage).length > 0,
      });
    },
  );

  app.post<{ Params: { question: string }; Body: Record<string, unknown> }>(
    `${base}/triage/:question`,
    { config },
    async (request, reply) => {
      const question = request.params.question as TriageQuestion;
      if (!QUESTIONS.includes(question)) {
        reply.callNotFound();
        return;
      }
      const answer = request.body.answer;
      const draft = getDraft(request);
      if (!isValidAnswer(question, answer)) {
        const path = triagePath(draft.triage, draft.acknowledged);
        const previous = path[path.indexOf(question) - 1];
        return reply.code(400).page('report/views/triage-question.njk', {
          pageTitle: request.t(`triage.${question}.title`),
          question,
          options: TRIAGE_OPTIONS[question],
          backUrl: previous ? `${base}/triage/${previous}` : journey.start,
          journeyBase: base,
          ...errorView(request, [{ field: 'answer', key: `triage.${question}` }]),
        });
      }
      if (draft.triage[question] !== answer) {
        // A changed answer can change the route: answers no longer on the path are dropped, and so is the
        // choice to record a suspicious message as intelligence.
        const triage = { ...draft.triage, [question]: answer };
        const path = triagePath(triage, draft.acknowledged);
        draft.triage = Object.fromEntries(
          Object.entries(triage).filter(([q]) => path.includes(q as TriageQuestion)),
        );
        delete draft.intelligence;
      }
      await saveDraft(request, draft);
      return redirect(reply, urlOf(nextTriageStep(draft.triage, draft.acknowledged), draft));
    },
  );

  app.get<{ Params: { page: string }; Querystring: { postcode?: string } }>(
    `${base}/help/:page`,
    { config },
    async (request, reply) => {
      const page = request.params.page as ExitPage;
      if (!(EXIT_PAGES as readonly string[]).includes(page)) {
        reply.callNotFound();
        return;
      }
      const draft = getDraft(request);
      const postcodeInput =
        typeof request.query.postcode === 'string' ? request.query.postcode.slice(0, 20) : undefined;
      const lookup = postcodeInput === undefined ? null : services.postcodes.lookup(postcodeInput);
      const vars = exitVars(services);
      const linkService = EXIT_LINKS[page];
      return reply.page('report/views/exit.njk', {
        pageTitle: request.t(`exits.${page}.title`, vars),
        vars,
        steps: request.t(`exits.${page}.steps`, { ...vars, returnObjects: true, defaultValue: [] }),
        link: linkService === undefined ? undefined : services.reference.service(linkService).website,
        exit: page,
        canContinue: EXITS_THAT_CONTINUE.has(page),
        phishing: PHISHING_EXITS.has(page),
        backUrl: `${base}/triage/${triagePath(draft.triage, draft.acknowledged).at(-1) ?? 'danger'}`,
        journeyBase: base,
        postcode: postcodeInput,
        localForces: lookup?.kind === 'found' ? lookup.places : null,
        ...(lookup !== null && lookup.kind !== 'found'
          ? errorView(request, [{ field: 'postcode', key: 'postcode.invalid' }])
          : {}),
      });
    },
  );

  app.post<{ Params: { page: string } }>(`${base}/help/:page`, { config }, async (request, reply) => {
    const page = request.params.page as ExitPage;
    if (!EXITS_THAT_CONTINUE.has(page)) {
      reply.callNotFound();
      return;
    }
    const draft = getDraft(request);
    if (!draft.acknowledged.includes(page)) draft.acknowledged = [...draft.acknowledged, page];
    if (page in PHISHING_KIND) draft.intelligence = PHISHING_KIND[page as keyof typeof PHISHING_KIND];
    await saveDraft(request, draft);
    return redirect(reply, urlOf(nextTriageStep(draft.triage, draft.acknowledged), draft));
  });
}
