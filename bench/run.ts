// npm run bench: each benchmark runs against a baseline measured in the same process; ratios are printed.
// The intake benchmark needs PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
import { describeRate, type Result } from './measure.ts';
import { postcodeBench } from './postcode-bench.ts';

process.env.DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// Loaded after DATABASE_URL is set: the test-database helper picks its dialect from it.
const { createTestServices } = await import('../test/support/test-services.ts');
const { intakeBench } = await import('./intake-bench.ts');

const results: Result[] = [postcodeBench()];
const services = await createTestServices();
try {
  results.push(await intakeBench(services));
} finally {
  await services.cleanup();
}

for (const r of results) {
  console.log(
    `${r.name}\n  ours:     ${describeRate(r.ours)}\n  baseline: ${describeRate(r.baseline)}\n  ratio:    ${(r.ours.perSecond / r.baseline.perSecond).toFixed(2)} (ours / baseline throughput)`,
  );
}
