import { snakeKeys } from './snake-keys.ts';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { valueKey } from '../../../services/feeds/index.ts';
import type { Services } from '../../../services/index.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { sendProblem } from '../../plugins/errors.ts';
import { Problem } from './report-schemas.ts';
import {
  accessReasonOf,
  accessReasonSchema,
  MAX_API_REASON_CHARS,
  sendReasonProblem,
} from './access-reason.ts';

const notFound = (reply: FastifyReply) =>
  sendProblem(reply, 404, 'Not Found', 'No report with that reference is available to you');

export function staffApiRoutes(app: FastifyInstance, services: Services): void {
  app.get<{ Params: { reference: string }; Querystring: { reason?: string } }>(
    '/api/v1/reports/:reference',
    {
      config: { staff: { allow: 'any-staff' } },
      schema: {
        summary: 'A report, for staff of the unit it is routed to',
        description:
          'Every read is audit-logged (send X-Access-Reason, ASCII, or ?reason= to record why). Reports outside your unit answer 404.',
        tags: ['staff'],
        security: [{ bearer: [] }],
        params: Type.Object({ reference: Type.String({ maxLength: 40 }) }),
        ...accessReasonSchema(MAX_API_REASON_CHARS),
        response: { 401: Problem, 403: Problem, 404: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const reason = accessReasonOf(request);
      if (!reason.ok) return sendReasonProblem(reply, reason);
      const report = await services.staff.readReport(staff, request.params.reference, reason.reason);
      if (report === null) return notFound(reply);
      const id = await services.intelligence.reportIdOf(report.reference);
      const indicators = id === null ? [] : await services.intelligence.forReport(id);
      const linked = id === null ? null : await services.intelligence.linkedCounts(id);
      const awaiting = await services.sharing.awaitingRelease(indicators.map((i) => i.id));
      const known = await services.feeds.knownTo(indicators);
      // snake_case at the API (docs/api.md); the victim's answers and the classification are sent as stored.
      const {
        receivedAt,
        recordingCode,
        personalDataRemovedAt,
        victimNewsAt,
        takenByAdviser,
        history,
        ...rest
      } = report;
      return reply.header('cache-control', 'no-store').send({
        reference: rest.reference,
        status: rest.status,
        received_at: receivedAt,
        category: rest.category,
        cyber: rest.cyber,
        recording_code: recordingCode,
        extortion: rest.extortion,
        vulnerable: rest.vulnerable,
        urgent: rest.urgent,
        tlp: rest.tlp,
        classification: rest.classification,
        // In English words (docs/api.md): the coded facts are the workspace's, for its languages.
        routing: {
          force: rest.routing.force,
          unit: rest.routing.unit,
          rule: rest.routing.rule,
          reason: rest.routing.reason,
        },
        answers: rest.answers,
        taken_by_adviser: takenByAdviser,
        personal_data_removed_at: personalDataRemovedAt,
        victim_news_at: victimNewsAt,
        history: history.map(snakeKeys),
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
          known_to_feeds: (known.get(valueKey(i)) ?? []).map(snakeKeys),
        })),
        linked,
      });
    },
  );

  app.get<{ Querystring: { reference: string } }>(
    '/api/v1/audit',
    {
      config: { staff: { allow: 'any-staff' } },
      schema: {
        summary: 'Who read a report, and when (supervisors of the unit holding it)',
        tags: ['staff'],
        security: [{ bearer: [] }],
        querystring: Type.Object({ reference: Type.String({ minLength: 1, maxLength: 40 }) }),
        response: { 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const trail = await services.staff.auditTrail(staff, request.query.reference);
      return trail === null
        ? notFound(reply)
        : reply
            .header('cache-control', 'no-store')
            .send({ reference: request.query.reference, entries: trail });
    },
  );
}
