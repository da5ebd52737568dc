import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SETTABLE, isStatus } from '../../../domain/casework/status.ts';
import {
  ariaSort,
  choosesView,
  parseQueueView,
  queueViewQuery,
  selectedFilters,
  sortFor,
  withoutFilter,
  type QueueView,
} from '../../../domain/casework/queue-view.ts';
import { CATEGORIES } from '../../../domain/classification/taxonomy.ts';
import {
  INDICATOR_SHARING_ACTIONS,
  PAGE_SIZE,
  type IndicatorSharingAction,
} from '../../../services/casework.ts';
import type { Services } from '../../../services/index.ts';
import {
  canTakeReportsForCallers,
  canWorkCases,
  campaignUnitsOf,
} from '../../../domain/access/access-policy.ts';
import { failForm, serviceProblem, type FormProblem } from '../../plugins/form-errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { STAFF_SESSION_KEY as STAFF_KEY } from '../../../services/sessions.ts';
import { linkGraphSvg } from './link-graph.ts';
import { otherTools } from './workspace-nav.ts';
import { actionFormPath, reportPath, reportRoutes } from './report-routes.ts';

const text = (body: Record<string, unknown>, name: string, max = 2000) => {
  const value = body[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
};
/** The input each action's form links its problems to, when the service names none. */
const ACTION_INPUTS: Record<string, string> = {
  status: 'status',
  note: 'note-text',
  message: 'message-text',
  category: 'category',
  tlp: 'tlp',
  allocate: 'officer',
  transfer: 'unit',
};
const notFound = (reply: FastifyReply) => {
  reply.callNotFound();
  return reply;
};

/** The unit workspace: sign-in (password + security code), the queue, and one report with the unit's actions. */
export function workspaceRoutes(app: FastifyInstance, services: Services): void {
  const anyStaff = { staff: { allow: 'any-staff' } } as const;
  const errorList = (request: FastifyRequest, errors: [string, string][]) => ({
    errors: errors.map(([field, key]) => ({ text: request.t(`workspace.errors.${key}`), href: `#${field}` })),
    fieldErrors: Object.fromEntries(
      errors.map(([field, key]) => [field, { text: request.t(`workspace.errors.${key}`) }]),
    ),
  });

  app.get('/staff/sign-in', async (request, reply) =>
    reply.page('workspace/views/sign-in.njk', { pageTitle: request.t('workspace.signIn.title'), values: {} }),
  );

  app.post<{ Body: Record<string, unknown> }>('/staff/sign-in', async (request, reply) => {
    const values = { email: text(request.body, 'email', 320) };
    const password = text(request.body, 'password', 500);
    const code = text(request.body, 'code', 20);
    const missing: [string, string][] = [];
    if (values.email === '') missing.push(['email', 'emailRequired']);
    if (password === '') missing.push(['password', 'passwordRequired']);
    if (code === '') missing.push(['code', 'codeRequired']);
    const fail = (errors: [string, string][], status = 400) =>
      reply.code(status).page('workspace/views/sign-in.njk', {
        pageTitle: request.t('workspace.signIn.title'),
        values,
        ...errorList(request, errors),
      });
    if (missing.length > 0) return fail(missing);
    const result = await services.staff.signIn(
      values.email,
      password,
      code,
      services.clientLimits.clientKey(request.ip),
    );
    // Per client, across accounts: says nothing about any one account.
    if (result === 'throttled') return fail([['email', 'tooManyAttempts']], 429);
    // One answer for every failure (unknown, wrong, locked, disabled, code used), so none can be told apart.
    if (result === null) return fail([['email', 'wrongDetails']]);
    const user = await services.staff.userIdByEmail(result.email);
    // A new session id on sign-in, so an id known before sign-in is worthless after it.
    await request.session.destroy();
    request.session.set(STAFF_KEY, user?.id);
    await request.session.save();
    return reply.code(303).redirect('/staff');
  });

  app.post('/staff/sign-out', async (request, reply) => {
    await request.session.destroy();
    return reply.code(303).redirect('/staff/sign-in');
  });

  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/staff',
    { config: anyStaff },
    async (request, reply) => {
      const staff = staffOf(request);
      // Call handlers have no queue: their home is the adviser journey.
      if (canTakeReportsForCallers(staff)) return reply.code(303).redirect('/staff/adviser');
      const q = request.query;
      // A view chosen in the query (a tab, a filter, a column's order) is remembered; without one, the last is shown.
      const view = choosesView(q) ? parseQueueView(q) : await services.casework.rememberedQueueView(staff);
      if (choosesView(q)) await services.casework.rememberQueueView(staff, view);
      const page = Math.max(1, Math.min(10_000, Number.parseInt(q.page ?? '1', 10) || 1));
      const { rows, total, byStatus } = await services.casework.queue(staff, { ...view, page });
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
      const url = (shown: QueueView, at = 1) => `/staff?${queueViewQuery(shown, at)}`;
      const statuses = ['received', ...SETTABLE, 'transferred'] as const;
      return reply.header('cache-control', 'no-store').page('workspace/views/queue.njk', {
        pageTitle: request.t('workspace.queue.title'),
        wideLayout: true,
        staff,
        nav: otherTools(staff),
        unit: staff.unitId === null ? undefined : services.reference.unit(staff.unitId),
        rows,
        total,
        filters: view,
        viewQuery: queueViewQuery(view),
        protectRequests: await services.protectRequests.forUnit(staff),
        counts: await services.casework.unitCounts(staff),
        firstContactDays: services.config.firstContactDays,
        // The status tabs, each with how many reports it holds under the other filters.
        statusTabs: [undefined, ...statuses].map((status) => ({
          status,
          count:
            status === undefined
              ? Object.values(byStatus).reduce((a, b) => a + b, 0)
              : (byStatus[status] ?? 0),
          href: url({ ...view, status }),
          active: status === view.status,
        })),
        selected: selectedFilters(view).map(({ filter }) => ({
          filter,
          href: url(withoutFilter(view, filter)),
        })),
        clearHref: url(withoutFilter(view, 'all')),
        sortHrefs: Object.fromEntries(
          (['reference', 'status', 'received', 'flags'] as const).map((column) => [
            column,
            { href: url({ ...view, sort: sortFor(column, view.sort) }), aria: ariaSort(column, view.sort) },
          ]),
        ),
        categories: Object.keys(CATEGORIES),
        previousUrl: page > 1 ? url(view, page - 1) : null,
        nextUrl: page < pages ? url(view, page + 1) : null,
        page,
        pages,
      });
    },
  );

  reportRoutes(app, services);

  const intelligence = { staff: { allow: 'intelligence' } } as const;
  app.get<{ Querystring: { page?: string } }>(
    '/staff/campaigns',
    { config: intelligence },
    async (request, reply) => {
      const staff = staffOf(request);
      const perPage = 20;
      const page = Math.max(1, Math.min(10_000, Number.parseInt(request.query.page ?? '1', 10) || 1));
      const { ids, total } = await services.intelligence.campaignIds({
        units: campaignUnitsOf(staff),
        limit: perPage,
        offset: (page - 1) * perPage,
      });
      const summaries = await services.intelligence.campaignSummaries(ids);
      return reply.header('cache-control', 'no-store').page('workspace/views/campaigns.njk', {
        pageTitle: request.t('workspace.campaigns.title'),
        staff,
        campaigns: ids.flatMap((id) => summaries.filter((s) => s.id === id)),
        previousUrl: page > 1 ? `/staff/campaigns?page=${page - 1}` : null,
        nextUrl: page * perPage < total ? `/staff/campaigns?page=${page + 1}` : null,
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/staff/campaigns/:id',
    { config: intelligence },
    async (request, reply) => {
      const staff = staffOf(request);
      const id = /^[1-9]\d{0,12}$/.test(request.params.id) ? Number(request.params.id) : null;
      const campaign = id === null ? null : await services.intelligence.campaignFor(staff, id);
      if (campaign === null) return notFound(reply);
      if (campaign.summary.id !== id)
        return reply.code(301).redirect(`/staff/campaigns/${campaign.summary.id}?from=${id}`);
      const from = (request.query as Record<string, unknown>).from;
      const t = request.t;
      return reply.header('cache-control', 'no-store').page('workspace/views/campaign.njk', {
        pageTitle: t('workspace.campaigns.campaign', { id: campaign.summary.id }),
        staff,
        campaign,
        // A unit's officers ask partners to act from a campaign holding some of their unit's reports.
        canRaiseDisruption:
          canWorkCases(staff) && campaign.reports.some((r) => r.unit !== null && r.unit === staff.unitId),
        mergedFrom: typeof from === 'string' && /^\d{1,13}$/.test(from) ? from : null,
        graph: linkGraphSvg(
          campaign.reports.map((r) => ({ label: `R${r.node + 1}` })),
          campaign.sharedIndicators.map((indicator, i) => ({
            label: `I${i + 1}`,
            reports: indicator.reports,
          })),
          t('workspace.campaigns.graphTitle', { id: campaign.summary.id }),
          t('workspace.campaigns.graphDesc', {
            reports: campaign.reports.length,
            indicators: campaign.sharedIndicators.length,
          }),
          'campaign-graph',
        ),
      });
    },
  );

  app.post<{ Params: { reference: string; action: string }; Body: Record<string, unknown> }>(
    '/staff/reports/:reference/:action',
    { config: anyStaff },
    async (request, reply) => {
      const staff = staffOf(request);
      const { reference, action } = request.params;
      const page = reportPath(reference);
      let next: string | null = `${page}?done=${action}`;
      // A refused form goes back to its own page (an action's page, or the indicators tab), with its problems.
      const formPage = actionFormPath(reference, action);
      // What the form typed, kept for the page it goes back to if something is wrong.
      const values = Object.fromEntries(
        ['status', 'outcome', 'text', 'category', 'reason', 'tlp', 'officer', 'unit'].map((name) => [
          name,
          text(request.body, name, name === 'text' ? 5000 : 2000),
        ]),
      );
      const fail = (problem: FormProblem) => failForm(request, reply, formPage, [problem], values);
      try {
        if (action === 'status') {
          const status = text(request.body, 'status');
          if (!isStatus(status)) return await fail({ field: 'status', key: 'status' });
          await services.casework.setStatus(staff, reference, status, text(request.body, 'outcome') || null);
        } else if (action === 'note' || action === 'message') {
          const message = text(request.body, 'text', 5000);
          if (message === '') return await fail({ field: `${action}-text`, key: action });
          await services.casework.addUpdate(staff, reference, message, action === 'message');
        } else if (action === 'category') {
          // Checked by the service, as for the command line; a report not this person's is not found.
          await services.recategorise.recategorise(staff, reference, {
            category: text(request.body, 'category', 60),
            reason: text(request.body, 'reason'),
          });
        } else if (action === 'tlp') {
          await services.casework.setTlp(staff, reference, text(request.body, 'tlp', 10));
          next = `${reportPath(reference, 'indicators')}?done=tlp`;
        } else if ((INDICATOR_SHARING_ACTIONS as readonly string[]).includes(action)) {
          await services.casework.setIndicatorSharing(
            staff,
            reference,
            { type: text(request.body, 'type', 20), value: text(request.body, 'value', 2048) },
            action as IndicatorSharingAction,
          );
          next = `${reportPath(reference, 'indicators')}?done=${action}`;
        } else if (action === 'allocate') {
          await services.casework.allocate(staff, reference, text(request.body, 'officer', 320));
        } else if (action === 'transfer') {
          const reason = text(request.body, 'reason');
          if (reason === '') return await fail({ field: 'reason', key: 'reason' });
          await services.casework.transfer(staff, reference, text(request.body, 'unit', 60), reason);
          // Transferred away: the report is no longer this unit's to see.
          next = '/staff?transferred=1';
        } else {
          next = null;
        }
      } catch (error) {
        // The service's refusal, on the input it names (an indicator's is on the list of indicators).
        const form = ACTION_INPUTS[action] ?? 'indicators';
        const problem = serviceProblem(error, form, {
          ...Object.fromEntries(Object.keys(values).map((name) => [name, name])),
          value: 'indicators',
          // The category form's reason has its own input (the transfer form has `reason`).
          ...(action === 'category' ? { reason: 'category-reason' } : {}),
        });
        if (problem === 'not-found') return notFound(reply);
        return fail(problem);
      }
      return next === null ? notFound(reply) : reply.code(303).redirect(next);
    },
  );
}
