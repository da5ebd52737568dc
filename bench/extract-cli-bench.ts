import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, writeFileSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labelledTexts } from './intelligence-bench.ts';
import type { Result } from './measure.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const MEGABYTES = 8;
const ROUNDS = Number(process.env.BENCH_EXTRACT_CLI_ROUNDS ?? 3);

/** CPU seconds of `node <args>` reading `input` on stdin, start-up included (bench/cpu-on-exit.mjs reports them). */
function cpuSeconds(args: string[], input: string): number {
  const stdin = openSync(input, 'r');
  try {
    const run = spawnSync(process.execPath, ['--import', join(root, 'bench/cpu-on-exit.mjs'), ...args], {
      stdio: [stdin, 'ignore', 'pipe'],
      encoding: 'utf8',
    });
    const seconds = /cpu-seconds ([\d.]+)\s*$/.exec(run.stderr)?.[1];
    if (run.status !== 0 || seconds === undefined) throw new Error(`${args.join(' ')} failed: ${run.stderr}`);
    return Number(seconds);
  } finally {
    closeSync(stdin);
  }
}

/**
 * `bluelight extract` as a user runs it (node scripts/bluelight.mjs, as `npm run bluelight` does) on 8 MB of
 * JSON lines, against the same job done with ioc-extractor (bench/ioc-extractor-lines.mjs, the same reading and
 * writing): MB per CPU-second of each process, start-up and the compiler's warm-up included. Runs alternate.
 */
export function extractCliBench(): Result {
  const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--if-stale'], {
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  const texts = labelledTexts().map((item) => item.text);
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < MEGABYTES * 1024 * 1024; i++) {
    const line = JSON.stringify({ id: `r${i}`, text: texts[i % texts.length] });
    lines.push(line);
    bytes += Buffer.byteLength(line) + 1;
  }
  const input = join(mkdtempSync(join(tmpdir(), 'bl-bench-extract-')), 'texts.jsonl');
  writeFileSync(input, lines.join('\n') + '\n');
  let ours = 0;
  let theirs = 0;
  for (let round = 0; round < ROUNDS; round++) {
    ours += cpuSeconds([join(root, 'scripts/bluelight.mjs'), 'extract'], input);
    theirs += cpuSeconds([join(root, 'bench/ioc-extractor-lines.mjs')], input);
  }
  const megabytes = (bytes * ROUNDS) / 1024 / 1024;
  return {
    name: `bluelight extract end to end (${MEGABYTES} MB of JSON lines, own process, start-up included; vs the same job with ioc-extractor; MB per CPU-second, ${ROUNDS} runs each, alternated)`,
    ours: { perSecond: megabytes / ours, unit: 'MB/s' },
    baseline: { perSecond: megabytes / theirs, unit: 'MB/s' },
  };
}
