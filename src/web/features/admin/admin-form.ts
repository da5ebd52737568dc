import type { FastifyReply, FastifyRequest } from 'fastify';

/** A form field as typed, trimmed and bounded ('' when missing or not text). */
export const field = (body: Record<string, unknown>, name: string, max = 500): string => {
  const value = body[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
};

/** Every value of a field that may repeat (checkboxes). */
export const fields = (body: Record<string, unknown>, name: string, max = 100): string[] =>
  ([] as unknown[])
    .concat(body[name] ?? [])
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.trim().slice(0, max))
    .filter((v) => v !== '');

/** A positive whole number from a path parameter, or null. */
export const idParam = (value: string): number | null =>
  /^[1-9]\d{0,15}$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : null;

/**
 * Pages that show a secret once (a token, a password, a second-factor secret) are rendered straight from the POST:
 * never stored, never cached, and a refresh or GET cannot bring them back.
 */
export const showOnce = (reply: FastifyReply) =>
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');

/** Admin pages hold account data: never cached. */
export const adminPage = (request: FastifyRequest, reply: FastifyReply, template: string, data: object) =>
  reply.header('cache-control', 'no-store').page(`admin/views/${template}`, data as Record<string, unknown>);
