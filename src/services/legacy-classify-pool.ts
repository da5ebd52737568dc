/**
 * Classifier threads for a legacy import: the main thread parses and stores while these classify (63 % of an
 * import's CPU on one thread). Batches are answered in the order they were given; a caller keeps only a few in
 * flight (back-pressure: memory stays flat). Loads no classifier itself, so the main thread does not either.
 */
import { Worker, type MessagePort } from 'node:worker_threads';
import type { ClassifiedColumns, ToClassify } from './legacy-classify.ts';

/** The stored columns in the order a worker flattens them. */
const COLUMNS = [
  'category',
  'cyber',
  'recording_code',
  'confidence',
  'extortion',
  'vulnerable',
  'reasons',
  'online',
  'online_evidence',
  'review',
] as const satisfies readonly (keyof ClassifiedColumns)[];

/** A record that could not be classified: its place in the batch and why (the caller knows its line). */
export class ClassifyFailure extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(message);
  }
}

/** A classifier thread stopped (crashed, ran out of memory, was killed) before answering. */
export class ClassifierStopped extends Error {}

type Request = { id: number; texts: string[] };
type Answer = { id: number; values: (string | number)[] } | { id: number; index: number; message: string };

/**
 * The worker's side: classifies each batch it is sent (a flat [summary, offence, …] list) and answers with the
 * columns flattened, or the record that failed. `classifyBatch` is the same function the main thread runs.
 */
export function serveClassifier(
  port: MessagePort,
  classifyBatch: (rows: readonly ToClassify[]) => ClassifiedColumns[],
): void {
  port.on('message', ({ id, texts }: Request) => {
    const rows: ToClassify[] = [];
    for (let k = 0; k < texts.length; k += 2)
      rows.push({ summary: texts[k] ?? '', crimeType: texts[k + 1] ?? '' });
    let answer: Answer;
    try {
      const values: (string | number)[] = [];
      for (const c of classifyBatch(rows)) for (const column of COLUMNS) values.push(c[column]);
      answer = { id, values };
    } catch (error) {
      if (!(error instanceof ClassifyFailure)) throw error;
      answer = { id, index: error.index, message: error.message };
    }
    port.postMessage(answer);
  });
}

export interface ClassifyPool {
  /**
   * Classifies a batch on the next thread; rejects with ClassifyFailure (a record failed) or ClassifierStopped
   * (the thread is gone: every batch not yet answered fails too).
   */
  classify(rows: readonly ToClassify[]): Promise<ClassifiedColumns[]>;
  /** Stops the threads (waits for them). */
  close(): Promise<void>;
}

/** The worker script beside this module: compiled JavaScript in dist/, TypeScript (through tsx) in tests. */
const OWN_WORKER = new URL(
  import.meta.url.endsWith('.ts') ? './legacy-classify-worker.ts' : './legacy-classify-worker.js',
  import.meta.url,
);

/**
 * A classifier thread's young generation, in MB. Left to V8 it grows to 48 MB (three 16 MB semi-spaces), as much
 * as the rest of the thread: 8 keeps a 1,000,000-row import under 200 MB of RSS for a few per cent more
 * collections (4 costs a third more CPU). Not a limit the thread can run out of: it only collects sooner.
 */
const CLASSIFIER_YOUNG_GENERATION_MB = 8;

function startWorker(script: URL, reviewThreshold: number): Worker {
  const workerData = { reviewThreshold };
  const resourceLimits = { maxYoungGenerationSizeMb: CLASSIFIER_YOUNG_GENERATION_MB };
  if (!script.pathname.endsWith('.ts')) return new Worker(script, { workerData, resourceLimits });
  // Source (tests, tsx): the thread registers tsx's loader before loading the script.
  return new Worker(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(script.href)}); });`,
    { eval: true, workerData, resourceLimits },
  );
}

export function startClassifyPool(
  size: number,
  reviewThreshold: number,
  /** Another worker script (tests: one that crashes). */
  script: URL = OWN_WORKER,
): ClassifyPool {
  const pending = new Map<
    number,
    { resolve(columns: ClassifiedColumns[]): void; reject(error: Error): void }
  >();
  let broken: Error | null = null;
  let closing = false;
  let next = 0;
  const fail = (error: Error) => {
    broken ??= error;
    for (const job of pending.values()) job.reject(broken);
    pending.clear();
  };
  const workers = Array.from({ length: Math.max(1, size) }, () => {
    const worker = startWorker(script, reviewThreshold);
    worker.on('message', (answer: Answer) => {
      const job = pending.get(answer.id);
      if (job === undefined) return;
      pending.delete(answer.id);
      if ('index' in answer) {
        job.reject(new ClassifyFailure(answer.index, answer.message));
        return;
      }
      const { values } = answer;
      const out: ClassifiedColumns[] = [];
      for (let k = 0; k < values.length; k += COLUMNS.length)
        out.push({
          category: values[k],
          cyber: values[k + 1],
          recording_code: values[k + 2],
          confidence: values[k + 3],
          extortion: values[k + 4],
          vulnerable: values[k + 5],
          reasons: values[k + 6],
          online: values[k + 7],
          online_evidence: values[k + 8],
          review: values[k + 9],
        } as ClassifiedColumns);
      job.resolve(out);
    });
    worker.on('error', (error) => {
      fail(new ClassifierStopped(`a classifier thread failed: ${error.message}`));
    });
    worker.on('exit', (code) => {
      if (!closing) fail(new ClassifierStopped(`a classifier thread stopped (exit code ${String(code)})`));
    });
    return worker;
  });
  return {
    classify(rows) {
      if (broken !== null) return Promise.reject(broken);
      const id = next++;
      const texts: string[] = [];
      for (const row of rows) texts.push(row.summary, row.crimeType);
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        (workers[id % workers.length] as Worker).postMessage({ id, texts } satisfies Request);
      });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
