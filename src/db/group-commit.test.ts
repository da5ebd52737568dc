import { describe, expect, it } from 'vitest';
import { groupCommit } from './group-commit.ts';

/** A promise resolved from outside, so a test decides when a "database" write finishes. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A writer whose batches wait until the test releases them; records what it was asked to write. */
function controlledWriter() {
  const batches: { items: number[]; done: ReturnType<typeof deferred<undefined>> }[] = [];
  const alone: number[] = [];
  return {
    batches,
    alone,
    writeBatch: async (items: number[]) => {
      const done = deferred<undefined>();
      batches.push({ items, done });
      await done.promise;
      return items.map((n) => n * 10);
    },
    writeOne: (item: number) => {
      alone.push(item);
      return item < 0 ? Promise.reject(new Error(`bad ${String(item)}`)) : Promise.resolve(item * 10);
    },
  };
}

/** What a caller was answered: its value, or its error as text. */
const outcome = <T>(answer: Promise<T>) =>
  answer.then(
    (value) => ({ value }),
    (error: unknown) => ({ error: String(error) }),
  );

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('writes a lone item at once, on its own', async () => {
    const w = controlledWriter();
    const write = groupCommit(w.writeBatch, w.writeOne, { inFlight: 2, maxBatch: 10 });
    expect(await write(4)).toBe(40);
    expect(w.alone).toEqual([4]);
    expect(w.batches).toEqual([]);
  });

  it('puts what arrives while the slots are busy into one batch, and answers each caller its own result', async () => {
    const w = controlledWriter();
    const write = groupCommit(w.writeBatch, w.writeOne, { inFlight: 1, maxBatch: 10 });
    // The first holds the only slot: make it a batch that waits.
    const first = write(1);
    expect(w.alone).toEqual([1]);
    const rest = [2, 3, 4, 5].map((n) => write(n));
    await first;
    await settle();
    expect(w.batches.map((b) => b.items)).toEqual([[2, 3, 4, 5]]);
    w.batches[0]?.done.resolve(undefined);
    expect(await Promise.all(rest)).toEqual([20, 30, 40, 50]);
  });

  it('never writes more than maxBatch at once, nor more batches than inFlight', async () => {
    const w = controlledWriter();
    const write = groupCommit(w.writeBatch, w.writeOne, { inFlight: 2, maxBatch: 3 });
    const all = Array.from({ length: 10 }, (_, i) => write(i + 1));
    await settle();
    // Two singles took both slots at once; the other eight wait.
    expect(w.alone).toEqual([1, 2]);
    await settle();
    expect(w.batches.map((b) => b.items)).toEqual([
      [3, 4, 5],
      [6, 7, 8],
    ]);
    w.batches[0]?.done.resolve(undefined);
    await settle();
    expect(w.batches.map((b) => b.items)).toEqual([
      [3, 4, 5],
      [6, 7, 8],
      [9, 10],
    ]);
    w.batches[1]?.done.resolve(undefined);
    w.batches[2]?.done.resolve(undefined);
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });

  it('when a batch fails, writes each of its items alone: one item failing fails only its own caller', async () => {
    const w = controlledWriter();
    const write = groupCommit(w.writeBatch, w.writeOne, { inFlight: 1, maxBatch: 10 });
    const first = write(1);
    const rest = [2, -3, 4].map((n) => outcome(write(n)));
    await first;
    await settle();
    w.batches[0]?.done.reject(new Error('one row broke the statement'));
    expect(await Promise.all(rest)).toEqual([{ value: 20 }, { error: 'Error: bad -3' }, { value: 40 }]);
    expect(w.alone).toEqual([1, 2, -3, 4]);
  });

  it('answers every caller of a batch with its error, writing none again, when the batch may have been written', async () => {
    const w = controlledWriter();
    const write = groupCommit(w.writeBatch, w.writeOne, {
      inFlight: 1,
      maxBatch: 10,
      retryAlone: () => false,
    });
    const first = write(1);
    const rest = [2, 3, 4].map((n) => outcome(write(n)));
    await first;
    await settle();
    w.batches[0]?.done.reject(new Error('connection lost'));
    expect(await Promise.all(rest)).toEqual([
      { error: 'Error: connection lost' },
      { error: 'Error: connection lost' },
      { error: 'Error: connection lost' },
    ]);
    expect(w.alone).toEqual([1]);
  });
});
