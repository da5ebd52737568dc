/**
 * A partner user's own API tokens in the portal (services/partner-user-tokens.ts): the list (never a token), a new
 * one (shown once, post/redirect/get through plugins/shown-once.ts) and revoking one. Any signed-in user, for
 * themselves only: another person's token is "not found".
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TOKEN_LIFETIME } from '../../../services/api-tokens.ts';
import type { Services } from '../../../services/index.ts';
import { PARTNER_TOKEN_NAME_MAX } from '../../../services/partner-user-tokens.ts';
import { sendNotFound } from '../../plugins/errors.ts';
import { failForm, formMessages, serviceProblem, type FormProblem } from '../../plugins/form-errors.ts';
import { portalOf } from '../../plugins/partner-gate.ts';
import { noStore, showOnceAt, takeShownOnce } from '../../plugins/shown-once.ts';
import { portalPage } from './portal-routes.ts';
import { rowId } from '../../../domain/row-id.ts';

export const TOKENS_PATH = '/partner/tokens';
const CREATED_PATH = '/partner/tokens/created';
const any = { portal: { allow: 'portal-any' } } as const;
const DEFAULT_DAYS = 90;

const text = (body: Record<string, unknown>, name: string, max: number) => {
  const value = body[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
};

export function portalTokenRoutes(app: FastifyInstance, services: Services): void {
  const page = (
    request: FastifyRequest,
    reply: FastifyReply,
    template: string,
    title: string,
    data: object,
  ) => portalPage(request, reply, `portal/views/${template}`, title, data);

  app.get<{ Querystring: { done?: string } }>(TOKENS_PATH, { config: any }, async (request, reply) => {
    const { user } = portalOf(request);
    const done = request.query.done;
    return page(request, reply, 'tokens.njk', request.t('portal.tokens.title'), {
      tokens: await services.partnerUserTokens.list(user),
      defaultDays: DEFAULT_DAYS,
      maxDays: TOKEN_LIFETIME.maxDays,
      done: done === 'revoked' || done === 'already' ? done : null,
      ...(await formMessages(request, TOKENS_PATH, 'portal.tokens.errors')),
    });
  });

  app.post<{ Body: Record<string, unknown> }>(TOKENS_PATH, { config: any }, async (request, reply) => {
    const { user } = portalOf(request);
    const values = {
      name: text(request.body, 'name', PARTNER_TOKEN_NAME_MAX + 1),
      expires: text(request.body, 'expires', 10),
    };
    const problems: FormProblem[] = [];
    if (values.name === '') problems.push({ field: 'name', key: 'nameRequired' });
    const days =
      values.expires === '' ? DEFAULT_DAYS : /^\d{1,3}$/.test(values.expires) ? Number(values.expires) : 0;
    if (days < 1 || days > TOKEN_LIFETIME.maxDays)
      problems.push({
        field: 'expires',
        key: 'expiresDays',
        params: { max: String(TOKEN_LIFETIME.maxDays) },
      });
    if (problems.length > 0) return failForm(request, reply, TOKENS_PATH, problems, values);
    let created: { id: number; token: string; expiresAt: Date };
    try {
      created = await services.partnerUserTokens.create(user, { name: values.name, days });
    } catch (error) {
      const problem = serviceProblem(error, 'name', { name: 'name', expires: 'expires' });
      if (problem === 'not-found') return sendNotFound(request, reply);
      return failForm(request, reply, TOKENS_PATH, [problem], values);
    }
    return showOnceAt(request, reply, services.shownOnce, CREATED_PATH, {
      name: values.name,
      token: created.token,
      expiresAt: created.expiresAt.toISOString(),
    });
  });

  app.get(CREATED_PATH, { config: any }, async (request, reply) => {
    const shown = await takeShownOnce(request, services.shownOnce, CREATED_PATH);
    noStore(reply);
    if (shown === null)
      return page(request, reply, 'shown-already.njk', request.t('admin.shownOnce.title'), {
        backHref: TOKENS_PATH,
      });
    return page(request, reply, 'token-created.njk', request.t('portal.tokens.createdTitle'), { ...shown });
  });

  app.post<{ Params: { id: string } }>(
    `${TOKENS_PATH}/:id/revoke`,
    { config: any },
    async (request, reply) => {
      const { user } = portalOf(request);
      const id = rowId(request.params.id);
      if (id === null) return sendNotFound(request, reply);
      let done: 'revoked' | 'already';
      try {
        done = await services.partnerUserTokens.revoke(user, id);
      } catch (error) {
        if (serviceProblem(error, 'tokens') === 'not-found') return sendNotFound(request, reply);
        throw error;
      }
      return reply.code(303).redirect(`${TOKENS_PATH}?done=${done}`);
    },
  );
}
