// Runs in its own process so its peak memory is its own: `import` (Bluelight's legacy import) or `parse` (csv-parse only).
import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parse } from 'csv-parse';

const [mode, file] = process.argv.slice(2);
const start = performance.now();
let rows = 0;
if (mode === 'parse') {
  for await (const record of createReadStream(file ?? '').pipe(
    parse({ bom: true, relax_column_count: true }),
  )) {
    if (Array.isArray(record)) rows++;
  }
  rows--; // header
} else {
  const { createTestServices } = await import('../test/support/test-services.ts');
  const services = await createTestServices();
  const summary = await services.legacyImport.import(createReadStream(file ?? ''), 'cumbria', {
    onReject: () => undefined,
  });
  rows = summary.imported;
  await services.cleanup();
}
const seconds = (performance.now() - start) / 1000;
process.stdout.write(
  JSON.stringify({ rows, seconds, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\n',
);
