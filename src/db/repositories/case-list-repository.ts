/**
 * The cases list: one page of the cases a person sees, filtered and sorted by the database, with how many each
 * status holds (its tabs) and the units whose cases it holds (its unit filter).
 */
import { sql } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import { caseHeldByUnit, caseTeamIncludes } from './case-repository.ts';

export interface CaseListFilters {
  status?: string;
  unit?: string;
  /** Only cases this person is the officer in charge of. */
  mine: boolean;
  restricted: boolean;
  sort: string;
}
interface Viewer {
  unitId: string;
  email: string;
}

/** The cases this person sees (their unit's and those shared with it, restricted ones only for their team). */
function visibleCases(q: DbOrTrx, viewer: Viewer) {
  return q
    .selectFrom('cases')
    .where((eb) =>
      eb.and([
        caseHeldByUnit(viewer.unitId),
        eb.or([eb('cases.restricted', '=', 0), caseTeamIncludes(viewer.email)]),
      ]),
    );
}

/** Those of them the filters other than the status keep (`withStatus`: the status too). */
function matching(q: DbOrTrx, viewer: Viewer, filters: CaseListFilters, withStatus = true) {
  return visibleCases(q, viewer)
    .$if(withStatus && filters.status !== undefined, (s) =>
      s.where('cases.status', '=', filters.status ?? ''),
    )
    .$if(filters.unit !== undefined, (s) => s.where('cases.unit_id', '=', filters.unit ?? ''))
    .$if(filters.mine, (s) => s.where('cases.officer_in_charge', '=', viewer.email))
    .$if(filters.restricted, (s) => s.where('cases.restricted', '=', 1));
}

/** One page of the list and how many cases match. Unknown orders sort as the default: open first, newest first. */
export async function caseListPage(
  q: DbOrTrx,
  viewer: Viewer,
  filters: CaseListFilters,
  page: { offset: number; limit: number },
) {
  const query = matching(q, viewer, filters);
  const total = Number(
    (await query.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const openFirst = sql<number>`case when cases.status = 'open' then 0 else 1 end`;
  const rows = await query
    .select([
      'cases.reference',
      'cases.title',
      'cases.unit_id',
      'cases.officer_in_charge',
      'cases.status',
      'cases.outcome',
      'cases.restricted',
      'cases.created_at',
    ])
    .$call((s) => {
      switch (filters.sort) {
        case 'reference':
        case 'reference-desc':
          return s.orderBy('cases.reference', filters.sort === 'reference' ? 'asc' : 'desc');
        case 'title':
        case 'title-desc':
          return s.orderBy(sql`lower(cases.title)`, filters.sort === 'title' ? 'asc' : 'desc');
        case 'officer':
        case 'officer-desc':
          return s
            .orderBy('cases.officer_in_charge', filters.sort === 'officer' ? 'asc' : 'desc')
            .orderBy('cases.created_at', 'desc');
        case 'oldest':
          return s.orderBy('cases.created_at', 'asc');
        case 'newest':
          return s.orderBy('cases.created_at', 'desc');
        case 'status-desc':
          return s.orderBy(openFirst, 'desc').orderBy('cases.created_at', 'desc');
        default:
          return s.orderBy(openFirst, 'asc').orderBy('cases.created_at', 'desc');
      }
    })
    .orderBy('cases.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total };
}

/** How many cases each status holds under the list's other filters (its tabs), in one query. */
export async function caseListStatusCounts(
  q: DbOrTrx,
  viewer: Viewer,
  filters: CaseListFilters,
): Promise<Record<string, number>> {
  const rows = await matching(q, viewer, filters, false)
    .select(['cases.status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('cases.status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** The units holding the cases this person sees (their own and those sharing with them), for the unit filter. */
export async function caseListUnits(q: DbOrTrx, viewer: Viewer): Promise<string[]> {
  const rows = await visibleCases(q, viewer).select('cases.unit_id').distinct().execute();
  return rows.map((r) => r.unit_id);
}
