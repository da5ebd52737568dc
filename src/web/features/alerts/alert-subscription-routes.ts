import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { areaName } from '../../../services/alerts/alert-areas.ts';
import type { Services } from '../../../services/index.ts';
import { failForm, formMessages, serviceProblem } from '../../plugins/form-errors.ts';

const FORM = '/alerts/subscribe';

/**
 * Email subscriptions: the form, double opt-in (the emailed link shows a button; the button confirms, so a mail
 * scanner following links confirms nothing) and unsubscribe. Registered where the session is loaded (failForm).
 */
export function alertSubscriptionRoutes(app: FastifyInstance, services: Services): void {
  const { reference } = services;
  const lngOf = (request: FastifyRequest) => (request.lng === 'cy' ? 'cy' : 'en');
  const names = (request: FastifyRequest, areas: string[]) =>
    areas.map((a) => areaName(reference, a, lngOf(request)));
  const linkPage = (reply: FastifyReply, template: string, data: Record<string, unknown>) =>
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').page(template, data);

  app.get<{ Querystring: { area?: string } }>(FORM, async (request, reply) => {
    const { values, ...problems } = await formMessages(request, FORM, 'alerts.errors');
    const chosen = (values.areas ?? (typeof request.query.area === 'string' ? request.query.area : ''))
      .split(' ')
      .filter((a) => a !== '');
    return reply.page('alerts/views/subscribe.njk', {
      pageTitle: request.t('alerts.subscribe.title'),
      regions: reference.regions,
      forces: reference.forces.filter((f) => f.territorial),
      chosen,
      values,
      ...problems,
    });
  });

  app.post<{ Body: Record<string, unknown> }>(
    FORM,
    { config: { clientLimit: 'alert-subscribe' } },
    async (request, reply) => {
      const raw = request.body.areas;
      const areas = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
        .filter((a): a is string => typeof a === 'string')
        .slice(0, 100);
      const email = typeof request.body.email === 'string' ? request.body.email.slice(0, 321) : '';
      try {
        await services.alertSubscriptions.subscribe(email, areas, lngOf(request));
      } catch (error) {
        const problem = serviceProblem(error, 'email', { email: 'email', areas: 'areas' });
        if (problem === 'not-found') throw error;
        return failForm(request, reply, FORM, [problem], { email, areas: areas.join(' ') });
      }
      return reply.code(303).redirect('/alerts/subscribe/sent');
    },
  );

  app.get('/alerts/subscribe/sent', async (request, reply) =>
    reply.page('alerts/views/subscribe-sent.njk', { pageTitle: request.t('alerts.subscribe.sentTitle') }),
  );

  const gone = (request: FastifyRequest, reply: FastifyReply, which: 'confirm' | 'unsubscribe') =>
    linkPage(reply.code(404), 'alerts/views/link-gone.njk', {
      pageTitle: request.t(`alerts.${which}.goneTitle`),
      which,
    });

  app.get<{ Params: { token: string } }>('/alerts/confirm/:token', async (request, reply) => {
    const pending = await services.alertSubscriptions.pending(request.params.token);
    if (pending === null) return gone(request, reply, 'confirm');
    return linkPage(reply, 'alerts/views/confirm.njk', {
      pageTitle: request.t('alerts.confirm.title'),
      token: request.params.token,
      areas: names(request, pending.areas),
    });
  });

  app.post<{ Params: { token: string } }>(
    '/alerts/confirm/:token',
    { config: { clientLimit: 'emailed-link' } },
    async (request, reply) => {
      const areas = await services.alertSubscriptions.confirm(request.params.token);
      if (areas === null) return gone(request, reply, 'confirm');
      return linkPage(reply, 'alerts/views/confirmed.njk', {
        pageTitle: request.t('alerts.confirm.doneTitle'),
        areas: names(request, areas),
      });
    },
  );

  app.get<{ Params: { token: string } }>('/alerts/unsubscribe/:token', async (request, reply) =>
    linkPage(reply, 'alerts/views/unsubscribe.njk', {
      pageTitle: request.t('alerts.unsubscribe.title'),
      token: request.params.token,
    }),
  );

  const unsubscribe = async (request: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply) => {
    if (!(await services.alertSubscriptions.unsubscribe(request.params.token)))
      return gone(request, reply, 'unsubscribe');
    return linkPage(reply, 'alerts/views/unsubscribed.njk', {
      pageTitle: request.t('alerts.unsubscribe.doneTitle'),
    });
  };

  app.post<{ Params: { token: string } }>(
    '/alerts/unsubscribe/:token',
    { config: { clientLimit: 'emailed-link' } },
    unsubscribe,
  );

  // The List-Unsubscribe address. Opened in a browser it is the page above, with its button; a mail client's
  // one-click POST (RFC 8058, body List-Unsubscribe=One-Click) has no page and so no CSRF token: the unsubscribe
  // token is its only authority, and it answers 200 without redirecting, as the RFC asks.
  app.get<{ Params: { token: string } }>('/alerts/unsubscribe/:token/one-click', async (request, reply) =>
    linkPage(reply, 'alerts/views/unsubscribe.njk', {
      pageTitle: request.t('alerts.unsubscribe.title'),
      token: request.params.token,
    }),
  );
  app.post<{ Params: { token: string } }>(
    '/alerts/unsubscribe/:token/one-click',
    { config: { clientLimit: 'emailed-link', csrfExempt: true } },
    unsubscribe,
  );
}
