import { snakeKeys } from '../api/snake-keys.ts';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { requireScope } from '../../plugins/api-auth.ts';
import { sendProblem } from '../../plugins/errors.ts';
import { Problem } from '../api/report-schemas.ts';
import { parseStatisticsParams } from './statistics-params.ts';

export function statisticsApiRoutes(app: FastifyInstance, services: Services): void {
  app.get(
    '/api/v1/statistics',
    {
      onRequest: requireScope(services, 'statistics:read'),
      schema: {
        summary: 'Cybercrime figures',
        description:
          'Reports and imported legacy records, one crime per victim; duplicates, no-crime and intelligence-only records are not counted. Days are UTC dates. Exact figures, for police analysts: the public pages publish rounded and suppressed figures only.',
        tags: ['statistics'],
        security: [{ bearer: [] }],
        querystring: Type.Object({
          from: Type.String({ format: 'date' }),
          to: Type.String({ format: 'date' }),
          group_by: Type.Optional(
            Type.String({ description: 'comma-separated: force, region, category, cyber, month' }),
          ),
          force: Type.Optional(Type.String({ description: 'comma-separated force ids' })),
          category: Type.Optional(Type.String({ description: 'comma-separated category slugs' })),
        }),
        response: { 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request, reply) => {
      const parsed = parseStatisticsParams(request.query as Record<string, unknown>, services.reference, {
        groupBy: [],
      });
      if (!parsed.ok)
        return sendProblem(reply, 400, 'Bad Request', 'Invalid statistics parameters', parsed.errors);
      // snake_case at the API (docs/api.md).
      return reply
        .header('cache-control', 'no-store')
        .send(snakeKeys(await services.statistics.query(parsed.value)));
    },
  );
}
