/**
 * What a unit's queue shows: a status tab, filters and an order. Read from a query string, written back as one
 * canonical query string (the links of the page, and what is remembered for the person). Pure.
 */
import { CATEGORIES } from '../classification/taxonomy.ts';
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
import { isStatus, type Status } from './status.ts';

/**
 * The orders the queue's columns sort by: priority (urgent, then vulnerable, then oldest: the default), received
 * (oldest or newest first), reference, and status in the order of the work (received first).
 */
export const QUEUE_SORTS = [
  'priority',
  'oldest',
  'newest',
  'reference',
  'reference-desc',
  'status',
  'status-desc',
] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export interface QueueView {
  status?: Status;
  category?: string;
  urgent: boolean;
  vulnerable: boolean;
  /** Only reports the victim added to since an officer of the unit last opened them. */
  victimNews: boolean;
  sort: QueueSort;
}

/** The query parameters that say what the queue shows (a page number alone does not). */
const VIEW_KEYS = ['status', 'category', 'urgent', 'vulnerable', 'victim', 'sort'] as const;

type Query = Record<string, unknown>;

/** Whether the query chooses what the queue shows (else the person's remembered view applies). */
export function choosesView(query: Query): boolean {
  return VIEW_KEYS.some((key) => key in query);
}

/** The view a query asks for; anything unknown is ignored (the default for that part). */
export function parseQueueView(query: Query): QueueView {
  const status = queryValue(query, 'status');
  const category = queryValue(query, 'category');
  return {
    status: isStatus(status) ? status : undefined,
    category: category !== undefined && Object.hasOwn(CATEGORIES, category) ? category : undefined,
    urgent: queryValue(query, 'urgent') === 'yes',
    vulnerable: queryValue(query, 'vulnerable') === 'yes',
    victimNews: queryValue(query, 'victim') === 'yes',
    sort: oneOf(query, 'sort', QUEUE_SORTS) ?? 'priority',
  };
}

/** The canonical query string of a view (and a page past the first), always naming its sort. */
export function queueViewQuery(view: QueueView, page = 1): string {
  const { status, category, urgent, vulnerable } = view;
  return viewQuery({ status, category, urgent, vulnerable, victim: view.victimNews }, view.sort, page);
}

/** The filters of the side panel (the status is a tab, the order a column). */
const QUEUE_FILTERS = ['category', 'urgent', 'vulnerable', 'victimNews'] as const;
type QueueFilter = (typeof QUEUE_FILTERS)[number];
/** Each sortable column's orders, [ascending, descending]: priority puts the most urgent first. */
const QUEUE_COLUMNS: SortColumns<'reference' | 'status' | 'received' | 'flags', QueueSort> = {
  reference: ['reference', 'reference-desc'],
  status: ['status', 'status-desc'],
  received: ['oldest', 'newest'],
  flags: ['', 'priority'],
};

/** The filters of the side panel that are on, each with its key. */
export function selectedFilters(view: QueueView): { filter: QueueFilter }[] {
  return filtersOn(view, QUEUE_FILTERS).map((filter) => ({ filter }));
}

/** The view less one filter of the side panel (its tag's link), or less all of them ("Clear filters"). */
export function withoutFilter(view: QueueView, filter: QueueFilter | 'all'): QueueView {
  return viewWithout(view, QUEUE_FILTERS, filter);
}

/** The next order when a column's heading is pressed: its first order, or the reverse of the one in force. */
export function sortFor(column: keyof typeof QUEUE_COLUMNS, current: QueueSort): QueueSort {
  return nextSort(QUEUE_COLUMNS, column, current);
}

/** How a column is sorted now, for its heading's aria-sort. */
export function ariaSort(
  column: keyof typeof QUEUE_COLUMNS,
  current: QueueSort,
): 'ascending' | 'descending' | 'none' {
  return sortState(QUEUE_COLUMNS, column, current);
}
