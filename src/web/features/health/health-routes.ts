import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HealthReport } from '../../../services/health.ts';
import type { Services } from '../../../services/index.ts';
import { sendProblem } from '../../plugins/errors.ts';

/** The driver's error as the operator needs it: its class, code and text (a ping's error names no person). */
function causeOf(cause: unknown) {
  if (!(cause instanceof Error)) return cause === undefined ? undefined : { message: 'not an Error' };
  const code = (cause as { code?: unknown }).code;
  return { name: cause.name, message: cause.message, ...(typeof code === 'string' ? { code } : {}) };
}

export function healthRoutes(app: FastifyInstance, services: Services): void {
  const answer = (request: FastifyRequest, report: HealthReport, reply: FastifyReply) => {
    reply.header('cache-control', 'no-store');
    if (report.status === 'ok') return reply.code(200).send(report);
    // The detail is for the operator's log: the public answer is the same whatever went wrong.
    request.log.warn(
      { reason: report.reason, pending: report.pending, cause: causeOf(report.cause) },
      'health check failed',
    );
    return sendProblem(reply, 503, 'Service Unavailable', 'The service is not available');
  };
  // Liveness: is the process able to reach its database at all.
  app.get('/healthz', async (request, reply) => answer(request, await services.health.check(), reply));
  // Readiness: send traffic here (database reachable, every migration of this release applied).
  app.get('/readyz', async (request, reply) => answer(request, await services.health.ready(), reply));
}
