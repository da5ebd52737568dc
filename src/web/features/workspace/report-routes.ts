import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canAllocate } from '../../../domain/access/access-policy.ts';
import { OUTCOMES, SETTABLE, isOverdue, isStatus } from '../../../domain/casework/status.ts';
import { CATEGORIES, isCategory } from '../../../domain/classification/taxonomy.ts';
import { TLPS } from '../../../domain/sharing/tlp.ts';
import { valueKey } from '../../../services/feeds/index.ts';
import type { Services } from '../../../services/index.ts';
import { failForm, formMessages, keepValues, type FormProblem } from '../../plugins/form-errors.ts';
import { staffOf } from '../../plugins/staff-gate.ts';
import { routingFactWords } from './routing-words.ts';

/**
 * One report in the workspace, one task per page: the tabs (overview, evidence, indicators, history, actions) and
 * each action's own page. The forms post to the routes of workspace-routes.ts (`/staff/reports/{reference}/{action}`),
 * which make the change; those that change what others rely on (transfer, status, type of crime, release to
 * industry) first post here, to `/check/{action}`, which shows the answers and changes nothing.
 */
export const REPORT_TABS = ['overview', 'evidence', 'indicators', 'history', 'actions'] as const;
export type ReportTab = (typeof REPORT_TABS)[number];
/** Each action's own page, in the order the actions tab lists them. */
export const REPORT_ACTIONS = ['message', 'note', 'status', 'allocate', 'category', 'transfer'] as const;
export type ReportAction = (typeof REPORT_ACTIONS)[number];
/** Actions with a check-answers step before the change. */
export const CHECKED_ACTIONS = ['transfer', 'status', 'category', 'release-to-partners'] as const;
type CheckedAction = (typeof CHECKED_ACTIONS)[number];

export const reportPath = (reference: string, tab: ReportTab = 'overview') =>
  `/staff/reports/${encodeURIComponent(reference)}${tab === 'overview' ? '' : `/${tab}`}`;
export const actionPath = (reference: string, action: string) =>
  `/staff/reports/${encodeURIComponent(reference)}/actions/${action}`;
/** Where a failed action's form goes back to: its own page (indicator actions and TLP: the indicators tab). */
export const actionFormPath = (reference: string, action: string) =>
  (REPORT_ACTIONS as readonly string[]).includes(action)
    ? actionPath(reference, action)
    : reportPath(reference, 'indicators');

