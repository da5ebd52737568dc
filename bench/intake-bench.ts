import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createTestDatabase, testConfig, testDialect, testReference } from '../test/support/test-services.ts';
import { services as buildServices } from '../src/services/index.ts';
import type { Rate, Result } from './measure.ts';

const REQUESTS = Number(process.env.BENCH_INTAKE_REQUESTS ?? 3000);
const CONNECTIONS = 32;
const root = fileURLToPath(new URL('../', import.meta.url));

/** One report through the public API; `suspect` is the suspect's email address the victim gives. */
const body = (i: number, suspect: string) =>
  JSON.stringify({
    reporter: {
      type: 'individual',
      name: `Bench Person ${i}`,
      email: `bench${i}@example.org`,
      postcode: 'CA1 1AA',
    },
    incident: {
      narrative: 'Paid for a car advertised online that did not exist. The seller stopped answering.',
      losses: [{ amount_pence: 250000, method: 'bank-transfer' }],
    },
    suspect: { emails: [suspect] },
    consents: { victim_support: false },
  });

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

export async function stop(p: Process): Promise<void> {
  p.child.kill('SIGTERM');
  await p.exited;
}

async function load(
  url: string,
  headers: Record<string, string>,
  suspect: (i: number) => string,
  amount: number,
  first: number,
): Promise<Rate> {
  let i = first;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    amount,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        setupRequest: (request) => {
          const n = i++;
          return { ...request, body: body(n, suspect(n)) };
        },
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    const sample = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: body(i, suspect(i)),
    });
    throw new Error(
      `${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts; one more answered ${sample.status} ${await sample.text()}`,
    );
  }
  return {
    perSecond: result['2xx'] / result.duration,
    unit: 'reports/s',
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

/**
 * Reports per second through POST /api/v1/reports of the real server (node dist/server.js, its own process, on
 * PostgreSQL), loaded by autocannon from this process with 32 connections: what a client sees. The baseline, in
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

  const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--if-stale'], {
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  const port = await freePort();
  const app = await startProcess(
    // BENCH_CPU_PROF=dir writes the server's CPU profile there when it stops.
    [
      ...(process.env.BENCH_CPU_PROF === undefined
        ? []
        : ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]),
      join(root, 'dist/server.js'),
    ],
    {
      ...process.env,
      PORT: String(port),
      BASE_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: database.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'bl-bench-')),
      SESSION_SECRET: 's'.repeat(40),
      NODE_ENV: 'development',
      // Request logs would make this process (the load generator) read a line per request.
      LOG_LEVEL: 'warn',
    },
    () => null,
    port,
  );
  const bare = await startProcess(
    [join(root, 'bench/bare-intake-server.mjs')],
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
  const auth = { authorization: `Bearer ${token}` };
  const results: Result[] = [];
  let n = 0;
  try {
    // Warm both up (JIT, pools, caches) before measuring.
    await load(ours, auth, (i) => `seller${i}@fake-car-sales-${i}.co.uk`, 300, n);
    await load(baseline, {}, (i) => `seller${i}@fake-car-sales-${i}.co.uk`, 300, n);
    n += 300;
    for (const [name, suspect] of [
      ['each report its own suspect email', (i: number) => `seller${i}@fake-car-sales-${i}.co.uk`],
      ['every report the same suspect email (campaign burst)', () => 'payments@fake-car-sales.co.uk'],
    ] as const) {
      const oursRate = await load(ours, auth, suspect, REQUESTS, n);
      n += REQUESTS;
      const bareRate = await load(baseline, {}, suspect, REQUESTS, n);
      n += REQUESTS;
      results.push({
        name: `report intake over HTTP, ${name} (${REQUESTS} requests, ${CONNECTIONS} connections, autocannon in another process; target ratio ≥ 0.5, p99 < 100 ms)`,
        ours: oursRate,
        baseline: { ...bareRate, unit: 'rows/s' },
      });
    }
  } finally {
    await stop(app);
    await stop(bare);
    await database.drop();
  }
  return results;
}
