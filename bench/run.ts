// npm run bench: each benchmark runs against a baseline measured in the same run; ratios are printed.
// PostgreSQL benchmarks use BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
// Sizes: BENCH_INTAKE_REQUESTS (3000), BENCH_STATISTICS_ROWS (1,000,000), BENCH_IMPORT_ROWS (1,000,000),
// BENCH_INDICATOR_ROWS (1,000,000), BENCH_TAXII_OBJECTS (1,000,000), BENCH_TAXII_ROUNDS (3); for scale (run
// only when named): BENCH_SCALE_REPORTS and BENCH_SCALE_INDICATORS (10,000,000), BENCH_SCALE_REQUESTS (2000),
// BENCH_SCALE_STATISTICS_REQUESTS (400); BENCH_ALERT_SUBSCRIBERS (5000).
// BENCH_ONLY=extraction,intake,… runs only those (postcode, extraction, extraction-cli, intake, statistics,
// correlation, taxii, alerts, import, scale); the machine is shared, so run what you changed.
// BENCH_CPU_PROF=dir writes CPU profiles of the servers the benches start (the app's and the bare intake server's);
// BENCH_SERVER_FLAGS passes node flags to the app's server (space-separated).
import { cpus, loadavg } from 'node:os';
import { describeRate, type Result } from './measure.ts';
import { postcodeBench } from './postcode-bench.ts';

process.env.DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// Loaded after DATABASE_URL is set: the test-database helper picks its dialect from it.
const { createTestServices } = await import('../test/support/test-services.ts');
const { intakeBench } = await import('./intake-bench.ts');
const { statisticsBench } = await import('./statistics-bench.ts');
const { importBench } = await import('./import-bench.ts');
const { extractionBench, correlationBench } = await import('./intelligence-bench.ts');
const { extractCliBench } = await import('./extract-cli-bench.ts');
const { taxiiBench } = await import('./taxii-bench.ts');
const { scaleBench } = await import('./scale-bench.ts');
const { alertsBench } = await import('./alerts-bench.ts');

const only = new Set((process.env.BENCH_ONLY ?? '').split(',').filter((name) => name !== ''));

// The machine is shared: what else was running is part of every figure.
console.log(
  `${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (1, 5, 15 min)`,
);
const wanted = (name: string) => only.size === 0 || only.has(name);

const print = (r: Result) => {
  console.log(
    `${r.name}\n  ours:     ${describeRate(r.ours)}\n  baseline: ${describeRate(r.baseline)}\n  ratio:    ${(r.ours.perSecond / r.baseline.perSecond).toFixed(3)} (ours / baseline)`,
  );
  for (const note of r.notes ?? []) console.log(`  ${note}`);
};

if (wanted('postcode')) print(postcodeBench());
if (wanted('extraction')) print(extractionBench());
if (wanted('extraction-cli')) print(extractCliBench());
if (wanted('intake')) for (const result of await intakeBench()) print(result);
for (const [name, bench] of [
  ['statistics', statisticsBench],
  ['correlation', correlationBench],
  ['taxii', taxiiBench],
  ['alerts', alertsBench],
] as const) {
  if (!wanted(name)) continue;
  const services = await createTestServices();
  try {
    print(await bench(services));
  } finally {
    await services.cleanup();
  }
}
if (wanted('import')) for (const result of await importBench(process.env.DATABASE_URL)) print(result);
// Not in the default run: it seeds 10 million rows. BENCH_ONLY=scale (sizes: BENCH_SCALE_REPORTS, BENCH_SCALE_INDICATORS).
if (only.has('scale')) for (const result of await scaleBench()) print(result);
