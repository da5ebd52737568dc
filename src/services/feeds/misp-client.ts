/** Reading a MISP feed: `manifest.json` and `<event uuid>.json` under the feed's URL. */
import { getJson, type FeedFetch } from './feed-http.ts';

// Static feeds are served by whatever web server or bucket holds them: JSON, or files served as bytes or text.
const MISP_TYPES = ['application/json', 'text/json', 'text/plain', 'application/octet-stream'];
const MAX_MANIFEST_BYTES = 20 * 1024 * 1024;
const MAX_EVENT_BYTES = 50 * 1024 * 1024;
const TIMEOUT_MS = 60_000;

export function createMispClient(url: string, authorization: string | null, fetchImpl: FeedFetch = fetch) {
  const base = url.endsWith('/') ? url : `${url}/`;
  const get = async (target: string, maxBytes: number) =>
    (
      await getJson(target, {
        authorization,
        accept: 'application/json',
        contentTypes: MISP_TYPES,
        maxBytes,
        timeoutMs: TIMEOUT_MS,
        fetch: fetchImpl,
      })
    ).body;
  return {
    manifest: () => get(`${base}manifest.json`, MAX_MANIFEST_BYTES),
    /** The uuid comes from a checked manifest (a uuid), so it cannot point anywhere but under the feed's URL. */
    event: (uuid: string) => get(`${base}${uuid}.json`, MAX_EVENT_BYTES),
  };
}
