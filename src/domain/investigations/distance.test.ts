import { describe, expect, it } from 'vitest';
import { eventsNear, metresBetween } from './distance.ts';

describe('distances for call data records', () => {
  it('measures a known distance: one minute of latitude is a nautical mile', () => {
    expect(metresBetween(54, -3, 54 + 1 / 60, -3)).toBeCloseTo(1853, -1);
    expect(metresBetween(54.89, -2.93, 54.89, -2.93)).toBe(0);
  });

  it('keeps the events inside the radius, and none without a position', () => {
    const events = [
      { id: 1, lat: 54.8925, lon: -2.9329 },
      { id: 2, lat: 54.5, lon: -3.5 },
      { id: 3, lat: null, lon: null },
    ];
    expect(eventsNear(events, { lat: 54.8931, lon: -2.934, radiusM: 500 }).map((e) => e.id)).toEqual([1]);
  });
});
