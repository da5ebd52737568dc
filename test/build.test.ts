import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { withoutDatabase } from './support/test-services.ts';

const repo = fileURLToPath(new URL('../', import.meta.url));

/** A project of a few files beside a copy of scripts/build.mjs: the real build script, at a small scale. */
function smallProject(files = 1): string {
  const root = mkdtempSync(join(tmpdir(), 'bl-build-'));
  mkdirSync(join(root, 'scripts'));
  mkdirSync(join(root, 'src/views'), { recursive: true });
  writeFileSync(join(root, 'scripts/build.mjs'), readFileSync(join(repo, 'scripts/build.mjs')));
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  writeFileSync(
    join(root, 'tsconfig.build.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        strict: true,
        rootDir: 'src',
        skipLibCheck: true,
      },
      include: ['src'],
    }),
  );
  for (let i = 0; i < files; i++)
    writeFileSync(join(root, `src/m${String(i)}.ts`), `export const v${String(i)}: number = ${String(i)};\n`);
  writeFileSync(join(root, 'src/main.ts'), 'export const answer: number = 42;\n');
  writeFileSync(join(root, 'src/views/page.njk'), '<p>page</p>\n');
  return root;
}

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const builds = (root: string) => readdirSync(root).filter((entry) => entry.startsWith('.dist-build-'));
const build = (root: string) =>
  spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { encoding: 'utf8', cwd: root });

