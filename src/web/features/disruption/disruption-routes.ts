/**
 * The workspace's disruption pages (docs/disruption.md): the unit's requests with their clocks, raising one from
 * a report, case, indicator or campaign, one request (send for approval, approve or return it), and the figures. Every rule is
 * the service's, as for the API; a request not of the unit's answers 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DISRUPTION_TYPES, LEGAL_BASES, URGENCIES } from '../../../domain/disruption/disruption.ts';
import type { DisruptionInput } from '../../../services/disruption.ts';
import type { Services } from '../../../services/index.ts';
import { failForm, formMessages, serviceProblem, type FormProblem } from '../../plugins/form-errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { penceOf } from '../../../domain/money.ts';
import { rowId as idOf } from '../../../domain/row-id.ts';

const LIST = '/staff/disruption';
const NEW = '/staff/disruption/new';
const notFound = (reply: FastifyReply) => {
  reply.callNotFound();
  return reply;
};
const text = (body: Record<string, unknown>, name: string, max = 2000) => {
  const value = body[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
};
/** The page's input for each field the service may blame (the API's names). */
const INPUTS: Record<string, string> = {
  partner_id: 'partner_id',
  type: 'type',
  target_type: 'target',
  target_value: 'target',
  report: 'target',
  urgency: 'urgency',
  legal_basis: 'legal_basis',
  legal_basis_detail: 'legal_basis_detail',
  amount_pence: 'amount',
  transaction_date: 'transaction_date',
  transaction_refs: 'transaction_refs',
  reason: 'reason',
};

/** Where the form was opened from, as the query and hidden inputs carry it. */
function originOf(source: Record<string, unknown>) {
  const report = typeof source.report === 'string' ? source.report.slice(0, 30) : '';
  const caseRef = typeof source.case === 'string' ? source.case.slice(0, 30) : '';
  const indicator = typeof source.indicator === 'string' ? idOf(source.indicator) : null;
  const campaign = typeof source.campaign === 'string' ? idOf(source.campaign) : null;
  if (report !== '') return { report };
  if (caseRef !== '') return { caseReference: caseRef };
  if (indicator !== null) return { indicatorId: indicator };
  if (campaign !== null) return { campaignId: campaign };
  return null;
}
const originQuery = (o: {
  report?: string;
  caseReference?: string;
  indicatorId?: number;
  campaignId?: number;
}) =>
  new URLSearchParams(
    o.report !== undefined
      ? { report: o.report }
      : o.caseReference !== undefined
        ? { case: o.caseReference }
        : o.campaignId !== undefined
          ? { campaign: String(o.campaignId) }
          : { indicator: String(o.indicatorId ?? '') },
  ).toString();

