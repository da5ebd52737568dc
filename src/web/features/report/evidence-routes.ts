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
import { errorView, getDraft, journeyOffers, saveDraft } from './report-session.ts';
import { stepUrl } from './triage-routes.ts';
import { EVIDENCE_MULTIPART_LIMITS, readEvidenceUploads } from './evidence-uploads.ts';

/** Evidence upload: several files, each checked by content, stored by SHA-256, listed with a remove button. */
export async function evidenceRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const offers = journeyOffers(services);
  await app.register(multipart, { limits: EVIDENCE_MULTIPART_LIMITS });

  const guard = (draft: ReturnType<typeof getDraft>) => {
    const step = nextTriageStep(draft.triage, draft.acknowledged);
    if (step.kind !== 'report') return stepUrl(step, draft, offers);
    const pages = reportPages(draft, offers);
    const first = firstUnansweredPage(draft, offers);
    return pages.indexOf('evidence') > pages.indexOf(first) ? `/report/${first}` : null;
  };

  const render = (
    request: Parameters<typeof getDraft>[0],
    draft: ReturnType<typeof getDraft>,
    errors: { field: string; key: string }[] = [],
  ) => ({
    pageTitle: request.t('report.pages.evidence.title'),
    files: draft.evidence ?? [],
    backUrl: backUrl(draft, 'evidence', offers),
    maxMb: MAX_FILE_BYTES / 1024 / 1024,
    maxTotalMb: MAX_REPORT_BYTES / 1024 / 1024,
    maxFiles: MAX_FILES_PER_REPORT,
    change: (request.query as Record<string, unknown>).change === '1',
    ...(errors.length > 0 ? errorView(request, errors) : {}),
  });

  app.get('/report/evidence', async (request, reply) => {
    const draft = getDraft(request);
    const elsewhere = guard(draft);
    if (elsewhere !== null) return reply.code(303).redirect(elsewhere);
    return reply.page('report/views/evidence.njk', render(request, draft));
  });

  app.post(
    '/report/evidence/upload',
    { config: { clientLimit: 'evidence-upload' } },
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
      return reply.code(303).redirect('/report/evidence');
    },
  );

  app.post<{ Body: Record<string, unknown> }>('/report/evidence/remove', async (request, reply) => {
    const draft = getDraft(request);
    const sha256 = typeof request.body.sha256 === 'string' ? request.body.sha256 : '';
    await saveDraft(request, {
      ...draft,
      evidence: (draft.evidence ?? []).filter((f) => f.sha256 !== sha256),
    });
    return reply.code(303).redirect('/report/evidence');
  });

  app.post('/report/evidence', async (request, reply) => {
    const draft = getDraft(request);
    const elsewhere = guard(draft);
    if (elsewhere !== null) return reply.code(303).redirect(elsewhere);
    const updated = { ...draft, evidence: draft.evidence ?? [] };
    await saveDraft(request, updated);
    const changing = (request.query as Record<string, unknown>).change === '1';
    return reply.code(303).redirect(nextUrl(updated, 'evidence', changing, offers));
  });
}
