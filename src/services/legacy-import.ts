import type { Readable } from 'node:stream';
import { ServiceError } from './service-error.ts';
import { parse } from 'csv-parse';
import type { Db, Dialect } from '../db/database.ts';
import { retryOnDeadlock } from '../db/deadlock-retry.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { StatsDelta } from '../db/repositories/stats-repository.ts';
import type { Classification, ClassificationInput } from '../domain/classification/classify.ts';
import type { ClassifiedColumns, ToClassify } from './legacy-classify.ts';
import { ClassifierStopped, ClassifyFailure, startClassifyPool } from './legacy-classify-pool.ts';
import {
  mapHeader,
  parseLegacyRecord,
  type LegacyColumn,
  type LegacyRow,
} from '../domain/legacy/legacy-record.ts';

const BATCH = 1000;

export interface ImportProgress {
  rows: number;
  bytes: number;
}

export interface ImportSummary {
  rows: number;
  imported: number;
  alreadyPresent: number;
  rejected: number;
}

export interface Reject {
  line: number;
  reason: string;
  record: readonly string[];
}

/**
 * Streams a force's CSV export into legacy records: each row classified, stored once per (force, record id), and
 * counted in the statistics in the same transaction. Memory stays flat: rows are handled in batches of 1,000.
 */
