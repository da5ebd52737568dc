import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { requireScope } from '../../plugins/api-auth.ts';
import { Problem } from './report-schemas.ts';

const StatusBody = Type.Object(
  { status: Type.Union([Type.Literal('acknowledged'), Type.Literal('contacted')]) },
  { additionalProperties: false },
);

/** Victim Support tells us where a referral has got to, with its own token (scope referrals:update). */
export function referralsApiRoutes(app: FastifyInstance, services: Services): void {
  app.post<{ Params: { id: string }; Body: Static<typeof StatusBody> }>(
    '/api/v1/referrals/:id/status',
    {
      onRequest: requireScope(services, 'referrals:update'),
      schema: {
        summary: 'Victim Support: acknowledge a referral, or say the person has been contacted',
        description:
          'The victim sees "Victim Support has your details" or "has contacted you" on their progress page. ' +
          'A referral the victim withdrew answers 409: delete it.',
        tags: ['referrals'],
        security: [{ bearer: [] }],
        params: Type.Object({ id: Type.String({ maxLength: 36 }) }),
        body: StatusBody,
        response: { 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      // Unknown id → 404, consent withdrawn → 409 (ServiceError, answered by plugins/errors.ts).
      const status = await services.referrals.reportStatus(request.params.id, request.body.status);
      return reply.send({ id: request.params.id, status });
    },
  );
}