const text = (body: Record<string, unknown>, name: string, max = 2000) => {
  const value = body[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
};
const notFound = (reply: FastifyReply) => {
  reply.callNotFound();
  return reply;
};
const isTab = (tab: string): tab is ReportTab => (REPORT_TABS as readonly string[]).includes(tab);
const isAction = (action: string): action is ReportAction =>
  (REPORT_ACTIONS as readonly string[]).includes(action);
const isChecked = (action: string): action is CheckedAction =>
  (CHECKED_ACTIONS as readonly string[]).includes(action);

export function reportRoutes(app: FastifyInstance, services: Services): void {
  const anyStaff = { staff: { allow: 'any-staff' } } as const;

  /** The report as this person may read it (the read is audited by the service), and what every tab shows. */
  async function load(request: FastifyRequest<{ Params: { reference: string } }>, tab: string) {
    const staff = staffOf(request);
    const report = await services.staff.readReport(staff, request.params.reference, `workspace ${tab}`);
    if (report === null) return null;
    return {
      staff,
      report,
      badges: {
        urgent: report.urgent,
        vulnerable: report.vulnerable,
        overdue: isOverdue(report.status, report.receivedAt, new Date(), services.config.firstContactDays),
        restricted: report.tlp === 'red',
      },
      unit: report.routing.unit === null ? undefined : services.reference.unit(report.routing.unit),
      tabs: REPORT_TABS,
      // One list of the actions this person may take: the identity bar's button menu and the actions tab.
      actions: REPORT_ACTIONS.filter((a) => a !== 'allocate' || canAllocate(staff)).map((id) => ({
        id,
        href: actionPath(report.reference, id),
      })),
    };
  }

  async function indicatorsOf(reference: string) {
    const reportId = await services.intelligence.reportIdOf(reference);
    const indicators = reportId === null ? [] : await services.intelligence.forReport(reportId);
    // Values only intelligence-only or anonymous reports name wait for a release to partners.
    const awaiting = await services.sharing.awaitingRelease(indicators.map((i) => i.id));
    // "Known to <feed> since …": live values of external feeds naming the same indicator.
    const known = await services.feeds.knownTo(indicators);
    return {
      reportId,
      indicators: indicators.map((i) => ({
        ...i,
        awaitingRelease: awaiting.has(i.id),
        knownTo: known.get(valueKey(i)) ?? [],
      })),
    };
  }

  const page = (reply: FastifyReply, template: string, data: Record<string, unknown>) =>
    reply.header('cache-control', 'no-store').page(`workspace/views/${template}`, data);

  app.get<{ Params: { reference: string } }>(
    '/staff/reports/:reference',
    { config: anyStaff },
    async (request, reply) => {
      const shown = await load(request, 'view');
      if (shown === null) return notFound(reply);
      const reportId = await services.intelligence.reportIdOf(shown.report.reference);
      return page(reply, 'report.njk', {
        ...shown,
        tab: 'overview',
        routingFacts: routingFactWords(request, services.reference, shown.report.routing.facts),
        pageTitle: shown.report.reference,
        referral: reportId === null ? null : ((await services.referrals.forReport(reportId)) ?? null),
        done: (request.query as Record<string, unknown>).done,
      });
    },
  );

  app.get<{ Params: { reference: string; tab: string } }>(
    '/staff/reports/:reference/:tab',
    { config: anyStaff },
    async (request, reply) => {
      const { tab } = request.params;
      if (!isTab(tab) || tab === 'overview') return notFound(reply);
      const shown = await load(request, tab);
      if (shown === null) return notFound(reply);
      const title = request.t(`workspace.tabs.${tab}`);
      const data: Record<string, unknown> = {
        ...shown,
        tab,
        pageTitle: `${title} – ${shown.report.reference}`,
        done: (request.query as Record<string, unknown>).done,
      };
      if (tab === 'indicators') {
        const { reportId, indicators } = await indicatorsOf(shown.report.reference);
        Object.assign(data, {
          indicators,
          linked: reportId === null ? null : await services.intelligence.linkedCounts(reportId),
          tlps: TLPS,
          ...(await formMessages(
            request,
            reportPath(shown.report.reference, 'indicators'),
            'workspace.errors',
          )),
        });
      }
      return page(reply, `report-${tab}.njk`, data);
    },
  );

  app.get<{ Params: { reference: string; action: string } }>(
    '/staff/reports/:reference/actions/:action',
    { config: anyStaff },
    async (request, reply) => {
      const { action } = request.params;
      if (!isAction(action)) return notFound(reply);
      const shown = await load(request, `action ${action}`);
      if (shown === null) return notFound(reply);
      const reference = shown.report.reference;
      return page(reply, 'report-action.njk', {
        ...shown,
        tab: 'actions',
        action,
        pageTitle: `${request.t(`workspace.actions.${action}.title`)} – ${reference}`,
        settable: SETTABLE,
        outcomes: OUTCOMES,
        categories: Object.keys(CATEGORIES),
        units: services.reference.units.filter((u) => u.id !== shown.report.routing.unit),
        colleagues:
          action === 'allocate' && canAllocate(shown.staff)
            ? await services.staff.colleagues(shown.staff)
            : [],
        checked: isChecked(action),
        ...(await formMessages(request, actionPath(reference, action), 'workspace.errors')),
      });
    },
  );

  /** Check your answers: what the change will be, nothing changed yet; confirming posts to the action's route. */
  app.post<{ Params: { reference: string; action: string }; Body: Record<string, unknown> }>(
    '/staff/reports/:reference/check/:action',
    { config: anyStaff },
    async (request, reply) => {
      const { action } = request.params;
      if (!isChecked(action)) return notFound(reply);
      const shown = await load(request, `check ${action}`);
      if (shown === null) return notFound(reply);
      const reference = shown.report.reference;
      const names = ['status', 'outcome', 'category', 'reason', 'unit', 'type', 'value'];
      const values = Object.fromEntries(names.map((name) => [name, text(request.body, name, 2048)]));
      const problems: FormProblem[] = [];
      if (action === 'transfer') {
        if (services.reference.unit(values.unit ?? '') === undefined)
          problems.push({ field: 'unit', key: 'unit' });
        if (values.reason === '') problems.push({ field: 'reason', key: 'reason' });
      } else if (action === 'status') {
        if (!isStatus(values.status)) problems.push({ field: 'status', key: 'status' });
        else if (values.status === 'closed' && values.outcome === '')
          problems.push({ field: 'outcome', key: 'outcome' });
      } else if (action === 'category') {
        if (!isCategory(values.category)) problems.push({ field: 'category', key: 'category' });
        if (values.reason === '') problems.push({ field: 'category-reason', key: 'categoryReason' });
      }
      if (problems.length > 0)
        return failForm(request, reply, actionFormPath(reference, action), problems, values);
      // "Change" goes back to the form with these answers in it.
      if (isAction(action)) await keepValues(request, actionPath(reference, action), values);
      const unit = action === 'transfer' ? services.reference.unit(values.unit ?? '') : undefined;
      return page(reply, 'report-check.njk', {
        ...shown,
        tab: action === 'release-to-partners' ? 'indicators' : 'actions',
        action,
        values,
        toUnit: unit,
        pageTitle: `${request.t('workspace.check.title')} – ${reference}`,
        backHref: actionFormPath(reference, action),
      });
    },
  );
}
