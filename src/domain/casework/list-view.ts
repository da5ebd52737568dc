/**
 * What the workspace's filtered, sortable lists (the queue, the cases list) share: sortable columns, filters shown
 * as tags that remove them, and reading a query's values without trusting them. Pure.
 */

type Query = Record<string, unknown>;

/** A query value if it is one string (a repeated parameter is an array: not understood, so ignored). */
export const queryValue = (query: Query, key: string): string | undefined => {
  const value = query[key];
  return typeof value === 'string' ? value : undefined;
};

/** A query value if it is one of `allowed`, else undefined (the default for that part of the view). */
export function oneOf<T extends string>(query: Query, key: string, allowed: readonly T[]): T | undefined {
  const value = queryValue(query, key);
  return (allowed as readonly string[]).includes(value ?? '') ? (value as T) : undefined;
}

/**
 * The canonical query string of a list's view (and a page past the first), always naming its sort: each filter in
 * the order given, a value as itself and a switched-on flag as "yes"; filters that are off are left out.
 */
export function viewQuery(
  filters: Record<string, string | boolean | undefined>,
  sort: string,
  page = 1,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters))
    if (value === true) params.set(key, 'yes');
    else if (typeof value === 'string' && value !== '') params.set(key, value);
  params.set('sort', sort);
  if (page > 1) params.set('page', String(page));
  return params.toString();
}

/**
 * A list's sortable columns, each with its two orders: [ascending, descending]. Pressing a column's heading applies
 * its first order, or the other one when the first is in force. An empty first order ('') means the column has one
 * order only (descending, as the queue's priority).
 */
export type SortColumns<C extends string, S extends string> = Record<C, readonly [S | '', S]>;

/** The order when a column's heading is pressed: its first order, or the reverse of the one in force. */
export function nextSort<C extends string, S extends string>(
  columns: SortColumns<C, S>,
  column: C,
  current: S,
): S {
  const [first, second] = columns[column];
  return first === '' || current === first ? second : first;
}

/** How a column is sorted now, for its heading's aria-sort. */
export function sortState<C extends string, S extends string>(
  columns: SortColumns<C, S>,
  column: C,
  current: S,
): 'ascending' | 'descending' | 'none' {
  const [first, second] = columns[column];
  return first === current ? 'ascending' : second === current ? 'descending' : 'none';
}

/** The filters of a side panel that are on, in the panel's order (a flag when true, a choice when made). */
export function filtersOn<V extends object, F extends keyof V & string>(view: V, filters: readonly F[]): F[] {
  return filters.filter((filter) => Boolean(view[filter]));
}

/** The view less one filter of the side panel (its tag's link), or less all of them ("Clear filters"). */
export function viewWithout<V extends object, F extends keyof V & string>(
  view: V,
  filters: readonly F[],
  filter: F | 'all',
): V {
  const off = filter === 'all' ? filters : [filter];
  // A flag goes back to false, a choice to none.
  return {
    ...view,
    ...Object.fromEntries(off.map((f) => [f, typeof view[f] === 'boolean' ? false : undefined])),
  };
}
