import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import fp from 'fastify-plugin';

/** Routes that never render HTML (the API, TAXII): they need no CSP nonce, and their errors are problem+json. */
export const isMachineRoute = (url: string): boolean => /^\/(?:api|taxii2)(?:\/|$)/.test(url);

/** The headers helmet sets with `options` and no nonces, computed once. */
function fixedHeaders(options: FastifyHelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    removeHeader: () => undefined,
  } as unknown as ServerResponse;
  // The same helmet @fastify/helmet runs (its own copy's option types differ only in name).
  helmet(options as Parameters<typeof helmet>[0])(
    Object.create(null) as IncomingMessage,
    response,
    () => undefined,
  );
  return headers;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Cookies carry Secure when the service is served over HTTPS. */
    secureCookies: boolean;
  }
}

/** Security headers for every response: CSP with per-request nonces and no inline script, HSTS in production. */
export const securityPlugin = fp<{ production: boolean; https: boolean }>(
  async (app, options) => {
    app.decorate('secureCookies', options.https);
    const helmetOptions: FastifyHelmetOptions = {
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'font-src': ["'self'"],
          'connect-src': ["'self'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
          'base-uri': ["'self'"],
          'object-src': ["'none'"],
          'upgrade-insecure-requests': options.https ? [] : null,
        },
      },
      hsts: options.production ? { maxAge: 31536000, includeSubDomains: true } : false,
      crossOriginEmbedderPolicy: false,
      referrerPolicy: { policy: 'no-referrer' },
    };
    // The API and TAXII render no HTML: their routes skip the per-request nonces (two random draws and a policy built
    // for each request) and get the same headers, built once.
    const machine = fixedHeaders(helmetOptions);
    app.addHook('onRoute', (route) => {
      if (isMachineRoute(route.url))
        route.config = Object.assign(route.config ?? {}, {
          helmet: { skipRoute: true },
          machineHeaders: true,
        });
    });
    app.addHook('onRequest', (request, reply, done) => {
      if ((request.routeOptions.config as { machineHeaders?: boolean }).machineHeaders === true)
        reply.headers(machine);
      done();
    });
    await app.register(fastifyHelmet, { ...helmetOptions, enableCSPNonces: true });
    app.addHook('onSend', async (_request, reply) => {
      reply.removeHeader('x-powered-by');
      reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
    });
  },
  { name: 'security' },
);
