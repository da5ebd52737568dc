import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/test-services.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
// Node itself with the tsx loader, so SIGTERM reaches the server and not a wrapper process in front of it.
const node = process.execPath;
const loader = ['--import', pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href];
const server = join(root, 'src/server.ts');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });
}

// Real processes loading TypeScript: slow on a busy machine.
describe('the server process', { timeout: 120_000 }, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('refuses to start on bad configuration, with one line naming the variable', () => {
    const run = spawnSync(node, [...loader, server], {
      env: { ...process.env, PORT: 'abc', BASE_URL: '' },
      encoding: 'utf8',
      cwd: mkdtempSync(join(tmpdir(), 'bl-')),
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^bluelight: PORT: "abc" is not a port/);
  });

  it('refuses to start in production without SMTP_URL, naming it (emails to victims are never only logged)', () => {
    const env = { ...process.env };
    delete env.SMTP_URL;
    const run = spawnSync(node, [...loader, server], {
      env: {
        ...env,
        NODE_ENV: 'production',
        BASE_URL: 'https://bluelight.example',
        SESSION_SECRET: 's'.repeat(40),
        VICTIM_SUPPORT_URL: 'off',
        DATABASE_URL: db.url,
      },
      encoding: 'utf8',
      cwd: mkdtempSync(join(tmpdir(), 'bl-')),
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^bluelight: SMTP_URL: is required when NODE_ENV=production/);
  });

  it('starts, answers /healthz, and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(node, [...loader, server], {
      env: {
        ...process.env,
        PORT: String(port),
        // Vitest sets BASE_URL=/ for Vite; give the real one.
        BASE_URL: `http://127.0.0.1:${port}`,
        DATABASE_URL: db.url,
        LOG_LEVEL: 'info',
        SESSION_SECRET: 's'.repeat(40),
      },
      cwd: mkdtempSync(join(tmpdir(), 'bl-')),
    });
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // Ready when it says so; a process that exits first fails here with what it printed.
    await new Promise<void>((resolve, reject) => {
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Bluelight ready')) resolve();
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      void exited.then((code) => {
        reject(new Error(`server exited (${String(code)}) before it was ready:\n${output}`));
      });
    });
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('shutting down');
  }, 120_000);
});
