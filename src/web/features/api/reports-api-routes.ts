import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { requireScope } from '../../plugins/api-auth.ts';
import { sendProblem } from '../../plugins/errors.ts';
import { apiBodyToSubmission } from './report-api-mapping.ts';
import { BulkResult, Problem, ReportBody, ReportCreated, ReportStatus } from './report-schemas.ts';
import { canonical, MAX_BULK_BYTES, MAX_BULK_ROWS, readReportCsv, submitCsvRows } from './report-csv.ts';

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
          { owner: { tokenId: caller.tokenId }, key, requestHash },
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

  // A CSV body is read only here, and only once the token is checked (onRequest runs before any parsing).
  void app.register((bulk, _options, registered) => {
    bulk.addContentTypeParser(
      ['text/csv', 'application/csv'],
      { parseAs: 'string', bodyLimit: MAX_BULK_BYTES },
      (_request, body, done) => {
        done(null, body);
      },
    );
    bulk.post<{ Body: string }>(
      '/api/v1/reports/bulk',
      {
        onRequest: requireScope(services, 'reports:write'),
        schema: {
          summary: 'Submit several reports at once as CSV',
          description: `A text/csv body whose columns are this API's report fields by dotted name (see docs/api.md); at most ${MAX_BULK_ROWS} rows and ${MAX_BULK_BYTES / 1024} KiB. Each valid row becomes its own report with its own reference; the others are listed by line, field and reason. Send an Idempotency-Key to make a retry of the same file safe.`,
          tags: ['reports'],
          security: [{ bearer: [] }],
          headers: Type.Object({
            'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          }),
          response: {
            200: BulkResult,
            400: Problem,
            401: Problem,
            403: Problem,
            413: Problem,
            415: Problem,
            422: Problem,
          },
        },
      },
      async (request, reply) => {
        const caller = request.caller;
        if (caller === null) throw new Error('requireScope did not run');
        // JSON (parsed by the app's own parser) or no body at all: not a file.
        if (typeof request.body !== 'string')
          return sendProblem(
            reply,
            415,
            'Unsupported Media Type',
            'Send the file as text/csv',
            undefined,
            'bulk-not-csv',
          );
        const read = readReportCsv(request.body, services);
        if (!read.ok) {
          const p = read.problem;
          if (p.kind === 'too-large' || p.kind === 'too-many-rows')
            return sendProblem(
              reply,
              413,
              'Content Too Large',
              `A file may hold at most ${MAX_BULK_ROWS} rows and ${MAX_BULK_BYTES / 1024} KiB: split it. Nothing was stored.`,
              undefined,
              `bulk-${p.kind}`,
            );
          const detail =
            p.kind === 'malformed'
              ? `The CSV could not be read (${p.code}${p.line === null ? '' : ` at line ${p.line}`}). Nothing was stored.`
              : p.kind === 'empty'
                ? 'The CSV has a header but no rows. Nothing was stored.'
                : `The column ${JSON.stringify(p.column)} is ${p.kind === 'duplicate-column' ? 'given twice' : 'not a report field'}. Nothing was stored.`;
          return sendProblem(reply, 400, 'Bad Request', detail, undefined, `bulk-${p.kind}`);
        }
        const key = request.headers['idempotency-key'];
        const result = await submitCsvRows(services, read.rows, {
          partnerTokenId: caller.tokenId,
          ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
        });
        for (const c of result.created) if (!c.replayed) app.metrics.reportReceived('api');
        const rejects = [...read.rejects, ...result.rejects].sort((a, b) => a.line - b.line);
        const lines = [...new Set(rejects.map((r) => r.line))];
        return reply.code(200).send({
          created: result.created.map((c) => ({
            line: c.line,
            reference: c.reference,
            status_url: statusUrl(c.reference),
            ...(c.replayed ? { replayed: true } : {}),
          })),
          rejected: lines.map((line) => ({
            line,
            errors: rejects
              .filter((r) => r.line === line)
              .map((r) => ({ name: r.field, message: r.message })),
          })),
        });
      },
    );
    registered();
  });

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
