// npm run bench: each benchmark runs against a baseline measured in the same run; ratios are printed.
// PostgreSQL benchmarks use BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
// Sizes: BENCH_INTAKE_REQUESTS (3000), BENCH_STATISTICS_ROWS (1,000,000), BENCH_IMPORT_ROWS (1,000,000),
// BENCH_INDICATOR_ROWS (1,000,000), BENCH_TAXII_OBJECTS (1,000,000).
import { describeRate, type Result } from './measure.ts';
import { postcodeBench } from './postcode-bench.ts';

process.env.DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// Loaded after DATABASE_URL is set: the test-database helper picks its dialect from it.
const { createTestServices } = await import('../test/support/test-services.ts');
const { intakeBench } = await import('./intake-bench.ts');
const { statisticsBench } = await import('./statistics-bench.ts');
const { importBench } = await import('./import-bench.ts');
const { extractionBench, correlationBench } = await import('./intelligence-bench.ts');
const { taxiiBench } = await import('./taxii-bench.ts');

const print = (r: Result) => {
  console.log(
    `${r.name}\n  ours:     ${describeRate(r.ours)}\n  baseline: ${describeRate(r.baseline)}\n  ratio:    ${(r.ours.perSecond / r.baseline.perSecond).toFixed(3)} (ours / baseline)`,
  );
};

print(postcodeBench());
print(extractionBench());
for (const bench of [intakeBench, statisticsBench, correlationBench, taxiiBench]) {
  const services = await createTestServices();
  try {
    print(await bench(services));
  } finally {
    await services.cleanup();
  }
}
print(await importBench(process.env.DATABASE_URL));
