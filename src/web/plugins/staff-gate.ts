/**
 * The one staff gate. A route says who may call it in its config, `config: { staff: { allow: 'unit-work' } }`
 * (the areas and their role rules are in domain/access/access-policy.ts); the gate authenticates the person in
 * `onRequest`, before the body is read, and sets `request.staff`:
 * - pages (/staff/…): the signed-in session; nobody signed in → 303 to the sign-in page; someone whose password
 *   someone else chose → 303 to the password page (the only page open to them); an area not for them → 404, as if
 *   the page did not exist;
 * - the staff API (/api/…): a bearer token with the `staff` scope, of a staff member; no valid token → 401
 *   problem+json, another kind of token or an area not for them → 403.
 * A /staff route registered without a gate (other than signing in and out) stops the app at start-up, and the API
 * guard (api-auth.ts) does the same for /api routes without a token check, so the gate cannot be forgotten.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { mayEnter, type StaffArea, type StaffMember } from '../../domain/access/access-policy.ts';
import type { Services } from '../../services/index.ts';
import { STAFF_SESSION_KEY } from '../../services/sessions.ts';
import { authenticatesToken, tokenCaller } from './api-auth.ts';
import { sendNotFound, sendProblem } from './errors.ts';

export interface StaffGate {
  allow: StaffArea;
  /**
   * Open to someone who must still set their own password (the password page only); every other page sends them
   * there first.
   */
  beforeOwnPassword?: true;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    staff?: StaffGate;
  }
  interface FastifyRequest {
    /** The person the staff gate admitted; null on routes without a gate. */
    staff: StaffMember | null;
  }
}

export const SIGN_IN_PATH = '/staff/sign-in';
/** Where a signed-in person sets their own password (and must, before anything else, when someone else chose it). */
export const PASSWORD_PATH = '/staff/password';
/** The only /staff pages without a gate: signing in and out. */
const OPEN_STAFF_PAGES = new Set([SIGN_IN_PATH, '/staff/sign-out']);
const isStaffPage = (url: string) => url === '/staff' || url.startsWith('/staff/');

/** The staff member the gate admitted to this request (throws on a route without a gate: a programming error). */
export function staffOf(request: FastifyRequest): StaffMember {
  if (request.staff === null) throw new Error(`${request.routeOptions.url ?? ''} has no staff gate`);
  return request.staff;
}

const gateHooks = new WeakSet();
/** Every route the gate guards, per app, with what it allows: what the tests attack. */
const inventories = new WeakMap<FastifyInstance, { method: string; url: string; allow: StaffArea }[]>();
export const gatedStaffRoutes = (app: FastifyInstance) => inventories.get(app) ?? [];

function pageGate(services: Services, gate: StaffGate): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    // Loaded in onRequest by the sessions plugin, which the context of every staff page registers.
    const session = request.session as FastifyRequest['session'] | null | undefined;
    if (session === null || session === undefined)
      throw new Error(`${request.routeOptions.url ?? ''}: staff pages need the sessions plugin`);
    const id = session.get(STAFF_SESSION_KEY);
    const signedIn = typeof id === 'number' ? await services.staff.sessionMember(id) : null;
    if (signedIn === null) return reply.code(303).redirect(SIGN_IN_PATH);
    // A password someone else chose (a new account's, an admin's reset) opens the password page and nothing else.
    if (signedIn.passwordChangeDue && gate.beforeOwnPassword !== true)
      return reply.code(303).redirect(PASSWORD_PATH);
    if (!mayEnter(signedIn.member, gate.allow)) return sendNotFound(request, reply);
    request.staff = signedIn.member;
  };
}

function apiGate(services: Services, gate: StaffGate): onRequestAsyncHookHandler {
  return authenticatesToken(async (request: FastifyRequest, reply: FastifyReply) => {
    const caller = await tokenCaller(services, request, reply, 'staff');
    if (caller === null) return reply;
    // Read with the token, in the same query: who it belongs to and that they are not disabled.
    const staff = caller.staff;
    if (staff === null)
      return sendProblem(reply, 403, 'Forbidden', 'This endpoint needs a staff member’s token');
    if (!mayEnter(staff, gate.allow))
      return sendProblem(reply, 403, 'Forbidden', 'Your role does not give access to this');
    request.staff = staff;
  });
}

/** Register before apiAuthGuard (its onRoute check sees the hooks added here) and before any route. */
export const staffGatePlugin = fp<{ services: Services }>(
  (app, { services }, done) => {
    app.decorateRequest('staff', null);
    const inventory: { method: string; url: string; allow: StaffArea }[] = [];
    inventories.set(app, inventory);
    app.addHook('onRoute', (route) => {
      const gate = route.config?.staff;
      const hooks = ([] as unknown[]).concat(route.onRequest ?? []);
      if (gate === undefined) {
        if (isStaffPage(route.url) && !OPEN_STAFF_PAGES.has(route.url))
          throw new Error(
            `${String(route.method)} ${route.url}: staff pages need a staff gate (config: { staff: { allow } })`,
          );
        return;
      }
      // Fastify registers HEAD from GET's options, which may already carry the gate.
      if (hooks.some((hook) => typeof hook === 'function' && gateHooks.has(hook))) return;
      const hook = route.url.startsWith('/api/') ? apiGate(services, gate) : pageGate(services, gate);
      gateHooks.add(hook);
      for (const method of ([] as string[]).concat(route.method))
        inventory.push({ method, url: route.url, allow: gate.allow });
      // Route hooks run after the context's, so the session (pages) is loaded first; still before any parsing.
      route.onRequest = [...(hooks as onRequestAsyncHookHandler[]), hook];
    });
    done();
  },
  { name: 'staff-gate' },
);
