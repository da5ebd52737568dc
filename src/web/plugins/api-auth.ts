import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiCaller, Scope } from '../../services/api-tokens.ts';
import type { Services } from '../../services/index.ts';
import { sendProblem } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    caller: ApiCaller | null;
  }
}

/** Hooks made by requireScope, so the guard below can tell a route is authenticated. */
const scopeChecks = new WeakSet();
/** The only /api/v1 routes anyone may call without a token. */
const PUBLIC_API_ROUTES = new Set(['/api/v1/openapi.json']);

/**
 * An `onRequest` hook that admits only bearer tokens carrying `scope`: 401 without a valid (known, live,
 * unexpired) token, 403 without the scope. It runs before the body is read, parsed or validated, so an
 * unauthenticated caller learns nothing from validation errors and costs no parsing. Use it as
 * `{ onRequest: requireScope(…) }`, never as a preHandler (apiAuthGuard refuses that at start-up).
 */
export function requireScope(services: Services, scope: Scope) {
  const check = async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const caller = match?.[1] === undefined ? null : await services.tokens.verify(match[1]);
    if (caller === null) {
      reply.header('www-authenticate', 'Bearer realm="bluelight"');
      return sendProblem(reply, 401, 'Unauthorized', 'Send a valid API token: Authorization: Bearer <token>');
    }
    if (!caller.scopes.includes(scope))
      return sendProblem(reply, 403, 'Forbidden', `This token does not have the ${scope} scope`);
    request.caller = caller;
  };
  scopeChecks.add(check);
  return check;
}

/** Every API route the guard checked, per app: what must answer 401 without a token. */
const inventories = new WeakMap<FastifyInstance, { method: string; url: string }[]>();
export const guardedApiRoutes = (app: FastifyInstance) => inventories.get(app) ?? [];

/**
 * Refuses to start if any /api/v1 route is registered without requireScope in its `onRequest`: a route that
 * forgets it, or checks it later (preHandler), would parse and validate bodies for anyone.
 */
export const apiAuthGuard = fp(
  (app, _options, done) => {
    const inventory: { method: string; url: string }[] = [];
    inventories.set(app, inventory);
    app.addHook('onRoute', (route) => {
      if (!route.url.startsWith('/api/') || PUBLIC_API_ROUTES.has(route.url)) return;
      const hooks = ([] as unknown[]).concat(route.onRequest ?? []);
      if (!hooks.some((hook) => typeof hook === 'function' && scopeChecks.has(hook)))
        throw new Error(
          `${String(route.method)} ${route.url}: API routes must authenticate in onRequest with requireScope`,
        );
      for (const method of ([] as string[]).concat(route.method)) inventory.push({ method, url: route.url });
    });
    done();
  },
  { name: 'api-auth-guard' },
);
