/**
 * An import's classification of a batch of records, as the columns stored for each: the one function both the
 * main thread (`--workers 0`, a dry run), the classifier workers (legacy-classify-worker.ts) and a reclassify run,
 * so a record is stored the same whichever classified it.
 */
import { createClassifier } from '../domain/classification/classify.ts';
import { needsReview, storedOnline } from '../domain/classification/stored.ts';
import type { Category, CyberFlag } from '../domain/classification/taxonomy.ts';
import type { Medium } from '../domain/classification/online-cues.ts';
import { ClassifyFailure } from './legacy-classify-pool.ts';

/** What a record's summary and offence name are classified from. */
export interface ToClassify {
  summary: string;
  crimeType: string;
}

/** A record's stored classification (legacy_records columns). */
export interface ClassifiedColumns {
  category: Category;
  cyber: CyberFlag;
  recording_code: string;
  confidence: number;
  extortion: 0 | 1;
  vulnerable: 0 | 1;
  reasons: string;
  online: Medium | 'none';
  online_evidence: string;
  review: 'pending' | 'none';
}

/**
 * A classifier of batches that lasts as long as the import (its memo of corrected words too). Throws
 * ClassifyFailure naming the record that failed.
 */
export function createBatchClassifier(
  reviewThreshold: number,
): (rows: readonly ToClassify[]) => ClassifiedColumns[] {
  const classifier = createClassifier();
  return (rows) => {
    const out: ClassifiedColumns[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as ToClassify;
      try {
        const c = classifier.classify({ text: row.summary, offence: row.crimeType });
        out.push({
          category: c.category,
          cyber: c.cyber,
          recording_code: c.code,
          confidence: c.confidence,
          extortion: c.extortion ? 1 : 0,
          vulnerable: c.vulnerable ? 1 : 0,
          reasons: JSON.stringify(c.reasons),
          online: storedOnline(c),
          online_evidence: JSON.stringify(c.online.evidence),
          review: needsReview(c, reviewThreshold) ? 'pending' : 'none',
        });
      } catch (error) {
        throw new ClassifyFailure(i, error instanceof Error ? error.message : String(error));
      }
    }
    return out;
  };
}
