import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

const dir = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Where each URL prefix is served from, and which files under it may be (all when no `allowedPath`). The browser
 * tests hash these files into the key of their shared accessibility results (test/support/browser.ts).
 */
export const STATIC_ASSETS: readonly {
  prefix: string;
  roots: string[];
  allowedPath?: (path: string) => boolean;
}[] = [
  {
    prefix: '/assets/',
    // MoJ Frontend's CSS names its icons under /assets/images/ too: looked for after GOV.UK Frontend's.
    roots: [
      dir('../../../node_modules/govuk-frontend/dist/govuk/assets/'),
      dir('../../../node_modules/@ministryofjustice/frontend/moj/assets/'),
    ],
  },
  {
    prefix: '/assets/govuk/',
    roots: [dir('../../../node_modules/govuk-frontend/dist/govuk/')],
    allowedPath: (path) => /^\/govuk-frontend\.min\.(css|js)(\.map)?$/.test(path),
  },
  {
    prefix: '/assets/moj/',
    roots: [dir('../../../node_modules/@ministryofjustice/frontend/moj/')],
    allowedPath: (path) => /^\/moj-frontend\.min\.css(\.map)?$/.test(path),
  },
  { prefix: '/assets/app/', roots: [dir('../assets/')] },
];

/**
 * GOV.UK Frontend's assets, the Ministry of Justice Frontend's (the staff workspace's components) and Bluelight's
 * own, served by the app itself (no CDN). Both design systems ship compiled, minified CSS: it is served as it is.
 */
export const staticAssetsPlugin = fp(
  async (app) => {
    const cache = { maxAge: '1d', immutable: false };
    for (const [i, { prefix, roots, allowedPath }] of STATIC_ASSETS.entries())
      await app.register(fastifyStatic, {
        root: roots.length === 1 ? roots[0] : roots,
        prefix,
        ...(allowedPath === undefined ? {} : { allowedPath }),
        // Only the first registration decorates the reply (sendFile); fastify-static refuses a second.
        ...(i === 0 ? {} : { decorateReply: false }),
        ...cache,
      });
  },
  { name: 'static-assets' },
);
