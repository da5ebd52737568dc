/**
 * Unit figures (issue 24): a unit's work by month, exact for staff and protected for the public. Pure: the counts
 * and the examinations' dates come in, the table goes out.
 */
import { publishedCount, publishedMedian, type PublishedFigure } from './disclosure-control.ts';

/** The counts of one month (or of the whole range), in the order the pages and the API show them. */
export const UNIT_MEASURES = [
  'reports',
  'casesOpened',
  'casesClosed',
  'forensicRequested',
  'forensicCompleted',
  'forensicBacklog',
  'engagements',
  'peopleReached',
  'preventReferrals',
  'alertsPublished',
] as const;
export type UnitMeasure = (typeof UNIT_MEASURES)[number];

/** What the repository counts, by the names above (backlog is worked out from the examinations' dates). */
const COUNTED: Record<string, UnitMeasure> = {
  reports: 'reports',
  'cases-opened': 'casesOpened',
  'cases-closed': 'casesClosed',
  'forensic-requested': 'forensicRequested',
  'forensic-completed': 'forensicCompleted',
  engagements: 'engagements',
  'people-reached': 'peopleReached',
  'prevent-referrals': 'preventReferrals',
  'alerts-published': 'alertsPublished',
};

export type UnitMonth<V> = { month: string } & Record<UnitMeasure, V> & {
    /** Closed cases by outcome. */
    outcomes: Record<string, V>;
    /** Median days from request to completion of the examinations completed in the month. */
    forensicMedianDays: number | null;
  };

export interface UnitFigures<V> {
  unitId: string;
  from: string;
  to: string;
  months: UnitMonth<V>[];
  /** The range as a whole: sums of the months, the backlog at its end, the median over it. */
  total: Omit<UnitMonth<V>, 'month'>;
}

export type ExactUnitFigures = UnitFigures<number>;
export type PublishedUnitFigures = UnitFigures<PublishedFigure['reports']>;

export interface CountRow {
  measure: string;
  month: string;
  detail: string;
  n: number;
}

export interface Examination {
  requested_at: string;
  completed_at: string | null;
  status: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The month after `month` (YYYY-MM). */
export function nextMonth(month: string): string {
  const [y = 0, m = 0] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from; m <= to; m = nextMonth(m)) months.push(m);
  return months;
}

/** The month `count` months before `to` (YYYY-MM). */
export function monthsBack(to: string, count: number): string {
  const [y = 0, m = 0] = to.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 - count, 1)).toISOString().slice(0, 7);
}

export interface MonthRangeProblem {
  field: 'from' | 'to';
  code: 'format' | 'order' | 'too-long' | 'too-late';
}

/**
 * Reads a range of whole months (YYYY-MM, both included): at most `maxMonths`, ending no later than `latest` (the
 * current month for staff, the last ended month for the public).
 */
export function parseMonthRange(
  from: unknown,
  to: unknown,
  limits: { latest: string; maxMonths: number },
): { ok: true; from: string; to: string } | { ok: false; problems: MonthRangeProblem[] } {
  const problems: MonthRangeProblem[] = [];
  const fromOk = typeof from === 'string' && MONTH.test(from);
  const toOk = typeof to === 'string' && MONTH.test(to);
  if (!fromOk) problems.push({ field: 'from', code: 'format' });
  if (!toOk) problems.push({ field: 'to', code: 'format' });
  if (!fromOk || !toOk) return { ok: false, problems };
  if (to < from) problems.push({ field: 'to', code: 'order' });
  else if (to > limits.latest) problems.push({ field: 'to', code: 'too-late' });
  else if (monthsBetween(from, to).length > limits.maxMonths)
    problems.push({ field: 'from', code: 'too-long' });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, from, to };
}

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const DAY_MS = 86_400_000;
const startOf = (month: string) => `${month}-01T00:00:00.000Z`;
const oneDecimal = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/** Days each examination completed in [from, to) took. */
const turnarounds = (examinations: readonly Examination[], from: string, to: string) =>
  examinations
    .filter(
      (e) =>
        e.status === 'complete' && e.completed_at !== null && e.completed_at >= from && e.completed_at < to,
    )
    .map((e) => (Date.parse(e.completed_at ?? '') - Date.parse(e.requested_at)) / DAY_MS);

/** Examinations requested before `at` and not finished by then. */
const backlogAt = (examinations: readonly Examination[], at: string) =>
  examinations.filter((e) => e.requested_at < at && (e.completed_at === null || e.completed_at >= at)).length;

