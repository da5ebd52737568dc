import { describe, expect, it } from 'vitest';
import { capUse, committedPence, minutesOfHours, nextTaskingStatus } from './suppliers.ts';

describe('supplier tasking rules', () => {
  it('reads hours as whole quarter hours from a quarter to 24', () => {
    const read = ['7.5', '0.25', '24', '1', '7.50', '0.2', '0', '24.25', '7,5', '-1', '', '1e1', '3.333'].map(
      minutesOfHours,
    );
    expect(read).toEqual([450, 15, 1440, 60, 450, null, null, null, null, null, null, null, null]);
  });

  it('warns from 80% of the cap and stops at it', () => {
    expect([0, 79_999, 80_000, 99_999, 100_000, 120_000].map((pence) => capUse(pence, 100_000))).toEqual([
      null,
      null,
      'near',
      'near',
      'reached',
      'reached',
    ]);
  });

  it('returns a tasking only while it awaits approval, and a returned one takes nothing from the budget', () => {
    expect(nextTaskingStatus('awaiting-approval', 'return')).toBe('returned');
    expect(nextTaskingStatus('approved', 'return')).toBeNull();
    expect(nextTaskingStatus('returned', 'approve')).toBeNull();
    expect(nextTaskingStatus('returned', 'resubmit')).toBe('awaiting-approval');
    expect(nextTaskingStatus('returned', 'cancel')).toBe('cancelled');
    expect(nextTaskingStatus('accepted', 'log-time')).toBe('accepted');
    expect(nextTaskingStatus('delivered', 'log-time')).toBeNull();
    expect(committedPence({ status: 'returned', budgetCapPence: 5000, costPence: null })).toBe(0);
    expect(committedPence({ status: 'approved', budgetCapPence: 5000, costPence: null })).toBe(5000);
  });
});
