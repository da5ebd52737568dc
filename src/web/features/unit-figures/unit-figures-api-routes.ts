import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { parseMonthRange } from '../../../domain/statistics/unit-figures.ts';
import type { Services } from '../../../services/index.ts';
import { MAX_UNIT_MONTHS } from '../../../services/unit-figures.ts';
import { requireScope } from '../../plugins/api-auth.ts';
import { sendProblem } from '../../plugins/errors.ts';
import { snakeKeys } from '../api/snake-keys.ts';
import { Problem } from '../api/report-schemas.ts';

const MONTH_MESSAGES = {
  format: 'must be a month in the form YYYY-MM',
  order: 'must be the same month as from or later',
  'too-late': 'must not be after the current month',
  'too-long': `must be at most ${String(MAX_UNIT_MONTHS)} months before to`,
} as const;

/** A unit's work by month, exact, authenticated as the other statistics routes are (`statistics:read`). */
export function unitFiguresApiRoutes(app: FastifyInstance, services: Services): void {
  app.get<{ Params: { id: string }; Querystring: { from?: string; to?: string } }>(
    '/api/v1/statistics/units/:id',
    {
      onRequest: requireScope(services, 'statistics:read'),
      schema: {
        summary: 'A unit’s figures by month',
        description:
          'Reports received, cases opened and closed (with outcomes), forensic examinations (requested, completed, median days from request to completion, backlog at the end of the month), Protect engagements and people reached, Prevent referrals and alerts published, for each month from `from` to `to` (YYYY-MM, both included, at most 36 months). Exact figures, for police analysts: the public page `/units/{id}` publishes the last 12 ended months with small numbers suppressed.',
        tags: ['statistics'],
        security: [{ bearer: [] }],
        params: Type.Object({ id: Type.String({ description: 'a unit id from reference/units.json' }) }),
        querystring: Type.Object({
          from: Type.Optional(Type.String({ description: 'first month, YYYY-MM' })),
          to: Type.Optional(Type.String({ description: 'last month, YYYY-MM' })),
        }),
        response: { 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      if (services.reference.unit(request.params.id) === undefined)
        return sendProblem(reply, 404, 'Not Found', 'No such unit', [
          { name: 'id', message: 'must be a unit id from the reference data, like cumbria-cyber' },
        ]);
      const range = parseMonthRange(request.query.from, request.query.to, {
        latest: services.unitFigures.currentMonth(),
        maxMonths: MAX_UNIT_MONTHS,
      });
      if (!range.ok)
        return sendProblem(
          reply,
          400,
          'Bad Request',
          'Invalid unit figures parameters',
          range.problems.map((p) => ({ name: p.field, message: MONTH_MESSAGES[p.code] })),
        );
      const figures = await services.unitFigures.exact(request.params.id, range.from, range.to);
      // snake_case at the API (docs/api.md).
      return reply.header('cache-control', 'no-store').send(snakeKeys(figures));
    },
  );
}
