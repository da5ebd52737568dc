/**
 * Industry sharing: the TAXII object store (every STIX version published, in the order added), TAXII status
 * resources, and the reads that decide what to publish about indicators and campaigns.
 */
import { sql, type Insertable } from 'kysely';
import pg from 'pg';
import type { CopyOut, DbOrTrx, Dialect } from '../database.ts';
import type { TaxiiObjectsTable } from '../schema.ts';

export interface ObjectFilters {
  addedAfter?: string;
  ids?: string[];
  types?: string[];
  /** 'last' (default), 'first', 'all' or exact versions. */
  versions: string[];
  specVersions?: string[];
}

/** An object version as an objects page serves it. */
export interface ObjectRow {
  id: number;
  dateAdded: string;
  /** The stored STIX JSON, served as it is: its text, or its UTF-8 bytes as PostgreSQL sent them. */
  body: string | Buffer;
}

/** An object version as a manifest or versions page lists it. */
export interface ManifestRow {
  id: number;
  dateAdded: string;
  stixId: string;
  version: string;
}

export interface ObjectScope {
  tlp: string;
  /** A sector, or 'all-sectors' for every one. */
  sector: string;
}

/** Object versions visible in a scope (its TLP, or '*'; its sector, or '*') that pass the filters, after row `after`. */
function scoped(q: DbOrTrx, scope: ObjectScope, filters: ObjectFilters, after: number) {
  const { tlp, sector } = scope;
  let query = q
    .selectFrom('taxii_objects')
    .select(['id', 'date_added as dateAdded'])
    .where('id', '>', after)
    .where((eb) => eb.or([eb('tlp', '=', tlp), eb('tlp', '=', '*')]));
  if (sector !== 'all-sectors') {
    query = query.where((eb) => eb.or([eb('sectors', '=', '*'), eb('sectors', 'like', `%,${sector},%`)]));
  }
  if (filters.addedAfter !== undefined) query = query.where('date_added', '>', filters.addedAfter);
  if (filters.ids !== undefined) query = query.where('stix_id', 'in', filters.ids);
  if (filters.types !== undefined) query = query.where('stix_type', 'in', filters.types);
  const versions = filters.versions;
  if (!versions.includes('all')) {
    const exact = versions.filter((v) => v !== 'last' && v !== 'first');
    query = query.where((eb) =>
      eb.or([
        ...(versions.includes('last') ? [eb('latest', '=', 1)] : []),
        ...(versions.includes('first') ? [eb('first', '=', 1)] : []),
        ...(exact.length > 0 ? [eb('version', 'in', exact)] : []),
      ]),
    );
  }
  // Ids ascend with date added.
  return query.orderBy('id');
}

/** Up to `count` object versions with their stored JSON, ascending by date added. Only the columns a page sends. */
export function pageObjects(
  q: DbOrTrx,
  scope: ObjectScope,
  filters: ObjectFilters,
  after: number,
  count: number,
): Promise<ObjectRow[]> {
  return scoped(q, scope, filters, after).select('body').limit(count).execute();
}

/**
 * PostgreSQL: the same page as `pageObjects`, read with `COPY … TO STDOUT (FORMAT binary)` so that each object's JSON
 * arrives as bytes and goes to the partner as bytes, never decoded into a string and encoded again (most of a page's
 * cost in the server, with the garbage it left: docs/performance.md, "TAXII paging"). COPY takes no parameters, so
 * the text holds literals: integers checked here, the scope's TLP and sector (the server's own collection table) and
 * `added_after` (already a checked timestamp) quoted by the driver's escapeLiteral. Filters by id, type or exact
 * version take the ordinary query (null here).
 */
export async function pageObjectsCopied(
  copyOut: CopyOut,
  scope: ObjectScope,
  filters: ObjectFilters,
  after: number,
  count: number,
): Promise<ObjectRow[] | null> {
  const { versions } = filters;
  if (filters.ids !== undefined || filters.types !== undefined) return null;
  if (versions.length === 0 || versions.some((v) => v !== 'last' && v !== 'first' && v !== 'all'))
    return null;
  if (!Number.isSafeInteger(after) || !Number.isSafeInteger(count) || after < 0 || count < 1) return null;
  const literal = pg.escapeLiteral;
  const where = [`id > ${String(after)}`, `(tlp = ${literal(scope.tlp)} or tlp = '*')`];
  if (scope.sector !== 'all-sectors')
    where.push(`(sectors = '*' or sectors like ${literal(`%,${scope.sector},%`)})`);
  if (filters.addedAfter !== undefined) where.push(`date_added > ${literal(filters.addedAfter)}`);
  if (!versions.includes('all'))
    where.push(
      `(${[...(versions.includes('last') ? ['latest = 1'] : []), ...(versions.includes('first') ? ['first = 1'] : [])].join(' or ')})`,
    );
  // The id is read as int8 whatever its column's width; the order is the column's own, so its index serves it.
  const bytes = await copyOut(
    `copy (select id::int8 as row_id, date_added::text, body::text from taxii_objects where ${where.join(' and ')} order by taxii_objects.id limit ${String(count)}) to stdout with (format binary)`,
  );
  return binaryRows(bytes);
}

