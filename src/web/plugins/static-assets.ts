import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

const dir = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * GOV.UK Frontend's assets, the Ministry of Justice Frontend's (the staff workspace's components) and Bluelight's
 * own, served by the app itself (no CDN). Both design systems ship compiled, minified CSS: it is served as it is.
 */
export const staticAssetsPlugin = fp(
  async (app) => {
    const cache = { maxAge: '1d', immutable: false };
    await app.register(fastifyStatic, {
      // MoJ Frontend's CSS names its icons under /assets/images/ too: looked for after GOV.UK Frontend's.
      root: [
        dir('../../../node_modules/govuk-frontend/dist/govuk/assets/'),
        dir('../../../node_modules/@ministryofjustice/frontend/moj/assets/'),
      ],
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
      root: dir('../../../node_modules/@ministryofjustice/frontend/moj/'),
      prefix: '/assets/moj/',
      allowedPath: (path) => /^\/moj-frontend\.min\.css(\.map)?$/.test(path),
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
