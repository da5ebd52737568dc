import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';

export function healthRoutes(app: FastifyInstance, services: Services): void {
  app.get('/healthz', async (_request, reply) => {
    const report = await services.health.check();
    return reply
      .code(report.status === 'ok' ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(report);
  });
}
