import csrf from '@fastify/csrf-protection';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * This POST needs no CSRF token: only routes in CSRF_EXEMPT_ROUTES may say so (any other stops the app at
     * start-up), and each must hold its own proof of who may call it (a secret in the URL).
     */
    csrfExempt?: true;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/**
 * The cookie holding the browser's CSRF secret. A session's end (signing in or out) clears it, so a token seen
 * before (an upload form's URL in a history or a proxy's log) is worthless to the next session.
 */
export const CSRF_COOKIE = '_csrf';
/**
 * The one form post exempt: RFC 8058 one-click unsubscribe, which a mail client sends without any page, so without
 * a token. Its unsubscribe token (an HMAC of the subscriber) is its authority; a wrong one changes nothing.
 */
export const CSRF_EXEMPT_ROUTES: ReadonlySet<string> = new Set(['/alerts/unsubscribe/:token/one-click']);

/** Every form post carries a CSRF token (double-submit, signed cookie). Bearer-token APIs are exempt. */
export const csrfPlugin = fp(
  async (app) => {
    await app.register(csrf, {
      cookieKey: CSRF_COOKIE,
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: app.secureCookies, signed: true },
      // File uploads (multipart) are read after this check, so their forms carry the token in the URL.
      getToken: (request) =>
        (request.body as Record<string, string> | undefined)?._csrf ??
        (request.query as Record<string, string> | undefined)?._csrf,
    });
    app.addHook('onRoute', (route) => {
      const config = route.config as { csrfExempt?: unknown } | undefined;
      if (config?.csrfExempt !== undefined && !CSRF_EXEMPT_ROUTES.has(route.url))
        throw new Error(`${route.url} may not be exempt from CSRF checks (see plugins/csrf.ts)`);
    });
    app.addHook('preHandler', (request, reply, done) => {
      const machineApi = request.url.startsWith('/api/') || request.url.startsWith('/taxii2/');
      const exempt =
        request.routeOptions.config.csrfExempt === true &&
        CSRF_EXEMPT_ROUTES.has(request.routeOptions.url ?? '');
      if (UNSAFE.has(request.method) && !machineApi && !exempt) {
        app.csrfProtection(request, reply, done);
        return;
      }
      done();
    });
  },
  { name: 'csrf', dependencies: ['@fastify/cookie', 'security'] },
);
