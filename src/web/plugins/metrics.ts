import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { bankHolidayCoverage } from '../../domain/notifications/bank-holidays.ts';
import type { OutboxKindSummary } from '../../db/repositories/outbox-repository.ts';
import type { Services } from '../../services/index.ts';

export type ReportChannel = 'journey' | 'api';

/** What the service counts for Prometheus. Labels are route patterns and job kinds only: never a value or a person. */
export interface Metrics {
  registry: Registry;
  requestHandled(method: string, route: string, statusCode: number, seconds: number): void;
  reportReceived(channel: ReportChannel): void;
  jobFailed(kind: string, dead: boolean): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

export function createMetrics(
  services: Pick<Services, 'health' | 'database' | 'feeds' | 'reference' | 'clock'>,
): Metrics {
  const registry = new Registry();
  const requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by route pattern, method and status class; _count is the request rate',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const reports = new Counter({
    name: 'bluelight_reports_received_total',
    help: 'Reports recorded (acknowledged with a crime reference), by channel',
    labelNames: ['channel'] as const,
    registers: [registry],
  });
  const failures = new Counter({
    name: 'bluelight_job_failures_total',
    help: 'Background job attempts that failed (webhook pushes, Victim Support referrals, emails…), by kind',
    labelNames: ['kind', 'final'] as const,
    registers: [registry],
  });
  // Read from the outbox when scraped, so every instance reports the shared queue the same way; one query per
  // scrape, shared by the gauges below.
  let reading: Promise<OutboxKindSummary[] | null> | null = null;
  const queue = () => {
    reading ??= services.health.jobs().then(
      (kinds) => kinds,
      () => null,
    );
    const current = reading;
    setImmediate(() => {
      if (reading === current) reading = null;
    });
    return current;
  };
  const perKind = (name: string, help: string, value: (kind: OutboxKindSummary, now: number) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['kind'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        const now = Date.now();
        for (const kind of (await queue()) ?? []) this.set({ kind: kind.kind }, value(kind, now));
      },
    });
  perKind('bluelight_outbox_pending', 'Jobs waiting', (kind) => kind.pending);
  perKind('bluelight_outbox_oldest_pending_seconds', 'Age of the longest-waiting job', (kind, now) =>
    kind.oldestPendingAt === null ? 0 : Math.max(0, (now - Date.parse(kind.oldestPendingAt)) / 1000),
  );
  perKind(
    'bluelight_outbox_dead_letters',
    'Jobs that failed every attempt and wait for a person',
    (kind) => kind.dead,
  );
  new Gauge({
    name: 'bluelight_metrics_scrape_ok',
    help: '1 when the queue figures were read from the database on this scrape',
    registers: [registry],
    async collect() {
      this.set((await queue()) === null ? 0 : 1);
    },
  });
  new Gauge({
    name: 'bluelight_feed_consecutive_failures',
    help: 'Pulls of an enabled external feed that failed in a row (0 when its last pull worked), by feed id',
    labelNames: ['feed'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const feeds = await services.feeds.list().catch(() => []);
      for (const feed of feeds)
        if (feed.state !== 'disabled') this.set({ feed: String(feed.id) }, feed.failures);
    },
  });
  // reference/bank-holidays.json: alert on covered == 0 (this year or the next missing; docs/operations.md).
  const coverage = () => bankHolidayCoverage(services.reference.bankHolidays.years, services.clock());
  new Gauge({
    name: 'bluelight_bank_holidays_covered',
    help: '1 when reference/bank-holidays.json covers this year and the next, else 0',
    registers: [registry],
    collect() {
      this.set(coverage().covered ? 1 : 0);
    },
  });
  new Gauge({
    name: 'bluelight_bank_holidays_last_year',
    help: 'The last year reference/bank-holidays.json covers',
    registers: [registry],
    collect() {
      this.set(coverage().lastYear);
    },
  });
  new Gauge({
    name: 'bluelight_db_pool_connections',
    help: 'PostgreSQL pool connections by state (absent on SQLite)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const usage = services.database.poolUsage();
      if (usage === null) return;
      this.set({ state: 'total' }, usage.total);
      this.set({ state: 'idle' }, usage.idle);
      this.set({ state: 'waiting' }, usage.waiting);
    },
  });
  return {
    registry,
    requestHandled: (method, route, statusCode, seconds) => {
      requests.observe({ method, route, status: `${Math.floor(statusCode / 100)}xx` }, seconds);
    },
    reportReceived: (channel) => {
      reports.inc({ channel });
    },
    jobFailed: (kind, final) => {
      failures.inc({ kind, final: String(final) });
    },
  };
}

/** Times every request by its route pattern (unmatched paths share one label, so a scan cannot add series). */
export const metricsPlugin = fp(
  (app: FastifyInstance, options: { metrics: Metrics }, done: () => void) => {
    const { metrics } = options;
    app.decorate('metrics', metrics);
    app.addHook('onResponse', (request, reply, next) => {
      metrics.requestHandled(
        request.method,
        request.routeOptions.url ?? 'unmatched',
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
      next();
    });
    done();
  },
  { name: 'metrics' },
);

/**
 * Serves /metrics on its own port (METRICS_PORT), never on the public one: operators scrape it from inside the
 * network. Process figures (memory, event-loop delay, CPU) are added here, once per process.
 */
export function startMetricsServer(metrics: Metrics, host: string, port: number): Promise<Server> {
  collectDefaultMetrics({ register: metrics.registry });
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    metrics.registry.metrics().then(
      (body) => {
        response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
      },
      () => {
        response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      resolve(server);
    });
  });
}
