import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { campaignUnitsOf } from '../../../domain/access/access-policy.ts';
import { normaliseIndicator } from '../../../domain/indicators/extract.ts';
import { INDICATOR_TYPES, isIndicatorType } from '../../../domain/indicators/indicator.ts';
import type { CampaignSummary } from '../../../services/intelligence.ts';
import { valueKey } from '../../../services/feeds/index.ts';
import type { Services } from '../../../services/index.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { sendProblem } from '../../plugins/errors.ts';
import {
  accessReasonOf,
  accessReasonSchema,
  MAX_API_REASON_CHARS,
  sendReasonProblem,
} from './access-reason.ts';
import { Problem } from './report-schemas.ts';
import { snakeKeys } from './snake-keys.ts';

const DAY_MS = 86_400_000;

export function campaignJson(summary: CampaignSummary) {
  return {
    id: summary.id,
    size: summary.reports,
    forces: summary.forces,
    categories: summary.categories,
    total_loss_pence: summary.totalLossPence,
    first_report: summary.firstReport,
    last_report: summary.lastReport,
    span_days: Math.floor((Date.parse(summary.lastReport) - Date.parse(summary.firstReport)) / DAY_MS),
    top_indicators: summary.topIndicators,
    known_to_feeds: summary.knownToFeeds,
  };
}

const ReleaseBody = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 20 }),
    value: Type.String({ minLength: 1, maxLength: 2048 }),
  },
  { additionalProperties: false },
);

const campaignNotFound = (reply: FastifyReply) =>
  sendProblem(reply, 404, 'Not Found', 'No campaign with that id is available to you');

