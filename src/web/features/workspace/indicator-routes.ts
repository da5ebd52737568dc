import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { sendNotFound } from '../../plugins/errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';

/** One indicator: its reports, partner intelligence and feedback, and its life in the feed (valid until, score, why). */
export function indicatorRoutes(app: FastifyInstance, services: Services): void {
  const intelligence = { staff: { allow: 'intelligence' } } as const;
  app.get<{ Params: { id: string } }>(
    '/staff/indicators/:id',
    { config: intelligence },
    async (request, reply) => {
      const staff = staffOf(request);
      const id = /^[1-9]\d{0,12}$/.test(request.params.id) ? Number(request.params.id) : null;
      const indicator = id === null ? null : await services.indicatorView.read(staff, id, 'workspace view');
      // Not theirs to see answers exactly as an id that does not exist.
      if (indicator === null) return sendNotFound(request, reply);
      return reply.header('cache-control', 'no-store').page('workspace/views/indicator.njk', {
        pageTitle: request.t('workspace.indicator.title', {
          type: request.t(`workspace.intel.types.${indicator.type}`),
        }),
        staff,
        indicator,
      });
    },
  );
}
