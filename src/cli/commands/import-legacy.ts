import { accessSync, constants, createReadStream, createWriteStream, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ServiceError } from '../../services/service-error.ts';
import { pipeline } from 'node:stream/promises';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { stringify } from 'csv-stringify';
import { loadConfig } from '../../config/config.ts';
import { importServices } from '../../services/import-services.ts';
import { isLegacyColumn, LEGACY_COLUMNS, type LegacyColumn } from '../../domain/legacy/legacy-record.ts';
import { CliError, type CliIo } from '../cli-io.ts';

const USAGE =
  'usage: bluelight import legacy <file.csv> --force <force-id> [--map record_id=URN,summary="MO Text"] [--dry-run] [--workers <n>] [--rejects <file.csv>]';

/**
 * Classifier threads by default: one per core less the main thread's (it parses and stores), at least one, at
 * most IMPORT_MAX_WORKERS (each holds its own classifier and n-gram model: memory).
 */
export const IMPORT_MAX_WORKERS = 2;
export function defaultImportWorkers(cores = availableParallelism()): number {
  return Math.max(1, Math.min(IMPORT_MAX_WORKERS, cores - 1));
}

/** --map record_id=URN,summary="MO Text": our column names to the file's header names. */
function parseMap(raw: string): Partial<Record<LegacyColumn, string>> {
  const map: Partial<Record<LegacyColumn, string>> = {};
  for (const part of raw.match(/(?:[^,"]+|"[^"]*")+/g) ?? []) {
    const eq = part.indexOf('=');
    const column = part.slice(0, eq).trim();
    const header = part
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (eq < 0 || header === '' || !isLegacyColumn(column))
      throw new CliError(
        `--map takes column=header pairs, columns from ${Object.keys(LEGACY_COLUMNS).join(', ')} (got "${part}")\n${USAGE}`,
      );
    map[column] = header;
  }
  return map;
}

/**
 * How far V8 lets the old generation grow past what was live after its last full collection before collecting
 * again, in per cent. Left to itself it grows it up to fourfold: an import's live heap is 40–60 MB, but each batch
 * of rows outlives a few young-generation collections and is promoted, so the old generation filled with dead
 * batches to 150–190 MB between full collections (peak RSS 300+ MB). At 30 % it stays near the live size (peak RSS
 * under 200 MB) for a few per cent more collection time (docs/performance.md, "Legacy import").
 */
export const IMPORT_HEAP_GROWING_PERCENT = 30;

/** bluelight import legacy <file.csv> --force <id>: streams a force's records in; rejects go to <file>.rejects.csv. */
export async function importLegacyCommand(args: string[], io: CliIo & { isTTY?: boolean }): Promise<number> {
  // A GC heuristic read at each full collection (it changes no heap size set at start-up), for this process only:
  // the command runs in a process of its own.
  setFlagsFromString(`--heap-growing-percent=${String(IMPORT_HEAP_GROWING_PERCENT)}`);
  let parsed: {
    values: { force?: string; map?: string; 'dry-run'?: boolean; workers?: string; rejects?: string };
    positionals: string[];
  };
  try {
    parsed = parseArgs({
      args,
      options: {
        force: { type: 'string' },
        map: { type: 'string' },
        'dry-run': { type: 'boolean' },
        // Where the rejected rows are listed (the file beside the export by default: a read-only share has none).
        rejects: { type: 'string' },
        workers: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`);
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0) throw new CliError(`give one CSV file\n${USAGE}`);
  const forceId = parsed.values.force ?? '';
  const map = parsed.values.map === undefined ? {} : parseMap(parsed.values.map);
  const dryRun = parsed.values['dry-run'] === true;
  const workersRaw = parsed.values.workers;
  if (workersRaw !== undefined && !/^(?:[0-9]|1[0-6])$/.test(workersRaw))
    throw new CliError(`--workers takes a number of threads from 0 to 16 (got "${workersRaw}")\n${USAGE}`);
  const workers = workersRaw === undefined ? defaultImportWorkers() : Number(workersRaw);
  const shown: string[] = [];
  const projected = new Map<string, number>();
  let offline = 0;
  let pending = 0;
  const threshold = loadConfig(io.env, io.cwd).classificationReviewThreshold;
  const container = importServices(loadConfig(io.env, io.cwd));
  try {
    if (container.reference.force(forceId) === undefined)
      throw new CliError(`--force must be a police force id, like cumbria (got "${forceId}")\n${USAGE}`);
    let size: number;
    try {
      size = statSync(file).size;
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${(error as Error).message}`, 1);
    }
    const rejectsPath = parsed.values.rejects ?? `${file}.rejects.csv`;
    if (rejectsPath === '') throw new CliError(`--rejects takes a file name\n${USAGE}`);
    if (!dryRun) checkWritable(rejectsPath);
    await container.migrate();

    let rejects: ReturnType<typeof stringify> | null = null;
    let rejectsWritten: Promise<void> = Promise.resolve();
    // A rejects file that fails while rows are stored (a full disk) must not stop the import half-way.
    let rejectsFailure: Error | null = null;
    const started = Date.now();
    let lastPrint = 0;
    const summary = await container.legacyImport
      .import(
        createReadStream(file),
        forceId,
        {
          onReject(reject) {
            if (dryRun || rejectsFailure !== null) return;
            if (rejects === null) {
              rejects = stringify({ header: true, columns: ['line', 'reason', 'record'] });
              rejectsWritten = pipeline(rejects, createWriteStream(rejectsPath)).catch((error: unknown) => {
                rejectsFailure = error instanceof Error ? error : new Error(String(error));
              });
            }
            rejects.write([reject.line, reject.reason, reject.record.join(',')]);
          },
          onHeader(columns) {
            if (!dryRun) return;
            io.stdout('Columns found:\n');
            for (const c of columns) io.stdout(`  ${c.column} <- "${c.header}"\n`);
          },
          onClassified(row, c) {
            const key = `${c.category} (${c.cyber})`;
            projected.set(key, (projected.get(key) ?? 0) + 1);
            if (c.online.medium === null) offline++;
            if (c.confidence < threshold) pending++;
            if (shown.length < 20)
              shown.push(
                `  ${row.recordId}: ${c.category}, cyber ${c.cyber}, online ${c.online.medium ?? 'none'}` +
                  (c.online.evidence.length > 0
                    ? ` (${c.online.evidence.map((e) => `“${e.words}”`).join(', ')})`
                    : '') +
                  `, confidence ${String(c.confidence)}${c.confidence < threshold ? ', review' : ''}: ${c.reasons.slice(0, 2).join('; ')}`,
              );
          },
          onProgress({ rows, bytes }) {
            const now = Date.now();
            if (io.isTTY !== true || now - lastPrint < 500) return;
            lastPrint = now;
            const seconds = (now - started) / 1000;
            const rate = rows / Math.max(seconds, 0.001);
            const eta = bytes > 0 ? ((size - bytes) / (bytes / seconds)).toFixed(0) : '?';
            io.stderr(
              `\r${rows.toLocaleString('en-GB')} rows, ${Math.round(rate).toLocaleString('en-GB')} rows/s, ${Math.round((bytes / Math.max(size, 1)) * 100)}%, about ${eta} s left   `,
            );
          },
        },
        { dryRun, map, workers },
      )
      .catch((error: unknown) => {
        if (error instanceof ServiceError) throw new CliError(`cannot import ${file}: ${error.message}`, 1);
        throw error;
      });
    (rejects as ReturnType<typeof stringify> | null)?.end();
    await rejectsWritten;
    const seconds = (Date.now() - started) / 1000;
    if (io.isTTY === true) io.stderr('\n');
    if (dryRun) {
      io.stdout(`First ${String(shown.length)} classifications:\n${shown.join('\n')}\n`);
      io.stdout('Projected counts (nothing was stored):\n');
      for (const [key, n] of [...projected].sort((a, b) => b[1] - a[1]))
        io.stdout(`  ${key}: ${String(n)}\n`);
      io.stdout(
        `${String(summary.rows)} rows read: ${String(summary.rows - summary.rejected)} would be imported, ${String(offline)} with no online element, ${String(pending)} would wait for review, ${String(summary.rejected)} rejected\n`,
      );
      return 0;
    }
    const failure = rejectsFailure as Error | null;
    io.stdout(
      `${summary.rows} rows read in ${seconds.toFixed(1)} s: ${summary.imported} imported, ${summary.alreadyPresent} already imported, ` +
        `${summary.rejected} rejected${summary.rejected > 0 && failure === null ? ` (listed with line numbers in ${rejectsPath})` : ''}\n`,
    );
    if (failure !== null)
      throw new CliError(
        `could not write the rejects file ${rejectsPath}: ${failure.message}; import the file again once it can be written to list the rejected rows (records already imported are skipped)`,
        1,
      );
    return 0;
  } finally {
    await container.close();
  }
}

/** The rejects file must be a file this process can write (checked before anything is stored). */
function checkWritable(path: string): void {
  let existing: ReturnType<typeof statSync> | undefined;
  try {
    existing = statSync(path, { throwIfNoEntry: false });
    if (existing !== undefined && !existing.isFile()) throw new Error('it is not a file');
    accessSync(existing === undefined ? dirname(path) : path, constants.W_OK);
  } catch (error) {
    throw new CliError(`cannot write the rejects file ${path}: ${(error as Error).message}`, 1);
  }
}
