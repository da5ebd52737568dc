/**
 * A TAXII 2.1 client (OASIS, 10 June 2021): discovery → API root → collections → objects, paging with
 * `added_after`, `next`/`more` and the X-TAXII-Date-Added-First/Last headers. Every answer is checked (media type,
 * size, shape) before it is used; the server's own words never choose where Bluelight connects next: API roots
 * named by discovery must be on the feed's own origin.
 */
import { FeedError, getJson, shownUrl, type FeedFetch } from './feed-http.ts';

export const TAXII_ACCEPT = 'application/taxii+json;version=2.1';
const TAXII_TYPES = ['application/taxii+json'];
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
/** A server may send fewer objects than asked for, never more than this. */
export const MAX_PAGE_OBJECTS = 2000;
export const MAX_ANSWER_BYTES = 20 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

export interface TaxiiCollection {
  id: string;
  title: string;
  canRead: boolean;
}

export interface ObjectsPage {
  objects: unknown[];
  more: boolean;
  next: string | null;
  /** X-TAXII-Date-Added-Last: where the next pull resumes (null when the server gave no header). */
  dateAddedLast: string | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

export function createTaxiiClient(url: string, authorization: string | null, fetchImpl: FeedFetch = fetch) {
  const get = (target: string, maxBytes = 1024 * 1024) =>
    getJson(target, {
      authorization,
      accept: TAXII_ACCEPT,
      contentTypes: TAXII_TYPES,
      requiredParameter: 'version=2.1',
      maxBytes,
      timeoutMs: TIMEOUT_MS,
      fetch: fetchImpl,
    });
  const origin = new URL(url).origin;

  return {
    /**
     * The API root to read: the configured URL when it is one (it lists `versions`), else discovery's `default`
     * (or its first `api_roots` entry), which must be on the same origin.
     */
    async apiRoot(): Promise<string> {
      const { body } = await get(withSlash(url));
      if (!isRecord(body)) throw new FeedError(`${shownUrl(url)} did not answer a TAXII object`);
      if (Array.isArray(body.versions)) {
        if (!body.versions.includes(TAXII_ACCEPT))
          throw new FeedError(`${shownUrl(url)} does not speak TAXII 2.1`);
        return withSlash(url);
      }
      const roots = Array.isArray(body.api_roots) ? body.api_roots : [];
      const chosen =
        typeof body.default === 'string' ? body.default : roots.find((r) => typeof r === 'string');
      if (typeof chosen !== 'string')
        throw new FeedError(`${shownUrl(url)} is neither a TAXII discovery nor an API root`);
      let root: URL;
      try {
        root = new URL(chosen, withSlash(url));
      } catch {
        throw new FeedError(`${shownUrl(url)} named an API root that is not a URL`);
      }
      if (root.origin !== origin)
        throw new FeedError(
          `${shownUrl(url)} named an API root on another server (${root.origin}); configure that API root directly`,
        );
      const { body: rootBody } = await get(withSlash(root.toString()));
      if (
        !isRecord(rootBody) ||
        !Array.isArray(rootBody.versions) ||
        !rootBody.versions.includes(TAXII_ACCEPT)
      )
        throw new FeedError(`${shownUrl(root.toString())} is not a TAXII 2.1 API root`);
      return withSlash(root.toString());
    },

    async collections(root: string): Promise<TaxiiCollection[]> {
      const { body } = await get(`${root}collections/`);
      if (!isRecord(body)) throw new FeedError(`${shownUrl(root)}collections/ did not answer a TAXII object`);
      if (body.collections === undefined) return [];
      if (!Array.isArray(body.collections))
        throw new FeedError(`${shownUrl(root)}collections/: "collections" is not a list`);
      return body.collections.flatMap((c) => {
        if (!isRecord(c) || typeof c.id !== 'string' || !/^[A-Za-z0-9._~-]{1,200}$/.test(c.id)) return [];
        return [
          {
            id: c.id,
            title: typeof c.title === 'string' ? c.title.slice(0, 300) : c.id,
            canRead: c.can_read === true,
          },
        ];
      });
    },

    /** One page of indicator objects added after `addedAfter`, continuing from `next` when given. */
    async objects(
      root: string,
      collection: string,
      position: { addedAfter: string | null; next: string | null },
      pageSize: number,
    ): Promise<ObjectsPage> {
      const query = new URLSearchParams({ limit: String(pageSize), 'match[type]': 'indicator' });
      if (position.addedAfter !== null) query.set('added_after', position.addedAfter);
      if (position.next !== null) query.set('next', position.next);
      const target = `${root}collections/${encodeURIComponent(collection)}/objects/?${query.toString()}`;
      const { body, headers } = await get(target, MAX_ANSWER_BYTES);
      const where = `collection ${collection}`;
      if (!isRecord(body)) throw new FeedError(`${where}: the answer is not a TAXII envelope`);
      const objects = body.objects ?? [];
      if (!Array.isArray(objects)) throw new FeedError(`${where}: "objects" is not a list`);
      if (objects.length > MAX_PAGE_OBJECTS)
        throw new FeedError(
          `${where}: a page of ${objects.length} objects, more than the ${MAX_PAGE_OBJECTS} Bluelight reads at once`,
        );
      if (body.more !== undefined && typeof body.more !== 'boolean')
        throw new FeedError(`${where}: "more" is not true or false`);
      const next = body.next;
      if (next !== undefined && (typeof next !== 'string' || next === '' || next.length > 1000))
        throw new FeedError(`${where}: "next" is not a usable cursor`);
      const last = headers.get('x-taxii-date-added-last');
      if (last !== null && !TIMESTAMP.test(last.trim()))
        throw new FeedError(`${where}: X-TAXII-Date-Added-Last is not a timestamp`);
      return {
        objects,
        more: body.more === true,
        next: typeof next === 'string' ? next : null,
        dateAddedLast: objects.length === 0 || last === null ? null : last.trim(),
      };
    },
  };
}
