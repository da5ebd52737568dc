import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';

/** Where the first string holding a NUL character is in a parsed body ("reporter.name"), or null. */
export function nulPath(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\0') ? path : null;
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  // A file's bytes are not text.
  if (ArrayBuffer.isView(value)) return null;
  for (const [key, item] of Object.entries(value)) {
    const found = nulPath(item, path === '' ? key : `${path}.${key}`, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/**
 * A body whose text holds a NUL character is refused before any handler runs (422, naming the field; a page gets
 * the bad-request page): no one can type one, PostgreSQL cannot store one in text (SQLite would), and a handler
 * passing it on answered 500 on one database and stored it on the other.
 */
export const textInputPlugin = fp(
  (app, _options, done) => {
    app.addHook('preValidation', (request, _reply, next) => {
      // A raw body (a CSV upload as text) is its route's to read, row by row.
      const path = typeof request.body === 'string' ? null : nulPath(request.body);
      if (path === null) {
        next();
        return;
      }
      const message = 'must not contain a NUL character';
      next(
        Object.assign(new Error(`${path === '' ? 'the body' : path} ${message}`), {
          statusCode: 422,
          validationContext: 'body',
          validation: [{ instancePath: `/${path.replace(/\./g, '/')}`, params: {}, message }],
        }) as FastifyError,
      );
    });
    done();
  },
  { name: 'text-input' },
);
