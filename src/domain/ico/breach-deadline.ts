/**
 * The Information Commissioner's Office (ICO) deadline for reporting a personal data breach: a fixed number of
 * hours (72 under UK GDPR article 33) after the organisation became aware of it. The hours are elapsed time, so
 * the deadline is computed on UTC instants and only shown in UK local time (Europe/London), where a change of the
 * clocks in between makes the wall clock read an hour more or less than 72 hours later.
 */

export const UK_TIME_ZONE = 'Europe/London';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The 72-hour duty began with UK GDPR (the Data Protection Act 2018) on 25 May 2018. */
export const DUTY_START = { year: 2018, month: 5, day: 25 } as const;

/** A time as read from a clock in the UK. Months are 1–12. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const wallClockFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: UK_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
});

/** What a clock in the UK showed at an instant. */
export function ukWallClock(instant: Date): WallClock {
  const parts = new Map(wallClockFormat.formatToParts(instant).map((p) => [p.type, Number(p.value)]));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.get(type) ?? Number.NaN;
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
  };
}

const sameWallClock = (a: WallClock, b: WallClock) =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;

/**
 * The instant a UK wall-clock time names. UK time is UTC or UTC+1 (British Summer Time), so the instant is the
 * same reading in UTC or an hour before it. Null when the time never happened (the hour skipped when the clocks
 * go forward); when it happened twice (the hour repeated when they go back) the earlier instant, which gives the
 * earlier and so safer deadline.
 */
export function ukWallClockToInstant(time: WallClock): Date | null {
  const asUtc = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute);
  for (const candidate of [asUtc - HOUR, asUtc]) {
    if (sameWallClock(ukWallClock(new Date(candidate)), time)) return new Date(candidate);
  }
  return null;
}

export interface BreachDeadline {
  awareAt: Date;
  deadline: Date;
  /** Whole minutes from now to the deadline; zero or less once it has passed. */
  minutesLeft: number;
  passed: boolean;
}

/** The reporting deadline: exactly `hours` elapsed hours after becoming aware. */
export function breachDeadline(awareAt: Date, now: Date, hours = 72): BreachDeadline {
  const deadline = new Date(awareAt.getTime() + hours * HOUR);
  const minutesLeft = Math.floor((deadline.getTime() - now.getTime()) / MINUTE);
  return { awareAt, deadline, minutesLeft, passed: deadline.getTime() <= now.getTime() };
}

export type DisplayLanguage = 'en' | 'cy';

const dateFormats = new Map<DisplayLanguage, Intl.DateTimeFormat>();
function dateFormat(lng: DisplayLanguage): Intl.DateTimeFormat {
  let format = dateFormats.get(lng);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(lng === 'cy' ? 'cy-GB' : 'en-GB', {
      timeZone: UK_TIME_ZONE,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    });
    dateFormats.set(lng, format);
  }
  return format;
}

/** An instant in UK time, as GOV.UK writes it: date "Thursday 3 December 2026" and 24-hour time "14:30". */
export function formatUkDateTime(instant: Date, lng: DisplayLanguage): { date: string; time: string } {
  const parts = new Map(
    dateFormat(lng)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const date = (['weekday', 'day', 'month', 'year'] as const).map((type) => parts.get(type) ?? '').join(' ');
  const clock = ukWallClock(instant);
  const time = `${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}`;
  return { date, time };
}

/** "46 hours 30 minutes" / "46 awr 30 munud", with each language's plural forms from Intl. */
export function formatHoursAndMinutes(totalMinutes: number, lng: DisplayLanguage): string {
  const locale = lng === 'cy' ? 'cy-GB' : 'en-GB';
  const unit = (value: number, name: 'hour' | 'minute') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'long' }).format(value);
  const minutes = Math.max(0, totalMinutes);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return unit(rest, 'minute');
  return rest === 0 ? unit(hours, 'hour') : `${unit(hours, 'hour')} ${unit(rest, 'minute')}`;
}

