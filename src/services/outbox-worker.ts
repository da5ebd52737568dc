import type { Db, Dialect } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { OutboxRow } from '../db/repositories/outbox-repository.ts';
import { MAX_JOB_ATTEMPTS, retryDelayMs } from '../domain/outbox/retry.ts';

export type JobHandler = (payload: unknown, job: OutboxRow) => Promise<void>;

/**
 * Thrown by a handler that must never do this job (e.g. the email's report has had its personal data removed):
 * the job becomes 'discarded' with this message, not retried and never counted as delivered.
 */
export class DiscardJob extends Error {
  override name = 'DiscardJob';
}

export interface WorkerLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const LEASE_MS = 5 * 60 * 1000;

/**
 * Works the durable outbox. Jobs are leased in a short transaction (SKIP LOCKED on PostgreSQL, so several app
 * instances share the work), run outside it, then marked done or rescheduled with backoff. A worker that dies
 * mid-job loses only its lease: the job runs again when the lease ends, so handlers must be idempotent.
 */
export function createOutboxWorker(
  db: Db,
  dialect: Dialect,
  clock: () => Date,
  handlers: Readonly<Record<string, JobHandler>>,
  log: WorkerLog,
  /** Told of every failed attempt (metrics); `dead` when it was the last. */
  onFailure: (job: OutboxRow, dead: boolean) => void = () => undefined,
  repos: Repositories = repositories,
) {
  async function lease(limit: number): Promise<OutboxRow[]> {
    return db.transaction().execute(async (trx) => {
      const now = clock();
      const jobs = await repos.outbox.claimDueJobs(trx, dialect, now, limit);
      const until = new Date(now.getTime() + LEASE_MS).toISOString();
      await repos.outbox.postponeJobs(
        trx,
        jobs.map((job) => job.id),
        until,
      );
      return jobs;
    });
  }

  async function run(job: OutboxRow): Promise<void> {
    const handler = handlers[job.kind];
    try {
      if (handler === undefined) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(JSON.parse(job.payload) as unknown, job);
      await repos.outbox.markJobDone(db, job.id, clock());
    } catch (error) {
      const now = clock();
      if (error instanceof DiscardJob) {
        await repos.outbox.markJobDiscarded(db, job.id, error.message, now);
        log.info({ job: job.id, kind: job.kind }, 'background job discarded');
        return;
      }
      const attempts = job.attempts + 1;
      const retryAt =
        attempts >= MAX_JOB_ATTEMPTS ? null : new Date(now.getTime() + retryDelayMs(job.attempts));
      await repos.outbox.markJobFailed(db, job, (error as Error).message || String(error), retryAt, now);
      log.error(
        { job: job.id, kind: job.kind, attempts, dead: retryAt === null, err: error },
        'background job failed',
      );
      onFailure(job, retryAt === null);
    }
  }

  return {
    /** Runs every due job once; returns how many were attempted. */
    async runOnce(limit = 20): Promise<number> {
      const jobs = await lease(limit);
      for (const job of jobs) await run(job);
      return jobs.length;
    },

    /** Polls until stopped; `stop()` resolves once the current batch has finished. */
    start(intervalMs = 1000): { stop(): Promise<void> } {
      let stopped = false;
      let timer: NodeJS.Timeout | undefined;
      let current: Promise<unknown> = Promise.resolve();
      const tick = () => {
        current = this.runOnce()
          .catch((error: unknown) => {
            log.error({ err: error }, 'outbox poll failed');
          })
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, intervalMs);
          });
      };
      timer = setTimeout(tick, 0);
      return {
        async stop() {
          stopped = true;
          clearTimeout(timer);
          await current;
        },
      };
    },
  };
}
