import { isCategory } from '../../../domain/classification/taxonomy.ts';
import type { ReferenceData } from '../../../reference-data/reference-data.ts';
import { GROUP_BY, type GroupBy, type StatisticsQuery } from '../../../services/statistics.ts';
import type { ProblemField } from '../../plugins/errors.ts';

const MAX_DAYS = 366 * 20;

function realDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');

/** Reads statistics parameters (API and public page alike); every problem is reported with its field. */
export function parseStatisticsParams(
  query: Record<string, unknown>,
  reference: ReferenceData,
  defaults: { groupBy: GroupBy[] },
): { ok: true; value: StatisticsQuery } | { ok: false; errors: ProblemField[] } {
  const errors: ProblemField[] = [];
  const str = (name: string) => (typeof query[name] === 'string' ? query[name].slice(0, 500) : undefined);
  const from = str('from') ?? '';
  const to = str('to') ?? '';
  if (!realDate(from)) errors.push({ name: 'from', message: 'must be a real date in the form YYYY-MM-DD' });
  if (!realDate(to)) errors.push({ name: 'to', message: 'must be a real date in the form YYYY-MM-DD' });
  if (realDate(from) && realDate(to)) {
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
    if (days < 0) errors.push({ name: 'to', message: 'must be the same as or after from' });
    else if (days > MAX_DAYS) errors.push({ name: 'to', message: 'must be within 20 years of from' });
  }
  const groupBy = str('group_by') === undefined ? defaults.groupBy : list(str('group_by'));
  const badGroups = groupBy.filter((g) => !(GROUP_BY as readonly string[]).includes(g));
  if (badGroups.length > 0)
    errors.push({
      name: 'group_by',
      message: `must be any of ${GROUP_BY.join(', ')} (comma-separated); got ${badGroups.join(', ')}`,
    });
  else if (new Set(groupBy).size !== groupBy.length)
    errors.push({ name: 'group_by', message: 'must not repeat a value' });
  const forces = str('force') === undefined ? undefined : list(str('force'));
  const unknownForces = (forces ?? []).filter((f) => reference.force(f) === undefined);
  if (forces?.length === 0 || unknownForces.length > 0)
    errors.push({ name: 'force', message: 'must be police force ids, like cumbria or metropolitan' });
  const categories = str('category') === undefined ? undefined : list(str('category'));
  if (categories?.length === 0 || (categories ?? []).some((c) => !isCategory(c))) {
    errors.push({
      name: 'category',
      message: 'must be category slugs from the taxonomy, like romance-fraud',
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { from, to, groupBy: groupBy as GroupBy[], forces, categories } };
}
