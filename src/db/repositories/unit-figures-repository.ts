/**
 * A unit's work counted by month (issue 24): one query for every count (a UNION ALL of index ranges, one per
 * table, see migration 2026-12-11T100000-unit-figures), and one for the forensic examinations whose turnaround and
 * backlog are worked out from their dates.
 */
import { sql } from 'kysely';
import type { DbOrTrx } from '../database.ts';

/** Between the force, type and kind of a report cell's `detail`. */
export const CELL_SEPARATOR = '|';

/**
 * The counts, each by month; `detail` is the case outcome for closed cases, force|type|kind for reports, '' otherwise.
 * Every count is by a unit that never changes afterwards (the unit that received the report, opened the case, held
 * it when it was closed, was asked for the examination) and by the date of its own event, so an ended month's
 * cells change only if records are added to it.
 */
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
  const byCreated = (
    table: 'cases' | 'prevent_referrals',
    unitColumn: 'opened_unit' | 'unit_id',
    name: UnitCount,
  ) =>
    q
      .selectFrom(table)
      .select([
        measure(name).as('measure'),
        monthOf('created_at').as('month'),
        noDetail.as('detail'),
        counted.as('n'),
      ])
      .where(unitColumn, '=', unitId)
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
    // Reports by the crime figures' finest cell (force × type × kind) as well, so the public page can add up
    // protected cells as /statistics does (see publishUnitFigures).
    q
      .selectFrom('reports')
      .select([
        measure('reports').as('measure'),
        monthOf('created_at').as('month'),
        sql<string>`coalesce(force_id, '') || ${sql.lit(CELL_SEPARATOR)} || category || ${sql.lit(CELL_SEPARATOR)} || cyber`.as(
          'detail',
        ),
        counted.as('n'),
      ])
      .where('received_unit', '=', unitId)
      .where('created_at', '>=', range.from)
      .where('created_at', '<', range.to)
      .groupBy([monthOf('created_at'), 'force_id', 'category', 'cyber']),
    byCreated('cases', 'opened_unit', 'cases-opened'),
    q
      .selectFrom('case_decisions')
      .select([
        measure('cases-closed').as('measure'),
        monthOf('at').as('month'),
        sql<string>`coalesce(subject, '')`.as('detail'),
        counted.as('n'),
      ])
      .where('unit_id', '=', unitId)
      .where('code', '=', 'closed')
      .where('at', '>=', range.from)
      .where('at', '<', range.to)
      .groupBy([monthOf('at'), 'subject']),
    q
      .selectFrom('forensic_requests')
      .select([
        measure('forensic-requested').as('measure'),
        monthOf('requested_at').as('month'),
        noDetail.as('detail'),
        counted.as('n'),
      ])
      .where('requested_unit', '=', unitId)
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
      .where('requested_unit', '=', unitId)
      .where('completed_at', '>=', range.from)
      .where('completed_at', '<', range.to)
      .where('status', '=', 'complete')
      .groupBy(monthOf('completed_at')),
    engagements('engagements', counted),
    engagements('people-reached', sql<number | string>`coalesce(sum(people_reached), 0)`),
    byCreated('prevent_referrals', 'unit_id', 'prevent-referrals'),
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
    .where('requested_unit', '=', unitId)
    .where('requested_at', '<', range.to)
    .where((eb) => eb.or([eb('completed_at', 'is', null), eb('completed_at', '>=', range.from)]))
    .execute();
}
