/**
 * A report's evidence files over the staff API: the list and each file's bytes. The same service as the workspace
 * (services/report-evidence.ts) decides who may read them, asks the reason and audits in the transaction that
 * reads; the bytes are served with the workspace download's headers (domain/evidence/file-response.ts).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cleanAccessReason } from '../../../domain/access/access-reason.ts';
import { fileHeaders } from '../../../domain/evidence/file-response.ts';
import type { Services } from '../../../services/index.ts';
import { MAX_REASON_CHARS } from '../../../services/report-evidence.ts';
import { ServiceError } from '../../../services/service-error.ts';
import { sendProblem } from '../../plugins/errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { Problem } from './report-schemas.ts';
import {
  ACCESS_REASON_HEADER,
  accessReasonSchema,
  headerNotAscii,
  sendReasonProblem,
} from './access-reason.ts';

const Reference = Type.String({ minLength: 1, maxLength: 40 });
const common = { tags: ['staff'], security: [{ bearer: [] }], ...accessReasonSchema(MAX_REASON_CHARS) };

/**
 * The header wins; `?reason=` is for reasons a header cannot carry (HTTP headers are Latin-1). A header with no
 * words once cleaned ("...") is none, as on the other staff read APIs (features/api/access-reason.ts).
 */
function reasonOf(request: FastifyRequest<{ Querystring: { reason?: string } }>): string {
  const header = request.headers[ACCESS_REASON_HEADER];
  if (typeof header === 'string' && cleanAccessReason(header) !== '') return header;
  return request.query.reason ?? '';
}

/** A refusal of the reason names where it goes; anything else is the service's own problem. */
function reasonProblem(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof ServiceError && error.kind === 'invalid' && error.field === 'reason')
    return sendProblem(
      reply,
      422,
      'Unprocessable Content',
      `${error.message}: send it in the X-Access-Reason header or the reason query parameter`,
      [{ name: 'X-Access-Reason', message: error.message }],
      error.code,
    );
  throw error;
}

export function evidenceApiRoutes(app: FastifyInstance, services: Services): void {
  app.get<{ Params: { reference: string }; Querystring: { reason?: string } }>(
    '/api/v1/reports/:reference/evidence',
    {
      // No implied HEAD: it would run the handler, reading and auditing a download that sends nothing.
      exposeHeadRoute: false,
      config: { staff: { allow: 'any-staff' } },
      schema: {
        summary: 'A report’s evidence files (audited, with a reason)',
        description:
          'For staff who may read the report. Needs a reason (X-Access-Reason or ?reason=), recorded in the audit log with the list. Reports you may not read answer 404.',
        ...common,
        params: Type.Object({ reference: Reference }),
        response: { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      const notAscii = headerNotAscii(request);
      if (notAscii !== null) return sendReasonProblem(reply, notAscii);
      try {
        const listed = await services.reportEvidence.list(
          staffOf(request),
          request.params.reference,
          reasonOf(request),
        );
        return await reply.header('cache-control', 'no-store').send({
          reference: listed.reference,
          files: listed.files.map((f) => ({
            id: f.id,
            name: f.fileName,
            content_type: f.contentType,
            size: f.size,
            sha256: f.sha256,
            received_at: f.receivedAt,
          })),
        });
      } catch (error) {
        return reasonProblem(reply, error);
      }
    },
  );

  app.get<{ Params: { reference: string; id: string }; Querystring: { reason?: string } }>(
    '/api/v1/reports/:reference/evidence/:id',
    {
      // No implied HEAD: it would run the handler, reading and auditing a download that sends nothing.
      exposeHeadRoute: false,
      config: { staff: { allow: 'any-staff' } },
      schema: {
        summary: 'One evidence file’s bytes (audited, with a reason)',
        description:
          'The file as stored: Content-Disposition attachment, the stored content type (never sniffed), nosniff, a sandbox CSP and no-store. Needs a reason (X-Access-Reason or ?reason=); each download is audited with it, in the transaction that reads the bytes.',
        ...common,
        params: Type.Object({ reference: Reference, id: Type.String({ pattern: '^[1-9][0-9]{0,12}$' }) }),
        response: { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      const notAscii = headerNotAscii(request);
      if (notAscii !== null) return sendReasonProblem(reply, notAscii);
      try {
        const file = await services.reportEvidence.download(
          staffOf(request),
          request.params.reference,
          Number(request.params.id),
          reasonOf(request),
        );
        return await reply
          .headers(fileHeaders('attachment', file.fileName, file.contentType))
          .send(Buffer.from(file.content));
      } catch (error) {
        return reasonProblem(reply, error);
      }
    },
  );
}
