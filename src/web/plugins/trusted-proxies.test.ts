import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient, type ClientOrigin } from '../../../test/support/form-client.ts';
import { createTestApp } from '../../../test/support/test-app.ts';
import { CLIENT_LIMITS } from '../../domain/limits/client-limits.ts';

const LIMIT = CLIENT_LIMITS['progress-check'].perClient;

/** Progress checks, each from the origin `origin(n)` gives; the status of each. */
async function progressChecks(
  ctx: Awaited<ReturnType<typeof createTestApp>>,
  count: number,
  origin: (n: number) => ClientOrigin,
): Promise<number[]> {
  const statuses: number[] = [];
  for (let n = 0; n < count; n++) {
    const client = new FormClient(ctx.app, origin(n));
    statuses.push((await client.post('/report/progress', { reference: 'x', secret: 'y' })).statusCode);
  }
  return statuses;
}

/** The first LIMIT checks answered (400: no such report), every one after refused (429). */
const throttledAfterLimit = (statuses: number[]) => {
  expect(statuses.length).toBeGreaterThan(LIMIT);
  expect(statuses).toEqual(statuses.map((_, n) => (n < LIMIT ? 400 : 429)));
};

const spoofed = (n: number) => ({ 'x-forwarded-for': `100.64.${n}.${n}`, 'x-real-ip': `100.65.${n}.1` });

describe.each([
  ['test', {}],
  [
    'production',
    {
      NODE_ENV: 'production',
      BASE_URL: 'https://bluelight.example',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      VICTIM_SUPPORT_URL: 'off',
    },
  ],
])('with no TRUSTED_PROXIES (NODE_ENV=%s)', (_env, env) => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp(env, { clock: () => new Date('2026-12-03T10:01:00Z') });
  });
  afterAll(() => ctx.close());

  it('ignores spoofed X-Forwarded-For: 22 progress checks from one address are throttled', async () => {
    throttledAfterLimit(
      await progressChecks(ctx, LIMIT + 2, (n) => ({ remoteAddress: '203.0.113.9', headers: spoofed(n) })),
    );
  });
});

describe('with TRUSTED_PROXIES set to the load balancer’s range', () => {
  const proxy = '10.0.0.5';
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp(
      { TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1' },
      { clock: () => new Date('2026-12-03T10:01:00Z') },
    );
  });
  afterAll(() => ctx.close());

  it('counts the client the proxy saw, and a forged left-most hop does not help', async () => {
    // The proxy appends the address it saw to whatever the client sent.
    const viaProxy = (client: string, forged?: string) => ({
      remoteAddress: proxy,
      headers: { 'x-forwarded-for': forged === undefined ? client : `${forged}, ${client}` },
    });
    throttledAfterLimit(
      await progressChecks(ctx, LIMIT + 2, (n) => viaProxy('203.0.113.9', `100.64.0.${n}`)),
    );
    // Another person behind the same proxy is a different client.
    expect(await progressChecks(ctx, 1, () => viaProxy('198.51.100.4'))).toEqual([400]);
  });

  it('believes no forwarded header from an address that is not a trusted proxy', async () => {
    throttledAfterLimit(
      await progressChecks(ctx, LIMIT + 2, (n) => ({ remoteAddress: '192.0.2.7', headers: spoofed(n) })),
    );
  });
});

describe('with TRUSTED_PROXIES as a hop count', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp({ TRUSTED_PROXIES: '1' }, { clock: () => new Date('2026-12-03T10:01:00Z') });
  });
  afterAll(() => ctx.close());

  it('takes the address one hop out, whatever the client prepends', async () => {
    const viaProxy = (client: string, forged: string) => ({
      remoteAddress: '10.1.2.3',
      headers: { 'x-forwarded-for': `${forged}, ${client}` },
    });
    throttledAfterLimit(
      await progressChecks(ctx, LIMIT + 2, (n) => viaProxy('203.0.113.9', `100.64.0.${n}`)),
    );
    expect(await progressChecks(ctx, 1, () => viaProxy('198.51.100.4', '203.0.113.9'))).toEqual([400]);
  });
});
