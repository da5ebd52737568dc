/** External feeds Bluelight pulls from, where each pull resumes, and the values they sent. */
import type { Insertable, Updateable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { FeedIndicatorsTable, FeedsTable } from '../schema.ts';

export async function insertFeed(q: DbOrTrx, row: Insertable<FeedsTable>): Promise<number> {
  const inserted = await q.insertInto('feeds').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export function findFeed(q: DbOrTrx, id: number) {
  return q.selectFrom('feeds').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findFeedByName(q: DbOrTrx, name: string) {
  return q.selectFrom('feeds').selectAll().where('name', '=', name).executeTakeFirst();
}

export function allFeeds(q: DbOrTrx) {
  return q.selectFrom('feeds').selectAll().orderBy('id').execute();
}

export async function updateFeed(q: DbOrTrx, id: number, change: Updateable<FeedsTable>): Promise<void> {
  await q.updateTable('feeds').set(change).where('id', '=', id).execute();
}

/** Enabled feeds due for a pull whose lease (if any) has ended. */
export function dueFeeds(q: DbOrTrx, now: string) {
  return q
    .selectFrom('feeds')
    .select('id')
    .where('enabled', '=', 1)
    .where('next_pull_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('next_pull_at')
    .execute();
}

/**
 * Takes the feed's lease if nobody holds it: one conditional update, so two instances (or the CLI and the server)
 * never pull one feed at once. True when this caller got it.
 */
export async function leaseFeed(q: DbOrTrx, id: number, now: string, until: string): Promise<boolean> {
  const result = await q
    .updateTable('feeds')
    .set({ lease_until: until, last_attempt_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function cursorsOf(q: DbOrTrx, feedId: number) {
  return q.selectFrom('feed_cursors').selectAll().where('feed_id', '=', feedId).orderBy('title').execute();
}

export async function findCursor(q: DbOrTrx, feedId: number, collection: string): Promise<string | null> {
  const row = await q
    .selectFrom('feed_cursors')
    .select('cursor')
    .where('feed_id', '=', feedId)
    .where('collection', '=', collection)
    .executeTakeFirst();
  return row?.cursor ?? null;
}

/** Records where the next pull of a collection resumes, and how many values have come from it. */
export async function saveCursor(
  q: DbOrTrx,
  row: {
    feedId: number;
    collection: string;
    title: string;
    cursor: string | null;
    stored: number;
    at: string;
  },
): Promise<void> {
  const existing = await q
    .selectFrom('feed_cursors')
    .select('stored')
    .where('feed_id', '=', row.feedId)
    .where('collection', '=', row.collection)
    .executeTakeFirst();
  if (existing === undefined) {
    await q
      .insertInto('feed_cursors')
      .values({
        feed_id: row.feedId,
        collection: row.collection,
        title: row.title,
        cursor: row.cursor,
        stored: row.stored,
        updated_at: row.at,
      })
      .execute();
    return;
  }
  await q
    .updateTable('feed_cursors')
    .set({
      title: row.title,
      cursor: row.cursor,
      stored: existing.stored + row.stored,
      updated_at: row.at,
    })
    .where('feed_id', '=', row.feedId)
    .where('collection', '=', row.collection)
    .execute();
}

/** The stored version of each of these external objects of a feed. */
export async function storedVersions(
  q: DbOrTrx,
  feedId: number,
  externalIds: readonly string[],
): Promise<Map<string, string>> {
  const versions = new Map<string, string>();
  if (externalIds.length === 0) return versions;
  const rows = await q
    .selectFrom('feed_indicators')
    .select(['external_id', 'version'])
    .where('feed_id', '=', feedId)
    .where('external_id', 'in', [...externalIds])
    .execute();
  for (const row of rows) versions.set(row.external_id, row.version);
  return versions;
}

export async function deleteExternal(
  q: DbOrTrx,
  feedId: number,
  externalIds: readonly string[],
): Promise<void> {
  if (externalIds.length === 0) return;
  await q
    .deleteFrom('feed_indicators')
    .where('feed_id', '=', feedId)
    .where('external_id', 'in', [...externalIds])
    .execute();
}

export async function deleteOrigin(q: DbOrTrx, feedId: number, origin: string): Promise<void> {
  await q.deleteFrom('feed_indicators').where('feed_id', '=', feedId).where('origin', '=', origin).execute();
}

export async function insertFeedIndicators(
  q: DbOrTrx,
  rows: readonly Insertable<FeedIndicatorsTable>[],
): Promise<void> {
  // In slices: one statement per slice keeps within both dialects' parameter limits.
  for (let i = 0; i < rows.length; i += 200)
    await q
      .insertInto('feed_indicators')
      .values(rows.slice(i, i + 200))
      .execute();
}

/** Live values (not revoked, not expired, of an enabled feed) among these type/value pairs, oldest knowledge first. */
export function liveFeedValues(q: DbOrTrx, values: readonly { type: string; value: string }[], now: string) {
  return q
    .selectFrom('feed_indicators')
    .innerJoin('feeds', 'feeds.id', 'feed_indicators.feed_id')
    .select([
      'feed_indicators.type',
      'feed_indicators.value',
      'feed_indicators.known_since',
      'feed_indicators.valid_until',
      'feed_indicators.tlp',
      'feed_indicators.confidence',
      'feeds.id as feed_id',
      'feeds.name as feed_name',
      'feeds.corroborates',
    ])
    .where('feed_indicators.revoked', '=', 0)
    .where('feed_indicators.valid_until', '>', now)
    .where('feeds.enabled', '=', 1)
    .where((eb) =>
      eb.or(
        values.map((v) =>
          eb.and([eb('feed_indicators.type', '=', v.type), eb('feed_indicators.value', '=', v.value)]),
        ),
      ),
    )
    .orderBy('feed_indicators.known_since')
    .execute();
}

/** Live feed values naming an indicator of each of these campaigns: campaign, feed and how many indicators. */
export function campaignFeedMatches(q: DbOrTrx, campaignIds: readonly number[], now: string) {
  return q
    .selectFrom('indicators')
    .innerJoin('feed_indicators', (join) =>
      join
        .onRef('feed_indicators.type', '=', 'indicators.type')
        .onRef('feed_indicators.value', '=', 'indicators.value'),
    )
    .innerJoin('feeds', 'feeds.id', 'feed_indicators.feed_id')
    .select((eb) => [
      'indicators.campaign_id',
      'feeds.name as feed_name',
      eb.fn.count<number | string>('indicators.id').distinct().as('indicators'),
    ])
    .where('indicators.campaign_id', 'in', [...campaignIds])
    .where('indicators.warning_list', 'is', null)
    .where('feed_indicators.revoked', '=', 0)
    .where('feed_indicators.valid_until', '>', now)
    .where('feeds.enabled', '=', 1)
    .groupBy(['indicators.campaign_id', 'feeds.name'])
    .execute();
}

/** Values past their valid_until for longer than the grace given: no longer shown, so no longer kept. */
export async function deleteExpiredFeedValues(q: DbOrTrx, before: string): Promise<number> {
  const result = await q.deleteFrom('feed_indicators').where('valid_until', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Bluelight indicators that a live value of a corroborating feed names, by id. */
export function indicatorsNamedByFeeds(q: DbOrTrx, values: readonly { type: string; value: string }[]) {
  if (values.length === 0) return Promise.resolve([]);
  return q
    .selectFrom('indicators')
    .innerJoin('report_indicators', 'report_indicators.indicator_id', 'indicators.id')
    .select(['indicators.id', 'indicators.type', 'indicators.value'])
    .select((eb) => eb.fn.max('report_indicators.report_id').as('report_id'))
    .where((eb) =>
      eb.or(
        values.map((v) => eb.and([eb('indicators.type', '=', v.type), eb('indicators.value', '=', v.value)])),
      ),
    )
    .groupBy(['indicators.id', 'indicators.type', 'indicators.value'])
    .execute();
}

/** Values of corroborating feeds whose valid_until passed between `since` and `now`. */
export function recentlyExpiredCorroborating(q: DbOrTrx, since: string, now: string) {
  return q
    .selectFrom('feed_indicators')
    .innerJoin('feeds', 'feeds.id', 'feed_indicators.feed_id')
    .select([
      'feed_indicators.feed_id',
      'feed_indicators.type',
      'feed_indicators.value',
      'feed_indicators.valid_until',
    ])
    .where('feeds.corroborates', '=', 1)
    .where('feed_indicators.valid_until', '>', since)
    .where('feed_indicators.valid_until', '<=', now)
    .execute();
}

/** Per live campaign, how many of its linking indicators live external feed values name (campaign scoring). */
export function feedKnownIndicatorsPerCampaign(q: DbOrTrx, now: string) {
  return q
    .selectFrom('indicators')
    .innerJoin('feed_indicators', (join) =>
      join
        .onRef('feed_indicators.type', '=', 'indicators.type')
        .onRef('feed_indicators.value', '=', 'indicators.value'),
    )
    .innerJoin('feeds', 'feeds.id', 'feed_indicators.feed_id')
    .select((eb) => [
      'indicators.campaign_id',
      eb.fn.count<number | string>('indicators.id').distinct().as('indicators'),
    ])
    .where('indicators.campaign_id', 'is not', null)
    .where('indicators.warning_list', 'is', null)
    .where('feed_indicators.revoked', '=', 0)
    .where('feed_indicators.valid_until', '>', now)
    .where('feeds.enabled', '=', 1)
    .groupBy('indicators.campaign_id')
    .execute();
}
