import type { FastifyInstance } from 'fastify';

/** Content pages: start page, cookies, accessibility statement, privacy notice. */
export function pagesRoutes(app: FastifyInstance): void {
  const pages = [
    ['/', 'pages/views/home.njk', 'home.title'],
    ['/cookies', 'pages/views/cookies.njk', 'cookies.title'],
    ['/accessibility', 'pages/views/accessibility.njk', 'accessibility.title'],
    ['/privacy', 'pages/views/privacy.njk', 'privacy.title'],
  ] as const;
  for (const [path, template, titleKey] of pages) {
    app.get(path, async (request, reply) => reply.page(template, { pageTitle: request.t(titleKey) }));
  }
}
