/**
 * Disruption requests in the partner portal (docs/disruption.md): a partner's users read the requests sent to their
 * organisation and acknowledge, action (for money, the amounts frozen and recovered) or decline them, through the
 * same use cases as the partner API. Which requests a partner sees is the service's: any other answers 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isMoneyRequest, type DisruptionType } from '../../../domain/disruption/disruption.ts';
import type { Services } from '../../../services/index.ts';
import { failForm, formMessages, serviceProblem, type FormProblem } from '../../plugins/form-errors.ts';
import { portalOf } from '../../plugins/partner-gate.ts';
import { portalPage } from '../portal/portal-routes.ts';
import { penceOf } from '../../../domain/money.ts';
import { rowId as idOf } from '../../../domain/row-id.ts';

export const PORTAL_DISRUPTION = '/partner/disruption-requests';
const any = { portal: { allow: 'portal-any' } } as const;
const STEPS = ['acknowledge', 'action', 'decline'] as const;
/** The page's input for each field the service may blame (the API's names). */
const INPUTS: Record<string, string> = {
  partner_reference: 'partner_reference',
  frozen_pence: 'frozen',
  recovered_pence: 'recovered',
  note: 'note',
  reason: 'reason',
};

const notFound = (reply: FastifyReply) => {
  reply.callNotFound();
  return reply;
};
const text = (body: Record<string, unknown>, name: string, max = 2000) => {
  const value = body[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
};

export function disruptionPortalRoutes(app: FastifyInstance, services: Services): void {
  const page = (
    request: FastifyRequest,
    reply: FastifyReply,
    template: string,
    title: string,
    data: object,
  ) => portalPage(request, reply, `disruption/views/${template}`, title, data);

  app.get(PORTAL_DISRUPTION, { config: any }, async (request, reply) =>
    page(request, reply, 'portal-list.njk', request.t('disruption.portal.title'), {
      requests: await services.disruption.forPartner(portalOf(request).partner),
    }),
  );

  app.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>(
    `${PORTAL_DISRUPTION}/:id`,
    { config: any },
    async (request, reply) => {
      const id = idOf(request.params.id);
      if (id === null) return notFound(reply);
      let found;
      try {
        found = await services.disruption.oneForPartner(portalOf(request).partner, id);
      } catch (error) {
        if (serviceProblem(error, 'action') === 'not-found') return notFound(reply);
        throw error;
      }
      const done = request.query.done ?? '';
      return page(
        request,
        reply,
        'portal-request.njk',
        request.t('disruption.staff.requestTitle', { id: String(id) }),
        {
          request: found,
          money: isMoneyRequest(found.type as DisruptionType),
          done: (STEPS as readonly string[]).includes(done) ? done : null,
          ...(await formMessages(request, `${PORTAL_DISRUPTION}/${String(id)}`, 'disruption.portal.errors')),
        },
      );
    },
  );

  app.post<{ Params: { id: string; step: string }; Body: Record<string, unknown> }>(
    `${PORTAL_DISRUPTION}/:id/:step`,
    { config: any },
    async (request, reply) => {
      const id = idOf(request.params.id);
      const step = STEPS.find((s) => s === request.params.step);
      if (id === null || step === undefined) return notFound(reply);
      const { user, partner } = portalOf(request);
      const path = `${PORTAL_DISRUPTION}/${String(id)}`;
      const body = request.body;
      const values = {
        partner_reference: text(body, 'partner_reference', 100),
        frozen: text(body, 'frozen', 30),
        recovered: text(body, 'recovered', 30),
        note: text(body, 'note', 2100),
        reason: text(body, 'reason', 2100),
      };
      const problems: FormProblem[] = [];
      const frozen = values.frozen === '' ? undefined : penceOf(values.frozen);
      const recovered = values.recovered === '' ? undefined : penceOf(values.recovered);
      if (step === 'action') {
        if (frozen === null) problems.push({ field: 'frozen', key: 'amount' });
        if (recovered === null) problems.push({ field: 'recovered', key: 'amount' });
      }
      if (step === 'decline' && values.reason === '') problems.push({ field: 'reason', key: 'reason' });
      if (problems.length > 0) return failForm(request, reply, path, problems, values);
      try {
        if (step === 'acknowledge')
          await services.disruption.acknowledge(
            partner,
            id,
            { partnerReference: values.partner_reference },
            user.email,
          );
        else if (step === 'action')
          await services.disruption.action(
            partner,
            id,
            {
              ...(frozen === undefined || frozen === null ? {} : { frozenPence: frozen }),
              ...(recovered === undefined || recovered === null ? {} : { recoveredPence: recovered }),
              note: values.note,
            },
            user.email,
          );
        else await services.disruption.decline(partner, id, { reason: values.reason }, user.email);
      } catch (error) {
        const problem = serviceProblem(error, step === 'decline' ? 'reason' : 'action', INPUTS);
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, path, [problem], values);
      }
      return reply.code(303).redirect(`${path}?done=${step}`);
    },
  );
}
