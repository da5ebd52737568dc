import { isCategory } from '../../../domain/classification/taxonomy.ts';
import type { ReferenceData } from '../../../reference-data/reference-data.ts';
import {
  GROUP_BY,
  NOT_CRIMES,
  type GroupBy,
  type PublicStatisticsQuery,
} from '../../../services/statistics.ts';

/** The public page and CSV take whole months, one force and one type of crime: never days. */
export type PublicField = 'from' | 'to' | 'force' | 'category' | 'group_by';
export interface PublicParamError {
  field: PublicField;
  /** Key under statistics.errors.<field> in the locales. */
  code: 'missing' | 'invalid' | 'notEnded' | 'beforeFrom' | 'tooLong' | 'unknown';
}
/** What the form shows back: the month pickers' parts, the selected force and type. */
export interface PublicFormValues {
  fromMonth: string;
  fromYear: string;
  toMonth: string;
  toYear: string;
  force: string;
  category: string;
}

const MAX_MONTHS = 20 * 12;
export const DEFAULT_CSV_GROUP_BY: GroupBy[] = ['month', 'force', 'category'];

function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y ?? 0, (m ?? 1) - 1 + n, 1)).toISOString().slice(0, 7);
}
const monthsBetween = (from: string, to: string) =>
  (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5)) - Number(from.slice(5));

type MonthResult =
  { month: string; values: [string, string] } | { error: PublicParamError['code']; values: [string, string] };

/** A month from the picker's parts (`from-month`, `from-year`) or from `from=YYYY-MM` (links, the CSV). */
function readMonth(query: Record<string, unknown>, name: 'from' | 'to', fallback: string): MonthResult {
  const str = (key: string) => (typeof query[key] === 'string' ? query[key].trim().slice(0, 20) : undefined);
  const partMonth = str(`${name}-month`);
  const partYear = str(`${name}-year`);
  let monthText: string;
  let yearText: string;
  if (partMonth !== undefined || partYear !== undefined) {
    monthText = partMonth ?? '';
    yearText = partYear ?? '';
  } else {
    const whole = str(name);
    if (whole === undefined)
      return { month: fallback, values: [String(Number(fallback.slice(5))), fallback.slice(0, 4)] };
    const match = /^(\d{4})-(\d{2})$/.exec(whole);
    if (match === null) return { error: whole === '' ? 'missing' : 'invalid', values: ['', ''] };
    [, yearText = '', monthText = ''] = match;
  }
  const values: [string, string] = [monthText, yearText];
  if (monthText === '' && yearText === '') return { error: 'missing', values };
  if (!/^\d{1,2}$/.test(monthText) || !/^\d{4}$/.test(yearText)) return { error: 'invalid', values };
  const m = Number(monthText);
  if (m < 1 || m > 12 || Number(yearText) < 1900) return { error: 'invalid', values };
  return { month: `${yearText}-${String(m).padStart(2, '0')}`, values };
}

/**
 * Reads the public filters. `lastMonth` is the latest ended month (the default end; nothing later is published);
 * the default start is 11 months before it. `csv` also reads `group_by`.
 */
export function parsePublicStatisticsParams(
  query: Record<string, unknown>,
  reference: ReferenceData,
  lastMonth: string,
  csv: boolean,
):
  | { ok: true; value: PublicStatisticsQuery; groupBy: GroupBy[]; values: PublicFormValues }
  | { ok: false; errors: PublicParamError[]; values: PublicFormValues } {
  const errors: PublicParamError[] = [];
  const from = readMonth(query, 'from', addMonths(lastMonth, -11));
  const to = readMonth(query, 'to', lastMonth);
  if ('error' in from) errors.push({ field: 'from', code: from.error });
  else if (from.month > lastMonth) errors.push({ field: 'from', code: 'notEnded' });
  if ('error' in to) errors.push({ field: 'to', code: to.error });
  else if (to.month > lastMonth) errors.push({ field: 'to', code: 'notEnded' });
  else if ('month' in from && from.month <= lastMonth) {
    if (to.month < from.month) errors.push({ field: 'to', code: 'beforeFrom' });
    else if (monthsBetween(from.month, to.month) >= MAX_MONTHS) errors.push({ field: 'to', code: 'tooLong' });
  }
  const text = (key: string) => (typeof query[key] === 'string' ? query[key].trim().slice(0, 100) : '');
  const force = text('force');
  if (force !== '' && reference.force(force) === undefined) errors.push({ field: 'force', code: 'unknown' });
  const category = text('category');
  if (category !== '' && (!isCategory(category) || NOT_CRIMES.includes(category)))
    errors.push({ field: 'category', code: 'unknown' });
  let groupBy = DEFAULT_CSV_GROUP_BY;
  if (csv && typeof query.group_by === 'string') {
    groupBy = query.group_by
      .slice(0, 200)
      .split(',')
      .map((g) => g.trim())
      .filter((g) => g !== '') as GroupBy[];
    if (!groupBy.every((g) => GROUP_BY.includes(g)) || new Set(groupBy).size !== groupBy.length)
      errors.push({ field: 'group_by', code: 'invalid' });
  }
  const values: PublicFormValues = {
    fromMonth: from.values[0],
    fromYear: from.values[1],
    toMonth: to.values[0],
    toYear: to.values[1],
    force,
    category,
  };
  if (errors.length > 0 || !('month' in from) || !('month' in to)) return { ok: false, errors, values };
  return {
    ok: true,
    value: {
      fromMonth: from.month,
      toMonth: to.month,
      ...(force === '' ? {} : { force }),
      ...(category === '' ? {} : { category }),
    },
    groupBy,
    values,
  };
}
