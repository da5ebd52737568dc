import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, testConfig, testDialect, testReference } from '../test/support/test-services.ts';
import { services as buildServices } from '../src/services/index.ts';
import type { Rate, Result } from './measure.ts';

const REQUESTS = Number(process.env.BENCH_INTAKE_REQUESTS ?? 3000);
const CONNECTIONS = 32;
const ROUNDS = Number(process.env.BENCH_INTAKE_ROUNDS ?? 3);
const WARM_UP = 1000;

/** Rounds of equal size together: the mean rate, the median round's p50 and the worst round's p99. */
function combine(rounds: readonly Rate[]): Rate {
  const p50s = rounds.map((r) => r.p50Ms ?? 0).sort((a, b) => a - b);
  return {
    perSecond: rounds.length / rounds.reduce((sum, r) => sum + 1 / r.perSecond, 0),
    unit: rounds[0]?.unit ?? '',
    p50Ms: p50s[Math.floor(p50s.length / 2)] ?? 0,
    p99Ms: Math.max(...rounds.map((r) => r.p99Ms ?? 0)),
  };
}
const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * CPU seconds used so far (Linux /proc; zero elsewhere) by: the server, every PostgreSQL process, and this process's
 * finished children (the load generators). Where a round's time went, per request, is the difference of two readings.
 */
interface CpuReading {
  server: number;
  postgres: number;
  load: number;
}
const TICK = 100; // USER_HZ
function ticks(stat: string, fields: number[]): number {
  // Fields after the command name (which may hold spaces) start at field 3.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields.reduce((sum, f) => sum + Number(rest[f - 3] ?? 0), 0) / TICK;
}
function readStat(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
function cpuNow(serverPid: number | undefined): CpuReading {
  let postgres = 0;
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return { server: 0, postgres: 0, load: 0 };
  }
  for (const pid of entries) {
    const stat = readStat(`/proc/${pid}/stat`);
    if (stat.includes('(postgres)')) postgres += ticks(stat, [14, 15]);
  }
  return {
    server: serverPid === undefined ? 0 : ticks(readStat(`/proc/${String(serverPid)}/stat`), [14, 15]),
    postgres,
    load: ticks(readStat('/proc/self/stat'), [16, 17]),
  };
}
function addCpu(total: CpuReading, before: CpuReading, after: CpuReading): void {
  total.server += after.server - before.server;
  total.postgres += after.postgres - before.postgres;
  total.load += after.load - before.load;
}
const describeCpu = (cpu: CpuReading, requests: number) =>
  (['server', 'postgres', 'load'] as const)
    .map(
      (k) =>
        `${k === 'load' ? 'load generator' : k === 'postgres' ? 'PostgreSQL' : k} ${((1000 * cpu[k]) / requests).toFixed(2)}`,
    )
    .join(', ');

interface Process {
  child: ChildProcess;
  port: number;
  exited: Promise<unknown>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });
}

/**
 * Starts a process; ready when a line of its output gives the port (`port`), or when `knownPort` answers
 * /healthz.
 */
