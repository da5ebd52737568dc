import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';

/** Content pages: start page, cookies, accessibility statement, privacy notice. */
export function pagesRoutes(app: FastifyInstance, services: Services): void {
  // While a significant incident is open, the start page asks "Were you affected by …?".
  app.get('/', async (request, reply) =>
    reply.page('pages/views/home.njk', {
      pageTitle: request.t('home.title'),
      incidents: await services.incidents.openForPublic(),
    }),
  );
  const pages = [
    ['/cookies', 'pages/views/cookies.njk', 'cookies.title'],
    ['/accessibility', 'pages/views/accessibility.njk', 'accessibility.title'],
    ['/privacy', 'pages/views/privacy.njk', 'privacy.title'],
  ] as const;
  for (const [path, template, titleKey] of pages) {
    app.get(path, async (request, reply) => reply.page(template, { pageTitle: request.t(titleKey) }));
  }
}
