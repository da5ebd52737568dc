/**
 * What a case page shows after a form: every POST redirects (303) back to its page, with `?done=` for the success
 * banner, or with the problems and the values typed kept in the session and shown once (post/redirect/get).
 */
import type { FastifyRequest } from 'fastify';
import { formMessages } from '../../plugins/form-errors.ts';

/** What the success banner may say (`cases.done.<key>`). */
export const DONE = [
  'opened',
  'decision',
  'closed',
  'shared',
  'transferred',
  'memberAdded',
  'memberRemoved',
  'files',
  'imported',
  'marked',
  'exhibit',
  'custody',
  'task',
  'taskDone',
  'examination',
  'in-progress',
  'complete',
  'rejected',
] as const;
export type Done = (typeof DONE)[number];

export { failForm } from '../../plugins/form-errors.ts';

/** The banner, error summary, field errors and values for the page at `path` (the flash is used up). */
export async function pageMessages(request: FastifyRequest, path: string) {
  const { done, count } = request.query as Record<string, unknown>;
  return {
    done: typeof done === 'string' && (DONE as readonly string[]).includes(done) ? done : null,
    // How many the banner is about (files added, events imported or marked).
    doneCount: typeof count === 'string' && /^\d{1,6}$/.test(count) ? Number(count) : 0,
    ...(await formMessages(request, path, 'cases.errors')),
  };
}

/** UK date and 24-hour time ("20 November 2026 at 09:15") and hours ("1 hour", "2.5 hours"), in the page's language. */
export function displayFormats(lng: string) {
  const locale = lng === 'cy' ? 'cy-GB' : 'en-GB';
  const dateTime = new Intl.DateTimeFormat(locale, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/London',
  });
  // Call data records matter to the second.
  const exact = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'medium',
    timeZone: 'Europe/London',
  });
  const hours = new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: 'hour',
    unitDisplay: 'long',
    maximumFractionDigits: 1,
  });
  return {
    when: (iso: string) => dateTime.format(new Date(iso)),
    whenExact: (iso: string) => exact.format(new Date(iso)),
    hours: (value: number | null) => (value === null ? null : hours.format(value)),
  };
}
