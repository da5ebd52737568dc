/**
 * GOV.UK Pagination's previous, next and numbered links for page `page` of `pages`: the first, the last and two
 * either side of the current one, with an ellipsis over each gap. Null when there is one page only.
 */
export function paginationLinks(page: number, pages: number, href: (n: number) => string) {
  if (pages < 2) return null;
  return {
    ...(page > 1 ? { previous: { href: href(page - 1) } } : {}),
    ...(page < pages ? { next: { href: href(page + 1) } } : {}),
    items: Array.from({ length: pages }, (_, i) => i + 1)
      .filter((n) => n === 1 || n === pages || Math.abs(n - page) <= 2)
      .flatMap((n, i, list) => [
        ...(i > 0 && n - (list[i - 1] ?? n) > 1 ? [{ ellipsis: true }] : []),
        { number: n, href: href(n), current: n === page },
      ]),
  };
}
