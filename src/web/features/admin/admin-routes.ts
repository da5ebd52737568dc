import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { adminPage } from './admin-form.ts';
import { jobsRoutes } from './jobs-routes.ts';
import { usersRoutes } from './users-routes.ts';
import { tokensRoutes } from './tokens-routes.ts';
import { partnersRoutes } from './partners-routes.ts';

/** The admin role's pages under /staff/admin: every route is gated to the 'administration' area. */
export function adminRoutes(app: FastifyInstance, services: Services): void {
  app.get('/staff/admin', { config: { staff: { allow: 'administration' } } }, (request, reply) =>
    adminPage(request, reply, 'index.njk', {
      pageTitle: request.t('admin.index.title'),
      staff: staffOf(request),
    }),
  );
  jobsRoutes(app, services);
  usersRoutes(app, services);
  tokensRoutes(app, services);
  partnersRoutes(app, services);
}
