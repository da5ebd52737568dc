import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import {
  MAX_FILE_BYTES,
  MAX_FILES_PER_REPORT,
  MAX_REPORT_BYTES,
} from '../../../domain/evidence/evidence-file.ts';
import { firstUnansweredPage, reportPages } from '../../../domain/report/report-draft.ts';
import { nextTriageStep } from '../../../domain/triage/triage.ts';
import type { Services } from '../../../services/index.ts';
import { backUrl, nextUrl } from './report-routes.ts';
import { errorView, getDraft as draftOf, journeyOffers, saveDraft as save } from './report-session.ts';
import { PUBLIC_JOURNEY, type Journey } from './journey.ts';
import type { ReportDraft } from '../../../domain/report/report-draft.ts';
import type { FastifyRequest } from 'fastify';
import { stepUrl } from './triage-routes.ts';
import { EVIDENCE_MULTIPART_LIMITS, readEvidenceUploads } from './evidence-uploads.ts';

/** Evidence upload: several files, each checked by content, stored by SHA-256, listed with a remove button. */
export async function evidenceRoutes(
  app: FastifyInstance,
  services: Services,
  journey: Journey = PUBLIC_JOURNEY,
): Promise<void> {
  const offers = journeyOffers(services);
  const { base, config } = journey;
  const getDraft = (request: FastifyRequest) => draftOf(request, journey);
  const saveDraft = (request: FastifyRequest, draft: ReportDraft) => save(request, draft, journey);
  // The adviser's copy of the journey sits inside the public one's context and shares its parser.
  if (!app.hasContentTypeParser('multipart/form-data'))
    await app.register(multipart, { limits: EVIDENCE_MULTIPART_LIMITS });

  const guard = (draft: ReturnType<typeof getDraft>) => {
    const step = nextTriageStep(draft.triage, draft.acknowledged);
    if (step.kind !== 'report') return stepUrl(step, draft, offers, base);
    const pages = reportPages(draft, offers);
    const first = firstUnansweredPage(draft, offers);
    return pages.indexOf('evidence') > pages.indexOf(first) ? `${base}/${first}` : null;
  };

  const render = (
    request: Parameters<typeof getDraft>[0],
    draft: ReturnType<typeof getDraft>,
    errors: { field: string; key: string }[] = [],
  ) => ({
    pageTitle: request.t('report.pages.evidence.title'),
    files: draft.evidence ?? [],
    backUrl: backUrl(draft, 'evidence', offers, base),
    journeyBase: base,
    maxMb: MAX_FILE_BYTES / 1024 / 1024,
    maxTotalMb: MAX_REPORT_BYTES / 1024 / 1024,
    maxFiles: MAX_FILES_PER_REPORT,
    change: (request.query as Record<string, unknown>).change === '1',
    ...(errors.length > 0 ? errorView(request, errors) : {}),
  });

  app.get(`${base}/evidence`, { config }, async (request, reply) => {
    const draft = getDraft(request);
    const elsewhere = guard(draft);
    if (elsewhere !== null) return reply.code(303).redirect(elsewhere);
    return reply.page('report/views/evidence.njk', render(request, draft));
  });

  app.post(
    `${base}/evidence/upload`,
    { config: { ...config, clientLimit: 'evidence-upload' } },
    async (request, reply) => {
      const draft = getDraft(request);
      const elsewhere = guard(draft);
      if (elsewhere !== null) return reply.code(303).redirect(elsewhere);
      if (!request.isMultipart())
        return reply
          .code(400)
          .page(
            'report/views/evidence.njk',
            render(request, draft, [{ field: 'files', key: 'evidence.none' }]),
          );
      const { added, errors } = await readEvidenceUploads(request, services, draft.evidence ?? []);
      const files = [...(draft.evidence ?? []), ...added];
      const updated = { ...draft, evidence: files };
      await saveDraft(request, updated);
      if (errors.length > 0)
        return reply
          .code(400)
          .page('report/views/evidence.njk', render(request, updated, errors.slice(0, 1)));
      return reply.code(303).redirect(`${base}/evidence`);
    },
  );

  app.post<{ Body: Record<string, unknown> }>(
    `${base}/evidence/remove`,
    { config },
    async (request, reply) => {
      const draft = getDraft(request);
      const sha256 = typeof request.body.sha256 === 'string' ? request.body.sha256 : '';
      await saveDraft(request, {
        ...draft,
        evidence: (draft.evidence ?? []).filter((f) => f.sha256 !== sha256),
      });
      return reply.code(303).redirect(`${base}/evidence`);
    },
  );

  app.post(`${base}/evidence`, { config }, async (request, reply) => {
    const draft = getDraft(request);
    const elsewhere = guard(draft);
    if (elsewhere !== null) return reply.code(303).redirect(elsewhere);
    const updated = { ...draft, evidence: draft.evidence ?? [] };
    await saveDraft(request, updated);
    const changing = (request.query as Record<string, unknown>).change === '1';
    return reply.code(303).redirect(nextUrl(updated, 'evidence', changing, offers, base));
  });
}
