import type { Readable } from 'node:stream';
import { ServiceError } from './service-error.ts';
import { parse } from 'csv-parse';
import type { Db } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { StatsDelta } from '../db/repositories/stats-repository.ts';
import { createClassifier, type Classification } from '../domain/classification/classify.ts';
import { needsReview, storedOnline } from '../domain/classification/stored.ts';
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
  /** A batch classified (pure, outside any transaction), as the rows to store. */
  function classified(classifier: ReturnType<typeof createClassifier>, forceId: string, rows: LegacyRow[]) {
    const importedAt = clock().toISOString();
    return rows.map((row) => {
      const c = classifier.classify({ text: row.summary, offence: row.crimeType });
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
        recording_code: c.code,
        confidence: c.confidence,
        extortion: c.extortion ? 1 : 0,
        vulnerable: c.vulnerable ? 1 : 0,
        reasons: JSON.stringify(c.reasons),
        imported_at: importedAt,
        online: storedOnline(c),
        online_evidence: JSON.stringify(c.online.evidence),
        review: needsReview(c, reviewThreshold) ? ('pending' as const) : ('none' as const),
      };
    });
  }

  /** Stores a classified batch and counts what was new, in one transaction; answers how many were new. */
  async function store(forceId: string, values: ReturnType<typeof classified>): Promise<number> {
    if (values.length === 0) return 0;
    return db.transaction().execute(async (trx) => {
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
    });
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
      options: { dryRun?: boolean; map?: Partial<Record<LegacyColumn, string>> } = {},
    ): Promise<ImportSummary> {
      // One classifier per file: its memo of corrected words lasts as long as the import.
      const classifier = createClassifier();
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
      let batch: LegacyRow[] = [];
      const counted = (size: number) => (imported: number) => {
        summary.imported += imported;
        summary.alreadyPresent += size - imported;
        hooks.onProgress?.({ rows: summary.rows, bytes });
      };
      // The batch being stored, if any (one at a time, in order).
      let written: Promise<void> = Promise.resolve();
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
            if (header.missing.length > 0)
              throw new ServiceError(
                'invalid',
                'import-header',
                `the header row has no ${header.missing.join(', ')} column (see docs/import.md)`,
                { field: 'file', params: { missing: header.missing.join(', ') } },
              );
            mapping = header.mapping;
            continue;
          }
          summary.rows++;
          const parsed = parseLegacyRecord(record, mapping);
          if (!parsed.ok) {
            summary.rejected++;
            hooks.onReject({ line: info.lines, reason: parsed.reason, record });
            continue;
          }
          if (options.dryRun === true) {
            hooks.onClassified?.(
              parsed.row,
              classifier.classify({ text: parsed.row.summary, offence: parsed.row.crimeType }),
            );
            continue;
          }
          batch.push(parsed.row);
          if (batch.length >= BATCH) {
            // The next batch is read and classified while the database stores this one.
            const values = classified(classifier, forceId, batch);
            await written;
            written = store(forceId, values).then(counted(values.length));
            written.catch(() => undefined);
            batch = [];
          }
        }
        await written;
      } catch (error) {
        // Nothing is left writing when the import answers.
        await written.catch(() => undefined);
        if (error instanceof ServiceError) throw error;
        throw new ServiceError(
          'invalid',
          'import-unreadable',
          `could not read the file: ${(error as Error).message}`,
          {
            field: 'file',
          },
        );
      }
      if (mapping === null)
        throw new ServiceError(
          'invalid',
          'import-empty',
          'the file is empty: it needs a header row (see docs/import.md)',
          {
            field: 'file',
          },
        );
      counted(batch.length)(await store(forceId, classified(classifier, forceId, batch)));
      return summary;
    },
  };
}

/**
 * Classifies a force's imported records again with the classifier as it is now (after the online-element check
 * was added, or cues changed): category, cyber flag, online element, confidence and review state, with the
 * figures moved in the same transaction, a batch at a time. A record a person has confirmed or corrected is left
 * as they decided.
 */
export function createLegacyReclassify(
  db: Db,
  clock: () => Date,
  reviewThreshold = 0.9,
  repos: Repositories = repositories,
) {
  return async function reclassify(
    forceId: string,
    actor: string,
  ): Promise<{ records: number; changed: number; pending: number }> {
    const classifier = createClassifier();
    const totals = { records: 0, changed: 0, pending: 0 };
    let after = 0;
    for (;;) {
      const done = await db.transaction().execute(async (trx) => {
        const rows = await repos.legacy.unreviewedLegacyRecords(trx, forceId, after, BATCH);
        if (rows.length === 0) return true;
        let changed = 0;
        for (const row of rows) {
          after = row.id;
          const c = classifier.classify({ text: row.summary, offence: row.original_type });
          const review = needsReview(c, reviewThreshold) ? ('pending' as const) : ('none' as const);
          const online = storedOnline(c);
          if (review === 'pending') totals.pending++;
          await repos.legacy.updateLegacyRecord(trx, row.id, {
            category: c.category,
            cyber: c.cyber,
            recording_code: c.code,
            confidence: c.confidence,
            extortion: c.extortion ? 1 : 0,
            vulnerable: c.vulnerable ? 1 : 0,
            reasons: JSON.stringify(c.reasons),
            online,
            online_evidence: JSON.stringify(c.online.evidence),
            review,
          });
          if (row.category === c.category && row.cyber === c.cyber) continue;
          changed++;
          const key = { day: row.recorded_on, force_id: forceId, source: 'legacy' as const, shard: 0 };
          await repos.stats.addDailyStats(trx, {
            ...key,
            category: row.category,
            cyber: row.cyber,
            reports: -1,
            loss_pence: -row.loss_pence,
          });
          await repos.stats.addDailyStats(trx, {
            ...key,
            category: c.category,
            cyber: c.cyber,
            reports: 1,
            loss_pence: row.loss_pence,
          });
        }
        totals.records += rows.length;
        totals.changed += changed;
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor,
          action: 'legacy-reclassify',
          forceId,
          detail: JSON.stringify({ records: rows.length, changed }),
        });
        return false;
      });
      if (done) return totals;
    }
  };
}
