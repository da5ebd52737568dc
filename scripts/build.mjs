// Compiles src/ to dist/ with tsc and copies what the code reads at run time next to it (templates, locales,
// assets); bundles the command line into dist/cli-bundle/ with esbuild. `--if-stale` does nothing when dist/ was
// built after every source file changed, so `npm start` and the command line only pay for a build when there is
// something new.
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
// dist is a symbolic link to one build, .dist-build-<time>-<pid>/ beside it (the same depth, so paths the code
// finds from its own location still work): a new build is swapped in by one rename of the link.
const dist = join(root, 'dist');
const BUILD = '.dist-build-';
const stamp = join(dist, '.built');
const lock = join(root, '.dist-lock');
const INPUTS = [
  'src',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  'package-lock.json',
  'scripts/build.mjs',
];

const isTest = (name) => name.endsWith('.test.ts');

/**
 * Every input path (directories too, so an added or deleted file counts), listed when a build starts and kept in
 * its stamp: the staleness check then stats these paths and reads no directory. Absent top-level inputs are listed
 * with a leading '-', so creating one makes dist stale.
 */
function inputPaths() {
  const paths = [];
  const walk = (path) => {
    const info = statSync(join(root, path), { throwIfNoEntry: false });
    if (info === undefined) return;
    paths.push(path);
    if (!info.isDirectory()) return;
    for (const entry of readdirSync(join(root, path))) if (!isTest(entry)) walk(`${path}/${entry}`);
  };
  for (const input of INPUTS) {
    if (statSync(join(root, input), { throwIfNoEntry: false }) === undefined) paths.push(`-${input}`);
    else walk(input);
  }
  return paths;
}

/**
 * Whether dist/ needs a build: no stamp, a stamp without its list of inputs (an older build), or an input changed,
 * added, deleted or created since the build started. Cheap (a few milliseconds): every command runs it.
 */
export function isStale() {
  let text;
  try {
    text = readFileSync(stamp, 'utf8');
  } catch {
    return true;
  }
  const lines = text.split('\n');
  if (lines[1] !== 'inputs:') return true;
  const built = statSync(stamp).mtimeMs;
  for (let i = 2; i < lines.length; i++) {
    const path = lines[i];
    if (path === '') continue;
    if (path.startsWith('-')) {
      if (statSync(join(root, path.slice(1)), { throwIfNoEntry: false }) !== undefined) return true;
      continue;
    }
    const info = statSync(join(root, path), { throwIfNoEntry: false });
    if (info === undefined || info.mtimeMs > built) return true;
  }
  return false;
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

/** Whether the build that holds the lock is still running (its pid is in the lock). */
function holderAlive() {
  try {
    const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One build at a time (two commands started together); a lock whose build has died is taken over. */
async function withLock(work) {
  let told = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      // Just made by another build that has not written its pid yet: give it a moment before judging it dead.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held !== undefined && Date.now() - held.mtimeMs > 2000 && !holderAlive())
        rmSync(lock, { recursive: true, force: true });
      else if (!told) {
        process.stderr.write('bluelight: waiting for another build to finish…\n');
        told = true;
      }
      await new Promise((resolve) => globalThis.setTimeout(resolve, 200));
    }
  }
  // An interrupted build stops its compiler and leaves no lock and no half-made build behind.
  const release = () => rmSync(lock, { recursive: true, force: true });
  const interrupted = (signal) => {
    for (const undo of onInterrupt) undo();
    release();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    return await work();
  } finally {
    release();
  }
}

/** What an interrupted build undoes (stop the compiler, remove the unfinished output). */
const onInterrupt = new Set();

/** Runs tsc (asynchronously, so a signal is handled at once and the compiler stopped with the build). */
function compile(outDir) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  // Emit only (--noCheck): the same output for a quarter of the CPU. Types are checked once, by `npm run typecheck`
  // (CI and the pre-commit routine), not again by every start and test run. Syntax errors still fail the build.
  // tsc writes its errors to stdout: send them to stderr, which every caller shows.
  const child = spawn(
    process.execPath,
    [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir, '--noCheck'],
    { stdio: ['ignore', 2, 2] },
  );
  const stop = () => child.kill('SIGTERM');
  onInterrupt.add(stop);
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      onInterrupt.delete(stop);
      resolve(code);
    });
  });
}

