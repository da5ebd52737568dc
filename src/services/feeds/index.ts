/**
 * External feeds in: other forces' Bluelight, OpenCTI or MISP servers Bluelight pulls indicators from (TAXII 2.1,
 * or the MISP feed format). Configured by an admin (audited), pulled on a schedule with a lease per feed, backed off
 * exponentially while failing, and shown to admins with the last error: a feed that cannot be reached is reported,
 * never silently ignored. Feed values live in their own tables; they mark matching report indicators ("known to
 * <feed> since …"), count in campaign summaries and, for feeds configured to, corroborate sharing.
 */
import type { Db, DbOrTrx } from '../../db/database.ts';
import { repositories, type Repositories } from '../../db/repositories/index.ts';
import type { FeedEntry, ParsedObject } from '../../domain/feeds/feed-entry.ts';
import { nextPullAt } from '../../domain/feeds/pull-schedule.ts';
import { isTlp, type Tlp } from '../../domain/sharing/tlp.ts';
import type { WorkerLog } from '../outbox-worker.ts';
import { ServiceError } from '../service-error.ts';
import { FeedError, shownUrl, type FeedFetch } from './feed-http.ts';
import { describeTally, newTally, pullFeed, type PullStore } from './feed-pull.ts';
import { authorizationFor, checkFeedInput, type FeedInput } from './feed-settings.ts';

export { FEED_AUTH, FEED_KINDS, type FeedInput } from './feed-settings.ts';

/** How long a puller holds a feed, renewed with every stored page; a puller that died frees it when it ends. */
const LEASE_MS = 15 * 60 * 1000;
/** Expired values are kept this long (so expiry can withdraw what they corroborated), then deleted. */
const EXPIRED_KEPT_MS = 30 * 86_400_000;
const VALUES_PER_QUERY = 100;
const EXPIRY_LOOKBACK_MS = 7 * 86_400_000;

export type FeedState = 'ok' | 'failing' | 'not-pulled-yet' | 'secret-missing' | 'disabled';

export interface FeedStatus {
  id: number;
  name: string;
  kind: string;
  /** Scheme, host and path only. */
  url: string;
  collections: string[];
  auth: string;
  secretEnv: string | null;
  tlp: string;
  validDays: number;
  corroborates: boolean;
  intervalMinutes: number;
  pageSize: number;
  state: FeedState;
  failures: number;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastResult: string | null;
  nextPullAt: string;
  cursors: { collection: string; title: string; cursor: string | null; stored: number; updatedAt: string }[];
}

export interface PullResult {
  feedId: number;
  feed: string;
  /** 'busy': another instance (or the command line) is pulling it now. */
  outcome: 'pulled' | 'failed' | 'busy';
  stored: number;
  summary: string;
  error: string | null;
  nextPullAt: string | null;
}

export interface FeedKnowledge {
  feed: string;
  since: string;
  validUntil: string;
  tlp: string;
}

/** The key `knownTo` answers by: an indicator's type and value. */
export const valueKey = (indicator: { type: string; value: string }): string =>
  `${indicator.type}\u0000${indicator.value}`;

