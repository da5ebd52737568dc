/**
 * A unit's work counted by month (issue 24): one query for every count (a UNION ALL of index ranges, one per
 * table, see migration 2026-12-11T100000-unit-figures), and one for the forensic examinations whose turnaround and
 * backlog are worked out from their dates.
 */
import { sql } from 'kysely';
import type { DbOrTrx } from '../database.ts';

/** The counts, each by month; `detail` is the case outcome for closed cases, '' otherwise. */
export const UNIT_COUNTS = [
  'reports',
  'cases-opened',
  'cases-closed',
  'forensic-requested',
  'forensic-completed',
  'engagements',
  'people-reached',
  'prevent-referrals',
  'alerts-published',
] as const;
export type UnitCount = (typeof UNIT_COUNTS)[number];

export interface UnitCountRow {
  measure: UnitCount;
  month: string;
  detail: string;
  n: number;
}

/** Timestamps from `from` (inclusive) to `to` (exclusive), both ISO instants at the start of a month. */
export interface UnitFigureRange {
  from: string;
  to: string;
}

const monthOf = (column: string) => sql<string>`substr(${sql.ref(column)}, 1, 7)`;
const measure = (name: UnitCount) => sql<string>`${sql.lit(name)}`;
const noDetail = sql<string>`${sql.lit('')}`;
const counted = sql<number | string>`count(*)`;

export async function countUnitFigures(
  q: DbOrTrx,
  unitId: string,
  range: UnitFigureRange,
): Promise<UnitCountRow[]> {
  const byCreated = (table: 'reports' | 'cases' | 'prevent_referrals', name: UnitCount) =>
    q
      .selectFrom(table)
      .select([
        measure(name).as('measure'),
        monthOf('created_at').as('month'),
        noDetail.as('detail'),
        counted.as('n'),
      ])
      .where('unit_id', '=', unitId)
      .where('created_at', '>=', range.from)
      .where('created_at', '<', range.to)
      .groupBy(monthOf('created_at'));
  // Engagements are dated by the day they were delivered (a date, YYYY-MM-DD).
  const days = { from: range.from.slice(0, 10), to: range.to.slice(0, 10) };
  const engagements = (name: UnitCount, value: typeof counted) =>
    q
      .selectFrom('protect_engagements')
      .select([
        measure(name).as('measure'),
        monthOf('delivered_on').as('month'),
        noDetail.as('detail'),
        value.as('n'),
      ])
      .where('unit_id', '=', unitId)
      .where('delivered_on', '>=', days.from)
      .where('delivered_on', '<', days.to)
      .groupBy(monthOf('delivered_on'));
  const parts = [
    byCreated('reports', 'reports'),
    byCreated('cases', 'cases-opened'),
    q
      .selectFrom('case_decisions')
      .innerJoin('cases', 'cases.id', 'case_decisions.case_id')
      .select([
        measure('cases-closed').as('measure'),
        monthOf('case_decisions.at').as('month'),
        sql<string>`coalesce(case_decisions.subject, '')`.as('detail'),
        counted.as('n'),
      ])
      .where('case_decisions.code', '=', 'closed')
      .where('case_decisions.at', '>=', range.from)
      .where('case_decisions.at', '<', range.to)
      .where('cases.unit_id', '=', unitId)
      .groupBy([monthOf('case_decisions.at'), 'case_decisions.subject']),
    q
      .selectFrom('forensic_requests')
      .select([
        measure('forensic-requested').as('measure'),
        monthOf('requested_at').as('month'),
        noDetail.as('detail'),
        counted.as('n'),
      ])
      .where('unit_id', '=', unitId)
      .where('requested_at', '>=', range.from)
      .where('requested_at', '<', range.to)
      .groupBy(monthOf('requested_at')),
    q
      .selectFrom('forensic_requests')
      .select([
        measure('forensic-completed').as('measure'),
        monthOf('completed_at').as('month'),
        noDetail.as('detail'),
        counted.as('n'),
      ])
      .where('unit_id', '=', unitId)
      .where('completed_at', '>=', range.from)
      .where('completed_at', '<', range.to)
      .where('status', '=', 'complete')
      .groupBy(monthOf('completed_at')),
    engagements('engagements', counted),
    engagements('people-reached', sql<number | string>`coalesce(sum(people_reached), 0)`),
    byCreated('prevent_referrals', 'prevent-referrals'),
    q
      .selectFrom('alerts')
      .select([
        measure('alerts-published').as('measure'),
        monthOf('published_at').as('month'),
        noDetail.as('detail'),
        counted.as('n'),
      ])
      .where('unit_id', '=', unitId)
      .where('published_at', '>=', range.from)
      .where('published_at', '<', range.to)
      .where('status', '=', 'published')
      .groupBy(monthOf('published_at')),
  ];
  const [first, ...rest] = parts;
  if (first === undefined) return [];
  const rows = await rest.reduce((all, part) => all.unionAll(part), first).execute();
  // Counts are bigint on PostgreSQL.
  return rows.map((r) => ({
    measure: r.measure as UnitCount,
    month: r.month,
    detail: r.detail,
    n: Number(r.n),
  }));
}

export interface ExaminationDates {
  requested_at: string;
  completed_at: string | null;
  status: string;
}

/**
 * The unit's examinations that were open at some time in the range (requested before its end, not finished before
 * its start): what the backlog at each month's end and the turnaround of those completed in it are worked out from.
 */
export function examinationsOpenIn(
  q: DbOrTrx,
  unitId: string,
  range: UnitFigureRange,
): Promise<ExaminationDates[]> {
  return q
    .selectFrom('forensic_requests')
    .select(['requested_at', 'completed_at', 'status'])
    .where('unit_id', '=', unitId)
    .where('requested_at', '<', range.to)
    .where((eb) => eb.or([eb('completed_at', 'is', null), eb('completed_at', '>=', range.from)]))
    .execute();
}
