import { describe, expect, it } from 'vitest';
import {
  breachDeadline,
  formatHoursAndMinutes,
  formatUkDateTime,
  readAwareness,
  ukWallClock,
  ukWallClockToInstant,
  type AwarenessInput,
} from './breach-deadline.ts';

const at = (iso: string) => new Date(iso);
const input = (date: string, time: string): AwarenessInput => {
  const [day = '', month = '', year = ''] = date.split(' ');
  const [hour = '', minute = ''] = time.split(':');
  return { day, month, year, hour, minute };
};
const NOW = at('2026-12-01T12:00:00Z');

describe('breachDeadline', () => {
  it('is exactly 72 hours after becoming aware', () => {
    const result = breachDeadline(at('2026-11-30T14:30:00Z'), NOW);
    expect(result.deadline.toISOString()).toBe('2026-12-03T14:30:00.000Z');
    expect(result.passed).toBe(false);
    expect(result.minutesLeft).toBe(2 * 24 * 60 + 150);
  });

  it('uses the number of hours it is given', () => {
    expect(breachDeadline(at('2026-11-30T00:00:00Z'), NOW, 24).deadline.toISOString()).toBe(
      '2026-12-01T00:00:00.000Z',
    );
  });

  it('has passed at the deadline itself and after it', () => {
    const aware = at('2026-11-28T12:00:00Z');
    expect(breachDeadline(aware, NOW)).toMatchObject({ passed: true, minutesLeft: 0 });
    expect(breachDeadline(aware, at('2026-12-01T13:30:00Z'))).toMatchObject({
      passed: true,
      minutesLeft: -90,
    });
    expect(breachDeadline(aware, at('2026-12-01T11:59:00Z'))).toMatchObject({
      passed: false,
      minutesLeft: 1,
    });
  });

  it('counts 72 elapsed hours across the clocks going forward (29 March 2026)', () => {
    // Saturday 28 March 2026 at 09:00 GMT is 09:00 UTC.
    const aware = ukWallClockToInstant({ year: 2026, month: 3, day: 28, hour: 9, minute: 0 });
    expect(aware?.toISOString()).toBe('2026-03-28T09:00:00.000Z');
    const { deadline } = breachDeadline(aware ?? new Date(Number.NaN), aware ?? new Date(Number.NaN));
    expect(deadline.toISOString()).toBe('2026-03-31T09:00:00.000Z');
    // In British Summer Time the clock reads 10:00: an hour later on the clock, but 72 hours later in fact.
    expect(formatUkDateTime(deadline, 'en')).toEqual({ date: 'Tuesday 31 March 2026', time: '10:00' });
    // Three days later at the same clock time would only be 71 hours.
    const sameClockTime = ukWallClockToInstant({ year: 2026, month: 3, day: 31, hour: 9, minute: 0 });
    expect(((sameClockTime?.getTime() ?? 0) - (aware?.getTime() ?? 0)) / 3_600_000).toBe(71);
  });

  it('counts 72 elapsed hours across the clocks going back (25 October 2026)', () => {
    // Saturday 24 October 2026 at 09:00 BST is 08:00 UTC.
    const aware = ukWallClockToInstant({ year: 2026, month: 10, day: 24, hour: 9, minute: 0 });
    expect(aware?.toISOString()).toBe('2026-10-24T08:00:00.000Z');
    const { deadline } = breachDeadline(aware ?? new Date(Number.NaN), aware ?? new Date(Number.NaN));
    expect(deadline.toISOString()).toBe('2026-10-27T08:00:00.000Z');
    // Back on GMT the clock reads 08:00: an hour earlier on the clock, 72 hours later in fact.
    expect(formatUkDateTime(deadline, 'en')).toEqual({ date: 'Tuesday 27 October 2026', time: '08:00' });
  });
});

