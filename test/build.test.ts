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

describe('npm run build (scripts/build.mjs)', { timeout: 120_000 }, () => {
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
});
