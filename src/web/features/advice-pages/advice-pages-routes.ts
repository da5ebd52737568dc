import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  breachDeadline,
  formatHoursAndMinutes,
  formatUkDateTime,
  readAwareness,
  type AwarenessError,
  type AwarenessField,
  type AwarenessInput,
} from '../../../domain/ico/breach-deadline.ts';
import type { Services } from '../../../services/index.ts';

const FIELDS: readonly AwarenessField[] = ['day', 'month', 'year', 'hour', 'minute'];
const MAX_FIELD = 10;

/** Only the five answers, as typed (cut short so nothing long is echoed back). */
function answers(body: unknown): AwarenessInput {
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  return Object.fromEntries(
    FIELDS.map((f) => {
      const value = record[f];
      return [f, typeof value === 'string' ? value.slice(0, MAX_FIELD) : ''];
    }),
  );
}

/** GOV.UK error summary items, plus one message per group (date, time) and the inputs to mark as wrong. */
function errorView(request: FastifyRequest, errors: AwarenessError[], hours: number) {
  const text = (e: AwarenessError) => request.t(`icoBreach.errors.${e.key}`, { hours });
  const group = (e: AwarenessError) => (e.key.startsWith('date.') ? 'date' : 'time');
  return {
    errors: errors.map((e) => ({ text: text(e), href: `#${e.field}` })),
    groupErrors: Object.fromEntries(errors.map((e) => [group(e), { text: text(e) }])),
    highlight: errors.flatMap((e) => e.highlight),
  };
}

/** Advice for organisations: the first-hour checklist and the ICO 72-hour breach deadline helper. */
export function advicePagesRoutes(app: FastifyInstance, services: Services): void {
  const icoHours = () => services.reference.service('ico').deadlineHours ?? 72;

  app.get('/advice/first-hour', async (request, reply) =>
    reply.page('advice-pages/views/first-hour.njk', {
      pageTitle: request.t('firstHour.title'),
      icoHours: icoHours(),
    }),
  );

  const form = (reply: FastifyReply, request: FastifyRequest, extra: Record<string, unknown> = {}) =>
    reply.page('advice-pages/views/ico-breach.njk', {
      pageTitle: request.t('icoBreach.title'),
      icoHours: icoHours(),
      values: {},
      highlight: [],
      ...extra,
    });

  app.get('/advice/ico-breach', async (request, reply) => form(reply, request));

  app.post('/advice/ico-breach', async (request, reply) => {
    const values = answers(request.body);
    const hours = icoHours();
    const now = services.clock();
    const read = readAwareness(values, now);
    if (!read.ok)
      return form(reply.code(400), request, { values, ...errorView(request, read.errors, hours) });
    const result = breachDeadline(read.awareAt, now, hours);
    return reply.page('advice-pages/views/ico-breach-result.njk', {
      pageTitle: request.t('icoBreach.result.title'),
      icoHours: hours,
      aware: formatUkDateTime(result.awareAt, request.lng),
      deadline: formatUkDateTime(result.deadline, request.lng),
      passed: result.passed,
      timeLeft: formatHoursAndMinutes(result.minutesLeft, request.lng),
    });
  });
}
