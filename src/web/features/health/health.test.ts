import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, testDialect } from '../../../../test/support/test-services.ts';
import { createApp } from '../../app.ts';

describe(`GET /healthz (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let app: FastifyInstance;
  const lines: string[] = [];

  beforeAll(async () => {
    services = await createTestServices({ LOG_LEVEL: 'warn' });
    app = await createApp(services, { logStream: { write: (line) => lines.push(line) } });
  });
  afterAll(async () => {
    await app.close();
    await services.database.close().catch(() => undefined);
  });

  it('answers 200 with the database in use', async () => {
    const res = await app.inject('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: testDialect });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers a generic 503 problem when the database is unreachable: the driver’s text goes to the log only', async () => {
    await services.cleanup();
    // What the driver says now (a closed pool or file, named by the driver): never to the public.
    const driverText = await services.database.ping().then(
      () => '',
      (error: unknown) => (error as Error).message,
    );
    expect(driverText).not.toBe('');
    for (const url of ['/healthz', '/readyz']) {
      const res = await app.inject(url);
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toEqual({
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        detail: 'The service is not available',
      });
      expect(res.body).not.toContain(driverText);
    }
    const logged = lines.filter((l) => l.includes('health check failed'));
    expect(logged).toHaveLength(2);
    expect(logged[0]).toContain('database-unreachable');
    expect(logged[0]).toContain(JSON.stringify(driverText).slice(1, -1));
  });
});
