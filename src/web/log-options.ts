import type { FastifyError, FastifyRequest, FastifyServerOptions } from 'fastify';

export interface LogStream {
  write(line: string): void;
}
type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

/** Keys that carry personal data if a log call ever passes them: removed whatever the call site does. */
const PERSONAL_KEYS = [
  'email',
  'phone',
  'name',
  'victimName',
  'narrative',
  'answers',
  'person',
  'vulnerability',
  'postcode',
  'to',
  'text',
];
const REDACT_PATHS = [...PERSONAL_KEYS, ...PERSONAL_KEYS.map((key) => `*.${key}`)];

/**
 * A request as logged: the route pattern (so `/api/v1/indicators/phone/+4477…` is logged as
 * `/api/v1/indicators/:type/*`), or the path without its query string when no route matched. No client address.
 */
function requestForLog(request: FastifyRequest) {
  const pattern = (request as Partial<FastifyRequest>).routeOptions?.url;
  return {
    method: request.method,
    url: pattern ?? (request.url.split('?')[0] ?? '').slice(0, 200),
  };
}

/** An error as logged: what it is and where, not the values a database driver may attach (e.g. PostgreSQL `detail`). */
function errorForLog(error: FastifyError) {
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  return { type: error.name, message: error.message, stack: error.stack ?? '', code, statusCode };
}

/** Pino options for the app and its workers: nothing personal reaches a log line. */
export function logOptions(level: string, stream?: LogStream): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[removed]' },
    serializers: { req: requestForLog, err: errorForLog },
    ...(stream === undefined ? {} : { stream }),
  };
}
