import { describe, expect, it } from 'vitest';
import { digestDue, digestWindow, isOutOfHours, ukHourOf } from './working-hours.ts';

describe('working hours (Europe/London)', () => {
  it('are Monday to Friday 08:00–18:00 UK time, in winter (GMT) and in summer (BST)', () => {
    // Tuesday 9 December 2025, GMT: UTC is UK time.
    expect(isOutOfHours(new Date('2025-12-09T07:59:59Z'))).toBe(true);
    expect(isOutOfHours(new Date('2025-12-09T08:00:00Z'))).toBe(false);
    expect(isOutOfHours(new Date('2025-12-09T17:59:59Z'))).toBe(false);
    expect(isOutOfHours(new Date('2025-12-09T18:00:00Z'))).toBe(true);
    // Tuesday 8 July 2025, BST: UK time is UTC + 1, so 07:30 UTC is 08:30 in the office.
    expect(isOutOfHours(new Date('2025-07-08T06:59:00Z'))).toBe(true);
    expect(isOutOfHours(new Date('2025-07-08T07:30:00Z'))).toBe(false);
    expect(isOutOfHours(new Date('2025-07-08T16:59:00Z'))).toBe(false);
    expect(isOutOfHours(new Date('2025-07-08T17:00:00Z'))).toBe(true);
  });

  it('count weekends as out of hours all day, by the UK date (not the UTC one)', () => {
    expect(isOutOfHours(new Date('2025-12-13T12:00:00Z'))).toBe(true); // Saturday
    expect(isOutOfHours(new Date('2025-12-14T12:00:00Z'))).toBe(true); // Sunday
    // Friday 23:30 UTC in summer is already Saturday 00:30 in the UK; Sunday 23:30 UTC is Monday 00:30.
    expect(isOutOfHours(new Date('2025-07-11T23:30:00Z'))).toBe(true);
    expect(isOutOfHours(new Date('2025-07-13T23:30:00Z'))).toBe(true);
    expect(isOutOfHours(new Date('2025-07-14T07:30:00Z'))).toBe(false); // Monday 08:30 BST
  });

  it('count the unit’s bank holidays as out of hours all day, by the UK date', () => {
    const holidays = new Set(['2025-08-25']);
    // Monday 25 August 2025, 10:00 BST: a working day's hour, but a bank holiday.
    expect(isOutOfHours(new Date('2025-08-25T09:00:00Z'))).toBe(false);
    expect(isOutOfHours(new Date('2025-08-25T09:00:00Z'), holidays)).toBe(true);
    // 23:30 UTC on the Sunday is already 00:30 on the holiday; 23:30 UTC on the holiday is Tuesday in the UK.
    expect(isOutOfHours(new Date('2025-08-24T23:30:00Z'), holidays)).toBe(true);
    expect(isOutOfHours(new Date('2025-08-26T07:30:00Z'), holidays)).toBe(false);
  });
});

describe('the daily digest', () => {
  it('is due from 07:00 UK time, for that UK day', () => {
    expect(digestDue(new Date('2025-12-09T06:59:59Z'))).toBeNull();
    expect(digestDue(new Date('2025-12-09T07:00:00Z'))?.day).toBe('2025-12-09');
    expect(digestDue(new Date('2025-12-09T23:59:00Z'))?.day).toBe('2025-12-09');
    // 05:59 UTC in summer is 06:59 in the UK: not yet; 06:00 UTC is 07:00.
    expect(digestDue(new Date('2025-07-08T05:59:00Z'))).toBeNull();
    expect(digestDue(new Date('2025-07-08T06:00:00Z'))?.day).toBe('2025-07-08');
    // 23:30 UTC on 7 July is 00:30 on 8 July in the UK: the 8th's is not due yet.
    expect(digestDue(new Date('2025-07-07T23:30:00Z'))).toBeNull();
    expect(digestDue(new Date('2025-12-09T23:30:00Z'))?.day).toBe('2025-12-09');
  });

  it('covers the 24 hours between one 07:00 and the next, and 23 or 25 across a change of the clocks', () => {
    expect(digestWindow('2025-12-09')).toEqual({
      day: '2025-12-09',
      from: new Date('2025-12-08T07:00:00Z'),
      to: new Date('2025-12-09T07:00:00Z'),
    });
    expect(digestWindow('2025-07-08').to).toEqual(new Date('2025-07-08T06:00:00Z'));
    // The clocks went forward on 30 March 2025 and back on 26 October 2025.
    const spring = digestWindow('2025-03-31');
    expect(spring.from).toEqual(new Date('2025-03-30T06:00:00Z'));
    expect(spring.to).toEqual(new Date('2025-03-31T06:00:00Z'));
    const autumn = digestWindow('2025-10-26');
    expect(autumn.from).toEqual(new Date('2025-10-25T06:00:00Z'));
    expect(autumn.to).toEqual(new Date('2025-10-26T07:00:00Z'));
    // Each window starts where the day before ended: nothing falls between two digests.
    expect(digestWindow('2025-10-27').from).toEqual(autumn.to);
    expect(ukHourOf('2025-03-30', 7)).toEqual(new Date('2025-03-30T06:00:00Z'));
  });
});
