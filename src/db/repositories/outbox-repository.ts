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

/** enqueueJob for several jobs in one statement (a dedupe key already queued is skipped). */
export async function enqueueJobs(db: DbOrTrx, jobs: readonly NewOutboxJob[], now: Date): Promise<void> {
  if (jobs.length === 0) return;
  const at = now.toISOString();
  for (let i = 0; i < jobs.length; i += 500)
    await db
      .insertInto('outbox')
      .values(
        jobs.slice(i, i + 500).map((job) => ({
          kind: job.kind,
          dedupe_key: job.dedupeKey,
          payload: JSON.stringify(job.payload),
          status: 'pending' as const,
          attempts: 0,
          run_after: at,
          last_error: null,
          created_at: at,
          updated_at: at,
        })),
      )
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
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

/** Marks these jobs done (their last error, if any, is kept); a job discarded meanwhile (retention) stays so. */
export async function markJobsDone(db: DbOrTrx, ids: readonly number[], now: Date): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'done', updated_at: now.toISOString() })
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .execute();
}

/** Puts jobs off until `until` without counting an attempt (one statement). */
export async function postponeJobs(db: DbOrTrx, ids: readonly number[], until: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('outbox').set({ run_after: until }).where('id', 'in', ids).execute();
}

/** Puts a job off until `until` without counting an attempt. */
export async function postponeJob(db: DbOrTrx, id: number, until: string): Promise<void> {
  await db.updateTable('outbox').set({ run_after: until }).where('id', '=', id).execute();
}

/**
 * Job kinds that act on a report's personal data: emails to the person who made it (their address in the payload),
 * its Victim Support referral (which sends the referral row: their name and contact details) and the link job (the
 * indicators found in the report: the suspect's phone numbers, emails, accounts).
 */
export const PERSONAL_DATA_JOB_KINDS = [
  'confirmation-email',
  'update-email',
  'contact-changed-email',
  'victim-support-referral',
  'link-report',
  // Matching a new report to the open significant incidents carries its indicators, as the link job does.
  'incident-match',
] as const;
export type PersonalDataJobKind = (typeof PERSONAL_DATA_JOB_KINDS)[number];

/**
 * For retention: a report's jobs that act on its personal data (see PERSONAL_DATA_JOB_KINDS), each found by its
 * own dedupe key. Those not yet done (pending or dead) become 'discarded', so no retry can run them, and every one
 * of them, done or not, loses its payload. Returns how many of each kind were discarded.
 */
export async function discardPersonalDataJobsOfReport(
  db: DbOrTrx,
  report: { reference: string; referralId: string | null },
  now: Date,
): Promise<Record<PersonalDataJobKind, number>> {
  const { reference, referralId } = report;
  const ofReport = () =>
    db.updateTable('outbox').where((eb) =>
      eb.or([
        eb.and([
          eb('kind', '=', 'confirmation-email'),
          eb('dedupe_key', '=', `confirmation-email:${reference}`),
        ]),
        // References are letters, digits and hyphens: no LIKE wildcards.
        eb.and([eb('kind', '=', 'update-email'), eb('dedupe_key', 'like', `update-email:${reference}:%`)]),
        eb.and([
          eb('kind', '=', 'contact-changed-email'),
          eb('dedupe_key', 'like', `contact-changed-email:${reference}:%`),
        ]),
        // The report's own link job, and one per addition the victim made later (victim-follow-up.ts).
        eb.and([
          eb('kind', '=', 'link-report'),
          eb.or([
            eb('dedupe_key', '=', `link-report:${reference}`),
            eb('dedupe_key', 'like', `link-report:${reference}:%`),
          ]),
        ]),
        eb.and([eb('kind', '=', 'incident-match'), eb('dedupe_key', '=', `incident-match:${reference}`)]),
        ...(referralId === null
          ? []
          : [
              eb.and([
                eb('kind', '=', 'victim-support-referral'),
                eb('dedupe_key', '=', `referral:${referralId}`),
              ]),
            ]),
      ]),
    );
  const discarded = await ofReport()
    .set({ status: 'discarded', payload: '{}', updated_at: now.toISOString() })
    .where('status', 'in', ['pending', 'dead'])
    .returning('kind')
    .execute();
  await ofReport().set({ payload: '{}' }).where('payload', '<>', '{}').execute();
  const counts = Object.fromEntries(PERSONAL_DATA_JOB_KINDS.map((kind) => [kind, 0])) as Record<
    PersonalDataJobKind,
    number
  >;
  for (const { kind } of discarded) counts[kind as PersonalDataJobKind] += 1;
  return counts;
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