describe.skipIf(withoutDatabase)('npm run build (scripts/build.mjs)', { timeout: 120_000 }, () => {
  it('swaps a new build in by one rename of the dist link, keeping the build a running process loaded from', () => {
    const root = smallProject();
    roots.push(root);
    expect(build(root).status).toBe(0);
    const dist = join(root, 'dist');
    // A link, so replacing it is one rename: a command started at any instant finds a whole build.
    expect(lstatSync(dist).isSymbolicLink()).toBe(true);
    const first = realpathSync(dist);
    expect(readFileSync(join(dist, 'main.js'), 'utf8')).toContain('42');
    expect(existsSync(join(dist, 'views/page.njk'))).toBe(true);
    expect(existsSync(join(dist, '.built'))).toBe(true);

    writeFileSync(join(root, 'src/main.ts'), 'export const answer: number = 43;\n');
    expect(build(root).status).toBe(0);
    const second = realpathSync(dist);
    expect(second).not.toBe(first);
    expect(readFileSync(join(dist, 'main.js'), 'utf8')).toContain('43');
    // The build before stays (a running server resolves its later imports there); older ones go.
    expect(readFileSync(join(first, 'main.js'), 'utf8')).toContain('42');
    expect(build(root).status).toBe(0);
    expect(existsSync(first)).toBe(false);
    expect(builds(root)).toHaveLength(2);
  });

  it('fails on a syntax error and keeps the build before it (types are checked by npm run typecheck, not here)', () => {
    const root = smallProject();
    roots.push(root);
    expect(build(root).status).toBe(0);
    const before = realpathSync(join(root, 'dist'));
    writeFileSync(join(root, 'src/main.ts'), 'export const answer: number = ;\n');
    const failed = build(root);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('the build failed');
    expect(realpathSync(join(root, 'dist'))).toBe(before);
    expect(builds(root)).toEqual([before.split('/').pop()]);
  });

  it('replaces a dist directory left by an older layout', () => {
    const root = smallProject();
    roots.push(root);
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist/stale.js'), '');
    expect(build(root).status).toBe(0);
    expect(lstatSync(join(root, 'dist')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(root, 'dist/stale.js'))).toBe(false);
  });

  it('stops its compiler at once on SIGTERM, leaving no build, no half-made output and no lock', async () => {
    // Enough files that tsc is still compiling when the signal comes.
    const root = smallProject(400);
    roots.push(root);
    const child = spawn(process.execPath, [join(root, 'scripts/build.mjs'), '--if-stale'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        resolve(code);
      }),
    );
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('compiling')) resolve();
      });
    });
    // The compiler is running under the build when the signal comes.
    const compiler = () =>
      spawnSync('pgrep', ['-f', join(root, 'tsconfig.build.json')], { encoding: 'utf8' }).stdout.trim();
    await expect.poll(compiler, { timeout: 30_000 }).not.toBe('');
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    // Without stopping it, the compiler would carry on and the build finish after the signal.
    await expect.poll(compiler, { timeout: 10_000 }).toBe('');
    expect(existsSync(join(root, 'dist'))).toBe(false);
    expect(builds(root)).toEqual([]);
    expect(existsSync(join(root, '.dist-lock'))).toBe(false);
  });

  it('bundles the command line, which finds files from where its modules are in dist/, and rebuilds on an edit', () => {
    const root = smallProject();
    roots.push(root);
    writeFileSync(join(root, 'scripts/bluelight.mjs'), readFileSync(join(repo, 'scripts/bluelight.mjs')));
    mkdirSync(join(root, 'src/cli'));
    mkdirSync(join(root, 'src/data'));
    writeFileSync(join(root, 'src/data/word.txt'), 'beside its module\n');
    writeFileSync(
      join(root, 'src/data/word.ts'),
      "import { readFileSync } from 'node:fs';\nexport const word = (): string => readFileSync(new URL('./word.txt', import.meta.url), 'utf8').trim();\n",
    );
    const main = (greeting: string) =>
      `import { word } from '../data/word.ts';\nexport async function runCliProcess(argv: string[]): Promise<void> {\n  process.stdout.write(\`${greeting} \${argv.join(' ')}: \${word()}\\n\`);\n}\n`;
    writeFileSync(join(root, 'src/cli/main.ts'), main('hello'));
    writeFileSync(
      join(root, 'tsconfig.build.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          strict: true,
          rootDir: 'src',
          skipLibCheck: true,
          allowImportingTsExtensions: true,
          rewriteRelativeImportExtensions: true,
          types: ['node'],
        },
        include: ['src'],
      }),
    );
    const bluelight = () =>
      spawnSync(process.execPath, [join(root, 'scripts/bluelight.mjs'), 'extract'], {
        encoding: 'utf8',
        cwd: root,
      });

    const first = bluelight();
    expect(first.stderr).toContain('compiling');
    expect(first.stdout).toBe('hello extract: beside its module\n');
    expect(existsSync(join(root, 'dist/cli-bundle/main.js'))).toBe(true);
    // It runs from the bundle, not from tsc's output; and, fresh, without a build.
    rmSync(join(root, 'dist/cli/main.js'));
    rmSync(join(root, 'dist/data/word.js'));
    const again = bluelight();
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe('hello extract: beside its module\n');

    // Edited in place (its directory's time unchanged): still a rebuild.
    writeFileSync(join(root, 'src/cli/main.ts'), main('hi'));
    const edited = bluelight();
    expect(edited.stderr).toContain('compiling');
    expect(edited.stdout).toBe('hi extract: beside its module\n');
    // A file added, and one deleted, count too.
    writeFileSync(join(root, 'src/data/more.ts'), 'export const more = 1;\n');
    expect(bluelight().stderr).toContain('compiling');
    rmSync(join(root, 'src/data/more.ts'));
    expect(bluelight().stderr).toContain('compiling');
    expect(bluelight().stderr).toBe('');
  });

  it('runs `bluelight extract` from the real bundle with the output of the source', async () => {
    const built = spawnSync(process.execPath, [join(repo, 'scripts/build.mjs'), '--if-stale'], {
      encoding: 'utf8',
    });
    expect(built.status, built.stderr).toBe(0);
    expect(existsSync(join(repo, 'dist/cli-bundle/main.js'))).toBe(true);
    const input = readFileSync(join(repo, 'test/fixtures/indicators/labelled-dev.jsonl'), 'utf8');
    const run = spawnSync(process.execPath, [join(repo, 'scripts/bluelight.mjs'), 'extract'], {
      input,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const { extractIndicators } = await import('../src/domain/indicators/extract.ts');
    const expected = input
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const { id, text } = JSON.parse(line) as { id: string; text: string };
        return JSON.stringify({ id, indicators: extractIndicators(text) }) + '\n';
      })
      .join('');
    expect(expected.length).toBeGreaterThan(1000);
    expect(run.stdout).toBe(expected);
  });
});
