import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieHeader, createTestApp } from '../../../test/support/test-app.ts';

describe('security headers', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx.close());

  it('sends a CSP with a fresh script nonce per response and no inline script allowance', async () => {
    const a = await ctx.app.inject('/');
    const b = await ctx.app.inject('/');
    const csp = String(a.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=_-]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(a.body).toContain(`nonce="${nonce ?? ''}"`);
    expect(b.headers['content-security-policy']).not.toBe(csp);
  });

  it('sends no x-powered-by, and no HSTS outside production', async () => {
    const res = await ctx.app.inject('/');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('sends the API and TAXII the same security headers as a page, built once, without the page nonces', async () => {
    const page = await ctx.app.inject('/');
    const withoutNonces = (csp: unknown) => String(csp).replace(/ 'nonce-[^']+'/g, '');
    for (const url of ['/api/v1/indicators/domain/example.com', '/taxii2/']) {
      const res = await ctx.app.inject(url);
      // Refused before anything else (no credentials), still with every header a page gets.
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-security-policy']).toBe(
        withoutNonces(page.headers['content-security-policy']),
      );
      expect(String(res.headers['content-security-policy'])).not.toContain('nonce-');
      for (const name of Object.keys(page.headers).filter((h) =>
        /^(x-|cross-origin|origin-agent|referrer)/.test(h),
      ))
        if (name !== 'x-powered-by')
          expect([url, name, res.headers[name]]).toEqual([url, name, page.headers[name]]);
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('answers an API route reached through an encoded path as the API, with problem+json, never a page', async () => {
    // The router decodes "%61" to "a": the route is the API's, whose answers carry no page nonce.
    const { token } = await ctx.services.tokens.create('encoded-path', ['reports:write']);
    for (const url of ['/%61pi/v1/reports', '/api/v1/reports']) {
      const res = await ctx.app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: '{bad',
      });
      expect([url, res.statusCode, res.headers['content-type']]).toEqual([
        url,
        400,
        'application/problem+json; charset=utf-8',
      ]);
      expect(res.body).not.toContain('Cannot read properties');
    }
  });

  it('escapes what the visitor typed', async () => {
    const res = await ctx.app.inject(
      `/cyber-protect?postcode=${encodeURIComponent('<script>alert(1)</script>')}`,
    );
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(res.body).toContain('&lt;script&gt;');
  });
});

describe('production', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp({
      NODE_ENV: 'production',
      BASE_URL: 'https://bluelight.example',
      SMTP_URL: 'smtp://mail.bluelight.example:587',
      VICTIM_SUPPORT_URL: 'off',
    });
  });
  afterAll(() => ctx.close());

  it('sends HSTS and marks cookies Secure', async () => {
    const res = await ctx.app.inject('/?lng=cy');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) expect(cookie).toMatch(/; Secure/i);
  });
});

describe('CSRF protection', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp();
    // A form endpoint registered the way features register theirs.
    ctx.app.post('/test-form', async (_request, reply) => reply.send('accepted'));
  });
  afterAll(() => ctx.close());

  it('rejects a form post without a token with a GOV.UK page', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/test-form', payload: { name: 'x' } });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('govuk-heading-l');
  });

  it('accepts a form post carrying the token from the page', async () => {
    const page = await ctx.app.inject('/');
    const token = /name="csrf-token" content="([^"]+)"/.exec(page.body)?.[1] ?? '';
    expect(token).not.toBe('');
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/test-form',
      headers: {
        cookie: cookieHeader(page.headers['set-cookie']),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: `_csrf=${encodeURIComponent(token)}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('accepted');
  });
});
