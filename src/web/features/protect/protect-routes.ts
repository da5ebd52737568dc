import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  ENGAGEMENT_AUDIENCES,
  ENGAGEMENT_SECTORS,
  ENGAGEMENT_TYPES,
} from '../../../domain/protect/protect-workflow.ts';
import type { Services } from '../../../services/index.ts';
import { failForm, formMessages, serviceProblem } from '../../plugins/form-errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { rowId as idOf } from '../../../domain/row-id.ts';

const text = (body: Record<string, unknown>, name: string, max: number) =>
  typeof body[name] === 'string' ? body[name].slice(0, max + 1) : '';
const notFound = (reply: FastifyReply) => {
  reply.callNotFound();
  return reply;
};
/** What a service's refusal names, as the inputs of these forms. */
const INPUTS: Record<string, string> = {
  allocatedTo: 'allocatedTo',
  status: 'status',
  scheduledFor: 'scheduledFor',
  outcome: 'outcome',
  message: 'message',
  type: 'type',
  audience: 'audience',
  sector: 'sector',
  peopleReached: 'peopleReached',
  materials: 'materials',
  deliveredOn: 'deliveredOn',
  organisation: 'organisation',
  contactEmail: 'contactEmail',
  requestId: 'type',
};

/** The unit's Protect queue: requests moved through their workflow, engagements logged, reach counted. */
export function protectRoutes(app: FastifyInstance, services: Services): void {
  const unitWork = { staff: { allow: 'unit-work' } } as const;

  app.get('/staff/protect', { config: unitWork }, async (request, reply) =>
    reply.header('cache-control', 'no-store').page('protect/views/queue.njk', {
      pageTitle: request.t('protect.queue.title'),
      requests: await services.protectRequests.forUnit(staffOf(request)),
    }),
  );

  app.get<{ Params: { id: string } }>(
    '/staff/protect/requests/:id',
    { config: unitWork },
    async (request, reply) => {
      const id = idOf(request.params.id);
      if (id === null) return notFound(reply);
      let detail;
      try {
        detail = await services.protectRequests.detail(staffOf(request), id);
      } catch (error) {
        if (serviceProblem(error, 'status') === 'not-found') return notFound(reply);
        throw error;
      }
      return reply.header('cache-control', 'no-store').page('protect/views/request.njk', {
        pageTitle: request.t('protect.request.caption', { id: String(id) }),
        ...detail,
        ...(await formMessages(request, `/staff/protect/requests/${String(id)}`, 'protect.errors')),
      });
    },
  );

  const requestAction = (
    path: string,
    act: (id: number, body: Record<string, unknown>, request: Parameters<typeof staffOf>[0]) => Promise<void>,
    field: string,
  ) =>
    app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
      `/staff/protect/requests/:id/${path}`,
      { config: unitWork },
      async (request, reply) => {
        const id = idOf(request.params.id);
        if (id === null) return notFound(reply);
        const page = `/staff/protect/requests/${String(id)}`;
        try {
          await act(id, request.body, request);
        } catch (error) {
          const problem = serviceProblem(error, field, INPUTS);
          if (problem === 'not-found') return notFound(reply);
          const values = Object.fromEntries(
            Object.entries(request.body).filter((e): e is [string, string] => typeof e[1] === 'string'),
          );
          return failForm(request, reply, `${page}#${problem.field}`, [problem], values);
        }
        return reply.code(303).redirect(page);
      },
    );

  requestAction(
    'allocate',
    (id, body, request) => {
      const to = text(body, 'allocatedTo', 320);
      return services.protectRequests.allocate(staffOf(request), id, to === '' ? null : to);
    },
    'allocatedTo',
  );
  requestAction(
    'status',
    (id, body, request) =>
      services.protectRequests.setStatus(staffOf(request), id, {
        status: text(body, 'status', 20),
        scheduledFor: text(body, 'scheduledFor', 10),
        outcome: text(body, 'outcome', 2001),
      }),
    'status',
  );
  requestAction(
    'reply',
    (id, body, request) =>
      services.protectRequests.reply(
        staffOf(request),
        id,
        text(body, 'message', 5001),
        request.lng === 'cy' ? 'cy' : 'en',
      ),
    'message',
  );

  app.get<{ Querystring: { request?: string; saved?: string } }>(
    '/staff/protect/engagements/new',
    { config: unitWork },
    async (request, reply) => {
      const staff = staffOf(request);
      const requestId = idOf(request.query.request);
      let forRequest = null;
      if (requestId !== null) {
        try {
          forRequest = (await services.protectRequests.detail(staff, requestId)).request;
        } catch (error) {
          if (serviceProblem(error, 'type') === 'not-found') return notFound(reply);
          throw error;
        }
      }
      return reply.header('cache-control', 'no-store').page('protect/views/engagement.njk', {
        pageTitle: request.t('protect.engagement.title'),
        forRequest,
        types: ENGAGEMENT_TYPES,
        audiences: ENGAGEMENT_AUDIENCES,
        sectors: ENGAGEMENT_SECTORS,
        ...(await formMessages(request, '/staff/protect/engagements/new', 'protect.errors')),
      });
    },
  );

  app.post<{ Body: Record<string, unknown> }>(
    '/staff/protect/engagements',
    { config: unitWork },
    async (request, reply) => {
      const body = request.body;
      const requestId = idOf(body.requestId);
      const values = {
        type: text(body, 'type', 30),
        audience: text(body, 'audience', 40),
        sector: text(body, 'sector', 40),
        peopleReached: text(body, 'peopleReached', 10).trim(),
        materials: text(body, 'materials', 2001),
        deliveredOn: text(body, 'deliveredOn', 10).trim(),
        organisation: text(body, 'organisation', 201),
        contactEmail: text(body, 'contactEmail', 321),
      };
      try {
        await services.protectEngagements.record(staffOf(request), {
          ...values,
          requestId,
          peopleReached: /^\d{1,9}$/.test(values.peopleReached) ? Number(values.peopleReached) : -1,
          lng: request.lng === 'cy' ? 'cy' : 'en',
        });
      } catch (error) {
        const problem = serviceProblem(error, 'type', INPUTS);
        if (problem === 'not-found') return notFound(reply);
        const page = `/staff/protect/engagements/new${requestId === null ? '' : `?request=${String(requestId)}`}`;
        return failForm(request, reply, page, [problem], values);
      }
      return reply.code(303).redirect('/staff/protect/reach?saved=1');
    },
  );

  app.get<{ Querystring: { saved?: string } }>(
    '/staff/protect/reach',
    { config: unitWork },
    async (request, reply) => {
      const staff = staffOf(request);
      const [reach, engagements] = await Promise.all([
        services.protectEngagements.reach(staff),
        services.protectEngagements.list(staff),
      ]);
      return reply.header('cache-control', 'no-store').page('protect/views/reach.njk', {
        pageTitle: request.t('protect.reach.title'),
        reach,
        engagements,
        saved: request.query.saved === '1',
      });
    },
  );
}
