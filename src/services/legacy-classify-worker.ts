/**
 * A classifier thread of `bluelight import legacy` (legacy-classify-pool.ts starts it): classifies the batches it
 * is sent, in the order sent, with the same function as the main thread. workerData: { reviewThreshold }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serveClassifier } from './legacy-classify-pool.ts';
import { createBatchClassifier } from './legacy-classify.ts';

const { reviewThreshold } = workerData as { reviewThreshold: number };
if (parentPort !== null) serveClassifier(parentPort, createBatchClassifier(reviewThreshold));
