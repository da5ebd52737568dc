/**
 * One pull of one feed: TAXII collections page by page, or a MISP feed event by event. Each page (or event) is
 * stored in one transaction together with the cursor it advances to, so a pull that fails half way keeps what it
 * stored and the next one resumes after it; nothing of a page that fails its checks is stored. A pull reads a
 * bounded number of pages, so one busy feed neither runs for ever nor loops on a server that never says "done".
 */
import {
  SKIP_REASONS,
  type FeedEntry,
  type ParsedObject,
  type SkipReason,
} from '../../domain/feeds/feed-entry.ts';
import {
  afterCursor,
  FeedFormatError,
  mispCursor,
  parseEvent,
  parseManifest,
} from '../../domain/feeds/misp-feed.ts';
import { parseStixObject } from '../../domain/feeds/stix-indicator.ts';
import type { Tlp } from '../../domain/sharing/tlp.ts';
import { FeedError, type FeedFetch } from './feed-http.ts';
import { createMispClient } from './misp-client.ts';
import { createTaxiiClient } from './taxii-client.ts';

/** Pages (TAXII) or events (MISP) one pull reads at most; the rest waits for the next round. */
export const MAX_PAGES_PER_PULL = 50;

export interface PullTarget {
  kind: string;
  url: string;
  collections: readonly string[];
  tlp: Tlp;
  validDays: number;
  pageSize: number;
}

/** Where pulled data goes (the service's transactions). */
export interface PullStore {
  cursor(collection: string): Promise<string | null>;
  /** A TAXII page's objects and the cursor after it, in one transaction; how many values were stored. */
  storeObjects(
    collection: string,
    title: string,
    parsed: readonly ParsedObject[],
    cursor: string | null,
  ): Promise<number>;
  /** A MISP event's values (replacing what it gave before) and the cursor after it, in one transaction. */
  storeEvent(uuid: string, entries: readonly FeedEntry[], cursor: string): Promise<number>;
}

/** What a pull did, kept even when it failed part way. */
export interface PullTally {
  stored: number;
  pages: number;
  skipped: Partial<Record<SkipReason, number>>;
  moreWaiting: boolean;
}

export const newTally = (): PullTally => ({ stored: 0, pages: 0, skipped: {}, moreWaiting: false });

/** "12 values stored from 3 pages; 2 skipped (1 not STIX 2.1 objects, 1 patterns Bluelight cannot match)". */
export function describeTally(tally: PullTally): string {
  // In one fixed order, so the same pull always reads the same.
  const skips = (Object.keys(SKIP_REASONS) as SkipReason[]).flatMap((reason) => {
    const n = tally.skipped[reason] ?? 0;
    return n > 0 ? [[reason, n] as const] : [];
  });
  const skipped = skips.reduce((sum, [, n]) => sum + n, 0);
  const parts = [`${tally.stored} value(s) stored from ${tally.pages} page(s)`];
  if (skipped > 0)
    parts.push(
      `${skipped} object(s) skipped (${skips.map(([reason, n]) => `${n} ${SKIP_REASONS[reason]}`).join(', ')})`,
    );
  if (tally.moreWaiting) parts.push('more waiting for the next round');
  return parts.join('; ');
}

function countSkips(tally: PullTally, skipped: Partial<Record<SkipReason, number>>): void {
  for (const [reason, n] of Object.entries(skipped) as [SkipReason, number][])
    tally.skipped[reason] = (tally.skipped[reason] ?? 0) + n;
}

async function pullTaxii(
  target: PullTarget,
  authorization: string | null,
  store: PullStore,
  tally: PullTally,
  fetchImpl: FeedFetch,
): Promise<void> {
  const client = createTaxiiClient(target.url, authorization, fetchImpl);
  const root = await client.apiRoot();
  const offered = await client.collections(root);
  let chosen = offered.filter((c) => c.canRead);
  if (target.collections.length > 0) {
    chosen = target.collections.map((id) => {
      const found = offered.find((c) => c.id === id);
      if (found === undefined) throw new FeedError(`the server offers Bluelight no collection ${id}`);
      if (!found.canRead) throw new FeedError(`collection ${id} cannot be read with these credentials`);
      return found;
    });
  }
  if (chosen.length === 0) throw new FeedError('the server offers Bluelight no collection it may read');

  for (const collection of chosen) {
    // The pull's filter stays the same while it follows `next`; the saved cursor moves with every stored page.
    const addedAfter = await store.cursor(collection.id);
    let cursor = addedAfter;
    let next: string | null = null;
    let since = addedAfter;
    for (;;) {
      if (tally.pages >= MAX_PAGES_PER_PULL) {
        tally.moreWaiting = true;
        return;
      }
      const page = await client.objects(root, collection.id, { addedAfter: since, next }, target.pageSize);
      tally.pages++;
      const parsed = page.objects.map((object) => parseStixObject(object, target));
      const skipped: Partial<Record<SkipReason, number>> = {};
      for (const p of parsed) if ('skip' in p) skipped[p.skip] = (skipped[p.skip] ?? 0) + 1;
      countSkips(tally, skipped);
      cursor = page.dateAddedLast ?? cursor;
      tally.stored += await store.storeObjects(collection.id, collection.title, parsed, cursor);
      if (!page.more) break;
      if (page.objects.length === 0)
        throw new FeedError(`collection ${collection.id}: the server said more objects wait but sent none`);
      if (page.next !== null) {
        if (page.next === next)
          throw new FeedError(`collection ${collection.id}: the server gave the same "next" cursor twice`);
        next = page.next;
      } else {
        // Servers that page by date alone: ask again after the last date added.
        if (page.dateAddedLast === null || page.dateAddedLast === since)
          throw new FeedError(
            `collection ${collection.id}: the server said more objects wait but gave neither "next" nor a new X-TAXII-Date-Added-Last`,
          );
        since = page.dateAddedLast;
      }
    }
  }
}

async function pullMisp(
  target: PullTarget,
  authorization: string | null,
  store: PullStore,
  tally: PullTally,
  fetchImpl: FeedFetch,
): Promise<void> {
  const client = createMispClient(target.url, authorization, fetchImpl);
  const events = parseManifest(await client.manifest());
  const cursor = await store.cursor('');
  for (const event of events.filter((e) => afterCursor(e, cursor))) {
    if (tally.pages >= MAX_PAGES_PER_PULL) {
      tally.moreWaiting = true;
      return;
    }
    const parsed = parseEvent(await client.event(event.uuid), event.uuid, target);
    tally.pages++;
    countSkips(tally, parsed.skipped);
    tally.stored += await store.storeEvent(event.uuid, parsed.entries, mispCursor(event));
  }
}

/** Pulls a feed into the store; throws a FeedError (with the tally so far kept in `tally`) when it cannot. */
export async function pullFeed(
  target: PullTarget,
  authorization: string | null,
  store: PullStore,
  tally: PullTally,
  fetchImpl: FeedFetch,
): Promise<void> {
  try {
    if (target.kind === 'misp') await pullMisp(target, authorization, store, tally, fetchImpl);
    else await pullTaxii(target, authorization, store, tally, fetchImpl);
  } catch (error) {
    if (error instanceof FeedFormatError) throw new FeedError(error.message);
    throw error;
  }
}
