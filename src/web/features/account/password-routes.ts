import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { STAFF_SESSION_KEY } from '../../../services/sessions.ts';
import { PASSWORD_LENGTH } from '../../../services/staff-passwords.ts';
import { failForm, formMessages, serviceProblem, type FormProblem } from '../../plugins/form-errors.ts';
import { PASSWORD_PATH } from '../../plugins/staff-gate.ts';

/** The page is open to someone who must still set their own password: the only staff page that is. */
const ownPassword = { staff: { allow: 'any-staff', beforeOwnPassword: true } } as const;
/** The service's field names → this page's inputs. */
const INPUTS = { currentPassword: 'current-password', newPassword: 'new-password' };

/** A password as typed (trimmed, as sign-in does); a little over the limit is kept so the limit is reported. */
const password = (body: Record<string, unknown>, name: string): string => {
  const value = body[name];
  return typeof value === 'string' ? value.trim().slice(0, PASSWORD_LENGTH.max + 1) : '';
};

/**
 * A signed-in staff member changes their own password (current password, new one twice), and someone whose password
 * another person chose (a new account, an admin's reset) sets their own before anything else. Passwords are never
 * kept for the page they go back to, logged or audited.
 */
export function passwordRoutes(app: FastifyInstance, services: Services): void {
  app.get<{ Querystring: { done?: string } }>(
    PASSWORD_PATH,
    { config: ownPassword },
    async (request, reply) => {
      const id = request.session.get(STAFF_SESSION_KEY);
      const signedIn = typeof id === 'number' ? await services.staff.sessionMember(id) : null;
      const first = signedIn?.passwordChangeDue === true;
      return reply.header('cache-control', 'no-store').page('account/views/password.njk', {
        pageTitle: request.t(first ? 'account.password.firstTitle' : 'account.password.title'),
        first,
        done: !first && request.query.done === 'changed',
        ...(await formMessages(request, PASSWORD_PATH, 'account.password.errors')),
      });
    },
  );

  app.post<{ Body: Record<string, unknown> }>(
    PASSWORD_PATH,
    { config: ownPassword },
    async (request, reply) => {
      const id = request.session.get(STAFF_SESSION_KEY);
      if (typeof id !== 'number') return reply.code(303).redirect('/staff/sign-in');
      const current = password(request.body, 'current-password');
      const next = password(request.body, 'new-password');
      const confirm = password(request.body, 'confirm-password');
      const problems: FormProblem[] = [];
      if (current === '') problems.push({ field: 'current-password', key: 'currentRequired' });
      if (next === '') problems.push({ field: 'new-password', key: 'newRequired' });
      else if (confirm === '') problems.push({ field: 'confirm-password', key: 'confirmRequired' });
      else if (confirm !== next) problems.push({ field: 'confirm-password', key: 'confirmMismatch' });
      if (problems.length > 0) return failForm(request, reply, PASSWORD_PATH, problems);
      try {
        await services.staffPasswords.change(id, current, next);
      } catch (error) {
        const problem = serviceProblem(error, 'current-password', INPUTS);
        // Disabled meanwhile: signed out, as every other page would.
        if (problem === 'not-found') return reply.code(303).redirect('/staff/sign-in');
        return failForm(request, reply, PASSWORD_PATH, [problem]);
      }
      // Every session of theirs ended with the change; this browser carries on under a new session id.
      await request.session.regenerate();
      await request.session.save();
      return reply.code(303).redirect(`${PASSWORD_PATH}?done=changed`);
    },
  );
}