/** The command line's entry, and where its bundle goes in a build (one level down, as dist/cli/ is). */
const CLI_ENTRY = 'src/cli/main.ts';
const CLI_BUNDLE = 'cli-bundle';
/**
 * Packages bundled with the command line: pure JavaScript that `bluelight extract` loads, spread over many files
 * (libphonenumber-js alone is about 100). Every other package stays external and loads from node_modules as in
 * dist/, so files a package reads from beside itself, and native modules (better-sqlite3, argon2), still work.
 */
const BUNDLED_PACKAGES = new Set([
  'tldts',
  'tldts-core',
  'libphonenumber-js',
  'ipaddr.js',
  'ibantools',
  '@scure/base',
]);

/**
 * The command line in a few files (dist/cli-bundle/main.js and the chunks its commands share), so a command
 * starts without Node reading and compiling some 130 module files. Each command stays its own chunk, loaded when
 * run. A module that finds files from its own location (templates, locales, reference data, the classifier
 * worker) gets the URL it has in dist/ in place of import.meta.url, so those paths are the same as in dist/.
 */
async function bundleCli(outdir) {
  const esbuild = await import('esbuild');
  const src = join(root, 'src');
  const ownLocation = {
    name: 'own-location',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        const parts = args.path.split('/');
        const name = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
        return BUNDLED_PACKAGES.has(name) ? undefined : { path: args.path, external: true };
      });
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!args.path.startsWith(src + '/') || !source.includes('import.meta.url'))
          return { contents: source, loader: 'ts' };
        const inDist = relative(outdir, join(outdir, '..', relative(src, args.path))).replace(/\.ts$/, '.js');
        const url = `new URL(${JSON.stringify(inDist)}, import.meta.url).href`;
        return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
      });
    },
  };
  await esbuild.build({
    entryPoints: { main: join(root, CLI_ENTRY) },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Class and function names as written (error names, logs), not as renamed where two modules share one.
    keepNames: true,
    logLevel: 'error',
    plugins: [ownLocation],
  });
}

/** The build dist points at (undefined when there is none, or dist is a directory from an older layout). */
function currentBuild() {
  const link = lstatSync(dist, { throwIfNoEntry: false });
  return link?.isSymbolicLink() ? readlinkSync(dist) : undefined;
}

/** Points dist at `build` in one rename, and keeps the build before it (a running process may still load from it). */
function swapIn(build) {
  const previous = currentBuild();
  const link = join(root, `.dist-link-${process.pid}`);
  rmSync(link, { force: true });
  symlinkSync(build, link);
  // A real directory from the older layout cannot be replaced by a rename: moved aside once.
  if (lstatSync(dist, { throwIfNoEntry: false })?.isDirectory()) renameSync(dist, join(root, `${BUILD}old`));
  renameSync(link, dist);
  for (const entry of readdirSync(root))
    if (entry.startsWith(BUILD) && entry !== build && entry !== previous)
      rmSync(join(root, entry), { recursive: true, force: true });
}

async function build() {
  // Built in a directory of its own and swapped in whole, so a running command never sees half a build.
  const name = `${BUILD}${new Date().toISOString().replace(/[:.]/g, '')}-${process.pid}`;
  const next = join(root, name);
  const removeNext = () => rmSync(next, { recursive: true, force: true });
  onInterrupt.add(removeNext);
  // The stamp says when the sources were read: an edit made while tsc runs leaves dist/ stale, as it is.
  const started = new Date();
  const inputs = inputPaths();
  if ((await compile(next)) !== 0) {
    removeNext();
    process.stderr.write('bluelight: the build failed (tsc errors above); dist/ is unchanged\n');
    process.exit(1);
  }
  copyAssets(join(root, 'src'), next);
  if (existsSync(join(root, CLI_ENTRY))) {
    try {
      await bundleCli(join(next, CLI_BUNDLE));
    } catch (error) {
      removeNext();
      process.stderr.write(
        `bluelight: bundling the command line failed: ${error.message}; dist/ is unchanged\n`,
      );
      process.exit(1);
    }
  }
  writeFileSync(join(next, '.built'), `${started.toISOString()}\ninputs:\n${inputs.join('\n')}\n`);
  utimesSync(join(next, '.built'), started, started);
  onInterrupt.delete(removeNext);
  swapIn(name);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ifStale = process.argv.includes('--if-stale');
  // Fresh: nothing to wait for or lock.
  if (!ifStale || isStale())
    await withLock(async () => {
      if (ifStale && !isStale()) return;
      const started = Date.now();
      if (ifStale) process.stderr.write('bluelight: compiling to dist/ (sources changed)…\n');
      await build();
      process.stderr.write(`bluelight: built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    });
}
