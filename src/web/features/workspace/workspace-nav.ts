import { areasOf, type StaffArea, type StaffMember } from '../../../domain/access/access-policy.ts';

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

/** The links for this person, from the access policy's areas: templates render them and decide nothing. */
export function workspaceNav(staff: StaffMember): { href: string; key: string }[] {
  const areas = areasOf(staff);
  return WORKSPACE_LINKS.filter((link) => areas.includes(link.area)).map(({ href, key }) => ({ href, key }));
}