export function createLegacyImport(
  db: Db,
  clock: () => Date,
  reviewThreshold = 0.9,
  repos: Repositories = repositories,
) {
  /** A batch and its classification (columns in the same order), as the rows to store. */
  function toStore(forceId: string, rows: readonly LegacyRow[], columns: readonly ClassifiedColumns[]) {
    const importedAt = clock().toISOString();
    return rows.map((row, i) => {
      const c = columns[i] as ClassifiedColumns;
      // Every field written out (no spread): one object shape for every row of an import.
      return {
        force_id: forceId,
        record_id: row.recordId,
        recorded_on: row.recordedOn,
        original_type: row.crimeType,
        summary: row.summary,
        postcode: row.postcode,
        loss_pence: row.lossPence,
        category: c.category,
        cyber: c.cyber,
        recording_code: c.recording_code,
        confidence: c.confidence,
        extortion: c.extortion,
        vulnerable: c.vulnerable,
        reasons: c.reasons,
        imported_at: importedAt,
        online: c.online,
        online_evidence: c.online_evidence,
        review: c.review,
      };
    });
  }

  /** Stores a classified batch and counts what was new, in one transaction; answers how many were new. */
  async function store(forceId: string, values: ReturnType<typeof toStore>): Promise<number> {
    if (values.length === 0) return 0;
    return retryOnDeadlock(() =>
      db.transaction().execute(async (trx) => {
        // Rows already imported (same force and record id) are left alone: importing a file twice changes nothing.
        const inserted = await repos.legacy.insertLegacyRecords(trx, values);
        const deltas = new Map<string, StatsDelta>();
        for (const r of inserted) {
          const key = `${r.recorded_on}|${r.category}|${r.cyber}`;
          const d = deltas.get(key) ?? {
            day: r.recorded_on,
            force_id: forceId,
            category: r.category,
            cyber: r.cyber,
            source: 'legacy',
            shard: 0,
            reports: 0,
            loss_pence: 0,
          };
          d.reports++;
          d.loss_pence += r.loss_pence;
          deltas.set(key, d);
        }
        await repos.stats.addDailyStatsMany(trx, [...deltas.values()]);
        return inserted.length;
      }),
    );
  }

  return {
    async import(
      input: Readable,
      forceId: string,
      hooks: {
        onReject(reject: Reject): void;
        onProgress?(progress: ImportProgress): void;
        /** The columns found: ours, and the header each was read from. */
        onHeader?(columns: { column: LegacyColumn; header: string }[]): void;
        /** Dry run: each row's classification; nothing is stored. */
        onClassified?(row: LegacyRow, classification: Classification): void;
      },
      options: ImportOptions = {},
    ): Promise<ImportSummary> {
      const dryRun = options.dryRun === true;
      const workers = dryRun ? 0 : Math.max(0, Math.floor(options.workers ?? 0));
      // One classifier per file (its memo of corrected words lasts as long as the import): in this thread (a dry
      // run, or no workers), else on `workers` threads of its own. Loaded only when used here, so an import on
      // workers does not hold a second copy of the classifier and its model.
      let classifyHere: ((rows: readonly ToClassify[]) => ClassifiedColumns[]) | null = null;
      let dryClassifier: { classify(input: ClassificationInput): Classification } | null = null;
      if (dryRun) dryClassifier = (await import('../domain/classification/classify.ts')).createClassifier();
      else if (workers === 0)
        classifyHere = (await import('./legacy-classify.ts')).createBatchClassifier(reviewThreshold);
      const pool = workers > 0 ? startClassifyPool(workers, reviewThreshold, options.workerScript) : null;
      /**
       * Each batch not yet stored, as its storing, oldest first. Only a few at a time (memory stays flat): in this
       * thread the next batch is classified while the last is stored; on workers, two per thread are read and
       * classified while the database stores (four per thread took a 1,000,000-row import over 200 MB of RSS).
       */
      const unstored: Promise<void>[] = [];
      const ahead = workers === 0 ? 1 : workers * 2;
      let bytes = 0;
      input.on('data', (chunk: Buffer | string) => (bytes += chunk.length));
      const parser = input.pipe(
        parse({
          bom: true,
          relax_column_count: true,
          skip_empty_lines: true,
          info: true,
          skip_records_with_error: true,
        }),
      );
      const summary: ImportSummary = { rows: 0, imported: 0, alreadyPresent: 0, rejected: 0 };
      parser.on('skip', (error: Error & { lines?: number; record?: string[] }) => {
        summary.rows++;
        summary.rejected++;
        hooks.onReject({
          line: error.lines ?? 0,
          reason: `not valid CSV: ${error.message}`,
          record: error.record ?? [],
        });
      });
      input.on('error', (error) => parser.destroy(error));

      let mapping: ReturnType<typeof mapHeader>['mapping'] | null = null;
      let fields = 0;
      let batch: Batch = newBatch();
      const counted = (size: number) => (imported: number) => {
        summary.imported += imported;
        summary.alreadyPresent += size - imported;
        hooks.onProgress?.({ rows: summary.rows, bytes });
      };
      // The storing of the last batch handed over: each batch's waits for the one before (file order, one
      // transaction at a time), so a failure stops every batch after it.
      let written: Promise<void> = Promise.resolve();
      /** Hands a full batch to be classified (now in this thread, or on the workers), then stored in turn. */
      const handOver = (full: Batch) => {
        if (pool !== null) full.classified = pool.classify(full.rows);
        else
          try {
            full.classified = Promise.resolve((classifyHere as NonNullable<typeof classifyHere>)(full.rows));
          } catch (error) {
            full.classified = Promise.reject(error instanceof Error ? error : new Error(String(error)));
          }
        // Awaited in turn; a failure while an earlier batch is stored must not go unhandled.
        full.classified.catch(() => undefined);
        const before = written;
        written = (async () => {
          await before;
          let columns: ClassifiedColumns[];
          try {
            columns = await full.classified;
          } catch (error) {
            throw classifyError(error, full);
          }
          let imported: number;
          try {
            imported = await store(forceId, toStore(forceId, full.rows, columns));
          } catch (error) {
            throw storeError(error, full);
          }
          counted(full.rows.length)(imported);
        })();
        written.catch(() => undefined);
        unstored.push(written);
      };
      try {
        try {
          for await (const { record, info } of parser as AsyncIterable<{
            record: string[];
            info: { lines: number };
          }>) {
            if (mapping === null) {
              const header = mapHeader(record, options.map);
              hooks.onHeader?.(
                [...header.mapping].map(([index, column]) => ({ column, header: record[index] ?? '' })),
              );
              if (header.unmapped.length > 0)
                throw new ServiceError(
                  'invalid',
                  'import-map',
                  `--map cannot use ${header.unmapped.join(', ')}`,
                  { field: 'map', params: { unmapped: header.unmapped.join(', ') } },
                );
              if (header.missing.length > 0)
                throw new ServiceError(
                  'invalid',
                  'import-header',
                  `the header row has no ${header.missing.join(', ')} column (see docs/import.md)`,
                  { field: 'file', params: { missing: header.missing.join(', ') } },
                );
              mapping = header.mapping;
              fields = record.length;
              continue;
            }
            summary.rows++;
            // More values than the header has names: a comma inside an unquoted field, which would shift or cut
            // what is stored. Empty trailing values (a spreadsheet's extra commas) are harmless.
            if (record.length > fields && record.slice(fields).some((value) => value.trim() !== '')) {
              summary.rejected++;
              hooks.onReject({
                line: info.lines,
                reason: `the record has ${String(record.length)} values but the header ${String(fields)} columns (a value holding a comma must be in double quotes; a file whose lines end in more than one way runs them together)`,
                record,
              });
              continue;
            }
            const parsed = parseLegacyRecord(record, mapping);
            if (!parsed.ok) {
              summary.rejected++;
              hooks.onReject({ line: info.lines, reason: parsed.reason, record });
              continue;
            }
            if (dryClassifier !== null) {
              hooks.onClassified?.(
                parsed.row,
                dryClassifier.classify({ text: parsed.row.summary, offence: parsed.row.crimeType }),
              );
              continue;
            }
            batch.rows.push(parsed.row);
            batch.lines.push(info.lines);
            if (batch.rows.length >= BATCH) {
              // The next batches are read (and, on workers, classified) while the database stores this one.
              handOver(batch);
              batch = newBatch();
              while (unstored.length > ahead) await unstored.shift();
            }
          }
          if (mapping === null)
            throw new ServiceError(
              'invalid',
              'import-empty',
              'the file is empty: it needs a header row (see docs/import.md)',
              { field: 'file' },
            );
          if (batch.rows.length > 0) handOver(batch);
          await written;
        } catch (error) {
          // Nothing is left writing when the import answers: the batches stored so far are whole, no later one is.
          await written.catch(() => undefined);
          if (error instanceof ServiceError) throw error;
          throw new ServiceError(
            'invalid',
            'import-unreadable',
            `could not read the file: ${(error as Error).message}`,
            { field: 'file' },
          );
        }
      } finally {
        await pool?.close();
      }
      return summary;
    },
  };
}

