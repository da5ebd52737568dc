/**
 * Group commit: writes that arrive while earlier ones are being written go to the database together, in one
 * statement, as the next batch. Nothing waits on a timer: a write arriving when a batch slot is free starts at once
 * (a batch of one), so a quiet service writes each at once, and a burst shares round trips and commits. Each caller
 * is answered only when its batch has committed, so an acknowledgement still means stored.
 *
 * If a batch fails in a way that shows nothing was written (one bad row, a deadlock: `retryAlone`), each of its writes
 * is tried again on its own, so one write's failure is only ever its own. If it fails in a way that leaves the outcome
 * unknown (the connection lost after the commit was sent), every caller of the batch gets the error, as a write of its
 * own would: writing them again could store each twice.
 */
export interface GroupCommitOptions {
  /** Batches written at once (each on a connection of its own). */
  inFlight: number;
  /** Writes in one batch at most. */
  maxBatch: number;
  /** Whether a failed batch certainly wrote nothing, so its writes may be tried again alone (default: always). */
  retryAlone?: (error: unknown) => boolean;
}

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export function groupCommit<T, R>(
  /** Writes a batch in one statement; answers one result per item, in order. */
  writeBatch: (items: T[]) => Promise<R[]>,
  /** Writes one item alone (after its batch failed). */
  writeOne: (item: T) => Promise<R>,
  options: GroupCommitOptions,
): (item: T) => Promise<R> {
  const queue: Waiting<T, R>[] = [];
  let running = 0;

  async function run(batch: Waiting<T, R>[]): Promise<void> {
    const [only] = batch;
    try {
      const results =
        batch.length === 1 && only !== undefined
          ? [await writeOne(only.item)]
          : await writeBatch(batch.map((w) => w.item));
      batch.forEach((w, i) => {
        w.resolve(results[i] as R);
      });
    } catch (error) {
      if (batch.length === 1) only?.reject(error);
      else if (options.retryAlone?.(error) === false)
        batch.forEach((w) => {
          w.reject(error);
        });
      else
        await Promise.all(
          batch.map((w) =>
            writeOne(w.item).then(w.resolve, (alone: unknown) => {
              w.reject(alone);
            }),
          ),
        );
    }
  }

  function next(): void {
    while (running < options.inFlight && queue.length > 0) {
      const batch = queue.splice(0, options.maxBatch);
      running++;
      void run(batch).finally(() => {
        running--;
        next();
      });
    }
  }

  return (item: T) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      next();
    });
}
