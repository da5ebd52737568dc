// Compiles src/ to dist/ with tsc (type-checked) and copies what the code reads at run time next to it
// (templates, locales, assets). `--if-stale` does nothing when dist/ was built after every source file changed,
// so `npm start` and the command line only pay for a build when there is something new.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = join(root, 'dist');
const stamp = join(dist, '.built');
const lock = join(root, '.dist-lock');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

const isTest = (name) => name.endsWith('.test.ts');

/** Newest change under the inputs; directories count too, so a deleted file makes dist stale. */
function newestChange(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (info === undefined) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (isTest(entry)) continue;
    newest = Math.max(newest, newestChange(join(path, entry)));
  }
  return newest;
}

export function isStale() {
  const built = statSync(stamp, { throwIfNoEntry: false });
  if (built === undefined) return true;
  return INPUTS.some((input) => newestChange(join(root, input)) > built.mtimeMs);
}

/** Copies every file tsc does not emit (templates, JSON, CSS, scripts) into the same place under `to`. */
function copyAssets(from, to) {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    if (entry.isDirectory()) copyAssets(source, join(to, entry.name));
    else if (!entry.name.endsWith('.ts')) {
      mkdirSync(to, { recursive: true });
      cpSync(source, join(to, entry.name));
    }
  }
}

/** One build at a time (two commands started together); a lock older than five minutes is a crashed build. */
function withLock(work) {
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held !== undefined && Date.now() - held.mtimeMs > 300_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`another build holds ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function build() {
  // Built beside dist/ and swapped in whole, so a running command never sees half a build.
  const next = join(root, `.dist-next-${process.pid}`);
  rmSync(next, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', next], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (run.status !== 0) {
    rmSync(next, { recursive: true, force: true });
    process.stderr.write('bluelight: the build failed (tsc errors above); dist/ is unchanged\n');
    process.exit(1);
  }
  copyAssets(join(root, 'src'), next);
  writeFileSync(join(next, '.built'), new Date().toISOString() + '\n');
  const old = join(root, `.dist-old-${process.pid}`);
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(next, dist);
  rmSync(old, { recursive: true, force: true });
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ifStale = process.argv.includes('--if-stale');
  withLock(() => {
    if (ifStale && !isStale()) return;
    const started = Date.now();
    if (ifStale) process.stderr.write('bluelight: compiling to dist/ (sources changed)…\n');
    build();
    process.stderr.write(`bluelight: built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });
}
