import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffMember } from '../../../domain/access/access-policy.ts';
import type { Services } from '../../../services/index.ts';
import { requireScope } from '../../plugins/api-auth.ts';
import { sendProblem } from '../../plugins/errors.ts';
import { Problem } from './report-schemas.ts';

/** The staff member behind a staff token, or a problem answer. */
export async function staffOf(
  services: Services,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<StaffMember | null> {
  const userId = request.caller?.userId ?? null;
  const staff = userId === null ? null : await services.staff.byId(userId);
  if (staff === null) {
    await sendProblem(reply, 403, 'Forbidden', 'This endpoint needs a staff member’s token');
    return null;
  }
  return staff;
}

const notFound = (reply: FastifyReply) =>
  sendProblem(reply, 404, 'Not Found', 'No report with that reference is available to you');

export function staffApiRoutes(app: FastifyInstance, services: Services): void {
  app.get<{ Params: { reference: string } }>(
    '/api/v1/reports/:reference',
    {
      onRequest: requireScope(services, 'staff'),
      schema: {
        summary: 'A report, for staff of the unit it is routed to',
        description:
          'Every read is audit-logged (send X-Access-Reason to record why). Reports outside your unit answer 404.',
        tags: ['staff'],
        security: [{ bearer: [] }],
        params: Type.Object({ reference: Type.String({ maxLength: 40 }) }),
        headers: Type.Object({ 'x-access-reason': Type.Optional(Type.String({ maxLength: 500 })) }),
        response: { 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const staff = await staffOf(services, request, reply);
      if (staff === null) return reply;
      const reason = request.headers['x-access-reason'];
      const report = await services.staff.readReport(
        staff,
        request.params.reference,
        typeof reason === 'string' ? reason : '',
      );
      if (report === null) return notFound(reply);
      const id = await services.intelligence.reportIdOf(report.reference);
      const indicators = id === null ? [] : await services.intelligence.forReport(id);
      const linked = id === null ? null : await services.intelligence.linkedCounts(id);
      const awaiting = await services.sharing.awaitingRelease(indicators.map((i) => i.id));
      return reply.header('cache-control', 'no-store').send({
        ...report,
        indicators: indicators.map((i) => ({
          type: i.type,
          value: i.value,
          source: i.source,
          found_in: i.foundIn,
          warning_list: i.warningList,
          other_reports: i.otherReports,
          other_forces: i.otherForces,
          awaiting_release: awaiting.has(i.id),
          released_to_partners: i.released,
        })),
        linked,
      });
    },
  );

  app.get<{ Querystring: { reference: string } }>(
    '/api/v1/audit',
    {
      onRequest: requireScope(services, 'staff'),
      schema: {
        summary: 'Who read a report, and when (supervisors of the unit holding it)',
        tags: ['staff'],
        security: [{ bearer: [] }],
        querystring: Type.Object({ reference: Type.String({ minLength: 1, maxLength: 40 }) }),
        response: { 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const staff = await staffOf(services, request, reply);
      if (staff === null) return reply;
      const trail = await services.staff.auditTrail(staff, request.query.reference);
      return trail === null
        ? notFound(reply)
        : reply
            .header('cache-control', 'no-store')
            .send({ reference: request.query.reference, entries: trail });
    },
  );
}