export type AwarenessField = 'day' | 'month' | 'year' | 'hour' | 'minute';
export type AwarenessInput = Partial<Record<AwarenessField, string>>;

/** A problem with one answer: the field to link to, the message key, and every field to mark as wrong. */
export interface AwarenessError {
  field: AwarenessField;
  key: string;
  highlight: AwarenessField[];
}

export type AwarenessResult = { ok: true; awareAt: Date } | { ok: false; errors: AwarenessError[] };

const DATE_FIELDS = ['day', 'month', 'year'] as const;
const TIME_FIELDS = ['hour', 'minute'] as const;
const DIGITS = /^\d{1,4}$/;

function checkDate(input: Record<AwarenessField, string>): AwarenessError | null {
  const missing = DATE_FIELDS.filter((f) => input[f] === '');
  const first = missing[0];
  if (missing.length === 3) return { field: 'day', key: 'date.required', highlight: [...DATE_FIELDS] };
  if (first !== undefined)
    return { field: first, key: `date.missing.${missing.join('-')}`, highlight: [...missing] };
  if (!DATE_FIELDS.every((f) => DIGITS.test(input[f])))
    return { field: 'day', key: 'date.invalid', highlight: [...DATE_FIELDS] };
  if (input.year.length !== 4) return { field: 'year', key: 'date.yearDigits', highlight: ['year'] };
  const [year, month, day] = [Number(input.year), Number(input.month), Number(input.day)];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return { field: 'day', key: 'date.invalid', highlight: [...DATE_FIELDS] };
  if (date.getTime() < Date.UTC(DUTY_START.year, DUTY_START.month - 1, DUTY_START.day))
    return { field: 'day', key: 'date.beforeDuty', highlight: [...DATE_FIELDS] };
  return null;
}

function checkTime(input: Record<AwarenessField, string>): AwarenessError | null {
  const missing = TIME_FIELDS.filter((f) => input[f] === '');
  const first = missing[0];
  if (missing.length === 2) return { field: 'hour', key: 'time.required', highlight: [...TIME_FIELDS] };
  if (first !== undefined) return { field: first, key: `time.missing.${first}`, highlight: [first] };
  const [hour, minute] = [Number(input.hour), Number(input.minute)];
  if (!/^\d{1,2}$/.test(input.hour) || !/^\d{1,2}$/.test(input.minute) || hour > 23 || minute > 59)
    return { field: 'hour', key: 'time.invalid', highlight: [...TIME_FIELDS] };
  return null;
}

/**
 * Reads "when did you become aware" (a UK date and 24-hour time, as typed) into an instant, with GOV.UK-style
 * problems: missing parts, an impossible date or time, a time the clocks skipped, or a time after `now`.
 */
export function readAwareness(raw: AwarenessInput, now: Date): AwarenessResult {
  const input = Object.fromEntries(
    [...DATE_FIELDS, ...TIME_FIELDS].map((f) => [f, (raw[f] ?? '').trim()]),
  ) as Record<AwarenessField, string>;
  const errors = [checkDate(input), checkTime(input)].filter((e): e is AwarenessError => e !== null);
  if (errors.length > 0) return { ok: false, errors };
  const time: WallClock = {
    year: Number(input.year),
    month: Number(input.month),
    day: Number(input.day),
    hour: Number(input.hour),
    minute: Number(input.minute),
  };
  const awareAt = ukWallClockToInstant(time);
  if (awareAt === null)
    return { ok: false, errors: [{ field: 'hour', key: 'time.skipped', highlight: [...TIME_FIELDS] }] };
  if (awareAt.getTime() > now.getTime()) {
    const today = ukWallClock(now);
    const dayNumber = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day);
    return dayNumber(time) > dayNumber(today)
      ? { ok: false, errors: [{ field: 'day', key: 'date.future', highlight: [...DATE_FIELDS] }] }
      : { ok: false, errors: [{ field: 'hour', key: 'time.future', highlight: [...TIME_FIELDS] }] };
  }
  return { ok: true, awareAt };
}
