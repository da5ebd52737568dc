/** What the cases list's page shows from a page of the list: tabs, filter tags, sort links and pages (as the queue). */
import {
  CASE_COLUMNS,
  CASE_STATUSES,
  caseAriaSort,
  caseFiltersOn,
  caseListQuery,
  caseSortFor,
  caseViewWithout,
  type CaseColumn,
  type CaseListView,
} from '../../../domain/casework/case-list-view.ts';
import { CASE_PAGE_SIZE } from '../../../services/investigations/index.ts';
import type { Services } from '../../../services/index.ts';

type CaseList = Awaited<ReturnType<Services['investigations']['caseList']>>;

/** A page number from the query: anything else is the first page (as the queue reads it). */
export const pageNumber = (raw: unknown) =>
  Math.max(1, Math.min(10_000, (typeof raw === 'string' ? Number.parseInt(raw, 10) : 1) || 1));

export function caseListPage(list: CaseList, page: number) {
  const { view, byStatus, total } = list;
  const url = (shown: CaseListView, at = 1) => `/staff/cases?${caseListQuery(shown, at)}`;
  const pages = Math.max(1, Math.ceil(total / CASE_PAGE_SIZE));
  return {
    cases: list.rows,
    total,
    filters: view,
    units: list.units,
    // The status tabs, each with how many cases it holds under the other filters.
    statusTabs: [undefined, ...CASE_STATUSES].map((status) => ({
      status,
      count:
        status === undefined ? Object.values(byStatus).reduce((a, b) => a + b, 0) : (byStatus[status] ?? 0),
      href: url({ ...view, status }),
      active: status === view.status,
    })),
    selected: caseFiltersOn(view).map((filter) => ({ filter, href: url(caseViewWithout(view, filter)) })),
    clearHref: url(caseViewWithout(view, 'all')),
    sortHrefs: Object.fromEntries(
      (Object.keys(CASE_COLUMNS) as CaseColumn[]).map((column) => [
        column,
        {
          href: url({ ...view, sort: caseSortFor(column, view.sort) }),
          aria: caseAriaSort(column, view.sort),
        },
      ]),
    ),
    previousUrl: page > 1 ? url(view, Math.min(page - 1, pages)) : null,
    nextUrl: page < pages ? url(view, page + 1) : null,
    page,
    pages,
  };
}
