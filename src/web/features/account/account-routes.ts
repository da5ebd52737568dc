import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { failForm, formMessages, serviceProblem } from '../../plugins/form-errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';

const ACCOUNT_PATH = '/staff/account';
const CHOICES = ['mailbox', 'digest'] as const;

/**
 * A staff member's own account page: how they follow their unit's non-urgent items (the unit mailbox, or a daily
 * digest at their own address) and a link to change their password.
 */
export function accountRoutes(app: FastifyInstance, services: Services): void {
  app.get<{ Querystring: { done?: string } }>(
    ACCOUNT_PATH,
    { config: { staff: { allow: 'any-staff' } } },
    async (request, reply) => {
      const staff = staffOf(request);
      const settings = await services.unitNotifications.settingsOf(staff);
      const messages = await formMessages(request, ACCOUNT_PATH, 'account.settings.errors');
      return reply.header('cache-control', 'no-store').page('account/views/account.njk', {
        pageTitle: request.t('account.settings.title'),
        staff,
        settings,
        choice: messages.values.follow ?? (settings?.digest === true ? 'digest' : 'mailbox'),
        done: request.query.done === 'saved',
        ...messages,
      });
    },
  );

  app.post<{ Body: Record<string, unknown> }>(
    ACCOUNT_PATH,
    { config: { staff: { allow: 'unit-work' } } },
    async (request, reply) => {
      const choice = request.body.follow;
      if (typeof choice !== 'string' || !(CHOICES as readonly string[]).includes(choice))
        return failForm(request, reply, ACCOUNT_PATH, [{ field: 'follow', key: 'choiceRequired' }]);
      try {
        await services.unitNotifications.chooseDigest(staffOf(request), choice === 'digest');
      } catch (error) {
        const problem = serviceProblem(error, 'follow');
        if (problem === 'not-found') return reply.code(303).redirect('/staff/sign-in');
        return failForm(request, reply, ACCOUNT_PATH, [problem]);
      }
      return reply.code(303).redirect(`${ACCOUNT_PATH}?done=saved`);
    },
  );
}
