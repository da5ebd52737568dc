import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

const dir = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** GOV.UK Frontend's assets and Bluelight's own, served by the app itself (no CDN). */
export const staticAssetsPlugin = fp(
  async (app) => {
    const cache = { maxAge: '1d', immutable: false };
    await app.register(fastifyStatic, {
      root: dir('../../../node_modules/govuk-frontend/dist/govuk/assets/'),
      prefix: '/assets/',
      ...cache,
    });
    await app.register(fastifyStatic, {
      root: dir('../../../node_modules/govuk-frontend/dist/govuk/'),
      prefix: '/assets/govuk/',
      allowedPath: (path) => /^\/govuk-frontend\.min\.(css|js)(\.map)?$/.test(path),
      decorateReply: false,
      ...cache,
    });
    await app.register(fastifyStatic, {
      root: dir('../assets/'),
      prefix: '/assets/app/',
      decorateReply: false,
      ...cache,
    });
  },
  { name: 'static-assets' },
);
