import { PostgresAdapter, sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import { prepared, preparedText, type DbOrTrx, type Dialect } from '../database.ts';
import type { CategoryChangesTable, ReportsTable, ReportUpdatesTable } from '../schema.ts';
import { wellFormed } from '../../domain/well-formed.ts';
import { anyOpenIncident } from './incident-repository.ts';
import { enqueueJob, type NewOutboxJob } from './outbox-repository.ts';
import { addDailyStats, type StatsDelta } from './stats-repository.ts';

export type ReportRow = Selectable<ReportsTable>;
export type NewReportRow = Insertable<ReportsTable>;

/** The unit the report arrives at is kept apart from the one holding it, which a transfer changes (unit figures). */
const received = (row: NewReportRow): NewReportRow => ({
  ...row,
  received_unit: row.received_unit ?? row.unit_id ?? null,
});

/** Inserts a report unless its reference is taken; returns the new id, or null on a reference collision. */
export async function insertReport(db: DbOrTrx, row: NewReportRow): Promise<number | null> {
  const inserted = await db
    .insertInto('reports')
    .values(received(row))
    .onConflict((oc) => oc.column('reference').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id ?? null;
}

/** The report row; `forUpdate` (PostgreSQL only) holds it until the transaction ends. */
export async function findReportByReference(
  db: DbOrTrx,
  reference: string,
  forUpdate = false,
): Promise<ReportRow | undefined> {
  const query = db.selectFrom('reports').selectAll().where('reference', '=', reference);
  return (forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export async function insertReportEvidence(
  db: DbOrTrx,
  reportId: number,
  items: { sha256: string; fileName: string; contentType: string; size: number }[],
  now: Date,
): Promise<void> {
  if (items.length === 0) return;
  await db
    .insertInto('report_evidence')
    .values(
      items.map((item) => ({
        report_id: reportId,
        sha256: item.sha256,
        file_name: item.fileName,
        content_type: item.contentType,
        size: item.size,
        created_at: now.toISOString(),
      })),
    )
    .execute();
}

export async function insertReportUpdate(db: DbOrTrx, update: Insertable<ReportUpdatesTable>): Promise<void> {
  await db.insertInto('report_updates').values(update).execute();
}

/** Adds an entry to the report's history; answers its id (which names the addition in outbox dedupe keys). */
export async function addReportUpdate(db: DbOrTrx, update: Insertable<ReportUpdatesTable>): Promise<number> {
  const row = await db.insertInto('report_updates').values(update).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** The report's evidence files (SHA-256 and size), for the per-report limits. */
export function evidenceOfReport(db: DbOrTrx, reportId: number) {
  return db
    .selectFrom('report_evidence')
    .select(['sha256', 'size'])
    .where('report_id', '=', reportId)
    .orderBy('id')
    .execute();
}

/**
 * The unit has opened the report: its "new information from the victim" flag goes, unless the victim added more
 * after `seen` (the flag's value when the report was read), which stays flagged.
 */
export async function clearVictimNews(db: DbOrTrx, reportId: number, seen: string): Promise<void> {
  await db
    .updateTable('reports')
    .set({ victim_news_at: null })
    .where('id', '=', reportId)
    .where('victim_news_at', '=', seen)
    .execute();
}

export async function insertCategoryChange(
  db: DbOrTrx,
  change: Insertable<CategoryChangesTable>,
): Promise<void> {
  await db.insertInto('category_changes').values(change).execute();
}

export async function listVictimUpdates(
  db: DbOrTrx,
  reportId: number,
): Promise<Selectable<ReportUpdatesTable>[]> {
  return db
    .selectFrom('report_updates')
    .selectAll()
    .where('report_id', '=', reportId)
    .where('visible_to_victim', '=', 1)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Changes a report's own columns (status, allocation, unit, TLP…). */
export async function updateReport(db: DbOrTrx, id: number, change: Updateable<ReportsTable>): Promise<void> {
  await db.updateTable('reports').set(change).where('id', '=', id).execute();
}

/** What a unit's queue is filtered and sorted by (the service's QueueFilters less the page). */
export interface UnitQueueFilters {
  status?: string;
  category?: string;
  urgent?: boolean;
  vulnerable?: boolean;
  /** Only reports with information from the victim no officer has opened since. */
  victimNews?: boolean;
  sort?: 'priority' | 'oldest' | 'newest' | 'reference' | 'reference-desc' | 'status' | 'status-desc';
}

/** A unit's reports as its queue's filters (and, unless left out, its status) narrow them. */
function unitQueueMatching(db: DbOrTrx, unitId: string, filters: UnitQueueFilters, withStatus = true) {
  let query = db.selectFrom('reports').where('unit_id', '=', unitId);
  if (filters.victimNews) query = query.where('victim_news_at', 'is not', null);
  if (withStatus && filters.status) query = query.where('status', '=', filters.status);
  if (filters.category) query = query.where('category', '=', filters.category);
  if (filters.urgent) query = query.where('urgent', '=', 1);
  if (filters.vulnerable) query = query.where('vulnerable', '=', 1);
  return query;
}

/**
 * One page of a unit's queue with how many reports match: urgent, then vulnerable, then oldest, unless sorted.
 * `statusOrder` is the order of the work, for sorting by status.
 */
export async function unitQueue(
  db: DbOrTrx,
  unitId: string,
  filters: UnitQueueFilters,
  page: { offset: number; limit: number },
  statusOrder: readonly string[] = [],
) {
  const query = unitQueueMatching(db, unitId, filters);
  const total = Number(
    (await query.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n,
  );
  const statusRank = sql<number>`case status ${sql.join(
    statusOrder.map((status, i) => sql`when ${status} then ${sql.lit(i)}`),
    sql` `,
  )} else ${sql.lit(statusOrder.length)} end`;
  const rows = await query
    .select([
      'reference',
      'status',
      'category',
      'urgent',
      'vulnerable',
      'created_at',
      'allocated_to',
      'victim_news_at',
    ])
    .$call((q) => {
      switch (filters.sort) {
        case 'newest':
          return q.orderBy('created_at', 'desc');
        case 'oldest':
          return q.orderBy('created_at', 'asc');
        case 'reference':
          return q;
        case 'reference-desc':
          return q.orderBy('reference', 'desc');
        case 'status':
        case 'status-desc':
          return statusOrder.length === 0
            ? q.orderBy('status', filters.sort === 'status' ? 'asc' : 'desc')
            : q.orderBy(statusRank, filters.sort === 'status' ? 'asc' : 'desc').orderBy('created_at', 'asc');
        default:
          return q.orderBy('urgent', 'desc').orderBy('vulnerable', 'desc').orderBy('created_at', 'asc');
      }
    })
    .orderBy('reference')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total };
}

/** How many of a unit's reports each status holds, under the queue's other filters (its status tabs), in one query. */
export async function unitQueueStatusCounts(
  db: DbOrTrx,
  unitId: string,
  filters: UnitQueueFilters,
): Promise<Record<string, number>> {
  const rows = await unitQueueMatching(db, unitId, filters, false)
    .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** A report's category changes, oldest first. */
export function categoryChangesOf(q: DbOrTrx, reportId: number) {
  return q
    .selectFrom('category_changes')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('id')
    .execute();
}

/** A report's updates (notes and messages to the victim), oldest first. */
export function reportUpdatesOf(q: DbOrTrx, reportId: number) {
  return q.selectFrom('report_updates').selectAll().where('report_id', '=', reportId).orderBy('id').execute();
}

/** A new report with the rows every report starts with. */
export interface NewReportWithFirstRows {
  report: NewReportRow;
  update: Omit<Insertable<ReportUpdatesTable>, 'report_id'>;
  categoryChange: Omit<Insertable<CategoryChangesTable>, 'report_id'>;
  /**
   * Outbox jobs (confirmation email, linking); skipped if one with the same dedupe key exists, and, when
   * `whileIncidentOpen`, unless some significant incident is open as the report is written (read in the same
   * statement: no round trip of its own).
   */
  jobs: (NewOutboxJob & { whileIncidentOpen?: boolean })[];
  /** Its count in the daily statistics: a hot row, so taken last. */
  stats: StatsDelta;
  now: Date;
}

/**
 * Inserts a report, its first progress update, its category history, its outbox jobs and its statistics count;
 * returns the new id, or null (and writes nothing) on a reference collision. On PostgreSQL this is one statement
 * (data-modifying CTEs that only write when the report row was written): one round trip, atomic on its own.
 * SQLite runs the same writes in turn; call it in a transaction there.
 */
export async function insertReportWithFirstRows(
  db: DbOrTrx,
  dialect: Dialect,
  rows: NewReportWithFirstRows,
): Promise<number | null> {
  const at = rows.now.toISOString();
  const outboxRow = (job: NewOutboxJob) => ({
    kind: job.kind,
    dedupe_key: job.dedupeKey,
    payload: JSON.stringify(job.payload),
    status: 'pending' as const,
    attempts: 0,
    run_after: at,
    last_error: null,
    created_at: at,
    updated_at: at,
  });
  if (dialect === 'sqlite') {
    const id = await insertReport(db, rows.report);
    if (id === null) return null;
    await insertReportUpdate(db, { ...rows.update, report_id: id });
    await insertCategoryChange(db, { ...rows.categoryChange, report_id: id });
    const incidentOpen = rows.jobs.some((job) => job.whileIncidentOpen) && (await anyOpenIncident(db));
    for (const job of rows.jobs)
      if (job.whileIncidentOpen !== true || incidentOpen) await enqueueJob(db, job, rows.now);
    await addDailyStats(db, rows.stats);
    return id;
  }
  const u = rows.update;
  const c = rows.categoryChange;
  const s = rows.stats;
  let query = db
    .with('r', (q) =>
      q
        .insertInto('reports')
        .values(received(rows.report))
        .onConflict((oc) => oc.column('reference').doNothing())
        .returning('id'),
    )
    .with('u', (q) =>
      q
        .insertInto('report_updates')
        .columns(['report_id', 'kind', 'message', 'visible_to_victim', 'created_at'])
        .expression((eb) =>
          eb
            .selectFrom('r')
            .select([
              'r.id',
              eb.val(u.kind).as('kind'),
              eb.val(u.message).as('message'),
              eb.val(u.visible_to_victim).as('visible_to_victim'),
              eb.val(u.created_at).as('created_at'),
            ]),
        ),
    )
    .with('c', (q) =>
      q
        .insertInto('category_changes')
        .columns(['report_id', 'category', 'previous_category', 'changed_by', 'reason', 'changed_at'])
        .expression((eb) =>
          eb
            .selectFrom('r')
            .select([
              'r.id',
              eb.val(c.category).as('category'),
              eb.val(c.previous_category ?? null).as('previous_category'),
              eb.val(c.changed_by).as('changed_by'),
              eb.val(c.reason).as('reason'),
              eb.val(c.changed_at).as('changed_at'),
            ]),
        ),
    )
    // Last: the statistics row is shared by every report of the day, force and category.
    .with('s', (q) =>
      q
        .insertInto('stats_daily')
        .columns(['day', 'force_id', 'category', 'cyber', 'source', 'shard', 'reports', 'loss_pence'])
        .expression((eb) =>
          eb
            .selectFrom('r')
            .select([
              eb.val(s.day).as('day'),
              eb.val(s.force_id).as('force_id'),
              eb.val(s.category).as('category'),
              eb.val(s.cyber).as('cyber'),
              eb.val(s.source).as('source'),
              eb.val(s.shard).as('shard'),
              eb.val(s.reports).as('reports'),
              eb.val(s.loss_pence).as('loss_pence'),
            ]),
        )
        .onConflict((oc) =>
          oc.columns(['day', 'force_id', 'category', 'cyber', 'source', 'shard']).doUpdateSet({
            reports: sql`stats_daily.reports + excluded.reports`,
            loss_pence: sql`stats_daily.loss_pence + excluded.loss_pence`,
          }),
        ),
    );
  if (rows.jobs.length > 0) {
    const jobs = rows.jobs.map((job) => ({
      ...outboxRow(job),
      whileIncidentOpen: job.whileIncidentOpen === true,
    }));
    query = query.with('j', (q) =>
      q
        .insertInto('outbox')
        .columns([
          'kind',
          'dedupe_key',
          'payload',
          'status',
          'attempts',
          'run_after',
          'last_error',
          'created_at',
          'updated_at',
        ])
        .expression((eb) => {
          const one = (job: (typeof jobs)[number]) => {
            const row = eb.selectFrom('r').select([
              eb.val(job.kind).as('kind'),
              eb.val(job.dedupe_key).as('dedupe_key'),
              eb.val(job.payload).as('payload'),
              eb.val(job.status).as('status'),
              // A union's parameters are text unless cast.
              eb.cast(eb.val(job.attempts), 'integer').as('attempts'),
              eb.val(job.run_after).as('run_after'),
              eb.val(job.last_error).as('last_error'),
              eb.val(job.created_at).as('created_at'),
              eb.val(job.updated_at).as('updated_at'),
            ]);
            return job.whileIncidentOpen
              ? row.where((w) =>
                  w.exists(w.selectFrom('incidents').select('id').where('status', '=', 'open')),
                )
              : row;
          };
          const [first, ...rest] = jobs.map(one);
          return rest.reduce(
            (all, next) => all.unionAll(next),
            first ?? one(jobs[0] as (typeof jobs)[number]),
          );
        })
        .onConflict((oc) => oc.column('dedupe_key').doNothing()),
    ) as unknown as typeof query;
  }
  // Its text depends only on how many jobs it queues: prepared once per connection.
  const inserted = await db.executeQuery(prepared(query.selectFrom('r').select('id')));
  return inserted.rows[0]?.id ?? null;
}

/**
 * The batch as JSON, lone surrogates made U+FFFD. JSON.stringify writes a lone surrogate as an escape (`\udXXX`) and a
 * pair as itself, so only a batch whose JSON holds such an escape (or an escaped backslash before "u d…", which
 * costs a second pass and nothing else) is written again with the slower replacer.
 */
function batchJson(input: unknown): string {
  const json = JSON.stringify(input);
  return /\\u[dD][89a-fA-F]/.test(json)
    ? JSON.stringify(input, (_key, value: unknown) => (typeof value === 'string' ? wellFormed(value) : value))
    : json;
}

/** Column names are interpolated into the batched statement's text: only these shapes may be. */
const COLUMN = /^[a-z_]+$/;

/**
 * The writes of `insertReportWithFirstRows` for many reports in one statement (PostgreSQL only): the rows travel as
 * one JSON parameter, so the text depends only on the report's columns and is prepared once per connection, and the
 * whole batch costs PostgreSQL one round trip and one commit. Answers each report's id in order, or null where its
 * reference was taken (nothing of that report is written). The batch's statistics are summed per row and written in
 * key order, so two batches never lock the same counters in opposite orders.
 */
export async function insertReportsWithFirstRows(
  db: DbOrTrx,
  rows: readonly NewReportWithFirstRows[],
): Promise<(number | null)[]> {
  const first = rows[0];
  if (first === undefined) return [];
  const columns = Object.keys(received(first.report));
  const shape = columns.join(',');
  for (const row of rows)
    if (Object.keys(received(row.report)).join(',') !== shape)
      throw new Error('a batch of reports must share one set of columns');
  if (!columns.every((c) => COLUMN.test(c))) throw new Error('unexpected report column name');
  // Two reports of a batch given the same reference: only the first is sent (the other is answered null and retried
  // with a new one), or both would be joined to the one row written.
  const taken = new Set<string>();
  const sent = rows.filter((row) => !taken.has(row.report.reference) && taken.add(row.report.reference));
  const input = sent.map((row) => {
    const at = row.now.toISOString();
    return {
      report: received(row.report),
      update: row.update,
      change: row.categoryChange,
      stats: row.stats,
      jobs: row.jobs.map((job) => ({
        kind: job.kind,
        dedupe_key: job.dedupeKey,
        payload: JSON.stringify(job.payload),
        run_after: at,
        created_at: at,
        updated_at: at,
        while_incident_open: job.whileIncidentOpen === true,
      })),
    };
  });
  const list = columns.join(', ');
  const text = `with input as (select e from jsonb_array_elements($1::jsonb) e),
r as (
  insert into reports (${list})
  select ${columns.map((c) => `p.${c}`).join(', ')}
  from input, jsonb_populate_record(null::reports, input.e->'report') p
  on conflict (reference) do nothing
  returning id, reference
),
w as (select r.id, input.e from r join input on input.e->'report'->>'reference' = r.reference),
u as (
  insert into report_updates (report_id, kind, message, visible_to_victim, created_at)
  select w.id, p.kind, p.message, p.visible_to_victim, p.created_at
  from w, jsonb_populate_record(null::report_updates, w.e->'update') p
),
c as (
  insert into category_changes (report_id, category, previous_category, changed_by, reason, changed_at)
  select w.id, p.category, p.previous_category, p.changed_by, p.reason, p.changed_at
  from w, jsonb_populate_record(null::category_changes, w.e->'change') p
),
j as (
  insert into outbox (kind, dedupe_key, payload, status, attempts, run_after, last_error, created_at, updated_at)
  select p.kind, p.dedupe_key, p.payload, 'pending', 0, p.run_after, null, p.created_at, p.updated_at
  from w, jsonb_array_elements(w.e->'jobs') je, jsonb_populate_record(null::outbox, je) p
  where not (je->>'while_incident_open')::boolean or exists (select 1 from incidents where status = 'open')
  on conflict (dedupe_key) do nothing
),
s as (
  insert into stats_daily (day, force_id, category, cyber, source, shard, reports, loss_pence)
  select p.day, p.force_id, p.category, p.cyber, p.source, p.shard, sum(p.reports), sum(p.loss_pence)
  from w, jsonb_populate_record(null::stats_daily, w.e->'stats') p
  group by p.day, p.force_id, p.category, p.cyber, p.source, p.shard
  order by p.day, p.force_id, p.category, p.cyber, p.source, p.shard
  on conflict (day, force_id, category, cyber, source, shard) do update
    set reports = stats_daily.reports + excluded.reports, loss_pence = stats_daily.loss_pence + excluded.loss_pence
)
select id, reference from r`;
  const result = await db.executeQuery(
    // Lone surrogates become U+FFFD, as the driver's UTF-8 encoding makes them for a report written alone:
    // PostgreSQL's JSON parser would refuse the whole batch (and quote it in its log).
    preparedText<{ id: number; reference: string }>(text, [batchJson(input)]),
  );
  const ids = new Map(result.rows.map((r) => [r.reference, r.id]));
  return rows.map((row) => (sent.includes(row) ? (ids.get(row.report.reference) ?? null) : null));
}

/** The ids of the reports with these references, by reference (a reference not found is absent). */
/**
 * The ids of those reports that still hold their personal data (retention has not removed it), for linking. On
 * PostgreSQL the rows are share-locked until the transaction ends, so retention cannot remove a report's links
 * while they are being made, and a report retention is anonymising is found only once it has (and so left out).
 */
export async function linkableReportIds(
  db: DbOrTrx,
  references: readonly string[],
): Promise<Map<string, { id: number; campaignId: number | null }>> {
  let query = db
    .selectFrom('reports')
    .select(['id', 'reference', 'campaign_id'])
    .where('reference', 'in', references)
    .where('anonymised_at', 'is', null);
  if (db.getExecutor().adapter instanceof PostgresAdapter) query = query.forShare();
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.reference, { id: r.id, campaignId: r.campaign_id }]));
}

export async function findReportId(db: DbOrTrx, reference: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('reports')
    .select('id')
    .where('reference', '=', reference)
    .executeTakeFirst();
  return row?.id;
}

/** The report row; `forUpdate` (PostgreSQL only) holds it until the transaction ends. */
export function findReportById(db: DbOrTrx, id: number, forUpdate = false): Promise<ReportRow | undefined> {
  const query = db.selectFrom('reports').selectAll().where('id', '=', id);
  return (forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export interface UnitCountRules {
  /** Statuses counted as new. */
  newStatuses: readonly string[];
  /** Reports `received` before this are overdue for first contact. */
  overdueBefore: string;
  /** Statuses the unit no longer works (never awaiting the victim, never urgent work). */
  finishedStatuses: readonly string[];
  /** The update kinds of a unit's message to the victim and of the victim's own additions. */
  messageKind: string;
  victimKinds: readonly string[];
}

/**
 * A unit's workload in one query: new reports, overdue first contact, reports awaiting the victim (the unit's
 * latest message to them has no addition from the victim after it) and urgent or vulnerable ones nobody is
 * allocated.
 */
export async function unitCounts(
  q: DbOrTrx,
  unitId: string,
  rules: UnitCountRules,
): Promise<{ new: number; overdue: number; awaitingVictim: number; urgentUnassigned: number }> {
  const open = sql<boolean>`r.status not in (${sql.join(rules.finishedStatuses)})`;
  const awaiting = sql<boolean>`exists (
    select 1 from report_updates m
    where m.report_id = r.id and m.kind = ${rules.messageKind}
      and not exists (
        select 1 from report_updates v where v.report_id = r.id and v.kind in (${sql.join(rules.victimKinds)}) and v.id > m.id
      )
  )`;
  const count = (condition: ReturnType<typeof sql<boolean>>) =>
    sql<number | string | null>`sum(case when ${condition} then 1 else 0 end)`;
  const row = await q
    .selectFrom('reports as r')
    .select([
      count(sql`r.status in (${sql.join(rules.newStatuses)})`).as('new'),
      count(sql`r.status = 'received' and r.created_at < ${rules.overdueBefore}`).as('overdue'),
      count(sql`${open} and ${awaiting}`).as('awaiting'),
      count(sql`${open} and r.allocated_to is null and (r.urgent = 1 or r.vulnerable = 1)`).as('urgent'),
    ])
    .where('r.unit_id', '=', unitId)
    .executeTakeFirstOrThrow();
  return {
    new: Number(row.new ?? 0),
    overdue: Number(row.overdue ?? 0),
    awaitingVictim: Number(row.awaiting ?? 0),
    urgentUnassigned: Number(row.urgent ?? 0),
  };
}
