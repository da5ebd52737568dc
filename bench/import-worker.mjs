/* global process */
// Runs in its own process so its peak memory is its own, as plain Node on the compiled dist/ (what `bluelight
// import legacy` runs: scripts/bluelight.mjs loads dist/cli/main.js): `import <file> <force>` (the command, on the
// database in DATABASE_URL, migrated beforehand; BENCH_IMPORT_WORKERS, when set, is its --workers) or `parse <file>`
// (csv-parse alone reading the same file).
// Prints {"rows","seconds","cpuSeconds","maxRssMb"} as the last line of its output (CPU seconds, user and system, are
// steadier than wall time on a shared machine).
import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parse } from 'csv-parse';

const [mode, file = '', force = 'cumbria'] = process.argv.slice(2);
const start = performance.now();
let rows = 0;
if (mode === 'parse') {
  for await (const record of createReadStream(file).pipe(parse({ bom: true, relax_column_count: true }))) {
    if (Array.isArray(record)) rows++;
  }
  rows--; // header
} else {
  const { runCli } = await import('../dist/cli/main.js');
  let said = '';
  const workers = process.env.BENCH_IMPORT_WORKERS ?? '';
  const args = [
    'import',
    'legacy',
    file,
    '--force',
    force,
    ...(workers === '' ? [] : ['--workers', workers]),
  ];
  const code = await runCli(args, {
    stdin: process.stdin,
    stdout: (text) => (said += text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY: false,
  });
  const imported = /(\d+) imported/.exec(said);
  if (code !== 0 || imported === null) {
    process.stderr.write(`import failed (${String(code)}): ${said}\n`);
    process.exit(1);
  }
  rows = Number(imported[1]);
}
const seconds = (performance.now() - start) / 1000;
process.stdout.write(
  JSON.stringify({
    rows,
    seconds,
    cpuSeconds: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1e6,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + '\n',
);
