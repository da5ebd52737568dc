/**
 * Background jobs for admins: how much waits per kind, and the dead letters (jobs that failed every attempt) to
 * retry or discard. A dead letter's payload is never shown (it can hold personal data); discarding never marks a
 * job 'done', which means delivered.
 */
import type { Db } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { ServiceError } from './service-error.ts';

/** How many dead letters the page lists (the per-kind counts cover them all). */
export const DEAD_LETTERS_SHOWN = 200;

export function createJobAdmin(db: Db, clock: () => Date, repos: Repositories = repositories) {
  /** One transaction: the change only if the job is still dead, then its audit row. */
  const act = (id: number, actor: string, action: 'job-retried' | 'job-discarded') =>
    db.transaction().execute(async (trx) => {
      const job = await repos.outbox.findJobState(trx, id);
      if (job === undefined)
        throw new ServiceError('not-found', 'job-not-found', `there is no background job ${id}`);
      const now = clock();
      const changed =
        action === 'job-retried'
          ? await repos.outbox.reviveDeadJob(trx, id, now)
          : await repos.outbox.discardDeadJob(trx, id, now);
      if (!changed)
        throw new ServiceError('conflict', 'job-not-dead', `job ${id} is ${job.status}, not a dead letter`, {
          field: 'job',
          params: { id, status: job.status },
        });
      await repos.audit.writeAudit(trx, { at: now, actor, action, detail: `job ${id} (${job.kind})` });
    });

  return {
    overview: async () => ({
      kinds: await repos.outbox.outboxSummary(db),
      dead: await repos.outbox.deadJobs(db, DEAD_LETTERS_SHOWN),
    }),
    /** Back to pending with its attempts reset, due at once (the worker takes it on its next poll). */
    retry: (id: number, actor: string) => act(id, actor, 'job-retried'),
    /** A terminal 'discarded': kept with its last error, never run again, never counted as delivered. */
    discard: (id: number, actor: string) => act(id, actor, 'job-discarded'),
  };
}
