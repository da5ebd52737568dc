/**
 * What a unit's queue shows: a status tab, filters and an order. Read from a query string, written back as one
 * canonical query string (the links of the page, and what is remembered for the person). Pure.
 */
import { CATEGORIES } from '../classification/taxonomy.ts';
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
const one = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Whether the query chooses what the queue shows (else the person's remembered view applies). */
export function choosesView(query: Query): boolean {
  return VIEW_KEYS.some((key) => key in query);
}

/** The view a query asks for; anything unknown is ignored (the default for that part). */
export function parseQueueView(query: Query): QueueView {
  const status = one(query.status);
  const category = one(query.category);
  const sort = one(query.sort);
  return {
    status: isStatus(status) ? status : undefined,
    category: category !== undefined && category in CATEGORIES ? category : undefined,
    urgent: one(query.urgent) === 'yes',
    vulnerable: one(query.vulnerable) === 'yes',
    victimNews: one(query.victim) === 'yes',
    sort: (QUEUE_SORTS as readonly string[]).includes(sort ?? '') ? (sort as QueueSort) : 'priority',
  };
}

/** The canonical query string of a view (and a page past the first), always naming its sort. */
export function queueViewQuery(view: QueueView, page = 1): string {
  const params = new URLSearchParams();
  if (view.status) params.set('status', view.status);
  if (view.category) params.set('category', view.category);
  if (view.urgent) params.set('urgent', 'yes');
  if (view.vulnerable) params.set('vulnerable', 'yes');
  if (view.victimNews) params.set('victim', 'yes');
  params.set('sort', view.sort);
  if (page > 1) params.set('page', String(page));
  return params.toString();
}

/** The filters of the side panel that are on (the status is a tab, the order a column), each with its key. */
export function selectedFilters(
  view: QueueView,
): { filter: 'category' | 'urgent' | 'vulnerable' | 'victimNews' }[] {
  return (['category', 'urgent', 'vulnerable', 'victimNews'] as const)
    .filter((filter) => Boolean(view[filter]))
    .map((filter) => ({ filter }));
}

/** The view less one filter of the side panel (its tag's link), or less all of them ("Clear filters"). */
export function withoutFilter(
  view: QueueView,
  filter: 'category' | 'urgent' | 'vulnerable' | 'victimNews' | 'all',
): QueueView {
  if (filter === 'all')
    return { status: view.status, sort: view.sort, urgent: false, vulnerable: false, victimNews: false };
  return filter === 'category' ? { ...view, category: undefined } : { ...view, [filter]: false };
}

/** The next order when a column's heading is pressed: its first order, or the reverse of the one in force. */
export function sortFor(
  column: 'reference' | 'status' | 'received' | 'flags',
  current: QueueSort,
): QueueSort {
  switch (column) {
    case 'reference':
      return current === 'reference' ? 'reference-desc' : 'reference';
    case 'status':
      return current === 'status' ? 'status-desc' : 'status';
    case 'received':
      return current === 'oldest' ? 'newest' : 'oldest';
    case 'flags':
      return 'priority';
  }
}

/** How a column is sorted now, for its heading's aria-sort. */
export function ariaSort(
  column: 'reference' | 'status' | 'received' | 'flags',
  current: QueueSort,
): 'ascending' | 'descending' | 'none' {
  const orders = {
    reference: ['reference', 'reference-desc'],
    status: ['status', 'status-desc'],
    received: ['oldest', 'newest'],
    // Priority puts the most urgent first.
    flags: ['', 'priority'],
  }[column];
  return orders[0] === current ? 'ascending' : orders[1] === current ? 'descending' : 'none';
}
