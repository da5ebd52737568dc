import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { sendNotFound } from '../../plugins/errors.ts';
import { failForm, formMessages, serviceProblem } from '../../plugins/form-errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { adminPage, idParam } from './admin-form.ts';

const PATH = '/staff/admin/jobs';
const admins = { staff: { allow: 'administration' } } as const;

/** Queue depth per kind, the oldest waiting job, dead letters (last error, never the payload): retry or discard. */
export function jobsRoutes(app: FastifyInstance, services: Services): void {
  app.get<{ Querystring: { done?: string } }>(PATH, { config: admins }, async (request, reply) => {
    const { kinds, dead } = await services.jobs.overview();
    const done = request.query.done;
    return adminPage(request, reply, 'jobs.njk', {
      pageTitle: request.t('admin.jobs.title'),
      staff: staffOf(request),
      kinds,
      dead,
      // A configured feed that cannot be reached is shown here, never ignored.
      feeds: await services.feeds.list(),
      done: done === 'retried' || done === 'discarded' ? done : null,
      ...(await formMessages(request, PATH, 'admin.jobs')),
    });
  });

  for (const action of ['retry', 'discard'] as const)
    app.post<{ Params: { id: string } }>(
      `${PATH}/:id/${action}`,
      { config: admins },
      async (request, reply) => {
        const id = idParam(request.params.id);
        if (id === null) return sendNotFound(request, reply);
        const actor = staffOf(request).email;
        try {
          await (action === 'retry' ? services.jobs.retry(id, actor) : services.jobs.discard(id, actor));
        } catch (error) {
          const problem = serviceProblem(error, 'dead-letters', { job: 'dead-letters' });
          if (problem === 'not-found') return sendNotFound(request, reply);
          return failForm(request, reply, PATH, [problem]);
        }
        return reply.code(303).redirect(`${PATH}?done=${action === 'retry' ? 'retried' : 'discarded'}`);
      },
    );
}