interface ImportOptions {
  dryRun?: boolean;
  map?: Partial<Record<LegacyColumn, string>>;
  /**
   * Classifier threads (0: classify in this thread). The main thread parses and stores while they classify, in
   * file order; the stored rows and counts are the same either way.
   */
  workers?: number;
  /** Another worker script (tests: one that fails). */
  workerScript?: URL;
}

/** Rows parsed, their line numbers in the file, and their classification once asked for. */
interface Batch {
  rows: LegacyRow[];
  lines: number[];
  classified: Promise<ClassifiedColumns[]>;
}

const NOT_YET: Promise<ClassifiedColumns[]> = new Promise(() => undefined);

function newBatch(): Batch {
  return { rows: [], lines: [], classified: NOT_YET };
}

/** A classification failure, as the import's error: the record's line, or what stopped the classifier. */
function classifyError(error: unknown, batch: Batch): ServiceError {
  if (error instanceof ClassifyFailure)
    return new ServiceError(
      'invalid',
      'import-classify',
      `could not classify the record on line ${String(batch.lines[error.index] ?? 0)}: ${error.message}; the records before its batch of ${String(BATCH)} are stored, import the file again once it is fixed`,
      { field: 'file', params: { line: batch.lines[error.index] ?? 0 } },
    );
  if (error instanceof ClassifierStopped)
    return new ServiceError(
      'conflict',
      'import-classifier-stopped',
      `${error.message}; the records before line ${String(batch.lines[0] ?? 0)} are stored (whole batches of ${String(BATCH)}), import the file again to finish (records already imported are skipped)`,
      { params: { line: batch.lines[0] ?? 0 } },
    );
  return new ServiceError('invalid', 'import-unreadable', `could not classify: ${(error as Error).message}`, {
    field: 'file',
  });
}