export function intelligenceApiRoutes(app: FastifyInstance, services: Services): void {
  app.get<{ Params: { type: string; '*': string }; Querystring: { reason?: string } }>(
    '/api/v1/indicators/:type/*',
    {
      config: { staff: { allow: 'intelligence' } },
      schema: {
        summary: 'How often an indicator has been reported, by how many forces, and its campaign',
        description:
          'Percent-encode the value (URLs contain "/" and "?"). It is normalised as on extraction, so ' +
          '"07700 900123" finds "+447700900123". Counts cover every force; no report content is returned. ' +
          'Every look-up is audit-logged with the value looked up (send X-Access-Reason, ASCII, or ?reason= to record why).',
        tags: ['intelligence'],
        security: [{ bearer: [] }],
        params: Type.Object({ type: Type.String(), '*': Type.String({ maxLength: 4096 }) }),
        ...accessReasonSchema(MAX_API_REASON_CHARS),
        response: { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const { type } = request.params;
      if (!isIndicatorType(type)) {
        const message = `type must be one of: ${INDICATOR_TYPES.join(', ')}`;
        return sendProblem(reply, 400, 'Bad Request', message, [{ name: 'type', message }]);
      }
      const value = normaliseIndicator(type, request.params['*']);
      if (value === null) {
        const message = `That is not a valid ${type}`;
        return sendProblem(reply, 400, 'Bad Request', message, [{ name: 'value', message }]);
      }
      const reason = accessReasonOf(request);
      if (!reason.ok) return sendReasonProblem(reply, reason);
      // The feeds' knowledge is read beside the audited look-up (one round trip less); it is sent only with it.
      const [summary, known] = await Promise.all([
        services.intelligence.lookup(staff, type, value, reason.reason),
        services.feeds.knownTo([{ type, value }]),
      ]);
      if (summary === null)
        return sendProblem(reply, 404, 'Not Found', 'That indicator has not been reported');
      return reply
        .header('cache-control', 'no-store')
        .send(snakeKeys({ ...summary, knownToFeeds: known.get(valueKey({ type, value })) ?? [] }));
    },
  );

  app.post<{ Params: { reference: string }; Body: { type: string; value: string } }>(
    '/api/v1/reports/:reference/indicators/release',
    {
      // Authenticated before the body is parsed or validated.
      config: { staff: { allow: 'any-staff' } },
      schema: {
        summary: 'Release one of a report’s indicators to industry partners',
        description:
          'A value named only by intelligence-only or anonymous reports is shared only once staff release it (or ' +
          'enough independent reporters name it). Audit-logged; published within seconds. Reports outside your ' +
          'unit answer 404.',
        tags: ['intelligence'],
        security: [{ bearer: [] }],
        params: Type.Object({ reference: Type.String({ maxLength: 40 }) }),
        body: ReleaseBody,
        response: { 401: Problem, 403: Problem, 404: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const { type, value } = request.body;
      const normalised = isIndicatorType(type) ? normaliseIndicator(type, value) : null;
      // Not the unit's report → 404; not one of its indicators → 422 naming value (plugins/errors.ts).
      // Published by the outbox job queued in the same transaction (within seconds).
      await services.casework.setIndicatorSharing(
        staff,
        request.params.reference,
        { type, value: normalised ?? value },
        'release-to-partners',
      );
      return reply
        .header('cache-control', 'no-store')
        .send({ type, value: normalised ?? value, released: true });
    },
  );

  app.post<{ Body: { type: string; value: string } }>(
    '/api/v1/indicators/release',
    {
      // Authenticated before the body is parsed or validated.
      config: { staff: { allow: 'partner-release' } },
      schema: {
        summary: 'Release a value waiting for release to industry partners (analysts)',
        description:
          'For values only intelligence-only or anonymous reports name. Audit-logged; published within seconds.',
        tags: ['intelligence'],
        security: [{ bearer: [] }],
        body: ReleaseBody,
        response: { 401: Problem, 403: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const { type, value } = request.body;
      const normalised = isIndicatorType(type) ? (normaliseIndicator(type, value) ?? value) : value;
      // Published by the outbox job queued in the same transaction (within seconds).
      await services.partnerRelease.release(staff, { type, value: normalised });
      return reply.header('cache-control', 'no-store').send({ type, value: normalised, released: true });
    },
  );

  app.get<{ Querystring: { limit?: number; offset?: number } }>(
    '/api/v1/campaigns',
    {
      config: { staff: { allow: 'intelligence' } },
      schema: {
        summary: 'Campaigns: reports linked by shared indicators, largest first',
        description: 'Analysts see every campaign; officers those holding at least one report of their unit.',
        tags: ['intelligence'],
        security: [{ bearer: [] }],
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
        }),
        response: { 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const limit = request.query.limit ?? 20;
      const offset = request.query.offset ?? 0;
      const { ids, total } = await services.intelligence.campaignIds({
        units: campaignUnitsOf(staff),
        limit,
        offset,
      });
      const summaries = await services.intelligence.campaignSummaries(ids);
      const ordered = ids.flatMap((id) => summaries.filter((s) => s.id === id));
      return reply
        .header('cache-control', 'no-store')
        .send({ total, limit, offset, campaigns: ordered.map(campaignJson) });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/campaigns/:id',
    {
      config: { staff: { allow: 'intelligence' } },
      schema: {
        summary:
          'One campaign: size, forces, categories, total loss, time span, top indicators and its reports',
        description:
          'Reports of your unit are listed with their references; the others only by force and unit. A campaign ' +
          'since merged into another answers with that one (its id differs from the one asked for).',
        tags: ['intelligence'],
        security: [{ bearer: [] }],
        params: Type.Object({ id: Type.String({ maxLength: 20 }) }),
        response: { 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const id = /^[1-9]\d{0,12}$/.test(request.params.id) ? Number(request.params.id) : null;
      if (id === null) return campaignNotFound(reply);
      const campaign = await services.intelligence.campaignFor(staff, id);
      if (campaign === null) return campaignNotFound(reply);
      return reply.header('cache-control', 'no-store').send({
        ...campaignJson(campaign.summary),
        ...(campaign.summary.id === id ? {} : { merged_from: id }),
        reports: campaign.reports
          .filter((r) => r.reference !== null)
          .map((r) => ({
            reference: r.reference,
            force: r.force,
            unit: r.unit,
            category: r.category,
            received_at: r.receivedAt,
          })),
        elsewhere: campaign.elsewhere,
        shared_indicators: campaign.sharedIndicators.map((i) => ({
          type: i.type,
          value: i.value,
          reports: i.reports.length,
        })),
      });
    },
  );
}
