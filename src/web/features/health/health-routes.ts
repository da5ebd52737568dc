import type { FastifyInstance, FastifyReply } from 'fastify';
import type { HealthReport } from '../../../services/health.ts';
import type { Services } from '../../../services/index.ts';

export function healthRoutes(app: FastifyInstance, services: Services): void {
  const answer = (report: HealthReport, reply: FastifyReply) =>
    reply
      .code(report.status === 'ok' ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(report);
  // Liveness: is the process able to reach its database at all.
  app.get('/healthz', async (_request, reply) => answer(await services.health.check(), reply));
  // Readiness: send traffic here (database reachable, every migration of this release applied).
  app.get('/readyz', async (_request, reply) => answer(await services.health.ready(), reply));
}
