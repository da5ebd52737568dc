/** When a feed is pulled next: its interval after a success, exponential back-off after failures. Pure. */

const MINUTE_MS = 60_000;
/** The longest a failing feed waits between tries: it is still tried, and still shown failing, four times a day. */
export const FEED_BACKOFF_CAP_MS = 6 * 60 * MINUTE_MS;

/** After `failures` failures in a row (1 or more): 1 min, 2, 4, 8 … capped at 6 hours. */
export function feedRetryDelayMs(failures: number): number {
  return Math.min(MINUTE_MS * 2 ** Math.max(0, Math.min(30, failures - 1)), FEED_BACKOFF_CAP_MS);
}

export function nextPullAt(
  now: Date,
  outcome: { failures: number } | { intervalMinutes: number; moreWaiting: boolean },
): string {
  const delay =
    'failures' in outcome
      ? feedRetryDelayMs(outcome.failures)
      : // Pages still waiting (a pull reads a bounded number): on the scheduler's next round, not at once.
        outcome.moreWaiting
        ? 0
        : outcome.intervalMinutes * MINUTE_MS;
  return new Date(now.getTime() + delay).toISOString();
}
