import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ShownOnce } from '../../../services/shown-once.ts';
import { noStore, takeShownOnce } from '../../plugins/shown-once.ts';

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

/** What each page showing a secret once says when it has been shown already (admin.shownOnce.<kind>). */
export type SecretKind = 'enrolment' | 'temporaryPassword' | 'credentials' | 'webhookSecret' | 'token';

/**
 * The GET of a page that shows a secret once (plugins/shown-once.ts): the secret the POST left for `path`, shown by
 * `show`, or, once it has been shown, a page saying so that links back to `backHref`. Never stored by the browser.
 */
export async function secretPage(
  request: FastifyRequest,
  reply: FastifyReply,
  shownOnce: ShownOnce,
  page: { path: string; kind: SecretKind; backHref: string },
  show: (value: Record<string, unknown>) => FastifyReply | Promise<FastifyReply>,
): Promise<FastifyReply> {
  noStore(reply);
  // A HEAD (a link checker or a proxy) shows nobody anything: it must not use the secret up.
  if (request.method === 'HEAD') return reply.type('text/html; charset=utf-8').send();
  const value = await takeShownOnce(request, shownOnce, page.path);
  if (value !== null) return show(value);
  return reply.page('admin/views/shown-already.njk', {
    pageTitle: request.t('admin.shownOnce.title'),
    kind: page.kind,
    backHref: page.backHref,
  });
}

/** A string from a value kept for a secret page ('' when missing). */
export const kept = (value: Record<string, unknown>, name: string): string => {
  const v = value[name];
  return typeof v === 'string' ? v : '';
};

/** Admin pages hold account data: never cached. */
export const adminPage = (request: FastifyRequest, reply: FastifyReply, template: string, data: object) =>
  reply.header('cache-control', 'no-store').page(`admin/views/${template}`, data as Record<string, unknown>);

/**
 * The folded form (GOV.UK details) a page opens: the one `?form=` names, else the one whose inputs came back with
 * problems (`formOf` says which form an input belongs to); null keeps them all closed.
 */
export function openFormOf(
  asked: string | undefined,
  forms: readonly string[],
  fieldErrors: Record<string, unknown> | undefined,
  formOf: (field: string) => string,
): string | null {
  if (asked !== undefined && forms.includes(asked)) return asked;
  const field = Object.keys(fieldErrors ?? {})[0];
  return field === undefined ? null : formOf(field);
}
