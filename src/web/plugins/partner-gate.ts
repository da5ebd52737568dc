/**
 * The partner portal's gate, the staff gate's twin for /partner. A route says who may call it in its config,
 * `config: { portal: { allow: 'portal-any' } }` (the areas and their rules are PORTAL_AREAS in
 * domain/access/access-policy.ts); the gate authenticates the person in `onRequest`, before the body is read, from
 * the portal's own session (its own cookie, path /partner: a staff session is never read here, and the staff gate
 * never reads this one) and sets `request.portal`:
 * - nobody signed in, a disabled user or a revoked partner → 303 to /partner/sign-in (read on every request, so a
 *   disable stops a session at once);
 * - a password someone else chose → 303 to /partner/password, the only page open to them;
 * - an area not for them → 404, as if the page did not exist.
 * A /partner route registered without a gate (other than signing in and out) stops the app at start-up.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { mayEnterPortal, type PartnerUser, type PortalArea } from '../../domain/access/access-policy.ts';
import type { Services } from '../../services/index.ts';
import type { Partner } from '../../services/partners.ts';
import { PARTNER_SESSION_KEY } from '../../services/sessions.ts';
import { sendNotFound } from './errors.ts';

export interface PortalGate {
  allow: PortalArea;
  /** Open to someone who must still set their own password (the password page only). */
  beforeOwnPassword?: true;
}

export interface PortalCaller {
  user: PartnerUser;
  partner: Partner;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    portal?: PortalGate;
  }
  interface FastifyRequest {
    /** The partner user the portal gate admitted; null on routes without it. */
    portal: PortalCaller | null;
  }
}

export const PORTAL_PREFIX = '/partner';
export const PORTAL_SIGN_IN_PATH = '/partner/sign-in';
export const PORTAL_PASSWORD_PATH = '/partner/password';
/** The portal's own session cookie: sent only to /partner pages. */
export const PORTAL_COOKIE = { name: 'bl_partner', path: PORTAL_PREFIX } as const;
const OPEN_PORTAL_PAGES = new Set([PORTAL_SIGN_IN_PATH, '/partner/sign-out']);
export const isPortalPage = (url: string) => url === PORTAL_PREFIX || url.startsWith(`${PORTAL_PREFIX}/`);

/** The partner user the gate admitted to this request (throws on a route without the gate: a programming error). */
export function portalOf(request: FastifyRequest): PortalCaller {
  if (request.portal === null) throw new Error(`${request.routeOptions.url ?? ''} has no portal gate`);
  return request.portal;
}

const gateHooks = new WeakSet();
const inventories = new WeakMap<FastifyInstance, { method: string; url: string; allow: PortalArea }[]>();
/** Every route the gate guards, per app, with what it allows: what the access matrix attacks. */
export const gatedPortalRoutes = (app: FastifyInstance) => inventories.get(app) ?? [];

function pageGate(services: Services, gate: PortalGate): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const session = request.session as FastifyRequest['session'] | null | undefined;
    if (session === null || session === undefined)
      throw new Error(`${request.routeOptions.url ?? ''}: portal pages need the sessions plugin`);
    const id = session.get(PARTNER_SESSION_KEY);
    const signedIn = typeof id === 'number' ? await services.partnerUsers.sessionUser(id) : null;
    if (signedIn === null) return reply.code(303).redirect(PORTAL_SIGN_IN_PATH);
    if (signedIn.passwordChangeDue && gate.beforeOwnPassword !== true)
      return reply.code(303).redirect(PORTAL_PASSWORD_PATH);
    if (!mayEnterPortal(signedIn.user, signedIn.partner, gate.allow)) return sendNotFound(request, reply);
    request.portal = { user: signedIn.user, partner: signedIn.partner };
  };
}

/** Register at the app's root, before any route, so every /partner route anywhere is seen. */
export const partnerGatePlugin = fp<{ services: Services }>(
  (app, { services }, done) => {
    app.decorateRequest('portal', null);
    const inventory: { method: string; url: string; allow: PortalArea }[] = [];
    inventories.set(app, inventory);
    app.addHook('onRoute', (route) => {
      const gate = route.config?.portal;
      const hooks = ([] as unknown[]).concat(route.onRequest ?? []);
      if (gate === undefined) {
        if (isPortalPage(route.url) && !OPEN_PORTAL_PAGES.has(route.url))
          throw new Error(
            `${String(route.method)} ${route.url}: portal pages need a portal gate (config: { portal: { allow } })`,
          );
        return;
      }
      if (!isPortalPage(route.url)) throw new Error(`${route.url}: the portal gate is for /partner pages`);
      if (hooks.some((hook) => typeof hook === 'function' && gateHooks.has(hook))) return;
      const hook = pageGate(services, gate);
      gateHooks.add(hook);
      for (const method of ([] as string[]).concat(route.method))
        inventory.push({ method, url: route.url, allow: gate.allow });
      route.onRequest = [...(hooks as onRequestAsyncHookHandler[]), hook];
    });
    done();
  },
  { name: 'partner-gate' },
);
