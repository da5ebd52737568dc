/** PostgreSQL's "deadlock detected": the transaction was rolled back whole, so running it again is safe. */
export function isDeadlock(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '40P01';
}

/**
 * Runs a whole transaction again when PostgreSQL broke a deadlock by rolling it back. Counters are taken in key
 * order by every writer, but a daily counter's trigger takes its month's counter between two daily rows, so two
 * batches over several days of one month can still meet in a cycle (rarely, under exact timing).
 */
export async function retryOnDeadlock<T>(transaction: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt >= attempts || !isDeadlock(error)) throw error;
    }
  }
}
