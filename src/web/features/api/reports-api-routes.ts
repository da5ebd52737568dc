import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { requireScope } from '../../plugins/api-auth.ts';
import { sendProblem } from '../../plugins/errors.ts';
import { apiBodyToSubmission } from './report-api-mapping.ts';
import { Problem, ReportBody, ReportCreated, ReportStatus } from './report-schemas.ts';

/** Canonical JSON (sorted keys) so the same body always hashes the same for Idempotency-Key checks. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function reportsApiRoutes(app: FastifyInstance, services: Services): void {
  const statusUrl = (reference: string) => `${services.config.baseUrl}/api/v1/reports/${reference}/status`;

  app.post<{ Body: ReportBody }>(
    '/api/v1/reports',
    {
      onRequest: requireScope(services, 'reports:write'),
      schema: {
        summary: 'Submit a cybercrime report',
        description:
          'For banks, resilience centres and other reporting services. Send an Idempotency-Key header to make retries safe.',
        tags: ['reports'],
        security: [{ bearer: [] }],
        headers: Type.Object({
          'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        }),
        body: ReportBody,
        response: { 201: ReportCreated, 401: Problem, 403: Problem, 409: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      const mapped = apiBodyToSubmission(
        request.body,
        (p) => services.postcodes.lookup(p),
        services.clock(),
        { victimSupport: services.referrals.offered },
      );
      if (!mapped.ok)
        return sendProblem(
          reply,
          422,
          'Unprocessable Content',
          'The report has invalid fields',
          mapped.errors,
        );
      const caller = request.caller;
      if (caller === null) throw new Error('requireScope did not run');
      const options = { partnerTokenId: caller.tokenId, lng: request.body.reporter.language ?? 'en' };
      const key = request.headers['idempotency-key'];
      if (typeof key === 'string') {
        const requestHash = createHash('sha256').update(canonical(request.body)).digest('hex');
        const result = await services.reportIntake.submitIdempotent(
          mapped.submission,
          { tokenId: caller.tokenId, key, requestHash },
          options,
        );
        if (result.kind === 'conflict') {
          return sendProblem(
            reply,
            409,
            'Conflict',
            'This Idempotency-Key was already used with a different body',
          );
        }
        const reference = result.kind === 'created' ? result.report.reference : result.reference;
        if (result.kind === 'created') app.metrics.reportReceived('api');
        if (result.kind === 'replay') reply.header('idempotent-replayed', 'true');
        return reply.code(201).send({ reference, status: 'received', status_url: statusUrl(reference) });
      }
      const report = await services.reportIntake.submit(mapped.submission, options);
      app.metrics.reportReceived('api');
      return reply
        .code(201)
        .send({ reference: report.reference, status: 'received', status_url: statusUrl(report.reference) });
    },
  );

  app.get<{ Params: { reference: string } }>(
    '/api/v1/reports/:reference/status',
    {
      onRequest: requireScope(services, 'reports:write'),
      schema: {
        summary: 'Status of a report this token submitted',
        tags: ['reports'],
        security: [{ bearer: [] }],
        params: Type.Object({ reference: Type.String({ maxLength: 40 }) }),
        response: { 200: ReportStatus, 401: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const status = await services.progress.forPartner(
        request.params.reference,
        request.caller?.tokenId ?? -1,
      );
      // Another partner's report answers exactly like a missing one.
      if (status === null)
        return sendProblem(
          reply,
          404,
          'Not Found',
          'No report with that reference was submitted with this token',
        );
      return reply.send({
        reference: status.reference,
        status: status.status,
        received_at: status.receivedAt,
        updates: status.updates,
      });
    },
  );
}
