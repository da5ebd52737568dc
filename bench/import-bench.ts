import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, TEST_AUDIT_SIGNING_KEY, TEST_DATA_KEY } from '../test/support/test-services.ts';
import type { Result } from './measure.ts';
import { benchRow } from './import-rows.ts';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
/** Runs of each measurement; the median is reported (the machine is shared: one run can be unlucky). */
const RUNS = Math.max(1, Number(process.env.BENCH_IMPORT_RUNS ?? 1));
/** Which databases: sqlite, postgres or both (the default). */
const DATABASES = (process.env.BENCH_IMPORT_DATABASES ?? 'sqlite,postgres').split(',');
const root = fileURLToPath(new URL('../', import.meta.url));

async function writeCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  const write = (s: string) =>
    out.write(s)
      ? Promise.resolve()
      : new Promise<void>((r) =>
          out.once('drain', () => {
            r();
          }),
        );
  await write('record_id,recorded_date,crime_type,summary,postcode,loss\n');
  for (let i = 0; i < ROWS; i++) {
    const row = benchRow(i);
    await write(`${row.recordId},${row.date},${row.crimeType},"${row.summary}",CA1 1AA,${row.loss}\n`);
  }
  await new Promise<void>((r) =>
    out.end(() => {
      r();
    }),
  );
}

interface Run {
  rows: number;
  seconds: number;
  maxRssMb: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** A fresh database for one run: a SQLite file on disk (as a force would have it), or a private PostgreSQL schema. */
async function freshDatabase(
  kind: string,
  postgresUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'bluelight-bench-db-'));
    return {
      url: `sqlite:${join(dir, 'bench.db')}`,
      drop: () => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    };
  }
  // createTestDatabase makes a schema on the server DATABASE_URL names (bench/run.ts sets it to postgresUrl).
  if (!process.env.DATABASE_URL?.startsWith('postgres')) process.env.DATABASE_URL = postgresUrl;
  return createTestDatabase();
}

/**
 * Imports generated rows with the command as a user runs it (compiled dist/, its own process: rows/s and peak
 * RSS), on SQLite and on PostgreSQL, against csv-parse alone reading the same file; medians of BENCH_IMPORT_RUNS.
 */
export async function importBench(postgresUrl: string): Promise<Result[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bluelight-bench-'));
  const file = join(dir, 'records.csv');
  await writeCsv(file);
  // The command runs dist/: build it if the sources changed (as scripts/bluelight.mjs would).
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--if-stale'], { stdio: 'inherit' });
  const worker = (args: string[], env: Record<string, string> = {}): Run => {
    const out = execFileSync(process.execPath, [join(root, 'bench/import-worker.mjs'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
      maxBuffer: 1024 * 1024,
    });
    return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Run;
  };
  const summarise = (runs: Run[]) => ({
    perSecond: median(runs.map((r) => r.rows / r.seconds)),
    rssMb: median(runs.map((r) => r.maxRssMb)),
  });
  try {
    const baselineRuns: Run[] = [];
    for (let i = 0; i < RUNS; i++) baselineRuns.push(worker(['parse', file]));
    const baseline = summarise(baselineRuns);
    const results: Result[] = [];
    for (const kind of DATABASES) {
      const runs: Run[] = [];
      for (let i = 0; i < RUNS; i++) {
        const database = await freshDatabase(kind, postgresUrl);
        const env = {
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
          DATA_KEY: TEST_DATA_KEY,
          AUDIT_SIGNING_KEY: TEST_AUDIT_SIGNING_KEY,
          DATABASE_URL: database.url,
        };
        try {
          execFileSync(process.execPath, [join(root, 'scripts/bluelight.mjs'), 'migrate'], {
            env: { ...process.env, ...env },
            stdio: 'ignore',
          });
          const run = worker(['import', file, 'cumbria'], env);
          if (run.rows !== ROWS) throw new Error(`imported ${String(run.rows)} of ${String(ROWS)} rows`);
          runs.push(run);
        } finally {
          await database.drop();
        }
      }
      const ours = summarise(runs);
      results.push({
        name: `legacy import of ${ROWS.toLocaleString('en-GB')} generated rows on ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (bluelight import legacy from dist/: classify + store + count) vs csv-parse alone, median of ${String(RUNS)}`,
        ours: { perSecond: ours.perSecond, unit: `rows/s (peak RSS ${String(ours.rssMb)} MB)` },
        baseline: { perSecond: baseline.perSecond, unit: `rows/s (peak RSS ${String(baseline.rssMb)} MB)` },
      });
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
