/**
 * A classifier thread for tests of a legacy import on workers: the real one, except a record whose summary holds
 * FAIL-RECORD fails (its line must be named), CRASH-EXIT ends the thread, and CRASH-THROW throws an error the
 * thread does not catch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ClassifyFailure, serveClassifier } from '../../src/services/legacy-classify-pool.ts';
import { createBatchClassifier } from '../../src/services/legacy-classify.ts';

const real = createBatchClassifier((workerData as { reviewThreshold: number }).reviewThreshold);
if (parentPort !== null)
  serveClassifier(parentPort, (rows) => {
    rows.forEach((row, index) => {
      if (row.summary.includes('CRASH-EXIT')) process.exit(3);
      if (row.summary.includes('CRASH-THROW')) throw new Error('thread broken');
      if (row.summary.includes('FAIL-RECORD')) throw new ClassifyFailure(index, 'the classifier failed');
    });
    return real(rows);
  });
