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

/** Hooks that authenticate a bearer token in onRequest (requireScope's and the staff gate's). */
const scopeChecks = new WeakSet();
/** The only /api/v1 routes anyone may call without a token. */
const PUBLIC_API_ROUTES = new Set(['/api/v1/openapi.json']);

/** Marks an onRequest hook as authenticating a bearer token, so the guard below admits its routes. */
export function authenticatesToken<T extends object>(hook: T): T {
  scopeChecks.add(hook);
  return hook;
}

/**
 * The caller behind the request's bearer token if it carries `scope`, or null once the answer is sent: 401
 * without a valid (known, live, unexpired) token, 403 without the scope.
 */
export async function tokenCaller(
  services: Services,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: Scope,
): Promise<ApiCaller | null> {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const caller = match?.[1] === undefined ? null : await services.tokens.verify(match[1]);
  if (caller === null) {
    reply.header('www-authenticate', 'Bearer realm="bluelight"');
    await sendProblem(reply, 401, 'Unauthorized', 'Send a valid API token: Authorization: Bearer <token>');
    return null;
  }
  if (!caller.scopes.includes(scope)) {
    await sendProblem(reply, 403, 'Forbidden', `This token does not have the ${scope} scope`);
    return null;
  }
  request.caller = caller;
  return caller;
}

/**
 * An `onRequest` hook that admits only bearer tokens carrying `scope` (tokenCaller). It runs before the body is
 * read, parsed or validated, so an unauthenticated caller learns nothing from validation errors and costs no
 * parsing. Use it as `{ onRequest: requireScope(…) }`, never as a preHandler (apiAuthGuard refuses that at
 * start-up). Staff routes use the staff gate instead (`config: { staff: … }`, plugins/staff-gate.ts).
 */
export function requireScope(services: Services, scope: Exclude<Scope, 'staff'>) {
  if ((scope as Scope) === 'staff') throw new Error('Staff routes authenticate with the staff gate');
  return authenticatesToken(async (request: FastifyRequest, reply: FastifyReply) => {
    if ((await tokenCaller(services, request, reply, scope)) === null) return reply;
  });
}

/** Every API route the guard checked, per app: what must answer 401 without a token. */
const inventories = new WeakMap<FastifyInstance, { method: string; url: string }[]>();
export const guardedApiRoutes = (app: FastifyInstance) => inventories.get(app) ?? [];

/**
 * Refuses to start if any /api/v1 route is registered without requireScope or the staff gate in its `onRequest`: a route that
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
          `${String(route.method)} ${route.url}: API routes must authenticate in onRequest with requireScope (or the staff gate)`,
        );
      for (const method of ([] as string[]).concat(route.method)) inventory.push({ method, url: route.url });
    });
    done();
  },
  { name: 'api-auth-guard' },
);
