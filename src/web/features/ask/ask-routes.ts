import type { FastifyInstance, FastifyReply } from 'fastify';
import { QUESTION_LIMITS, type Moderation } from '../../../services/ask-the-unit.ts';
import type { Services } from '../../../services/index.ts';
import { failForm, formMessages, serviceProblem, type FormProblem } from '../../plugins/form-errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { rowId as idOf } from '../../../domain/row-id.ts';

const field = (body: Record<string, unknown>, name: string, max: number) =>
  typeof body[name] === 'string' ? body[name].trim().slice(0, max + 1) : '';
const notFound = (reply: FastifyReply) => {
  reply.callNotFound();
  return reply;
};

/** "2026-12-03T18:00" as UK clock time (GMT or BST) → the instant, or null for an impossible date. */
export function londonTime(text: string): Date | null {
  const guess = new Date(`${text}:00Z`);
  if (Number.isNaN(guess.getTime()) || guess.toISOString().slice(0, 16) !== text) return null;
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(guess);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  const shown = Date.UTC(+get('year'), +get('month') - 1, +get('day'), +get('hour'), +get('minute'));
  return new Date(guess.getTime() - (shown - guess.getTime()));
}

/**
 * Public pages: upcoming and recent events, each with its published questions and answers and a question form.
 * Registered where the session is loaded: a question the form refuses comes back through `failForm`.
 */
export function askRoutes(app: FastifyInstance, services: Services): void {
  app.get('/ask', async (request, reply) =>
    reply.page('ask/views/events.njk', {
      pageTitle: request.t('askTheUnit.title'),
      events: await services.askTheUnit.publicEvents(),
    }),
  );

  app.get<{ Params: { id: string }; Querystring: { sent?: string } }>('/ask/:id', async (request, reply) => {
    const id = idOf(request.params.id);
    const page = id === null ? null : await services.askTheUnit.publicEvent(id);
    if (page === null) return notFound(reply);
    return reply.page('ask/views/event.njk', {
      pageTitle: request.lng === 'cy' ? page.event.titleCy : page.event.title,
      ...page,
      unit: services.reference.unit(page.event.unitId),
      maxLength: QUESTION_LIMITS.maxLength,
      sent: request.query.sent === '1',
      ...(await formMessages(request, `/ask/${page.event.id}`, 'askTheUnit.errors')),
    });
  });

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/ask/:id',
    { config: { clientLimit: 'ask-question' } },
    async (request, reply) => {
      const id = idOf(request.params.id);
      if (id === null) return notFound(reply);
      const values = {
        name: field(request.body, 'name', QUESTION_LIMITS.maxName),
        question: field(request.body, 'question', QUESTION_LIMITS.maxLength),
      };
      const problems: FormProblem[] = [];
      if (values.name.length > QUESTION_LIMITS.maxName) problems.push({ field: 'name', key: 'nameTooLong' });
      if (values.question === '') problems.push({ field: 'question', key: 'question' });
      else if (values.question.length > QUESTION_LIMITS.maxLength)
        problems.push({ field: 'question', key: 'questionTooLong' });
      if (problems.length === 0) {
        try {
          await services.askTheUnit.ask(id, {
            name: values.name === '' ? null : values.name,
            question: values.question,
            lng: request.lng === 'cy' ? 'cy' : 'en',
          });
          return await reply.code(303).redirect(`/ask/${id}?sent=1`);
        } catch (error) {
          if (serviceProblem(error, 'question') === 'not-found') return notFound(reply);
          problems.push({ field: 'question', key: 'closed' });
        }
      }
      return failForm(request, reply, `/ask/${id}`, problems, values);
    },
  );
}

/** The unit's side: announce events and moderate and answer questions. Needs the session (staff sign-in). */
export function askStaffRoutes(app: FastifyInstance, services: Services): void {
  const unitWork = { staff: { allow: 'unit-work' } } as const;

  app.get('/staff/ask', { config: unitWork }, async (request, reply) =>
    reply.header('cache-control', 'no-store').page('ask/views/staff-events.njk', {
      pageTitle: request.t('askTheUnit.staff.title'),
      events: await services.askTheUnit.staffEvents(staffOf(request)),
      ...(await formMessages(request, '/staff/ask', 'askTheUnit.errors')),
    }),
  );

  app.post<{ Body: Record<string, unknown> }>('/staff/ask', { config: unitWork }, async (request, reply) => {
    const staff = staffOf(request);
    const values = {
      title: field(request.body, 'title', 200),
      titleCy: field(request.body, 'titleCy', 200),
      description: field(request.body, 'description', 5000),
      descriptionCy: field(request.body, 'descriptionCy', 5000),
      startsAt: field(request.body, 'startsAt', 16),
      endsAt: field(request.body, 'endsAt', 16),
    };
    const problems: FormProblem[] = [];
    for (const name of ['title', 'titleCy', 'description', 'descriptionCy'] as const) {
      if (values[name] === '') problems.push({ field: name, key: name });
      else if (values[name].length > (name.startsWith('title') ? 200 : 5000))
        problems.push({ field: name, key: 'tooLong' });
    }
    const when = (text: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text) ? londonTime(text) : null);
    const starts = when(values.startsAt);
    const ends = when(values.endsAt);
    if (starts === null) problems.push({ field: 'startsAt', key: 'startsAt' });
    if (ends === null) problems.push({ field: 'endsAt', key: 'endsAt' });
    else if (starts !== null && ends <= starts) problems.push({ field: 'endsAt', key: 'endsBeforeStart' });
    if (problems.length > 0 || starts === null || ends === null)
      return failForm(request, reply, '/staff/ask', problems, values);
    const id = await services.askTheUnit.createEvent(staff, {
      ...values,
      startsAt: starts.toISOString(),
      endsAt: ends.toISOString(),
    });
    return reply.code(303).redirect(`/staff/ask/${id}`);
  });

  app.get<{ Params: { id: string } }>('/staff/ask/:id', { config: unitWork }, async (request, reply) => {
    const staff = staffOf(request);
    const id = idOf(request.params.id);
    const queue = id === null ? null : await services.askTheUnit.moderationQueue(staff, id);
    if (queue === null) return notFound(reply);
    return reply.header('cache-control', 'no-store').page('ask/views/staff-event.njk', {
      pageTitle: queue.event.title,
      ...queue,
      ...(await formMessages(request, `/staff/ask/${id}`, 'askTheUnit.errors')),
    });
  });

  app.post<{ Params: { id: string; question: string; action: string }; Body: Record<string, unknown> }>(
    '/staff/ask/:id/questions/:question/:action',
    { config: unitWork },
    async (request, reply) => {
      const staff = staffOf(request);
      const id = idOf(request.params.id);
      const question = idOf(request.params.question);
      const { action } = request.params;
      let step: Moderation | null = null;
      if (action === 'approve') step = { action };
      else if (action === 'reject') step = { action, reason: field(request.body, 'reason', 500) };
      else if (action === 'merge') step = { action, into: idOf(field(request.body, 'into', 10)) ?? 0 };
      else if (action === 'answer') step = { action, answer: field(request.body, 'answer', 5000) };
      if (id === null || question === null || step === null) return notFound(reply);
      try {
        await services.askTheUnit.moderate(staff, id, question, step);
      } catch (error) {
        // On the question's own form, whichever of its inputs the service names.
        const problem = serviceProblem(error, `question-${question}`);
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, `/staff/ask/${id}`, [problem]);
      }
      return reply.code(303).redirect(`/staff/ask/${id}#question-${question}`);
    },
  );
}
