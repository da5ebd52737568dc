import type { FastifyInstance, FastifyRequest } from 'fastify';
import { atomFeed } from '../../../domain/alerts/atom-feed.ts';
import { areaName } from '../../../services/alerts/alert-areas.ts';
import type { Services } from '../../../services/index.ts';

type AreaParams = { kind: string; id: string };

/**
 * Public stay-safe alerts: the list of areas, each force's and region's page, and their Atom feeds. No session,
 * no form: these pages are cached by anyone in between, so they say nothing about the reader.
 */
export function alertRoutes(app: FastifyInstance, services: Services): void {
  const { reference, config } = services;
  const regions = () =>
    reference.regions.map((r) => ({
      ...r,
      forceList: r.forces.map((f) => reference.force(f)).filter((f) => f !== undefined),
    }));

  app.get('/alerts', async (request, reply) =>
    reply.page('alerts/views/index.njk', { pageTitle: request.t('alerts.title'), regions: regions() }),
  );

  const area = async (request: FastifyRequest<{ Params: AreaParams }>) => {
    const { kind, id } = request.params;
    const key = `${kind}:${id}`;
    const lng = request.lng === 'cy' ? 'cy' : 'en';
    const alerts = kind === 'force' || kind === 'region' ? await services.alerts.published(key, lng) : null;
    return { key, lng, alerts, name: alerts === null ? '' : areaName(reference, key, lng) } as const;
  };

  app.get<{ Params: AreaParams }>('/alerts/:kind/:id', async (request, reply) => {
    const { key, alerts, name } = await area(request);
    if (alerts === null) {
      reply.callNotFound();
      return reply;
    }
    return reply.page('alerts/views/area.njk', {
      pageTitle: request.t('alerts.area.title', { name }),
      name,
      areaKey: key,
      path: `/alerts/${request.params.kind}/${request.params.id}`,
      alerts,
    });
  });

  app.get<{ Params: AreaParams }>('/alerts/:kind/:id/feed.atom', async (request, reply) => {
    const { lng, alerts, name } = await area(request);
    if (alerts === null) {
      reply.callNotFound();
      return reply;
    }
    const page = `${config.baseUrl}/alerts/${request.params.kind}/${request.params.id}?lng=${lng}`;
    const xml = atomFeed({
      id: `${config.baseUrl}/alerts/${request.params.kind}/${request.params.id}/feed.atom?lng=${lng}`,
      title: request.t('alerts.feed.title', { name }),
      selfLink: `${config.baseUrl}/alerts/${request.params.kind}/${request.params.id}/feed.atom?lng=${lng}`,
      pageLink: page,
      lng,
      updated: '2026-01-01T00:00:00.000Z',
      entries: alerts.map((a) => ({
        id: `${config.baseUrl}/alerts/${String(a.id)}`,
        title: a.title,
        updated: a.publishedAt,
        link: `${page}#alert-${String(a.id)}`,
        content: a.body,
      })),
    });
    return reply.type('application/atom+xml; charset=utf-8').header('cache-control', 'max-age=300').send(xml);
  });
}
