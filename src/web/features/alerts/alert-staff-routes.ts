import type { FastifyInstance, FastifyReply } from 'fastify';
import { areaName } from '../../../services/alerts/alert-areas.ts';
import type { AlertText } from '../../../services/alerts/alerts.ts';
import type { Services } from '../../../services/index.ts';
import { failForm, formMessages, serviceProblem } from '../../plugins/form-errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { rowId as idOf } from '../../../domain/row-id.ts';

const notFound = (reply: FastifyReply) => {
  reply.callNotFound();
  return reply;
};
const INPUTS = {
  titleEn: 'titleEn',
  bodyEn: 'bodyEn',
  titleCy: 'titleCy',
  bodyCy: 'bodyCy',
  campaignId: 'campaignId',
};

/** What was typed, as the service takes it (and as the form shows it again). */
function alertForm(body: Record<string, unknown>): { values: Record<string, string>; text: AlertText } {
  const field = (name: string, max: number) =>
    typeof body[name] === 'string' ? body[name].slice(0, max + 1) : '';
  const values = {
    titleEn: field('titleEn', 121),
    bodyEn: field('bodyEn', 3001),
    titleCy: field('titleCy', 121),
    bodyCy: field('bodyCy', 3001),
    campaignId: field('campaignId', 10).trim(),
  };
  const campaignId =
    values.campaignId === '' ? null : /^\d{1,9}$/.test(values.campaignId) ? Number(values.campaignId) : 0;
  return { values, text: { ...values, campaignId } };
}

/** Force and regional units write stay-safe alerts; a second person of the unit approves, which publishes. */
export function alertStaffRoutes(app: FastifyInstance, services: Services): void {
  const writers = { staff: { allow: 'alert-writing' } } as const;
  const areaLabel = (area: string | null, lng: string) =>
    area === null ? '' : areaName(services.reference, area, lng === 'cy' ? 'cy' : 'en');

  app.get('/staff/alerts', { config: writers }, async (request, reply) => {
    const staff = staffOf(request);
    return reply.header('cache-control', 'no-store').page('alerts/views/staff-list.njk', {
      pageTitle: request.t('alerts.staff.title'),
      area: areaLabel(services.alerts.areaOf(staff), request.lng),
      alerts: await services.alerts.forUnit(staff),
    });
  });

  app.get('/staff/alerts/new', { config: writers }, async (request, reply) =>
    reply.header('cache-control', 'no-store').page('alerts/views/staff-new.njk', {
      pageTitle: request.t('alerts.staff.newTitle'),
      area: areaLabel(services.alerts.areaOf(staffOf(request)), request.lng),
      ...(await formMessages(request, '/staff/alerts/new', 'alerts.errors')),
    }),
  );

  app.post<{ Body: Record<string, unknown> }>(
    '/staff/alerts',
    { config: writers },
    async (request, reply) => {
      const { values, text } = alertForm(request.body);
      let id: number;
      try {
        id = await services.alerts.create(staffOf(request), text);
      } catch (error) {
        const problem = serviceProblem(error, 'titleEn', INPUTS);
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, '/staff/alerts/new', [problem], values);
      }
      return reply.code(303).redirect(`/staff/alerts/${String(id)}`);
    },
  );

  app.get<{ Params: { id: string } }>('/staff/alerts/:id', { config: writers }, async (request, reply) => {
    const id = idOf(request.params.id);
    if (id === null) return notFound(reply);
    let detail;
    try {
      detail = await services.alerts.detail(staffOf(request), id);
    } catch (error) {
      if (serviceProblem(error, 'approve') === 'not-found') return notFound(reply);
      throw error;
    }
    const { values: typed, ...problems } = await formMessages(
      request,
      `/staff/alerts/${String(id)}`,
      'alerts.errors',
    );
    const { alert } = detail;
    const [kind = '', areaId = ''] = alert.area.split(':');
    return reply.header('cache-control', 'no-store').page('alerts/views/staff-alert.njk', {
      pageTitle: request.t('alerts.staff.alertTitle', { id: String(id) }),
      ...detail,
      publicPath: `/alerts/${kind}/${areaId}`,
      values:
        typed.titleEn === undefined
          ? {
              titleEn: alert.titleEn,
              bodyEn: alert.bodyEn,
              titleCy: alert.titleCy,
              bodyCy: alert.bodyCy,
              campaignId: alert.campaignId === null ? '' : String(alert.campaignId),
            }
          : typed,
      ...problems,
    });
  });

  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/staff/alerts/:id',
    { config: writers },
    async (request, reply) => {
      const id = idOf(request.params.id);
      if (id === null) return notFound(reply);
      const { values, text } = alertForm(request.body);
      try {
        await services.alerts.update(staffOf(request), id, text);
      } catch (error) {
        const problem = serviceProblem(error, 'titleEn', INPUTS);
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, `/staff/alerts/${String(id)}`, [problem], values);
      }
      return reply.code(303).redirect(`/staff/alerts/${String(id)}`);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/staff/alerts/:id/approve',
    { config: writers },
    async (request, reply) => {
      const id = idOf(request.params.id);
      if (id === null) return notFound(reply);
      try {
        await services.alerts.approve(staffOf(request), id);
      } catch (error) {
        const problem = serviceProblem(error, 'approve');
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, `/staff/alerts/${String(id)}`, [problem]);
      }
      return reply.code(303).redirect(`/staff/alerts/${String(id)}`);
    },
  );
}
