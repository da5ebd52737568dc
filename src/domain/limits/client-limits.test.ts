import { describe, expect, it } from 'vitest';
import { clientOf, windowOf } from './client-limits.ts';

describe('clientOf', () => {
  it('counts an IPv4 address as itself, however it arrives', () => {
    expect(clientOf('203.0.113.9')).toBe('203.0.113.9');
    expect(clientOf('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('counts IPv6 clients by their /64, so one connection cannot rotate through its addresses', () => {
    expect(clientOf('2001:db8:1:2::9')).toBe(clientOf('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    expect(clientOf('2001:db8:1:2::9')).not.toBe(clientOf('2001:db8:1:3::9'));
  });
});

describe('windowOf', () => {
  it('gives fixed windows aligned to the clock', () => {
    const window = windowOf(new Date('2026-12-03T10:16:30Z'), 15);
    expect(window.start.toISOString()).toBe('2026-12-03T10:15:00.000Z');
    expect(window.end.toISOString()).toBe('2026-12-03T10:30:00.000Z');
  });
});