type FeedRow = NonNullable<Awaited<ReturnType<Repositories['feeds']['findFeed']>>>;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function createFeeds(
  db: Db,
  clock: () => Date,
  options: { secrets: Readonly<Record<string, string>>; httpsOnly: boolean; fetch?: FeedFetch },
  repos: Repositories = repositories,
) {
  const fetchImpl = options.fetch ?? fetch;

  /** Bluelight indicators these values name are published again: a corroborating feed may change what is shared. */
  async function republishNamed(
    trx: DbOrTrx,
    feedId: number,
    values: readonly { type: string; value: string }[],
    tag: string,
  ) {
    const now = clock();
    for (const slice of chunks(values, VALUES_PER_QUERY)) {
      for (const row of await repos.feeds.indicatorsNamedByFeeds(trx, slice)) {
        await repos.outbox.enqueueJob(
          trx,
          {
            kind: 'publish-stix',
            dedupeKey: `publish-stix:feed:${feedId}:${row.id}:${tag}`,
            payload: { reportId: row.report_id },
          },
          now,
        );
      }
    }
  }

  function storeFor(feed: FeedRow): PullStore {
    const at = () => clock().toISOString();
    const renewLease = (trx: DbOrTrx) =>
      repos.feeds.updateFeed(trx, feed.id, {
        lease_until: new Date(clock().getTime() + LEASE_MS).toISOString(),
      });
    const rowsOf = (origin: string, entries: readonly FeedEntry[]) => {
      const seen = new Set<string>();
      return entries.flatMap((e) => {
        const key = `${e.externalId}\u0000${valueKey(e)}`;
        if (seen.has(key)) return [];
        seen.add(key);
        return [
          {
            feed_id: feed.id,
            origin,
            external_id: e.externalId,
            version: e.version,
            type: e.type,
            value: e.value,
            known_since: e.knownSince,
            valid_until: e.validUntil,
            revoked: e.revoked ? 1 : 0,
            tlp: e.tlp,
            confidence: e.confidence,
            updated_at: at(),
          },
        ];
      });
    };
    return {
      cursor: (collection) => repos.feeds.findCursor(db, feed.id, collection),

      storeObjects: (collection, title, parsed: readonly ParsedObject[], cursor) =>
        db.transaction().execute(async (trx) => {
          // The newest version of each object on the page; an older one than stored never replaces it.
          const latest = new Map<string, { version: string; entries: FeedEntry[] }>();
          for (const p of parsed) {
            if ('skip' in p) continue;
            const held = latest.get(p.externalId);
            if (held === undefined || p.version > held.version) latest.set(p.externalId, p);
          }
          const stored = await repos.feeds.storedVersions(trx, feed.id, [...latest.keys()]);
          const fresh = [...latest].filter(([id, p]) => {
            const version = stored.get(id);
            return version === undefined || p.version > version;
          });
          await repos.feeds.deleteExternal(
            trx,
            feed.id,
            fresh.map(([id]) => id),
          );
          const rows = rowsOf(
            collection,
            fresh.flatMap(([, p]) => p.entries),
          );
          await repos.feeds.insertFeedIndicators(trx, rows);
          await repos.feeds.saveCursor(trx, {
            feedId: feed.id,
            collection,
            title,
            cursor,
            stored: rows.length,
            at: at(),
          });
          if (feed.corroborates === 1) await republishNamed(trx, feed.id, rows, cursor ?? at());
          await renewLease(trx);
          return rows.length;
        }),

      storeEvent: (uuid, entries, cursor) =>
        db.transaction().execute(async (trx) => {
          // An event is replaced whole: attributes it no longer holds (deleted, no longer for detection) go.
          await repos.feeds.deleteOrigin(trx, feed.id, uuid);
          const rows = rowsOf(uuid, entries);
          await repos.feeds.insertFeedIndicators(trx, rows);
          await repos.feeds.saveCursor(trx, {
            feedId: feed.id,
            collection: '',
            title: 'MISP feed',
            cursor,
            stored: rows.length,
            at: at(),
          });
          if (feed.corroborates === 1) await republishNamed(trx, feed.id, rows, cursor);
          await renewLease(trx);
          return rows.length;
        }),
    };
  }

  function stateOf(feed: FeedRow): FeedState {
    if (feed.enabled !== 1) return 'disabled';
    if (
      'missing' in
      authorizationFor(
        { auth: feed.auth, username: feed.username, secretEnv: feed.secret_env },
        options.secrets,
      )
    )
      return 'secret-missing';
    if (feed.failures > 0) return 'failing';
    return feed.last_success_at === null ? 'not-pulled-yet' : 'ok';
  }

  async function requireFeed(q: DbOrTrx, id: number): Promise<FeedRow> {
    const feed = await repos.feeds.findFeed(q, id);
    if (feed === undefined) throw new ServiceError('not-found', 'feed-not-found', `there is no feed ${id}`);
    return feed;
  }

  /** Pulls one feed now (if nobody else is), recording the outcome and when it is next due. */
  async function pull(id: number, log?: WorkerLog): Promise<PullResult> {
    const feed = await requireFeed(db, id);
    const started = clock();
    const leased = await repos.feeds.leaseFeed(
      db,
      id,
      started.toISOString(),
      new Date(started.getTime() + LEASE_MS).toISOString(),
    );
    if (!leased)
      return {
        feedId: id,
        feed: feed.name,
        outcome: 'busy',
        stored: 0,
        summary: 'another pull holds this feed',
        error: null,
        nextPullAt: null,
      };
    const tally = newTally();
    const tlp: Tlp = isTlp(feed.tlp) ? feed.tlp : 'amber';
    const target = {
      kind: feed.kind,
      url: feed.url,
      collections: feed.collections === '' ? [] : feed.collections.split(','),
      tlp,
      validDays: feed.valid_days,
      pageSize: feed.page_size,
    };
    try {
      const auth = authorizationFor(
        { auth: feed.auth, username: feed.username, secretEnv: feed.secret_env },
        options.secrets,
      );
      if ('missing' in auth)
        throw new FeedError(
          `${auth.missing} is not set in this process's environment, so the feed cannot sign in`,
        );
      await pullFeed(target, auth.header, storeFor(feed), tally, fetchImpl);
      const now = clock();
      const next = nextPullAt(now, {
        intervalMinutes: feed.interval_minutes,
        moreWaiting: tally.moreWaiting,
      });
      const summary = describeTally(tally);
      await repos.feeds.updateFeed(db, id, {
        failures: 0,
        last_error: null,
        last_success_at: now.toISOString(),
        last_result: summary.slice(0, 1000),
        next_pull_at: next,
        lease_until: null,
      });
      log?.info({ feed: id, stored: tally.stored, pages: tally.pages }, 'feed pulled');
      return {
        feedId: id,
        feed: feed.name,
        outcome: 'pulled',
        stored: tally.stored,
        summary,
        error: null,
        nextPullAt: next,
      };
    } catch (error) {
      const now = clock();
      // A FeedError says what was wrong in words safe to show; anything else is named only by its type here.
      const message =
        error instanceof FeedError
          ? error.message
          : `unexpected ${(error as Error).name || 'error'}; see the log`;
      const failures = feed.failures + 1;
      const next = nextPullAt(now, { failures });
      const summary = describeTally(tally);
      await repos.feeds.updateFeed(db, id, {
        failures,
        last_error: message.slice(0, 1000),
        last_result: summary.slice(0, 1000),
        next_pull_at: next,
        lease_until: null,
      });
      log?.error(
        {
          feed: id,
          failures,
          nextPullAt: next,
          ...(error instanceof FeedError ? { reason: message } : { err: error }),
        },
        'feed pull failed',
      );
      return {
        feedId: id,
        feed: feed.name,
        outcome: 'failed',
        stored: tally.stored,
        summary,
        error: message,
        nextPullAt: next,
      };
    }
  }

  return {
    /** A new feed, due at once; audited in the same transaction. The secret is never given here, only its variable. */
    async add(input: FeedInput, actor: string): Promise<{ id: number; name: string }> {
      const settings = checkFeedInput(input, { httpsOnly: options.httpsOnly });
      const now = clock();
      return db.transaction().execute(async (trx) => {
        if ((await repos.feeds.findFeedByName(trx, settings.name)) !== undefined)
          throw new ServiceError(
            'conflict',
            'feed-name-taken',
            `a feed named "${settings.name}" exists already`,
            { field: 'name' },
          );
        const id = await repos.feeds.insertFeed(trx, {
          name: settings.name,
          kind: settings.kind,
          url: settings.url,
          collections: settings.collections.join(','),
          auth: settings.auth,
          username: settings.username,
          secret_env: settings.secretEnv,
          tlp: settings.tlp,
          valid_days: settings.validDays,
          corroborates: settings.corroborates ? 1 : 0,
          interval_minutes: settings.intervalMinutes,
          page_size: settings.pageSize,
          enabled: 1,
          created_at: now.toISOString(),
          created_by: actor,
          next_pull_at: now.toISOString(),
          lease_until: null,
          last_attempt_at: null,
          last_success_at: null,
          last_error: null,
          last_result: null,
        });
        await repos.audit.writeAudit(trx, {
          at: now,
          actor,
          action: 'feed-added',
          detail: `feed ${id} "${settings.name}": ${settings.kind} ${shownUrl(settings.url)}, auth ${settings.auth}${settings.secretEnv === null ? '' : ` from ${settings.secretEnv}`}, TLP:${settings.tlp.toUpperCase()} when unmarked, ${settings.validDays} days, every ${settings.intervalMinutes} min, pages of ${settings.pageSize}${settings.corroborates ? ', corroborates sharing' : ''}`,
        });
        return { id, name: settings.name };
      });
    },

    /** Stops or restarts pulling; a disabled feed's values no longer mark anything. Audited. */
    async setEnabled(id: number, enabled: boolean, actor: string): Promise<void> {
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const feed = await requireFeed(trx, id);
        await repos.feeds.updateFeed(trx, id, {
          enabled: enabled ? 1 : 0,
          // Enabled again: due at once, with the back-off forgotten.
          ...(enabled ? { next_pull_at: now.toISOString(), failures: 0 } : {}),
        });
        await repos.audit.writeAudit(trx, {
          at: now,
          actor,
          action: enabled ? 'feed-enabled' : 'feed-disabled',
          detail: `feed ${id} "${feed.name}"`,
        });
      });
    },

    async list(): Promise<FeedStatus[]> {
      const feeds = await repos.feeds.allFeeds(db);
      return Promise.all(
        feeds.map(async (feed) => ({
          id: feed.id,
          name: feed.name,
          kind: feed.kind,
          url: shownUrl(feed.url),
          collections: feed.collections === '' ? [] : feed.collections.split(','),
          auth: feed.auth,
          secretEnv: feed.secret_env,
          tlp: feed.tlp,
          validDays: feed.valid_days,
          corroborates: feed.corroborates === 1,
          intervalMinutes: feed.interval_minutes,
          pageSize: feed.page_size,
          state: stateOf(feed),
          failures: feed.failures,
          lastAttemptAt: feed.last_attempt_at,
          lastSuccessAt: feed.last_success_at,
          lastError: feed.last_error,
          lastResult: feed.last_result,
          nextPullAt: feed.next_pull_at,
          cursors: (await repos.feeds.cursorsOf(db, feed.id)).map((c) => ({
            collection: c.collection,
            title: c.title,
            cursor: c.cursor,
            stored: c.stored,
            updatedAt: c.updated_at,
          })),
        })),
      );
    },

    pull,

    /** Pulls every enabled feed that is due (its interval passed, or its back-off ended), one after another. */
    async pullDue(log?: WorkerLog): Promise<PullResult[]> {
      const due = await repos.feeds.dueFeeds(db, clock().toISOString());
      const results: PullResult[] = [];
      for (const { id } of due) results.push(await pull(id, log));
      return results;
    },

    /** Which live feed values name each of these indicators (by indicatorKey), the earliest knowledge per feed first. */
    async knownTo(values: readonly { type: string; value: string }[]): Promise<Map<string, FeedKnowledge[]>> {
      const byKey = new Map<string, FeedKnowledge[]>();
      const now = clock().toISOString();
      for (const slice of chunks(values, VALUES_PER_QUERY)) {
        for (const row of await repos.feeds.liveFeedValues(db, slice, now)) {
          const key = valueKey(row);
          const list = byKey.get(key) ?? [];
          if (!list.some((k) => k.feed === row.feed_name))
            list.push({
              feed: row.feed_name,
              since: row.known_since,
              validUntil: row.valid_until,
              tlp: row.tlp,
            });
          byKey.set(key, list);
        }
      }
      return byKey;
    },

    /** Per campaign: the feeds knowing any of its linking indicators, and how many of them each knows. */
    async campaignMatches(
      campaignIds: readonly number[],
    ): Promise<Map<number, { feed: string; indicators: number }[]>> {
      const byCampaign = new Map<number, { feed: string; indicators: number }[]>();
      if (campaignIds.length === 0) return byCampaign;
      for (const row of await repos.feeds.campaignFeedMatches(db, campaignIds, clock().toISOString())) {
        if (row.campaign_id === null) continue;
        const list = byCampaign.get(row.campaign_id) ?? [];
        list.push({ feed: row.feed_name, indicators: Number(row.indicators) });
        byCampaign.set(row.campaign_id, list);
      }
      return byCampaign;
    },

    /**
     * Housekeeping: what corroborating values that have just expired named is published again (so a value shared
     * only on a feed's word is withdrawn), and values expired for 30 days are deleted. Returns how many were deleted.
     */
    async expire(): Promise<number> {
      const now = clock();
      return db.transaction().execute(async (trx) => {
        // A week back: an instance stopped for days still withdraws on restart; the outbox keys make repeats no-ops.
        const since = new Date(now.getTime() - EXPIRY_LOOKBACK_MS).toISOString();
        const expired = await repos.feeds.recentlyExpiredCorroborating(trx, since, now.toISOString());
        // Keyed by the expiry itself, so the overlapping windows of hourly runs queue each republication once.
        const groups = new Map<string, typeof expired>();
        for (const row of expired) {
          const key = `${row.feed_id} ${row.valid_until}`;
          groups.set(key, [...(groups.get(key) ?? []), row]);
        }
        for (const rows of groups.values()) {
          const first = rows[0];
          if (first !== undefined)
            await republishNamed(trx, first.feed_id, rows, `expired:${first.valid_until}`);
        }
        return repos.feeds.deleteExpiredFeedValues(
          trx,
          new Date(now.getTime() - EXPIRED_KEPT_MS).toISOString(),
        );
      });
    },
  };
}

export type Feeds = ReturnType<typeof createFeeds>;
