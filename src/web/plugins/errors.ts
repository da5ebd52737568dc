import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ServiceError, type ServiceErrorKind } from '../../services/service-error.ts';
import { isMachineRoute } from './security.ts';

/**
 * Machine clients (API, TAXII, health) get problem+json; people get GOV.UK error pages. The matched route counts as
 * well as the URL as sent: `/%61pi/v1/…` reaches an API route, which renders no page.
 */
export function wantsProblemJson(request: FastifyRequest): boolean {
  return (
    request.url.startsWith('/api/') ||
    request.url.startsWith('/healthz') ||
    request.url.startsWith('/readyz') ||
    isMachineRoute(request.routeOptions.url ?? '')
  );
}

export interface ProblemField {
  name: string;
  message: string;
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  title: string,
  detail?: string,
  fields?: ProblemField[],
  code?: string,
): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: 'about:blank',
      title,
      status,
      ...(detail ? { detail } : {}),
      ...(code ? { code } : {}),
      ...(fields ? { errors: fields } : {}),
    });
}

/** What each kind of service refusal answers over HTTP: the one place services' errors get a status. */
const SERVICE_STATUS: Record<ServiceErrorKind, [status: number, title: string]> = {
  'not-found': [404, 'Not Found'],
  invalid: [422, 'Unprocessable Content'],
  conflict: [409, 'Conflict'],
  forbidden: [403, 'Forbidden'],
};

/** A service's refusal as problem+json: its English message, its code, and the field it names. */
export function sendServiceProblem(reply: FastifyReply, error: ServiceError): FastifyReply {
  const [status, title] = SERVICE_STATUS[error.kind];
  const fields = error.field === undefined ? undefined : [{ name: error.field, message: error.message }];
  return sendProblem(reply, status, title, error.message, fields, error.code);
}

/** The 404 answer: what a page or resource that does not exist (or is not for this person) answers. */
export async function sendNotFound(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  if (wantsProblemJson(request))
    return sendProblem(reply, 404, 'Not Found', `No resource at ${request.url.split('?')[0] ?? ''}`);
  return reply.code(404).page('errors/404.njk', { pageTitle: request.t('errors.notFound.title') });
}

/** Ajv errors as one entry per bad field, named by its path in the body (e.g. reporter.postcode). */
function validationFields(error: FastifyError): ProblemField[] {
  return (error.validation ?? []).map((v) => {
    const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const missing = typeof v.params.missingProperty === 'string' ? v.params.missingProperty : '';
    const extra = typeof v.params.additionalProperty === 'string' ? v.params.additionalProperty : '';
    const name = [path, missing || extra].filter((p) => p !== '').join('.');
    return {
      name: name === '' ? '(body)' : name,
      message: extra ? 'is not an allowed field' : (v.message ?? 'is invalid'),
    };
  });
}

export const errorsPlugin = fp(
  (app, _options, done) => {
    app.setNotFoundHandler(sendNotFound);

    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      // A refusal a handler let through: problem+json for the API; pages catch theirs (form-errors.ts), so one
      // reaching here is for something this person cannot see or do.
      if ((error as unknown) instanceof ServiceError) {
        const refusal = error as unknown as ServiceError;
        if (wantsProblemJson(request)) return sendServiceProblem(reply, refusal);
        if (refusal.kind === 'not-found' || refusal.kind === 'forbidden') return sendNotFound(request, reply);
        return reply.code(400).page('errors/400.njk', { pageTitle: request.t('errors.badRequest.title') });
      }
      const status = error.statusCode ?? 500;
      // Plain Errors thrown by handlers carry no code.
      if (typeof error.code === 'string' && error.code.startsWith('FST_CSRF')) {
        request.log.warn({ code: error.code }, 'CSRF check failed');
        if (wantsProblemJson(request))
          return sendProblem(reply, 403, 'Forbidden', 'Missing or invalid CSRF token');
        return reply.code(403).page('errors/403.njk', { pageTitle: request.t('errors.csrf.title') });
      }
      if (status < 500) {
        if (
          wantsProblemJson(request) &&
          error.validation !== undefined &&
          error.validationContext === 'body'
        ) {
          return sendProblem(
            reply,
            422,
            'Unprocessable Content',
            'The request body has invalid fields',
            validationFields(error),
          );
        }
        if (wantsProblemJson(request)) {
          const fields = error.validation === undefined ? undefined : validationFields(error);
          return sendProblem(
            reply,
            status,
            error.name === 'Error' ? 'Bad Request' : error.name,
            error.message,
            fields,
          );
        }
        return reply.code(status).page('errors/400.njk', { pageTitle: request.t('errors.badRequest.title') });
      }
      request.log.error({ err: error }, 'request failed');
      if (wantsProblemJson(request)) return sendProblem(reply, 500, 'Internal Server Error');
      return reply.code(500).page('errors/500.njk', { pageTitle: request.t('errors.serverError.title') });
    });
    done();
  },
  { name: 'errors', dependencies: ['views'] },
);
