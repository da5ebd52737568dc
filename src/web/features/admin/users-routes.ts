import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isRole, ROLES, workplaceOf } from '../../../domain/access/access-policy.ts';
import type { Services } from '../../../services/index.ts';
import { initialPassword } from '../../../services/staff-accounts.ts';
import { sendNotFound } from '../../plugins/errors.ts';
import { failForm, formMessages, serviceProblem, type FormProblem } from '../../plugins/form-errors.ts';
import { showOnceAt } from '../../plugins/shown-once.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { adminPage, field, idParam, kept, openFormOf, secretPage } from './admin-form.ts';
import { enrolmentQr, groupedSecret } from './enrolment.ts';

const USERS = '/staff/admin/users';
const USERS_PER_PAGE = 15;
/** An account's forms, folded under GOV.UK details (the page stays under 2,500 px); the reset and disable forms' inputs share their names. */
const USER_FORMS = ['change-role', 'reset', 'password-reset', 'disable'] as const;
const admins = { staff: { allow: 'administration' } } as const;
/** The service's field names → this page's inputs. */
const INPUTS = { email: 'email', role: 'role', force: 'force', unit: 'unit', password: 'email' };

/** What the role, force and unit inputs need: every role, every force, the units regional and national officers join. */
const placementChoices = (services: Services) => ({
  roles: ROLES,
  forces: [...services.reference.forces].sort((a, b) => a.name.localeCompare(b.name)),
  units: services.reference.units.filter((u) => u.kind !== 'force'),
});

const placementInput = (body: Record<string, unknown>) => {
  const force = field(body, 'force', 64);
  const unit = field(body, 'unit', 64);
  const role = field(body, 'role', 32);
  // Only the input the role uses counts: the form offers both.
  const workplace = workplaceOf(role);
  return {
    role,
    forceId: workplace === 'force' && force !== '' ? force : undefined,
    unitId: workplace === 'unit' && unit !== '' ? unit : undefined,
    values: { role, force, unit },
  };
};

/**
 * Staff accounts: list, add, change role or unit, disable, reset the second factor (enrolment shown once) or the
 * password (a one-time password shown once).
 */