/** The rows of a binary COPY of (int8, text, text): the header, then per row a field count and each field's length. */
function binaryRows(bytes: Buffer): ObjectRow[] {
  const rows: ObjectRow[] = [];
  // "PGCOPY\n\xff\r\n\0", flags, then the header extension's length and the extension.
  let at = 11 + 8 + bytes.readInt32BE(15);
  for (;;) {
    const fields = bytes.readInt16BE(at);
    at += 2;
    if (fields === -1) return rows;
    if (fields !== 3) throw new Error(`COPY row with ${String(fields)} fields`);
    at += 4; // the id's length (8)
    const id = Number(bytes.readBigInt64BE(at));
    at += 8;
    const dateLength = bytes.readInt32BE(at);
    const dateAdded = bytes.toString('utf8', at + 4, at + 4 + dateLength);
    at += 4 + dateLength;
    const bodyLength = bytes.readInt32BE(at);
    const body = bytes.subarray(at + 4, at + 4 + bodyLength);
    at += 4 + bodyLength;
    rows.push({ id, dateAdded, body });
  }
}

/** Up to `count` object versions without their JSON, for manifests, versions and existence checks. */
export function pageManifest(
  q: DbOrTrx,
  scope: ObjectScope,
  filters: ObjectFilters,
  after: number,
  count: number,
): Promise<ManifestRow[]> {
  return scoped(q, scope, filters, after).select(['stix_id as stixId', 'version']).limit(count).execute();
}

/** A TAXII status resource's JSON text, only for the partner it belongs to. */
export async function findStatusBody(q: DbOrTrx, id: string, partnerId: number): Promise<string | undefined> {
  const row = await q
    .selectFrom('taxii_status')
    .select('body')
    .where('id', '=', id)
    .where('partner_id', '=', partnerId)
    .executeTakeFirst();
  return row?.body;
}