export function disruptionRoutes(app: FastifyInstance, services: Services): void {
  const unitWork = { staff: { allow: 'unit-work' } } as const;

  app.get(LIST, { config: unitWork }, async (request, reply) =>
    reply.header('cache-control', 'no-store').page('disruption/views/list.njk', {
      pageTitle: request.t('disruption.staff.title'),
      requests: await services.disruption.forUnit(staffOf(request)),
    }),
  );

  app.get(
    '/staff/disruption/figures',
    { config: { staff: { allow: 'disruption-figures' } } },
    async (request, reply) =>
      reply.header('cache-control', 'no-store').page('disruption/views/figures.njk', {
        pageTitle: request.t('disruption.figures.title'),
        figures: await services.disruption.figures(),
      }),
  );

  app.get<{ Querystring: Record<string, string | undefined> }>(
    NEW,
    { config: unitWork },
    async (request, reply) => {
      const origin = originOf(request.query);
      const options = origin === null ? null : await services.disruption.targetsFor(staffOf(request), origin);
      if (origin === null || options === null) return notFound(reply);
      return reply.header('cache-control', 'no-store').page('disruption/views/new.njk', {
        pageTitle: request.t('disruption.form.title'),
        origin,
        ...options,
        types: DISRUPTION_TYPES,
        urgencies: URGENCIES,
        legalBases: LEGAL_BASES,
        ...(await formMessages(request, NEW, 'disruption.errors')),
      });
    },
  );

  app.post<{ Body: Record<string, unknown> }>(LIST, { config: unitWork }, async (request, reply) => {
    const body = request.body;
    const origin = originOf(body);
    if (origin === null) return notFound(reply);
    const back = `${NEW}?${originQuery(origin)}`;
    const values = Object.fromEntries(
      [
        'partner_id',
        'type',
        'target',
        'urgency',
        'legal_basis',
        'legal_basis_detail',
        'amount',
        'transaction_date',
        'transaction_refs',
      ].map((name) => [name, text(body, name, name === 'target' ? 2100 : 2000)]),
    );
    const problems: FormProblem[] = [];
    const target = values.target ?? '';
    const colon = target.indexOf(':');
    if (colon < 1) problems.push({ field: 'target', key: 'target' });
    const amount = values.amount ?? '';
    const pence = amount === '' ? undefined : penceOf(amount);
    if (pence === null) problems.push({ field: 'amount', key: 'amount' });
    if (problems.length > 0) return failForm(request, reply, back, problems, values);
    const refs = (values.transaction_refs ?? '')
      .split('\n')
      .map((r) => r.trim())
      .filter((r) => r !== '');
    const input: DisruptionInput = {
      ...origin,
      partnerId: Number(values.partner_id) || 0,
      type: values.type ?? '',
      targetType: target.slice(0, colon),
      targetValue: target.slice(colon + 1),
      urgency: values.urgency ?? '',
      legalBasis: values.legal_basis ?? '',
      legalBasisDetail: values.legal_basis_detail ?? '',
      // Money fields go only with the requests they belong to (the service refuses them elsewhere).
      ...(pence === undefined || pence === null ? {} : { amountPence: pence }),
      ...(values.transaction_date === '' ? {} : { transactionDate: values.transaction_date }),
      ...(refs.length === 0 ? {} : { transactionRefs: refs }),
      submit: true,
    };
    let id: number;
    try {
      id = await services.disruption.raise(staffOf(request), input);
    } catch (error) {
      const problem = serviceProblem(error, 'target', INPUTS);
      if (problem === 'not-found') return notFound(reply);
      return failForm(request, reply, back, [problem], values);
    }
    return reply.code(303).redirect(`${LIST}/${String(id)}`);
  });

  app.get<{ Params: { id: string } }>(`${LIST}/:id`, { config: unitWork }, async (request, reply) => {
    const id = idOf(request.params.id);
    const found = id === null ? null : await services.disruption.detail(staffOf(request), id);
    if (found === null) return notFound(reply);
    return reply.header('cache-control', 'no-store').page('disruption/views/request.njk', {
      pageTitle: request.t('disruption.staff.requestTitle', { id: String(found.request.id) }),
      ...found,
      done: (request.query as Record<string, unknown>).done === '1',
      ...(await formMessages(request, `${LIST}/${String(found.request.id)}`, 'disruption.errors')),
    });
  });

  app.post<{ Params: { id: string; action: string }; Body: Record<string, unknown> }>(
    `${LIST}/:id/:action`,
    { config: unitWork },
    async (
      request: FastifyRequest<{ Params: { id: string; action: string }; Body: Record<string, unknown> }>,
      reply,
    ) => {
      const id = idOf(request.params.id);
      const { action } = request.params;
      if (id === null || !['submit', 'approve', 'return'].includes(action)) return notFound(reply);
      const page = `${LIST}/${String(id)}`;
      const staff = staffOf(request);
      const reason = text(request.body, 'reason');
      try {
        if (action === 'submit') await services.disruption.submit(staff, id);
        else if (action === 'approve') await services.disruption.approve(staff, id);
        else {
          if (reason === '')
            return await failForm(request, reply, page, [{ field: 'reason', key: 'reason' }]);
          await services.disruption.returnToDraft(staff, id, reason);
        }
      } catch (error) {
        const problem = serviceProblem(error, action === 'return' ? 'reason' : 'action', INPUTS);
        if (problem === 'not-found') return notFound(reply);
        return failForm(request, reply, page, [problem], { reason });
      }
      return reply.code(303).redirect(`${page}?done=1`);
    },
  );
}
