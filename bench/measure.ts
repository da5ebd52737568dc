import { performance } from 'node:perf_hooks';

export interface Result {
  name: string;
  ours: Rate;
  baseline: Rate;
  /** Lines printed under the ratio (where the time went). */
  notes?: string[];
}

export interface Rate {
  perSecond: number;
  unit: string;
  p50Ms?: number;
  p99Ms?: number;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Calls `fn` `total` times from `concurrency` parallel clients; returns throughput and latency percentiles. */
export async function load(
  fn: (i: number) => Promise<void>,
  total: number,
  concurrency: number,
  unit: string,
): Promise<Rate> {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        await fn(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: total / seconds,
    unit,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

export function opsPerSecond(fn: (i: number) => unknown, iterations: number, unit: string): Rate {
  for (let i = 0; i < Math.min(iterations, 10_000); i++) fn(i);
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn(i);
  return { perSecond: iterations / ((performance.now() - start) / 1000), unit };
}

export function describeRate(rate: Rate): string {
  const latency =
    rate.p50Ms === undefined
      ? ''
      : `, p50 ${rate.p50Ms.toFixed(2)} ms, p99 ${(rate.p99Ms ?? 0).toFixed(2)} ms`;
  // Small rates (MB/s) with a decimal: a whole number hides a tenth of the figure.
  const digits = rate.perSecond < 100 ? 1 : 0;
  const figure = rate.perSecond.toLocaleString('en-GB', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return `${figure} ${rate.unit}${latency}`;
}
