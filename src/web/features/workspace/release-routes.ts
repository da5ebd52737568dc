import type { FastifyInstance } from 'fastify';
import { normaliseIndicator } from '../../../domain/indicators/extract.ts';
import { isIndicatorType } from '../../../domain/indicators/indicator.ts';
import type { Services } from '../../../services/index.ts';
import { sendNotFound } from '../../plugins/errors.ts';
import { failForm, formMessages, serviceProblem } from '../../plugins/form-errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';

const field = (body: Record<string, unknown>, name: string, max: number) => {
  const value = body[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
};

/** Analysts: values only intelligence-only or anonymous reports name, waiting for a release to partners. */
export function releaseRoutes(app: FastifyInstance, services: Services): void {
  const analysts = { staff: { allow: 'partner-release' } } as const;
  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/staff/release',
    { config: analysts },
    async (request, reply) => {
      const staff = staffOf(request);
      const { done } = request.query;
      return reply.header('cache-control', 'no-store').page('workspace/views/release.njk', {
        pageTitle: request.t('workspace.release.title'),
        staff,
        minimum: services.config.shareMinIndependentReports,
        wideLayout: true,
        // The most recently reported first, a screen's worth (each released one makes room for the next).
        indicators: await services.partnerRelease.awaiting(staff, 25),
        done: done === '1',
        ...(await formMessages(request, '/staff/release', 'workspace.release')),
      });
    },
  );

  app.post<{ Body: Record<string, unknown> }>(
    '/staff/release',
    { config: analysts },
    async (request, reply) => {
      const staff = staffOf(request);
      const type = field(request.body, 'type', 20);
      const raw = field(request.body, 'value', 2048);
      const value = isIndicatorType(type) ? normaliseIndicator(type, raw) : null;
      try {
        // Published by the outbox job queued in the same transaction (within seconds).
        await services.partnerRelease.release(staff, { type, value: value ?? raw });
      } catch (error) {
        const problem = serviceProblem(error, 'indicators', { value: 'indicators' });
        if (problem === 'not-found') return sendNotFound(request, reply);
        return failForm(request, reply, '/staff/release', [problem]);
      }
      return reply.code(303).redirect('/staff/release?done=1');
    },
  );
}