export function usersRoutes(app: FastifyInstance, services: Services): void {
  const enrolmentPath = (id: number) => `${USERS}/${String(id)}/enrolment`;
  /** The enrolment (and a new account's first password) waits in the session for its page, shown once. */
  const showEnrolment = (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    enrolment: { email: string; otpauthUri: string; password?: string },
  ) => showOnceAt(request, reply, services.shownOnce, enrolmentPath(id), enrolment);

  app.get<{ Params: { id: string } }>(
    `${USERS}/:id/enrolment`,
    { config: admins },
    async (request, reply) => {
      const id = idParam(request.params.id);
      if (id === null) return sendNotFound(request, reply);
      const page = {
        path: enrolmentPath(id),
        kind: 'enrolment',
        backHref: `${USERS}/${String(id)}`,
      } as const;
      return secretPage(request, reply, services.shownOnce, page, (value) => {
        const email = kept(value, 'email');
        const otpauthUri = kept(value, 'otpauthUri');
        const password = kept(value, 'password');
        return reply.page('admin/views/enrolment.njk', {
          pageTitle: request.t('admin.enrolment.title'),
          id,
          email,
          ...(password === '' ? {} : { password }),
          secret: groupedSecret(new URL(otpauthUri).searchParams.get('secret') ?? ''),
          qr: enrolmentQr(otpauthUri, request.t('admin.enrolment.qrLabel', { email })),
        });
      });
    },
  );

  app.get<{ Querystring: { done?: string; page?: string } }>(
    USERS,
    { config: admins },
    async (request, reply) => {
      const users = await services.staffAccounts.list();
      // 15 accounts a page: the list stays a screen or two tall however many there are.
      const pages = Math.max(1, Math.ceil(users.length / USERS_PER_PAGE));
      const page = Math.min(pages, Math.max(1, Number.parseInt(request.query.page ?? '1', 10) || 1));
      const at = (n: number) => `${USERS}?page=${String(n)}`;
      return adminPage(request, reply, 'users.njk', {
        pageTitle: request.t('admin.users.title'),
        users: users.slice((page - 1) * USERS_PER_PAGE, page * USERS_PER_PAGE),
        total: users.length,
        page,
        pages,
        previousUrl: page > 1 ? at(page - 1) : null,
        nextUrl: page < pages ? at(page + 1) : null,
      });
    },
  );

  app.get(`${USERS}/new`, { config: admins }, async (request, reply) =>
    adminPage(request, reply, 'user-new.njk', {
      pageTitle: request.t('admin.users.add'),
      ...placementChoices(services),
      ...(await formMessages(request, `${USERS}/new`, 'admin.users.errors')),
    }),
  );

  app.post<{ Body: Record<string, unknown> }>(USERS, { config: admins }, async (request, reply) => {
    const email = field(request.body, 'email', 320);
    const placement = placementInput(request.body);
    const values = { email, ...placement.values };
    const problems: FormProblem[] = [];
    if (email === '') problems.push({ field: 'email', key: 'emailRequired' });
    if (!isRole(placement.role)) problems.push({ field: 'role', key: 'roleRequired' });
    if (problems.length > 0 || !isRole(placement.role))
      return failForm(request, reply, `${USERS}/new`, problems, values);
    const password = initialPassword();
    let added: { id: number; otpauthUri: string };
    try {
      added = await services.staffAccounts.add({
        email,
        role: placement.role,
        forceId: placement.forceId,
        unitId: placement.unitId,
        password,
        actor: staffOf(request).email,
      });
    } catch (error) {
      const problem = serviceProblem(error, 'email', INPUTS);
      if (problem === 'not-found') return sendNotFound(request, reply);
      return failForm(request, reply, `${USERS}/new`, [problem], values);
    }
    return showEnrolment(request, reply, added.id, {
      email: email.toLowerCase(),
      otpauthUri: added.otpauthUri,
      password,
    });
  });

  app.get<{ Params: { id: string }; Querystring: { done?: string; form?: string } }>(
    `${USERS}/:id`,
    { config: admins },
    async (request, reply) => {
      const id = idParam(request.params.id);
      const user = id === null ? null : await services.staffAccounts.get(id).catch(notFoundAsNull);
      if (user === null) return sendNotFound(request, reply);
      const done = request.query.done;
      const messages = await formMessages(request, `${USERS}/${String(user.id)}`, 'admin.users.errors');
      return adminPage(request, reply, 'user.njk', {
        pageTitle: user.email,
        user,
        self: user.email === staffOf(request).email,
        done: done === 'changed' || done === 'unchanged' || done === 'disabled' ? done : null,
        ...placementChoices(services),
        ...messages,
        // Any other input with a problem is the role form's (role, force, unit).
        openForm: openFormOf(request.query.form, USER_FORMS, messages.fieldErrors, (f) =>
          (USER_FORMS as readonly string[]).includes(f) ? f : 'change-role',
        ),
      });
    },
  );

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    `${USERS}/:id/role`,
    { config: admins },
    async (request, reply) => {
      const id = idParam(request.params.id);
      if (id === null) return sendNotFound(request, reply);
      const page = `${USERS}/${String(id)}`;
      const placement = placementInput(request.body);
      const staff = staffOf(request);
      let result: 'changed' | 'unchanged';
      try {
        // Admins cannot change or disable themselves: the service is never left without anyone to run it.
        if ((await services.staffAccounts.get(id)).email === staff.email)
          return await failForm(request, reply, page, [{ field: 'role', key: 'self' }], placement.values);
        result = await services.staffAccounts.changePlacement(id, placement, staff.email);
      } catch (error) {
        const problem = serviceProblem(error, 'role', INPUTS);
        if (problem === 'not-found') return sendNotFound(request, reply);
        return failForm(request, reply, page, [problem], placement.values);
      }
      return reply.code(303).redirect(`${page}?done=${result}`);
    },
  );

  app.post<{ Params: { id: string } }>(`${USERS}/:id/disable`, { config: admins }, async (request, reply) => {
    const id = idParam(request.params.id);
    if (id === null) return sendNotFound(request, reply);
    const page = `${USERS}/${String(id)}`;
    const staff = staffOf(request);
    try {
      const user = await services.staffAccounts.get(id);
      if (user.email === staff.email)
        return await failForm(request, reply, page, [{ field: 'disable', key: 'self' }]);
      await services.staffAccounts.disable(user.email, staff.email);
    } catch (error) {
      const problem = serviceProblem(error, 'disable');
      if (problem === 'not-found') return sendNotFound(request, reply);
      return failForm(request, reply, page, [problem]);
    }
    return reply.code(303).redirect(`${page}?done=disabled`);
  });

  app.post<{ Params: { id: string } }>(
    `${USERS}/:id/second-factor`,
    { config: admins },
    async (request, reply) => {
      const id = idParam(request.params.id);
      if (id === null) return sendNotFound(request, reply);
      try {
        const reset = await services.staffAccounts.resetSecondFactor(id, staffOf(request).email);
        // Their own: every session of theirs ended with the reset; this browser carries on under a new id.
        if (reset.email === staffOf(request).email) await request.session.regenerate();
        return await showEnrolment(request, reply, id, { email: reset.email, otpauthUri: reset.otpauthUri });
      } catch (error) {
        const problem = serviceProblem(error, 'reset', { reset: 'reset' });
        if (problem === 'not-found') return sendNotFound(request, reply);
        return failForm(request, reply, `${USERS}/${String(id)}`, [problem]);
      }
    },
  );

  const temporaryPasswordPath = (id: number) => `${USERS}/${String(id)}/temporary-password`;

  app.post<{ Params: { id: string } }>(
    `${USERS}/:id/password`,
    { config: admins },
    async (request, reply) => {
      const id = idParam(request.params.id);
      if (id === null) return sendNotFound(request, reply);
      const page = `${USERS}/${String(id)}`;
      const staff = staffOf(request);
      let reset: { email: string; password: string };
      try {
        // Their own is changed on their password page, with their current password: not reset past it.
        if ((await services.staffAccounts.get(id)).email === staff.email)
          return await failForm(request, reply, page, [{ field: 'password-reset', key: 'selfPassword' }]);
        reset = await services.staffAccounts.resetPassword(id, staff.email);
      } catch (error) {
        const problem = serviceProblem(error, 'password-reset');
        if (problem === 'not-found') return sendNotFound(request, reply);
        return failForm(request, reply, page, [problem]);
      }
      // The one-time password waits in the session for its page, shown once.
      return showOnceAt(request, reply, services.shownOnce, temporaryPasswordPath(id), reset);
    },
  );

  app.get<{ Params: { id: string } }>(
    `${USERS}/:id/temporary-password`,
    { config: admins },
    async (request, reply) => {
      const id = idParam(request.params.id);
      if (id === null) return sendNotFound(request, reply);
      const page = {
        path: temporaryPasswordPath(id),
        kind: 'temporaryPassword',
        backHref: `${USERS}/${String(id)}`,
      } as const;
      return secretPage(request, reply, services.shownOnce, page, (value) =>
        reply.page('admin/views/temporary-password.njk', {
          pageTitle: request.t('admin.temporaryPassword.title'),
          id,
          email: kept(value, 'email'),
          password: kept(value, 'password'),
        }),
      );
    },
  );
}

function notFoundAsNull(error: unknown): null {
  if (serviceProblem(error, '') === 'not-found') return null;
  throw error;
}
