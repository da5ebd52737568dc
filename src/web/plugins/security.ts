import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

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
    await app.register(helmet, {
      enableCSPNonces: true,
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
    });
    app.addHook('onSend', async (_request, reply) => {
      reply.removeHeader('x-powered-by');
      reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
    });
  },
  { name: 'security' },
);
