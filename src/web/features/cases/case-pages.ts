/** What the case pages share: paths, the sub-navigation, who may use them and how refusals are shown. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { serviceProblem } from '../../plugins/form-errors.ts';
import { displayFormats, pageMessages } from './case-messages.ts';

export const TABS = ['overview', 'exhibits', 'tasks', 'custody', 'forensics'] as const;
export type Tab = (typeof TABS)[number];
export type CaseView = NonNullable<Awaited<ReturnType<Services['investigations']['readCase']>>>;
/** What a form on a case is checked against (no read row is written for it). */
export type CaseOfForm = NonNullable<Awaited<ReturnType<Services['investigations']['findCase']>>>;

export const casePath = (reference: string, tab: Tab = 'overview') =>
  `/staff/cases/${encodeURIComponent(reference)}${tab === 'overview' ? '' : `/${tab}`}`;
export const exhibitPath = (reference: string, exhibitId: number) =>
  `${casePath(reference, 'exhibits')}/${exhibitId}`;
export const idOf = (raw: string) => (/^[1-9]\d{0,12}$/.test(raw) ? Number(raw) : null);
export const notFound = (reply: FastifyReply) => {
  reply.callNotFound();
  return reply;
};

/** Case pages are for people who work a unit's cases (the staff gate: others get a 404, nobody signed in the sign-in page). */
export const unitWork = { staff: { allow: 'unit-work' } } as const;

/** The service's refusal as a problem on `field` (or the input `inputs` names for the field it blamed), or 'not-found'. */
export const refused = serviceProblem;

/**
 * What every page of a case shows: its identity bar (badges, and the button menu of its actions, each a link to its
 * form), sub-navigation (`current` tab), banner and form messages. `today` (YYYY-MM-DD) dates overdue tasks.
 */
export async function caseFrame(
  request: FastifyRequest,
  found: CaseView,
  current: Tab,
  path: string,
  today: string,
) {
  const open = found.status === 'open';
  const may = found.permissions.shareTransferClose;
  const actions: { id: string; tab: Tab; anchor: string; shown: boolean }[] = [
    { id: 'exhibit', tab: 'exhibits', anchor: 'add-exhibit', shown: true },
    { id: 'custody', tab: 'custody', anchor: 'add-custody', shown: found.exhibits.length > 0 },
    { id: 'task', tab: 'tasks', anchor: 'add-task', shown: true },
    { id: 'examination', tab: 'forensics', anchor: 'request-examination', shown: found.exhibits.length > 0 },
    { id: 'decision', tab: 'overview', anchor: 'record-decision', shown: true },
    { id: 'share', tab: 'overview', anchor: 'share', shown: may },
    { id: 'close', tab: 'overview', anchor: 'close', shown: open && may },
  ];
  return {
    found,
    badges: {
      urgent: found.reports.some((r) => r.urgent),
      vulnerable: found.reports.some((r) => r.vulnerable),
      overdue: found.tasks.some((task) => task.status !== 'done' && task.dueOn < today),
    },
    caseActions: actions
      .filter((a) => a.shown)
      .map((a) => ({ id: a.id, href: `${casePath(found.reference, a.tab)}?form=${a.anchor}#${a.anchor}` })),
    // The folded form the button menu asked for, shown open (no JavaScript needed).
    openForm: actions.find((a) => a.shown && a.anchor === (request.query as Record<string, unknown>).form)
      ?.anchor,
    tab: current,
    tabs: TABS.map((id) => ({ id, href: casePath(found.reference, id), current: id === current })),
    ...displayFormats(request.lng),
    ...(await pageMessages(request, path)),
  };
}