/** Serialises appends to the object store on PostgreSQL (until the transaction ends), so ids and date_added agree. */
export async function lockObjectStore(trx: DbOrTrx, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(727274)`.execute(trx);
}

/** The last object version added, if any. */
export function lastObject(q: DbOrTrx): Promise<{ id: number; date_added: string } | undefined> {
  return q
    .selectFrom('taxii_objects')
    .select(['id', 'date_added'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The latest stored version of a STIX object. */
export function latestVersionOf(q: DbOrTrx, stixId: string) {
  return q
    .selectFrom('taxii_objects')
    .select(['id', 'body', 'version'])
    .where('stix_id', '=', stixId)
    .where('latest', '=', 1)
    .executeTakeFirst();
}

/** Every stored version of a STIX object, with where each went. */
export function versionsOf(q: DbOrTrx, stixId: string) {
  return q
    .selectFrom('taxii_objects')
    .select(['id', 'tlp', 'sectors'])
    .where('stix_id', '=', stixId)
    .execute();
}

export async function deleteObjectVersions(q: DbOrTrx, ids: number[]): Promise<void> {
  if (ids.length > 0) await q.deleteFrom('taxii_objects').where('id', 'in', ids).execute();
}

export async function markNotLatest(q: DbOrTrx, id: number): Promise<void> {
  await q.updateTable('taxii_objects').set({ latest: 0 }).where('id', '=', id).execute();
}

export async function insertObjectVersion(q: DbOrTrx, row: Insertable<TaxiiObjectsTable>): Promise<void> {
  await q.insertInto('taxii_objects').values(row).execute();
}

/** Those of these STIX ids that have a published version. */
export async function publishedIds(q: DbOrTrx, stixIds: string[]): Promise<Set<string>> {
  if (stixIds.length === 0) return new Set();
  const rows = await q
    .selectFrom('taxii_objects')
    .select('stix_id')
    .where('stix_id', 'in', stixIds)
    .where('latest', '=', 1)
    .execute();
  return new Set(rows.map((r) => r.stix_id));
}

/** Indicators by id, in id order. */
export function indicatorsByIds(q: DbOrTrx, ids: number[]) {
  return q.selectFrom('indicators').selectAll().where('id', 'in', ids).orderBy('id').execute();
}

/** Every report naming these indicators, with what decides sharing, oldest report first. */
export function sightingsOf(q: DbOrTrx, indicatorIds: number[]) {
  return q
    .selectFrom('report_indicators')
    .innerJoin('reports', 'reports.id', 'report_indicators.report_id')
    .select([
      'report_indicators.indicator_id',
      'report_indicators.source',
      'reports.tlp',
      'reports.force_id',
      'reports.unit_id',
      'reports.category',
      'reports.status',
      'reports.answers',
      'reports.contact_email',
      'reports.partner_token_id',
      'reports.reporter_client',
      'reports.created_at',
    ])
    .where('report_indicators.indicator_id', 'in', indicatorIds)
    .orderBy('reports.created_at')
    .execute();
}

export async function indicatorIdsOfCampaign(q: DbOrTrx, campaignId: number): Promise<number[]> {
  const rows = await q.selectFrom('indicators').select('id').where('campaign_id', '=', campaignId).execute();
  return rows.map((r) => r.id);
}

/** The campaigns these indicators belong to, each once. */
export async function campaignIdsOfIndicators(q: DbOrTrx, indicatorIds: number[]): Promise<number[]> {
  if (indicatorIds.length === 0) return [];
  const rows = await q
    .selectFrom('indicators')
    .select('campaign_id')
    .where('id', 'in', indicatorIds)
    .execute();
  return [...new Set(rows.flatMap((r) => (r.campaign_id === null ? [] : [r.campaign_id])))];
}

/** A campaign's reports that count (not set aside), oldest first. */
export function countedReportsOfCampaign(q: DbOrTrx, campaignId: number, notCounted: string[]) {
  return q
    .selectFrom('reports')
    .select(['force_id', 'category', 'created_at', 'tlp', 'unit_id'])
    .where('campaign_id', '=', campaignId)
    .where('status', 'not in', notCounted)
    .orderBy('created_at')
    .execute();
}

export function findCampaign(q: DbOrTrx, campaignId: number) {
  return q.selectFrom('campaigns').selectAll().where('id', '=', campaignId).executeTakeFirst();
}

/** A report's campaign and the indicators it names; undefined when there is no such report. */
export async function reportIndicators(
  q: DbOrTrx,
  reportId: number,
): Promise<{ campaignId: number | null; indicatorIds: number[] } | undefined> {
  const report = await q
    .selectFrom('reports')
    .select('campaign_id')
    .where('id', '=', reportId)
    .executeTakeFirst();
  if (report === undefined) return undefined;
  const rows = await q
    .selectFrom('report_indicators')
    .select('indicator_id')
    .where('report_id', '=', reportId)
    .execute();
  return { campaignId: report.campaign_id, indicatorIds: rows.map((r) => r.indicator_id) };
}

/** Stored objects after `fromId`, up to and including `toId`, in order (a webhook push). */
export function objectsBetween(q: DbOrTrx, fromId: number, toId: number) {
  return q
    .selectFrom('taxii_objects')
    .select(['body', 'tlp', 'sectors'])
    .where('id', '>', fromId)
    .where('id', '<=', toId)
    .orderBy('id')
    .execute();
}

/** A LIKE pattern matching `text` literally anywhere (the escape character is a backslash). */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The partner portal's search of one collection: the latest, unrevoked indicator versions in the scope whose
 * pattern starts `patternPrefix` (an indicator type) and whose JSON contains `text` (any case), newest first,
 * before row `before` (0: from the newest). What is searched is only what the partner may read anyway.
 */
export function searchLatestIndicators(
  q: DbOrTrx,
  scope: ObjectScope,
  search: { text?: string; patternPrefix?: string },
  before: number,
  count: number,
): Promise<{ id: number; dateAdded: string; body: string }[]> {
  let query = q
    .selectFrom('taxii_objects')
    .select(['id', 'date_added as dateAdded', 'body'])
    .where('stix_type', '=', 'indicator')
    .where('latest', '=', 1)
    .where('tlp', '=', scope.tlp)
    .where(sql<boolean>`body not like ${'%"revoked":true%'}`);
  if (scope.sector !== 'all-sectors')
    query = query.where((eb) =>
      eb.or([eb('sectors', '=', '*'), eb('sectors', 'like', `%,${scope.sector},%`)]),
    );
  if (before > 0) query = query.where('id', '<', before);
  if (search.patternPrefix !== undefined)
    query = query.where(
      sql<boolean>`body like ${`%"pattern":"${containing(search.patternPrefix).slice(1)}`} escape '\\'`,
    );
  if (search.text !== undefined && search.text !== '')
    query = query.where(sql<boolean>`lower(body) like ${containing(search.text.toLowerCase())} escape '\\'`);
  return query.orderBy('id', 'desc').limit(count).execute();
}

/** A partner's own TAXII status resources (submissions and feedback POSTs, portal uploads too), newest first. */
export function statusesOfPartner(q: DbOrTrx, partnerId: number, count: number) {
  return q
    .selectFrom('taxii_status')
    .select(['id', 'body', 'created_at'])
    .where('partner_id', '=', partnerId)
    .orderBy('created_at', 'desc')
    .limit(count)
    .execute();
}
