/** Exponential backoff for background jobs: 30 s, 1 min, 2 min … capped at 6 hours. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts), 6 * 60 * 60 * 1000);
}

/** After this many failed attempts a job is dead: kept, visible to staff, and not retried. */
export const MAX_JOB_ATTEMPTS = 8;
