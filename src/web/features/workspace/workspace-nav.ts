import {
  areasOf,
  canTakeReportsForCallers,
  type StaffArea,
  type StaffMember,
} from '../../../domain/access/access-policy.ts';

/**
 * The workspace's links, in the order shown, each to a page of one staff area: the area its route's gate allows
 * (workspace-nav.test.ts checks them against the gate), so a link is offered exactly to those the page admits.
 */
export const WORKSPACE_LINKS = [
  { href: '/staff/campaigns', key: 'workspace.queue.campaigns', area: 'intelligence' },
  { href: '/staff/admin', key: 'admin.link', area: 'administration' },
  { href: '/staff/release', key: 'workspace.release.link', area: 'partner-release' },
  { href: '/staff/classification-review', key: 'classificationReview.title', area: 'classification-review' },
  { href: '/staff/cases', key: 'cases.list.title', area: 'unit-work' },
  { href: '/staff/ask', key: 'askTheUnit.staff.title', area: 'unit-work' },
  { href: '/staff/protect', key: 'protect.link', area: 'unit-work' },
  { href: '/staff/disruption', key: 'disruption.staff.title', area: 'unit-work' },
  { href: '/staff/groups', key: 'groups.list.title', area: 'unit-work' },
  { href: '/staff/groups/new', key: 'groups.create.link', area: 'group-setup' },
  { href: '/staff/disruption/figures', key: 'disruption.staff.figuresLink', area: 'disruption-figures' },
  { href: '/staff/unit-figures', key: 'unitFigures.staff.link', area: 'unit-figures' },
  { href: '/staff/suppliers', key: 'suppliers.list.title', area: 'unit-work' },
  { href: '/staff/suppliers/figures', key: 'suppliers.figures.link', area: 'supplier-figures' },
  { href: '/staff/alerts', key: 'alerts.staff.title', area: 'alert-writing' },
  { href: '/staff/advice', key: 'adviceHub.staff.title', area: 'advice-editing' },
  { href: '/staff/incidents', key: 'incidents.staff.title', area: 'incidents' },
  { href: '/staff/prevent', key: 'prevent.staff.title', area: 'prevent-work' },
  { href: '/staff/prevent/refer', key: 'prevent.staffRefer.link', area: 'prevent-referring' },
  { href: '/staff/account', key: 'workspace.queue.account', area: 'any-staff' },
  { href: '/staff/password', key: 'account.password.link', area: 'any-staff' },
] as const satisfies readonly { href: string; key: string; area: StaffArea }[];

/**
 * The workspace header's primary navigation (MoJ primary navigation), in the order shown, each to a page of one
 * staff area, checked against the gate like WORKSPACE_LINKS. `under` are the other paths whose pages belong to the
 * item (a report is worked from the queue), for `aria-current`.
 */
export const PRIMARY_LINKS = [
  { href: '/staff', key: 'workspace.nav.queue', area: 'any-staff', under: ['/staff/reports/'] },
  { href: '/staff/adviser', key: 'workspace.nav.adviser', area: 'adviser-reporting', under: [] },
  { href: '/staff/cases', key: 'workspace.nav.cases', area: 'unit-work', under: [] },
  { href: '/staff/campaigns', key: 'workspace.nav.campaigns', area: 'intelligence', under: [] },
  {
    href: '/staff/release',
    key: 'workspace.nav.intelligence',
    area: 'partner-release',
    under: ['/staff/indicators/'],
  },
  { href: '/staff/ask', key: 'workspace.nav.ask', area: 'unit-work', under: [] },
  { href: '/staff/unit-figures', key: 'workspace.nav.figures', area: 'unit-figures', under: [] },
  { href: '/staff/admin', key: 'workspace.nav.admin', area: 'administration', under: [] },
] as const satisfies readonly { href: string; key: string; area: StaffArea; under: readonly string[] }[];

/** The links for this person, from the access policy's areas: templates render them and decide nothing. */
export function workspaceNav(staff: StaffMember): { href: string; key: string }[] {
  const areas = areasOf(staff);
  return WORKSPACE_LINKS.filter((link) => areas.includes(link.area)).map(({ href, key }) => ({ href, key }));
}

/** The tools not in the primary navigation (the queue page lists them). */
export function otherTools(staff: StaffMember): { href: string; key: string }[] {
  const primary = new Set<string>(primaryNav(staff, '').map((link) => link.href));
  return workspaceNav(staff).filter((link) => !primary.has(link.href));
}

/**
 * The primary navigation for this person on the page at `path`: call handlers have no queue (their home is the
 * adviser journey), so theirs starts there. The item whose page (or whose `under`) is the longest match is current;
 * the queue only on itself and a report's pages.
 */
export function primaryNav(
  staff: StaffMember,
  path: string,
): { href: string; key: string; active: boolean }[] {
  const areas = areasOf(staff);
  const links = PRIMARY_LINKS.filter(
    (link) => areas.includes(link.area) && !(link.href === '/staff' && canTakeReportsForCallers(staff)),
  );
  const score = (link: (typeof PRIMARY_LINKS)[number]) =>
    Math.max(
      path === link.href || (link.href !== '/staff' && path.startsWith(`${link.href}/`))
        ? link.href.length
        : -1,
      ...link.under.map((prefix) => (path.startsWith(prefix) ? prefix.length : -1)),
    );
  const best = Math.max(-1, ...links.map(score));
  return links.map((link) => ({ href: link.href, key: link.key, active: best >= 0 && score(link) === best }));
}
