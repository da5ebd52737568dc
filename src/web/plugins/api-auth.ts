import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiCaller, Scope } from '../../services/api-tokens.ts';
import type { Services } from '../../services/index.ts';
import { sendProblem } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    caller: ApiCaller | null;
  }
}

/**
 * An `onRequest` hook that admits only bearer tokens carrying `scope`: 401 without a valid (known, live,
 * unexpired) token, 403 without the scope. It runs before the body is read, parsed or validated, so an
 * unauthenticated caller learns nothing from validation errors and costs no parsing. Use it as
 * `{ onRequest: requireScope(…) }`, never as a preHandler.
 */
export function requireScope(services: Services, scope: Scope) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
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
}