export function startProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  port: (line: string) => number | null,
  knownPort?: number,
): Promise<Process> {
  const child = spawn(process.execPath, args, { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let output = '';
  let done = false;
  return new Promise((resolve, reject) => {
    const ready = (found: number) => {
      if (done) return;
      done = true;
      resolve({ child, port: found, exited });
    };
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of output.split('\n')) {
        const found = port(line);
        if (found !== null) ready(found);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then(() => {
      if (!done) reject(new Error(`${args.join(' ')} exited before it was ready:\n${output}`));
      done = true;
    });
    if (knownPort !== undefined) {
      const poll = () => {
        if (done) return;
        fetch(`http://127.0.0.1:${knownPort}/healthz`)
          .then((res) => {
            if (res.ok) ready(knownPort);
            else setTimeout(poll, 200);
          })
          .catch(() => {
            setTimeout(poll, 200);
          });
      };
      poll();
    }
  });
}

/**
 * The real server as `npm start` runs it (node dist/server.js, built first when stale), in its own process on
 * `databaseUrl`, development mode, request logs off (the load generator would read a line per request); `env` adds to
 * or overrides its environment.
 */
export async function startAppServer(databaseUrl: string, env: NodeJS.ProcessEnv = {}): Promise<Process> {
  const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--if-stale'], {
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  const port = await freePort();
  // BENCH_CPU_PROF=dir writes the server's CPU profile there when it stops (every bench that runs the server).
  const profile =
    process.env.BENCH_CPU_PROF === undefined
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`];
  // BENCH_SERVER_FLAGS: node flags for the server (V8's heap sizes, say), space-separated.
  const flags = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
  return startProcess(
    [...profile, ...flags, join(root, 'dist/server.js')],
    {
      ...process.env,
      PORT: String(port),
      BASE_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: databaseUrl,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'bl-bench-')),
      SESSION_SECRET: 's'.repeat(40),
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      ...env,
    },
    () => null,
    port,
  );
}

export async function stop(p: Process): Promise<void> {
  p.child.kill('SIGTERM');
  await p.exited;
}

/** Runs `amount` requests from the load generator's own process (bench/intake-load.mjs). */
async function load(
  url: string,
  authorization: string,
  suspects: 'own' | 'same',
  amount: number,
  first: number,
): Promise<Rate> {
  const child = spawn(
    process.execPath,
    [
      join(root, 'bench/intake-load.mjs'),
      url,
      authorization,
      suspects,
      String(amount),
      String(first),
      String(CONNECTIONS),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  const result = JSON.parse(output.trim().split('\n').pop() ?? '{}') as {
    ok: number;
    non2xx: number;
    errors: number;
    timeouts: number;
    duration: number;
    p50: number;
    p99: number;
  };
  if (code !== 0 || result.non2xx > 0 || result.errors > 0 || result.timeouts > 0)
    throw new Error(`${url}: exit ${String(code)}, ${output}`);
  return { perSecond: result.ok / result.duration, unit: 'reports/s', p50Ms: result.p50, p99Ms: result.p99 };
}

/**
 * Reports per second through POST /api/v1/reports of the real server (node dist/server.js, its own process, on
 * PostgreSQL), loaded by autocannon in a process of its own with 32 connections: what a client sees. The baseline, in
 * the same run and on the same database: a bare node http server (its own process) parsing the same JSON and doing
 * one insert. Two loads: each report names its own suspect email; every report names the same one (a campaign).
 */
export async function intakeBench(): Promise<Result[]> {
  // test-services picks PostgreSQL from DATABASE_URL when first loaded (bench/run.ts sets it before).
  if (testDialect !== 'postgres') throw new Error('the intake bench runs on PostgreSQL: set DATABASE_URL');
  const database = await createTestDatabase();
  const services = buildServices(testConfig(database.url), { reference: testReference() });
  await services.migrate();
  const { token } = await services.tokens.create('bench', ['reports:write']);
  await services.close();

  const app = await startAppServer(database.url);
  const bare = await startProcess(
    [
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_CPU_PROF] : []),
      join(root, 'bench/bare-intake-server.mjs'),
    ],
    {
      ...process.env,
      DATABASE_URL: database.url,
    },
    (line) => {
      const m = /^\{"port":(\d+)\}$/.exec(line.trim());
      return m?.[1] === undefined ? null : Number(m[1]);
    },
  );

  const ours = `http://127.0.0.1:${app.port}/api/v1/reports`;
  const baseline = `http://127.0.0.1:${bare.port}/reports`;
  const auth = `Bearer ${token}`;
  const results: Result[] = [];
  let n = 0;
  try {
    // Warm both up (JIT, pools, caches) before measuring: 300 left the first round of ours a third slower.
    await load(ours, auth, 'own', WARM_UP, n);
    await load(baseline, '', 'own', WARM_UP, n);
    n += WARM_UP;
    for (const [name, suspects] of [
      ['each report its own suspect email', 'own'],
      ['every report the same suspect email (campaign burst)', 'same'],
    ] as const) {
      // Rounds alternate between the two, so a change in the shared machine's load falls on both alike.
      const oursRounds: Rate[] = [];
      const bareRounds: Rate[] = [];
      const oursCpu = { server: 0, postgres: 0, load: 0 };
      const bareCpu = { server: 0, postgres: 0, load: 0 };
      const each = Math.ceil(REQUESTS / ROUNDS);
      for (let round = 0; round < ROUNDS; round++) {
        let before = cpuNow(app.child.pid);
        oursRounds.push(await load(ours, auth, suspects, each, n));
        addCpu(oursCpu, before, cpuNow(app.child.pid));
        n += each;
        before = cpuNow(bare.child.pid);
        bareRounds.push(await load(baseline, '', suspects, each, n));
        addCpu(bareCpu, before, cpuNow(bare.child.pid));
        n += each;
      }
      const oursRate = combine(oursRounds);
      const bareRate = combine(bareRounds);
      results.push({
        name: `report intake over HTTP, ${name} (${REQUESTS} requests in ${ROUNDS} rounds alternated with the baseline's, ${CONNECTIONS} connections, autocannon in its own process; target ratio ≥ 0.5, p99 < 100 ms)`,
        ours: oursRate,
        baseline: { ...bareRate, unit: 'rows/s' },
        // Outbox work a round's reports left pending may run during the next round: the split is approximate.
        notes: [
          `CPU ms per request, ours: ${describeCpu(oursCpu, each * ROUNDS)}`,
          `CPU ms per request, baseline: ${describeCpu(bareCpu, each * ROUNDS)}`,
        ],
      });
    }
  } finally {
    await stop(app);
    await stop(bare);
    await database.drop();
  }
  return results;
}