describe('UK wall-clock time', () => {
  it('reads GMT in winter and BST in summer', () => {
    expect(ukWallClockToInstant({ year: 2026, month: 1, day: 15, hour: 14, minute: 30 })?.toISOString()).toBe(
      '2026-01-15T14:30:00.000Z',
    );
    expect(ukWallClockToInstant({ year: 2026, month: 7, day: 15, hour: 14, minute: 30 })?.toISOString()).toBe(
      '2026-07-15T13:30:00.000Z',
    );
    expect(ukWallClock(at('2026-07-15T23:30:00Z'))).toEqual({
      year: 2026,
      month: 7,
      day: 16,
      hour: 0,
      minute: 30,
    });
  });

  it('has no 01:00 to 01:59 on the day the clocks go forward', () => {
    expect(ukWallClockToInstant({ year: 2026, month: 3, day: 29, hour: 1, minute: 30 })).toBeNull();
    expect(ukWallClockToInstant({ year: 2026, month: 3, day: 29, hour: 0, minute: 59 })?.toISOString()).toBe(
      '2026-03-29T00:59:00.000Z',
    );
    expect(ukWallClockToInstant({ year: 2026, month: 3, day: 29, hour: 2, minute: 0 })?.toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
  });

  it('takes the earlier of the two 01:30s on the day the clocks go back (the safer deadline)', () => {
    expect(ukWallClockToInstant({ year: 2026, month: 10, day: 25, hour: 1, minute: 30 })?.toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });
});

describe('formatting in UK time', () => {
  it('writes the day name, date and 24-hour time in English and Welsh', () => {
    const deadline = at('2026-12-03T14:30:00Z');
    expect(formatUkDateTime(deadline, 'en')).toEqual({ date: 'Thursday 3 December 2026', time: '14:30' });
    expect(formatUkDateTime(deadline, 'cy')).toEqual({ date: 'Dydd Iau 3 Rhagfyr 2026', time: '14:30' });
    expect(formatUkDateTime(at('2026-06-01T23:05:00Z'), 'en')).toEqual({
      date: 'Tuesday 2 June 2026',
      time: '00:05',
    });
  });

  it('writes time left with each language’s plurals', () => {
    expect(formatHoursAndMinutes(46 * 60 + 30, 'en')).toBe('46 hours 30 minutes');
    expect(formatHoursAndMinutes(61, 'en')).toBe('1 hour 1 minute');
    expect(formatHoursAndMinutes(120, 'en')).toBe('2 hours');
    expect(formatHoursAndMinutes(5, 'en')).toBe('5 minutes');
    expect(formatHoursAndMinutes(46 * 60 + 30, 'cy')).toBe('46 awr 30 munud');
    expect(formatHoursAndMinutes(2, 'cy')).toBe('2 funud');
  });
});

describe('readAwareness', () => {
  it('reads a UK date and 24-hour time into an instant', () => {
    expect(readAwareness(input('30 11 2026', '14:30'), NOW)).toEqual({
      ok: true,
      awareAt: at('2026-11-30T14:30:00Z'),
    });
    const spaced = { day: ' 1 ', month: '07', year: '2026 ', hour: '9', minute: ' 05' };
    expect(readAwareness(spaced, NOW)).toEqual({
      ok: true,
      awareAt: at('2026-07-01T08:05:00Z'),
    });
  });

  it.each([
    [
      '',
      '',
      [
        ['day', 'date.required'],
        ['hour', 'time.required'],
      ],
    ],
    ['1  2026', '14:30', [['month', 'date.missing.month']]],
    [' 11 ', '14:30', [['day', 'date.missing.day-year']]],
    ['31 2 2026', '14:30', [['day', 'date.invalid']]],
    ['a 2 2026', '14:30', [['day', 'date.invalid']]],
    ['1 2 26', '14:30', [['year', 'date.yearDigits']]],
    ['1 5 2018', '14:30', [['day', 'date.beforeDuty']]],
    ['2 12 2026', '10:00', [['day', 'date.future']]],
    ['1 12 2026', '12:01', [['hour', 'time.future']]],
    ['1 12 2026', ':30', [['hour', 'time.missing.hour']]],
    ['1 12 2026', '11:', [['minute', 'time.missing.minute']]],
    ['1 12 2026', '24:00', [['hour', 'time.invalid']]],
    ['1 12 2026', '9:60', [['hour', 'time.invalid']]],
    ['29 3 2026', '01:30', [['hour', 'time.skipped']]],
  ])('%j at %j is a problem', (date, time, expected) => {
    const result = readAwareness(input(date, time), NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => [e.field, e.key])).toEqual(expected);
  });

  it('marks only the missing parts of a date as wrong', () => {
    const result = readAwareness(input(' 11 ', '14:30'), NOW);
    expect(result.ok ? [] : result.errors[0]?.highlight).toEqual(['day', 'year']);
  });

  it('accepts the present moment', () => {
    expect(readAwareness(input('1 12 2026', '12:00'), NOW)).toEqual({ ok: true, awareAt: NOW });
  });
});
