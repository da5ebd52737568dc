import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';

describe(`GET /healthz (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(async () => {
    await ctx.app.close();
    await ctx.services.database.close().catch(() => undefined);
  });

  it('answers 200 with the database in use', async () => {
    const res = await ctx.app.inject('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: testDialect });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers 503 with a reason when the database is unreachable', async () => {
    await ctx.services.cleanup();
    const res = await ctx.app.inject('/healthz');
    expect(res.statusCode).toBe(503);
    const body = res.json<{ status: string; database: string; reason: string }>();
    expect(body.status).toBe('unavailable');
    expect(body.database).toBe(testDialect);
    expect(body.reason.length).toBeGreaterThan(0);
  });
});
