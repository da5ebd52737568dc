import { describe, expect, it } from 'vitest';
import type { StaffMember } from '../../../domain/access/access-policy.ts';
import { otherTools, primaryNav } from './workspace-nav.ts';

const supervisor: StaffMember = {
  email: 's@x',
  role: 'force-supervisor',
  forceId: 'cumbria',
  unitId: 'cumbria-cyber',
};
const admin: StaffMember = { email: 'a@x', role: 'admin', forceId: null, unitId: null };
const current = (staff: StaffMember, path: string) =>
  primaryNav(staff, path)
    .filter((l) => l.active)
    .map((l) => l.href);

describe('the workspace navigation', () => {
  it('marks the one item a page belongs to: a report is worked from the queue', () => {
    expect(current(supervisor, '/staff')).toEqual(['/staff']);
    expect(current(supervisor, '/staff/reports/CYB-7Q2M-XK4P-3/history')).toEqual(['/staff']);
    expect(current(supervisor, '/staff/cases/C-1/custody')).toEqual(['/staff/cases']);
    expect(current(supervisor, '/staff/campaigns/3')).toEqual(['/staff/campaigns']);
    // Not the queue for every page under /staff: the account page belongs to no item.
    expect(current(supervisor, '/staff/account')).toEqual([]);
  });

  it('offers Admin to administrators only, and lists the other tools once', () => {
    expect(primaryNav(admin, '/staff').map((l) => l.href)).toContain('/staff/admin');
    expect(primaryNav(supervisor, '/staff').map((l) => l.href)).not.toContain('/staff/admin');
    const primary = primaryNav(supervisor, '/staff').map((l) => l.href);
    for (const tool of otherTools(supervisor)) expect(primary).not.toContain(tool.href);
  });
});
