import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { formatHoursAndMinutes, formatUkDateTime } from '../../domain/ico/breach-deadline.ts';
import type { ClientAction } from '../../domain/limits/client-limits.ts';
import type { ClientLimits } from '../../services/client-limits.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The per-client limit this POST counts against; public POSTs without one count as 'answer'. */
    clientLimit?: ClientAction;
  }
  interface FastifyReply {
    /** The GOV.UK "too many attempts" page: 429 with Retry-After. */
    tooManyAttempts(retryAt: Date): Promise<FastifyReply>;
  }
}

/**
 * Staff pages, the partner portal, the partner API and TAXII are signed in or token-authenticated: they have their
 * own controls (sign-in's per-client throttle, the per-partner submission limits).
 */
function isPublicPost(request: FastifyRequest): boolean {
  if (request.method !== 'POST') return false;
  // The matched route's pattern, so no spelling of a public URL can pass for a staff one.
  const path = request.routeOptions.url ?? request.url;
  return !['/staff/', '/partner/', '/api/', '/taxii2/'].some((prefix) => path.startsWith(prefix));
}

/**
 * One gate for every public POST: counts it per client (request.ip, so only TRUSTED_PROXIES can change who the
 * client is) after the CSRF check and before the body is read, and answers 429 past the limit.
 */
export const clientLimitsPlugin = fp<{ limits: ClientLimits; clock: () => Date }>(
  (app, { limits, clock }, done) => {
    app.decorateReply('tooManyAttempts', async function (this: FastifyReply, retryAt: Date) {
      const request = this.request;
      const seconds = Math.max(1, Math.ceil((retryAt.getTime() - clock().getTime()) / 1000));
      return this.code(429)
        .header('retry-after', String(seconds))
        .header('cache-control', 'no-store')
        .page('errors/429.njk', {
          pageTitle: request.t('errors.tooManyAttempts.title'),
          wait: formatHoursAndMinutes(Math.ceil(seconds / 60), request.lng),
          time: formatUkDateTime(retryAt, request.lng).time,
        });
    });

    app.addHook('preHandler', async (request, reply) => {
      if (!isPublicPost(request)) return;
      const decision = await limits.attempt(request.routeOptions.config.clientLimit ?? 'answer', request.ip);
      if (decision.allowed) return;
      await reply.tooManyAttempts(decision.retryAt);
      return reply;
    });
    done();
  },
  { name: 'client-limits', dependencies: ['views', 'csrf'] },
);