/** The database refused or lost a batch: which lines were not stored, and that the earlier batches were. */
function storeError(error: unknown, batch: Batch): ServiceError {
  const first = batch.lines[0] ?? 0;
  return new ServiceError(
    'conflict',
    'import-store',
    `could not store the records from line ${String(first)}: ${(error as Error).message}; the records before line ${String(first)} are stored (whole batches of ${String(BATCH)}), import the file again to finish (records already imported are skipped)`,
    { params: { line: first } },
  );
}

/**
 * Classifies a force's imported records again with the classifier as it is now (after the online-element check
 * was added, or cues changed): category, cyber flag, online element, confidence and review state, with the
 * figures moved in the same transaction, a batch at a time. A record a person has confirmed or corrected is left
 * as they decided.
 */
export function createLegacyReclassify(
  db: Db,
  dialect: Dialect,
  clock: () => Date,
  reviewThreshold = 0.9,
  repos: Repositories = repositories,
) {
  const canLock = dialect === 'postgres';
  return async function reclassify(
    forceId: string,
    actor: string,
  ): Promise<{ records: number; changed: number; pending: number }> {
    const classify = (await import('./legacy-classify.ts')).createBatchClassifier(reviewThreshold);
    const totals = { records: 0, changed: 0, pending: 0 };
    let after = 0;
    for (;;) {
      // A batch rolled back by PostgreSQL (a deadlock) runs again from the same place; totals count once it commits.
      const batch = await retryOnDeadlock(() =>
        db.transaction().execute(async (trx) => {
          // Held until commit on PostgreSQL: a person's decision on one of them waits, or is seen and left alone.
          const rows = await repos.legacy.unreviewedLegacyRecords(trx, forceId, after, BATCH, canLock);
          if (rows.length === 0) return null;
          let changed = 0;
          let pending = 0;
          const deltas = new Map<string, StatsDelta>();
          const count = (day: string, category: string, cyber: string, reports: number, loss: number) => {
            const k = `${day}|${category}|${cyber}`;
            const d = deltas.get(k) ?? {
              day,
              force_id: forceId,
              category,
              cyber,
              source: 'legacy' as const,
              shard: 0,
              reports: 0,
              loss_pence: 0,
            };
            d.reports += reports;
            d.loss_pence += loss;
            deltas.set(k, d);
          };
          // The columns exactly as an import stores them (the same function).
          const columns = classify(
            rows.map((row) => ({ summary: row.summary, crimeType: row.original_type })),
          );
          for (const [i, row] of rows.entries()) {
            const c = columns[i] as ClassifiedColumns;
            if (c.review === 'pending') pending++;
            await repos.legacy.updateLegacyRecord(trx, row.id, c);
            if (row.category === c.category && row.cyber === c.cyber) continue;
            changed++;
            count(row.recorded_on, row.category, row.cyber, -1, -row.loss_pence);
            count(row.recorded_on, c.category, c.cyber, 1, row.loss_pence);
          }
          // One statement for the batch's moves, taking the counters in key order (as every batch does).
          await repos.stats.addDailyStatsMany(
            trx,
            [...deltas.values()].filter((d) => d.reports !== 0 || d.loss_pence !== 0),
          );
          await repos.audit.writeAudit(trx, {
            at: clock(),
            actor,
            action: 'legacy-reclassify',
            forceId,
            detail: JSON.stringify({ records: rows.length, changed }),
          });
          return { records: rows.length, changed, pending, last: rows[rows.length - 1]?.id ?? after };
        }),
      );
      if (batch === null) return totals;
      after = batch.last;
      totals.records += batch.records;
      totals.changed += batch.changed;
      totals.pending += batch.pending;
    }
  };
}
