// npm run bench: each benchmark is measured against a baseline run in the same process, and printed as a ratio.
import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { forceForPostcode } from '../src/domain/postcode/force-for-postcode.ts';
import { parsePostcode } from '../src/domain/postcode/postcode.ts';
import { createApp } from '../src/web/app.ts';
import { createTestServices, testReference } from '../test/support/test-services.ts';

interface Result {
  name: string;
  ours: number;
  baseline: number;
  unit: string;
}

function opsPerSecond(fn: (i: number) => unknown, iterations: number): number {
  for (let i = 0; i < Math.min(iterations, 10_000); i++) fn(i); // warm up
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn(i);
  return iterations / ((performance.now() - start) / 1000);
}

async function requestsPerSecond(fn: () => Promise<unknown>, requests: number): Promise<number> {
  for (let i = 0; i < 200; i++) await fn();
  const start = performance.now();
  for (let i = 0; i < requests; i++) await fn();
  return requests / ((performance.now() - start) / 1000);
}

function postcodeLookup(): Result {
  const map = testReference().postcodeAreas;
  // Every district in our map, each as a full postcode, as users type them.
  const inputs = Object.entries(map).flatMap(([area, entry]) => [
    `${area}1 1AA`,
    ...Object.keys(entry.districts ?? {}).map((d) => `${d.toLowerCase()} 2bd`),
  ]);
  // Baseline: the least work possible, a Map lookup of an already-normalised district.
  const flat = new Map<string, readonly string[]>();
  for (const [area, entry] of Object.entries(map)) {
    flat.set(`${area}1`, entry.forces);
    for (const [d, forces] of Object.entries(entry.districts ?? {})) flat.set(d, forces);
  }
  const keys = inputs.map((i) => parsePostcode(i)?.district ?? '');
  const n = 1_000_000;
  return {
    name: 'postcode → force lookup',
    ours: opsPerSecond((i) => forceForPostcode(map, inputs[i % inputs.length] ?? ''), n),
    baseline: opsPerSecond((i) => flat.get(keys[i % keys.length] ?? ''), n),
    unit: 'lookups/s',
  };
}

async function healthz(): Promise<Result> {
  const services = await createTestServices();
  const app = await createApp(services, { logger: false });
  // Baseline: bare Fastify answering the same database ping, no plugins.
  const bare = Fastify();
  bare.get('/healthz', async () => {
    await services.database.ping();
    return { status: 'ok' };
  });
  const n = 5000;
  const ours = await requestsPerSecond(() => app.inject('/healthz'), n);
  const baseline = await requestsPerSecond(() => bare.inject('/healthz'), n);
  await bare.close();
  await app.close();
  await services.cleanup();
  return {
    name: `GET /healthz (${services.database.dialect}, in-process)`,
    ours,
    baseline,
    unit: 'requests/s',
  };
}

async function main(): Promise<void> {
  const results = [postcodeLookup(), await healthz()];
  for (const r of results) {
    console.log(
      `${r.name}: ${Math.round(r.ours).toLocaleString('en-GB')} ${r.unit}; baseline ${Math.round(r.baseline).toLocaleString('en-GB')} ${r.unit}; ratio ${(r.ours / r.baseline).toFixed(2)}`,
    );
  }
}

await main();
