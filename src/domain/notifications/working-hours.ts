/**
 * When units work, in one place: urgent items outside these hours also go to a unit's out-of-hours contact, and
 * the daily digest goes at a fixed hour. Everything is UK local time (Europe/London), summer time included.
 */
export const WORKING_HOURS = {
  timeZone: 'Europe/London',
  /** Monday to Friday (ISO weekday numbers), except the unit's bank holidays (domain/notifications/bank-holidays.ts). */
  weekdays: [1, 2, 3, 4, 5] as readonly number[],
  /** From 08:00 until 18:00. */
  startHour: 8,
  endHour: 18,
} as const;

/** The daily digest of non-urgent items goes at 07:00 UK time, before the working day starts. */
export const DIGEST_HOUR = 7;

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

const londonFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: WORKING_HOURS.timeZone,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  weekday: 'short',
});

interface LocalTime {
  /** YYYY-MM-DD */
  day: string;
  hour: number;
  weekday: number;
  /** The wall-clock time read as if it were UTC, in milliseconds: its difference from the instant is the offset. */
  asUtc: number;
}

/** The UK wall-clock time of an instant. */
export function ukTime(at: Date): LocalTime {
  const parts = Object.fromEntries(londonFormat.formatToParts(at).map((p) => [p.type, p.value]));
  const n = (type: string) => Number(parts[type]);
  return {
    day: `${parts.year ?? ''}-${parts.month ?? ''}-${parts.day ?? ''}`,
    hour: n('hour'),
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
    asUtc: Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')),
  };
}

const NO_HOLIDAYS: ReadonlySet<string> = new Set();

/**
 * True outside Monday to Friday 08:00–18:00 UK time, and all day on a bank holiday: `bankHolidays` holds the UK
 * days (YYYY-MM-DD) of the list the unit works (its force's nation's).
 */
export function isOutOfHours(at: Date, bankHolidays: ReadonlySet<string> = NO_HOLIDAYS): boolean {
  const local = ukTime(at);
  return (
    bankHolidays.has(local.day) ||
    !WORKING_HOURS.weekdays.includes(local.weekday) ||
    local.hour < WORKING_HOURS.startHour ||
    local.hour >= WORKING_HOURS.endHour
  );
}

/** The instant a UK day (YYYY-MM-DD) reaches a whole hour. Not for the hour the clocks change (01:00–02:00). */
export function ukHourOf(day: string, hour: number): Date {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d, hour);
  // The offset is 0 (GMT) or one hour (BST); read it at the guess, then once more at the answer.
  const offset = (at: number) => ukTime(new Date(at)).asUtc - at;
  const first = guess - offset(guess);
  return new Date(guess - offset(first));
}

/** The UK day before `day`. */
function dayBefore(day: string): string {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

export interface DigestWindow {
  /** The UK day the digest is for (YYYY-MM-DD): one digest per person per day. */
  day: string;
  /** Items recorded from the previous day's digest hour (inclusive) to this day's (exclusive). */
  from: Date;
  to: Date;
}

/** The digest window of a UK day. */
export function digestWindow(day: string): DigestWindow {
  return { day, from: ukHourOf(dayBefore(day), DIGEST_HOUR), to: ukHourOf(day, DIGEST_HOUR) };
}

/** Today's digest once its hour has come (null before it): a worker started late still sends that day's. */
export function digestDue(now: Date): DigestWindow | null {
  const local = ukTime(now);
  return local.hour >= DIGEST_HOUR ? digestWindow(local.day) : null;
}
