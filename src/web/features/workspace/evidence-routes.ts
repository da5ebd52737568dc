/**
 * A report's evidence files in the workspace: each file's page (what it is; nothing opened), downloading or
 * previewing it with a reason (services/report-evidence.ts audits before any byte is sent), an image shown only
 * after "Show sensitive content", and "Add to case as exhibit". Files are served with the headers of
 * domain/evidence/file-response.ts, never as a page of this origin.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canWorkCases } from '../../../domain/access/access-policy.ts';
import { fileHeaders } from '../../../domain/evidence/file-response.ts';
import type { Services } from '../../../services/index.ts';
import { failForm, formMessages, serviceProblem } from '../../plugins/form-errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { readReportExhibit, type Body } from '../cases/case-forms.ts';
import { exhibitPath } from '../cases/case-pages.ts';

type Params = { reference: string; id: string };

const anyStaff = { staff: { allow: 'any-staff' } } as const;
const unitWork = { staff: { allow: 'unit-work' } } as const;

/** How long the image a preview opened may be fetched by its page. */
const IMAGE_GRANT_MS = 5 * 60 * 1000;
const IMAGE_GRANT_KEY = 'evidenceImage';
interface ImageGrant {
  reference: string;
  id: number;
  nonce: string;
  until: number;
}

export const evidencePath = (reference: string, id: number) =>
  `/staff/reports/${encodeURIComponent(reference)}/evidence/${id}`;
const idOf = (raw: string) => (/^[1-9]\d{0,12}$/.test(raw) ? Number(raw) : null);
const notFound = (reply: FastifyReply) => {
  reply.callNotFound();
  return reply;
};
const field = (body: Body, name: string, max: number) => {
  const value = body[name];
  return typeof value === 'string' ? value.slice(0, max) : '';
};

export function reportEvidenceRoutes(app: FastifyInstance, services: Services): void {
  const evidence = services.reportEvidence;

  async function describe(request: FastifyRequest<{ Params: Params }>) {
    const id = idOf(request.params.id);
    return id === null ? null : evidence.describe(staffOf(request), request.params.reference, id);
  }

  app.get<{ Params: Params }>(
    '/staff/reports/:reference/evidence/:id',
    { config: anyStaff },
    async (request, reply) => {
      const file = await describe(request);
      if (file === null) return notFound(reply);
      return reply.header('cache-control', 'no-store').page('workspace/views/evidence.njk', {
        pageTitle: request.t('reportEvidence.file.title', { name: file.fileName }),
        file,
        // Only those who work cases are offered "Add to case as exhibit".
        canWorkCases: canWorkCases(staffOf(request)),
        ...(await formMessages(
          request,
          evidencePath(request.params.reference, file.id),
          'reportEvidence.errors',
        )),
      });
    },
  );

  /** Download or preview, with the reason asked for on the file's page; no reason: the page again, nothing read. */
  app.post<{ Params: Params; Body: Body | undefined }>(
    '/staff/reports/:reference/evidence/:id',
    { config: anyStaff },
    async (request, reply) => {
      const staff = staffOf(request);
      const id = idOf(request.params.id);
      if (id === null) return notFound(reply);
      const { reference } = request.params;
      // A post without a form body has no fields (not a crash).
      const body: Body = request.body ?? {};
      const reason = field(body, 'reason', 5000);
      const back = evidencePath(reference, id);
      // What the preview page shows of the file (no content): nothing for a file this person may not see.
      const file = await evidence.describe(staff, reference, id);
      if (file === null) return notFound(reply);
      try {
        if (field(body, 'action', 20) === 'preview') {
          const preview = await evidence.preview(staff, reference, id, reason);
          let imageUrl: string | null = null;
          if (preview.kind === 'image') {
            // The image's own request is let through only for this page, for a few minutes.
            const grant: ImageGrant = {
              reference: file.report,
              id,
              nonce: randomBytes(16).toString('base64url'),
              until: services.clock().getTime() + IMAGE_GRANT_MS,
            };
            request.session.set(IMAGE_GRANT_KEY, grant);
            await request.session.save();
            imageUrl = `${evidencePath(file.report, id)}/image?confirm=${grant.nonce}`;
          }
          return await reply
            .header('cache-control', 'no-store')
            .page('workspace/views/evidence-preview.njk', {
              pageTitle: request.t('reportEvidence.preview.title', { name: file.fileName }),
              file,
              preview,
              imageUrl,
            });
        }
        const download = await evidence.download(staff, reference, id, reason);
        return await reply
          .headers(fileHeaders('attachment', download.fileName, download.contentType))
          .send(Buffer.from(download.content));
      } catch (error) {
        const problem = serviceProblem(error, 'reason');
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, back, [problem], { reason: reason.slice(0, 2000) });
      }
    },
  );

  /** The image a preview has just opened, inline, with the download's headers; nothing without that preview. */
  app.get<{ Params: Params; Querystring: { confirm?: string } }>(
    '/staff/reports/:reference/evidence/:id/image',
    { config: anyStaff },
    async (request, reply) => {
      const id = idOf(request.params.id);
      const grant = request.session.get(IMAGE_GRANT_KEY) as ImageGrant | null | undefined;
      const confirm = request.query.confirm;
      if (
        id === null ||
        grant === null ||
        grant === undefined ||
        typeof confirm !== 'string' ||
        confirm !== grant.nonce ||
        grant.id !== id ||
        grant.reference !== request.params.reference ||
        grant.until < services.clock().getTime()
      )
        return notFound(reply);
      try {
        const image = await evidence.image(staffOf(request), request.params.reference, id);
        return await reply
          .headers(fileHeaders('inline', image.fileName, image.contentType))
          .send(Buffer.from(image.content));
      } catch (error) {
        if (serviceProblem(error, 'reason') === 'not-found') return notFound(reply);
        throw error;
      }
    },
  );

  app.get<{ Params: Params }>(
    '/staff/reports/:reference/evidence/:id/exhibit',
    { config: unitWork },
    async (request, reply) => {
      const staff = staffOf(request);
      const file = await describe(request);
      if (file === null) return notFound(reply);
      const cases = (await services.investigations.listCases(staff)).filter((c) => c.status === 'open');
      return reply.header('cache-control', 'no-store').page('workspace/views/evidence-exhibit.njk', {
        pageTitle: request.t('reportEvidence.exhibit.title', { name: file.fileName }),
        file,
        cases,
        ...(await formMessages(
          request,
          `${evidencePath(request.params.reference, file.id)}/exhibit`,
          'reportEvidence.errors',
        )),
      });
    },
  );

  app.post<{ Params: Params; Body: Body | undefined }>(
    '/staff/reports/:reference/evidence/:id/exhibit',
    { config: unitWork },
    async (request, reply) => {
      const staff = staffOf(request);
      const id = idOf(request.params.id);
      if (id === null) return notFound(reply);
      const back = `${evidencePath(request.params.reference, id)}/exhibit`;
      const form = readReportExhibit(request.body ?? {});
      if (!form.ok) return failForm(request, reply, back, form.problems, form.values);
      try {
        const added = await services.investigations.addReportEvidence(staff, {
          report: request.params.reference,
          evidenceId: id,
          case: form.input.case,
          initials: form.input.initials,
        });
        return await reply.code(303).redirect(`${exhibitPath(added.case, added.id)}?done=exhibit`);
      } catch (error) {
        const problem = serviceProblem(error, 'case', { case: 'case', initials: 'initials' });
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, back, [problem], form.values);
      }
    },
  );
}
