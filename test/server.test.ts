import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/test-services.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
// The compiled server, as production and the README's `npm start` run it: plain node, no loader.
const node = process.execPath;
const server = join(root, 'dist/server.js');

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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const servers: number[] = [];

interface Started {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
  /** The pid of the node process serving requests, from its own log line (not necessarily `child`). */
  serverPid: number;
  startupMs: number;
}

/** Starts a command and waits for the server's "ready" log line; a process that exits first fails with its output. */
async function start(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(command, args, { env, cwd: root });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const ready = await new Promise<{ pid: number; startupMs: number }>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of output.split('\n')) {
        if (!line.includes('Bluelight ready')) continue;
        const parsed = JSON.parse(line) as { pid: number; startupMs: number };
        resolve(parsed);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then((code) => {
      reject(new Error(`exited (${String(code)}) before the server was ready:\n${output}`));
    });
  });
  servers.push(ready.pid);
  return { child, exited, output: () => output, serverPid: ready.pid, startupMs: ready.startupMs };
}

// Real processes: slow on a busy machine.
describe('the server process', { timeout: 180_000 }, () => {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let port: number;
  beforeAll(async () => {
    // Compile first if the sources changed since the last build (the same step `npm start` takes).
    const build = spawnSync(node, [join(root, 'scripts/build.mjs'), '--if-stale'], { encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    db = await createTestDatabase();
    port = await freePort();
    env = {
      ...process.env,
      PORT: String(port),
      // Vitest sets BASE_URL=/ for Vite; give the real one.
      BASE_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: db.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'bl-data-')),
      LOG_LEVEL: 'info',
      SESSION_SECRET: 's'.repeat(40),
      NODE_ENV: 'development',
    };
    // A build on a busy machine can take more than a minute.
  }, 180_000);
  afterAll(() => db.drop());
  // A failed test must not leave a server holding the port for the next one.
  afterEach(() => {
    for (const pid of servers.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });

  it('refuses to start on bad configuration, with one line naming the variable', () => {
    const run = spawnSync(node, [server], {
      env: { ...process.env, PORT: 'abc', BASE_URL: '' },
      encoding: 'utf8',
      cwd: mkdtempSync(join(tmpdir(), 'bl-')),
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^bluelight: PORT: "abc" is not a port/);
  });

  it('refuses to start in production without SMTP_URL, naming it (emails to victims are never only logged)', () => {
    const production = { ...process.env };
    delete production.SMTP_URL;
    const run = spawnSync(node, [server], {
      env: {
        ...production,
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

  it('node dist/server.js starts, answers /healthz, and shuts down cleanly on SIGTERM', async () => {
    const started = await start(node, [server], env);
    expect(started.serverPid).toBe(started.child.pid);
    console.info(`start-up (node dist/server.js, migrated database): ${started.startupMs} ms`);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    expect(started.output()).toContain('shutting down');
  });

  // The README's first command: npm stands in front of node, and the signal a terminal or supervisor sends to it
  // must stop the server too, leaving no process behind.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`npm start stops the server on ${signal} sent to npm, leaving no process behind`, async () => {
      const started = await start('npm', ['start', '--silent'], env);
      expect(started.serverPid).not.toBe(started.child.pid);
      expect(alive(started.serverPid)).toBe(true);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      started.child.kill(signal);
      await started.exited;
      await expect.poll(() => alive(started.serverPid), { timeout: 30_000 }).toBe(false);
      expect(started.output()).toContain(`"signal":"${signal}"`);
    });
  }
});
