import csrf from '@fastify/csrf-protection';
import fp from 'fastify-plugin';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Every form post carries a CSRF token (double-submit, signed cookie). Bearer-token APIs are exempt. */
export const csrfPlugin = fp(
  async (app) => {
    await app.register(csrf, {
      cookieKey: '_csrf',
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: app.secureCookies, signed: true },
      // File uploads (multipart) are read after this check, so their forms carry the token in the URL.
      getToken: (request) =>
        (request.body as Record<string, string> | undefined)?._csrf ??
        (request.query as Record<string, string> | undefined)?._csrf,
    });
    app.addHook('preHandler', (request, reply, done) => {
      const machineApi = request.url.startsWith('/api/') || request.url.startsWith('/taxii2/');
      if (UNSAFE.has(request.method) && !machineApi) {
        app.csrfProtection(request, reply, done);
        return;
      }
      done();
    });
  },
  { name: 'csrf', dependencies: ['@fastify/cookie', 'security'] },
);
