import type { Selectable } from 'kysely';
import type { DbOrTrx, Dialect } from '../database.ts';
import type { OutboxTable } from '../schema.ts';

export type OutboxRow = Selectable<OutboxTable>;

export interface NewOutboxJob {
  kind: string;
  dedupeKey: string;
  payload: unknown;
}

/** Adds a job unless one with the same dedupe key exists; returns true when it was added. */
export async function enqueueJob(db: DbOrTrx, job: NewOutboxJob, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const result = await db
    .insertInto('outbox')
    .values({
      kind: job.kind,
      dedupe_key: job.dedupeKey,
      payload: JSON.stringify(job.payload),
      status: 'pending',
      attempts: 0,
      run_after: at,
      last_error: null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Claims due jobs. On PostgreSQL rows are locked with SKIP LOCKED so several workers never take the same job;
 * call inside a transaction. SQLite has a single writer, so a plain select inside the transaction is enough.
 */
export async function claimDueJobs(
  db: DbOrTrx,
  dialect: Dialect,
  now: Date,
  limit: number,
): Promise<OutboxRow[]> {
  const query = db
    .selectFrom('outbox')
    .selectAll()
    .where('status', '=', 'pending')
    // Report linking has its own batched runner (intelligence.linkPending).
    .where('kind', '<>', 'link-report')
    .where('run_after', '<=', now.toISOString())
    .orderBy('run_after')
    .orderBy('id')
    .limit(limit);
  return dialect === 'postgres' ? query.forUpdate().skipLocked().execute() : query.execute();
}

export async function markJobDone(db: DbOrTrx, id: number, now: Date): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'done', updated_at: now.toISOString(), last_error: null })
    .where('id', '=', id)
    .execute();
}

/** Records a failure: retried after `retryAt`, or dead once attempts reach the limit. */
export async function markJobFailed(
  db: DbOrTrx,
  job: Pick<OutboxRow, 'id' | 'attempts'>,
  error: string,
  retryAt: Date | null,
  now: Date,
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      status: retryAt === null ? 'dead' : 'pending',
      attempts: job.attempts + 1,
      run_after: (retryAt ?? now).toISOString(),
      last_error: error.slice(0, 2000),
      updated_at: now.toISOString(),
    })
    .where('id', '=', job.id)
    .execute();
}

export interface OutboxKindSummary {
  kind: string;
  pending: number;
  dead: number;
  /** When the longest-waiting pending job was written, or null when none waits. */
  oldestPendingAt: string | null;
}

/** Per job kind: waiting jobs, dead letters and the oldest waiting job (done jobs are not read). */
export async function outboxSummary(db: DbOrTrx): Promise<OutboxKindSummary[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(({ fn }) => [
      'kind',
      'status',
      fn.countAll<number>().as('jobs'),
      fn.min<string>('created_at').as('oldest'),
    ])
    .where('status', 'in', ['pending', 'dead'])
    .groupBy(['kind', 'status'])
    .execute();
  const byKind = new Map<string, OutboxKindSummary>();
  for (const row of rows) {
    const summary = byKind.get(row.kind) ?? { kind: row.kind, pending: 0, dead: 0, oldestPendingAt: null };
    if (row.status === 'pending') {
      summary.pending = row.jobs;
      summary.oldestPendingAt = row.oldest;
    } else summary.dead = row.jobs;
    byKind.set(row.kind, summary);
  }
  return [...byKind.values()].sort((a, b) => a.kind.localeCompare(b.kind));
}

/** A dead letter as staff see it: never its payload, which can hold personal data. */
export interface DeadJob {
  id: number;
  kind: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  failedAt: string;
}

/** Dead letters, most recently failed first. */
export async function deadJobs(db: DbOrTrx, limit: number): Promise<DeadJob[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(['id', 'kind', 'attempts', 'last_error', 'created_at', 'updated_at'])
    .where('status', '=', 'dead')
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    failedAt: r.updated_at,
  }));
}

export function findJobState(db: DbOrTrx, id: number) {
  return db.selectFrom('outbox').select(['id', 'kind', 'status']).where('id', '=', id).executeTakeFirst();
}

/** A dead letter back to pending, attempts reset, due now; false when it is not (or no longer) dead. */
export async function reviveDeadJob(db: DbOrTrx, id: number, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const result = await db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, run_after: at, updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A dead letter given up on; false when it is not (or no longer) dead. Its last error is kept. */
export async function discardDeadJob(db: DbOrTrx, id: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'discarded', updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Pending jobs of one kind, oldest first, whatever their run_after (for a kind with its own runner). */
export function pendingJobsOfKind(db: DbOrTrx, kind: string, limit: number) {
  return db
    .selectFrom('outbox')
    .select(['id', 'payload'])
    .where('kind', '=', kind)
    .where('status', '=', 'pending')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Marks these jobs done (their last error, if any, is kept). */
export async function markJobsDone(db: DbOrTrx, ids: readonly number[], now: Date): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'done', updated_at: now.toISOString() })
    .where('id', 'in', ids)
    .execute();
}

/** Puts a job off until `until` without counting an attempt. */
export async function postponeJob(db: DbOrTrx, id: number, until: string): Promise<void> {
  await db.updateTable('outbox').set({ run_after: until }).where('id', '=', id).execute();
}

/** Job kinds whose payload carries a report's personal data: emails to the person who made it (their address). */
export const PERSONAL_DATA_JOB_KINDS = ['confirmation-email', 'update-email'] as const;

/**
 * For retention: a report's email jobs not yet sent (pending or dead) become 'discarded', so no retry can send
 * them, and every one of its email jobs, sent or not, loses its payload. Returns how many were discarded.
 */
export async function discardPersonalDataJobsOfReport(
  db: DbOrTrx,
  reference: string,
  now: Date,
): Promise<number> {
  const ofReport = (q: ReturnType<typeof jobsOf>) =>
    q.where((eb) =>
      eb.or([
        eb('dedupe_key', '=', `confirmation-email:${reference}`),
        // References are letters, digits and hyphens: no LIKE wildcards.
        eb('dedupe_key', 'like', `update-email:${reference}:%`),
      ]),
    );
  const jobsOf = () => db.updateTable('outbox').where('kind', 'in', [...PERSONAL_DATA_JOB_KINDS]);
  const discarded = await ofReport(jobsOf())
    .set({ status: 'discarded', payload: '{}', updated_at: now.toISOString() })
    .where('status', 'in', ['pending', 'dead'])
    .executeTakeFirst();
  await ofReport(jobsOf()).set({ payload: '{}' }).where('payload', '<>', '{}').execute();
  return Number(discarded.numUpdatedRows);
}

/** A job its handler refused for good (not retried, never 'done'); its payload is emptied. */
export async function markJobDiscarded(db: DbOrTrx, id: number, reason: string, now: Date): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      status: 'discarded',
      payload: '{}',
      last_error: reason.slice(0, 2000),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
}
