import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiCaller, Scope } from '../../services/api-tokens.ts';
import type { Services } from '../../services/index.ts';
import { sendProblem } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    caller: ApiCaller | null;
  }
}

/** A preHandler that admits only bearer tokens carrying `scope`; 401 without a valid token, 403 without the scope. */
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
