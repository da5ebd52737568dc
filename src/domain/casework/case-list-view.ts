/**
 * What the cases list shows: a status tab (open or closed), filters (the unit holding the case, the person's own,
 * restricted ones) and an order. Read from a query string, written back as one canonical query string. Pure: the
 * same shapes as the queue's view (list-view.ts).
 */
import {
  filtersOn,
  nextSort,
  oneOf,
  queryValue,
  sortState,
  viewQuery,
  viewWithout,
  type SortColumns,
} from './list-view.ts';

export const CASE_STATUSES = ['open', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** The orders of the list's columns; the default puts open cases first, newest first within each. */
export const CASE_SORTS = [
  'status',
  'status-desc',
  'reference',
  'reference-desc',
  'title',
  'title-desc',
  'officer',
  'officer-desc',
  'oldest',
  'newest',
] as const;
export type CaseSort = (typeof CASE_SORTS)[number];

export interface CaseListView {
  status?: CaseStatus;
  /** Only cases this unit holds (its own, or one that shared them with the person's unit). */
  unit?: string;
  /** Only cases the person is the officer in charge of. */
  mine: boolean;
  restricted: boolean;
  sort: CaseSort;
}

/** The side panel's filters (the status is a tab, the order a column). */
export const CASE_FILTERS = ['unit', 'mine', 'restricted'] as const;
export type CaseFilter = (typeof CASE_FILTERS)[number];
export const CASE_COLUMNS: SortColumns<'reference' | 'title' | 'officer' | 'status' | 'opened', CaseSort> = {
  reference: ['reference', 'reference-desc'],
  title: ['title', 'title-desc'],
  officer: ['officer', 'officer-desc'],
  status: ['status', 'status-desc'],
  opened: ['oldest', 'newest'],
};
export type CaseColumn = keyof typeof CASE_COLUMNS;

/**
 * The view a query asks for; anything unknown is ignored (the default for that part). `units` are those the list
 * can hold (the person's and those sharing cases with it): another unit is no filter.
 */
export function parseCaseListView(query: Record<string, unknown>, units: readonly string[]): CaseListView {
  const unit = queryValue(query, 'unit');
  return {
    status: oneOf(query, 'status', CASE_STATUSES),
    unit: unit !== undefined && units.includes(unit) ? unit : undefined,
    mine: queryValue(query, 'mine') === 'yes',
    restricted: queryValue(query, 'restricted') === 'yes',
    sort: oneOf(query, 'sort', CASE_SORTS) ?? 'status',
  };
}

/** The canonical query string of a view (and a page past the first), always naming its sort. */
export function caseListQuery(view: CaseListView, page = 1): string {
  const { status, unit, mine, restricted } = view;
  return viewQuery({ status, unit, mine, restricted }, view.sort, page);
}

export const caseFiltersOn = (view: CaseListView) => filtersOn(view, CASE_FILTERS);
export const caseViewWithout = (view: CaseListView, filter: CaseFilter | 'all') =>
  viewWithout(view, CASE_FILTERS, filter);
export const caseSortFor = (column: CaseColumn, current: CaseSort) => nextSort(CASE_COLUMNS, column, current);
export const caseAriaSort = (column: CaseColumn, current: CaseSort) =>
  sortState(CASE_COLUMNS, column, current);
