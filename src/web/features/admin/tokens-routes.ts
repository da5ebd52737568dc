import type { FastifyInstance } from 'fastify';
import { SCOPES, TOKEN_LIFETIME, type Scope } from '../../../services/api-tokens.ts';
import type { Services } from '../../../services/index.ts';
import { sendNotFound } from '../../plugins/errors.ts';
import { failForm, formMessages, serviceProblem, type FormProblem } from '../../plugins/form-errors.ts';
import { showOnceAt } from '../../plugins/shown-once.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { adminPage, field, fields, idParam, kept, secretPage } from './admin-form.ts';

const TOKENS = '/staff/admin/tokens';
const admins = { staff: { allow: 'administration' } } as const;
/** Partner scopes; 'staff' is granted through a staff member's own token only. */
const PARTNER_SCOPES = SCOPES.filter((s) => s !== 'staff');
const DAY_MS = 86_400_000;
const createdPath = (id: number) => `${TOKENS}/${String(id)}/created`;

/** API tokens: the list (never a token), create (the token shown once), revoke. The CLI's `token` commands too. */
export function tokensRoutes(app: FastifyInstance, services: Services): void {
  app.get<{ Querystring: { done?: string } }>(TOKENS, { config: admins }, async (request, reply) => {
    const done = request.query.done;
    return adminPage(request, reply, 'tokens.njk', {
      pageTitle: request.t('admin.tokens.title'),
      tokens: (await services.tokens.list()).reverse(),
      done: done === 'revoked' || done === 'already' ? done : null,
      ...(await formMessages(request, TOKENS, 'admin.tokens.errors')),
    });
  });

  app.get(`${TOKENS}/new`, { config: admins }, async (request, reply) =>
    adminPage(request, reply, 'token-new.njk', {
      pageTitle: request.t('admin.tokens.create'),
      scopes: PARTNER_SCOPES,
      defaultDays: TOKEN_LIFETIME.defaultDays,
      maxDays: TOKEN_LIFETIME.maxDays,
      ...(await formMessages(request, `${TOKENS}/new`, 'admin.tokens.errors')),
    }),
  );

  app.post<{ Body: Record<string, unknown> }>(TOKENS, { config: admins }, async (request, reply) => {
    const name = field(request.body, 'name', 200);
    const user = field(request.body, 'user', 320);
    const expires = field(request.body, 'expires', 10);
    const chosen = fields(request.body, 'scopes', 40);
    const values = { name, user, expires, scopes: chosen.join(' ') };
    const problems: FormProblem[] = [];
    if (name === '' || name.length > 120) problems.push({ field: 'name', key: 'nameRequired' });
    let scopes: Scope[] = [];
    // A staff token acts as that person (their reports, their cases): an admin making one could act as anyone, so
    // staff tokens are made only on the command line, by the operator, and audited there.
    if (user !== '') {
      problems.push({ field: 'user', key: 'staffNotHere' });
    } else if (chosen.length === 0 || !chosen.every((s) => (PARTNER_SCOPES as string[]).includes(s)))
      problems.push({ field: 'scopes', key: 'scopesRequired' });
    else scopes = chosen as Scope[];
    const days =
      expires === '' ? TOKEN_LIFETIME.defaultDays : /^\d{1,3}$/.test(expires) ? Number(expires) : 0;
    if (days < 1 || days > TOKEN_LIFETIME.maxDays)
      problems.push({
        field: 'expires',
        key: 'expiresDays',
        params: { max: String(TOKEN_LIFETIME.maxDays) },
      });
    if (problems.length > 0) return failForm(request, reply, `${TOKENS}/new`, problems, values);
    let created: { id: number; token: string; expiresAt: Date };
    try {
      created = await services.tokens.create(name, scopes, null, {
        expiresAt: new Date(services.clock().getTime() + days * DAY_MS),
        actor: staffOf(request).email,
      });
    } catch (error) {
      const problem = serviceProblem(error, 'expires');
      if (problem === 'not-found') return sendNotFound(request, reply);
      return failForm(request, reply, `${TOKENS}/new`, [problem], values);
    }
    // The token waits in the session for its page, shown once.
    return showOnceAt(request, reply, services.shownOnce, createdPath(created.id), {
      name,
      scopes: scopes.join(' '),
      token: created.token,
      expiresAt: created.expiresAt.toISOString(),
    });
  });

  app.get<{ Params: { id: string } }>(`${TOKENS}/:id/created`, { config: admins }, async (request, reply) => {
    const id = idParam(request.params.id);
    if (id === null) return sendNotFound(request, reply);
    const page = { path: createdPath(id), kind: 'token', backHref: TOKENS } as const;
    return secretPage(request, reply, services.shownOnce, page, (value) =>
      reply.page('admin/views/token-created.njk', {
        pageTitle: request.t('admin.tokens.createdTitle'),
        id,
        name: kept(value, 'name'),
        scopes: kept(value, 'scopes').split(' '),
        token: kept(value, 'token'),
        expiresAt: kept(value, 'expiresAt'),
      }),
    );
  });

  app.post<{ Params: { id: string } }>(`${TOKENS}/:id/revoke`, { config: admins }, async (request, reply) => {
    const id = idParam(request.params.id);
    if (id === null) return sendNotFound(request, reply);
    let result: 'revoked' | 'already';
    try {
      result = await services.tokens.revoke(id, staffOf(request).email);
    } catch (error) {
      const problem = serviceProblem(error, 'tokens');
      if (problem === 'not-found') return sendNotFound(request, reply);
      return failForm(request, reply, TOKENS, [problem]);
    }
    return reply.code(303).redirect(`${TOKENS}?done=${result}`);
  });
}
