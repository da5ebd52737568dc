import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Result } from './measure.ts';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const root = fileURLToPath(new URL('../', import.meta.url));

const SUMMARIES = [
  'IP STATES PAID £450 FOR PUPPY ON GUMTREE. NEVER ARRIVED',
  'IP REPORTS UNAUTH ACCESS TO FACEBOOK ACCT. SUSP UNKNOWN. NO LOSS',
  'victim received call from man claiming to be from bank fraud team, moved savings to safe account',
  'our servers were encrypted by ransomware and a bitcoin ransom was demanded',
  'met a man on a dating app who asked for money for flights, sent £3000',
  'text claiming parcel held, victim deleted it without clicking',
];

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
    const day = String(1 + (i % 28)).padStart(2, '0');
    await write(
      `R${i},${day}/${String(1 + (i % 12)).padStart(2, '0')}/2025,FRAUD,"${SUMMARIES[i % SUMMARIES.length] ?? ''} (${i})",CA1 1AA,£${i % 5000}.00\n`,
    );
  }
  await new Promise<void>((r) =>
    out.end(() => {
      r();
    }),
  );
}

/** Imports generated rows in a child process (rows/s and peak RSS) against csv-parse alone reading the same file. */
export async function importBench(
  databaseUrl: string,
): Promise<Result & { oursRssMb: number; baselineRssMb: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bluelight-bench-'));
  const file = join(dir, 'records.csv');
  await writeCsv(file);
  const run = (mode: string) =>
    JSON.parse(
      execFileSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'bench/import-worker.ts'), mode, file], {
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: databaseUrl },
        maxBuffer: 1024 * 1024,
      }),
    ) as { rows: number; seconds: number; maxRssMb: number };
  const baseline = run('parse');
  const ours = run('import');
  rmSync(dir, { recursive: true, force: true });
  return {
    name: `legacy import of ${ROWS.toLocaleString('en-GB')} generated rows (classify + store + count) vs csv-parse alone`,
    ours: { perSecond: ours.rows / ours.seconds, unit: `rows/s (peak RSS ${ours.maxRssMb} MB)` },
    baseline: {
      perSecond: baseline.rows / baseline.seconds,
      unit: `rows/s (peak RSS ${baseline.maxRssMb} MB)`,
    },
    oursRssMb: ours.maxRssMb,
    baselineRssMb: baseline.maxRssMb,
  };
}