/** The exact figures, every month of the range present (a month with no work is all zeros). */
export function unitFiguresOf(
  unitId: string,
  from: string,
  to: string,
  counts: readonly CountRow[],
  examinations: readonly Examination[],
): ExactUnitFigures {
  const months = monthsBetween(from, to).map((month): UnitMonth<number> => {
    const row = Object.fromEntries(UNIT_MEASURES.map((m) => [m, 0])) as Record<UnitMeasure, number>;
    const outcomes: Record<string, number> = {};
    for (const c of counts) {
      if (c.month !== month) continue;
      const measure = COUNTED[c.measure];
      if (measure === undefined) continue;
      row[measure] += c.n;
      if (measure === 'casesClosed' && c.detail !== '') outcomes[c.detail] = (outcomes[c.detail] ?? 0) + c.n;
    }
    const end = startOf(nextMonth(month));
    row.forensicBacklog = backlogAt(examinations, end);
    return {
      month,
      ...row,
      outcomes,
      forensicMedianDays: oneDecimal(median(turnarounds(examinations, startOf(month), end))),
    };
  });
  const total = Object.fromEntries(
    UNIT_MEASURES.map((m) => [m, months.reduce((sum, month) => sum + month[m], 0)]),
  ) as Record<UnitMeasure, number>;
  // A backlog is a level, not a flow: the range's is the one at its end.
  total.forensicBacklog = months.at(-1)?.forensicBacklog ?? 0;
  const outcomes: Record<string, number> = {};
  for (const month of months)
    for (const [outcome, n] of Object.entries(month.outcomes))
      outcomes[outcome] = (outcomes[outcome] ?? 0) + n;
  return {
    unitId,
    from,
    to,
    months,
    total: {
      ...total,
      outcomes,
      forensicMedianDays: oneDecimal(
        median(turnarounds(examinations, startOf(from), startOf(nextMonth(to)))),
      ),
    },
  };
}

/**
 * The public figures. The finest cells are one month × one measure (closed cases: × outcome; reports: × force ×
 * type × kind, the crime figures' own cell); each is protected as the crime figures' cells are
 * (domain/statistics/disclosure-control.ts), and every other figure (a month's reports or closed cases, an
 * outcome's or a measure's total) is added up from protected cells only, so no subtraction between figures of this
 * page undoes the protection. Reports are added up from the crime figures' cells so that, for a unit that receives
 * exactly its force's crimes, its reports are a function of the cells /statistics publishes: the force page and
 * the unit page together tell no more than either. `counts` are the rows the exact figures were made from (the
 * reports' cells are only in them). Medians are shown only for months of 10 or more completed examinations, in
 * whole days.
 */
export function publishUnitFigures(
  exact: ExactUnitFigures,
  counts: readonly CountRow[],
): PublishedUnitFigures {
  const outcomeNames = Object.keys(exact.total.outcomes);
  const reportCells = (month: string) =>
    counts.filter((c) => c.measure === 'reports' && c.month === month).map((c) => c.n);
  const cellsOf = (measure: UnitMeasure, months: readonly UnitMonth<number>[]): number[] =>
    measure === 'casesClosed'
      ? months.flatMap((m) => Object.values(m.outcomes))
      : measure === 'reports'
        ? months.flatMap((m) => reportCells(m.month))
        : months.map((m) => m[measure]);
  const publish = (months: readonly UnitMonth<number>[]) => ({
    ...(Object.fromEntries(UNIT_MEASURES.map((m) => [m, publishedCount(cellsOf(m, months))])) as Record<
      UnitMeasure,
      PublishedFigure['reports']
    >),
    outcomes: Object.fromEntries(
      outcomeNames.map((o) => [o, publishedCount(months.map((m) => m.outcomes[o] ?? 0))]),
    ),
  });
  return {
    unitId: exact.unitId,
    from: exact.from,
    to: exact.to,
    months: exact.months.map((m) => ({
      month: m.month,
      ...publish([m]),
      forensicMedianDays: publishedMedian(m.forensicCompleted, m.forensicMedianDays),
    })),
    total: {
      ...publish(exact.months),
      // The backlog at the range's end: the last month's cell, not a sum of levels.
      forensicBacklog: publishedCount(exact.months.slice(-1).map((m) => m.forensicBacklog)),
      forensicMedianDays: publishedMedian(exact.total.forensicCompleted, exact.total.forensicMedianDays),
    },
  };
}
