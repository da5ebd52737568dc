import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { createTestApp } from '../support/test-app.ts';

// Every page built so far, including error states, in both languages.
const PAGES = [
  '/',
  '/cookies',
  '/accessibility',
  '/privacy',
  '/cyber-protect',
  '/cyber-protect?postcode=CA1+1AA',
  '/cyber-protect?postcode=LA9+4AA',
  '/cyber-protect?postcode=JE2+3AB',
  '/cyber-protect?postcode=not+a+postcode',
  '/statistics',
  '/cyber-protect/request',
  '/cyber-protect/request/sent?force=cumbria',
  '/advice',
  '/advice/romance-fraud',
  '/advice/first-hour',
  '/advice/ico-breach',
  '/staff/sign-in',
  '/statistics?from=2026-01&to=nope',
  '/report',
  '/report/progress',
  '/no-such-page',
  '/test-server-error',
  '/test-too-many-attempts',
];

describe('every page in Chromium: accessible, English and Welsh, no CSP violations, 320px wide', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page | undefined;
  let base = '';

  beforeAll(async () => {
    // Reports arrive last month: the public figures show ended months only.
    const today = new Date();
    let now: Date | undefined = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 15));
    ctx = await createTestApp({}, { clock: () => now ?? new Date() });
    ctx.app.get('/test-server-error', () => {
      throw new Error('boom');
    });
    // The page every public POST past its per-client limit gets.
    ctx.app.get('/test-too-many-attempts', (_request, reply) =>
      reply.tooManyAttempts(new Date(Date.now() + 10 * 60_000)),
    );
    // Some figures, so the statistics page draws its charts and tables.
    const { token } = await ctx.services.tokens.create('e2e', ['reports:write']);
    for (const [postcode, narrative] of [
      ['CA1 1AA', 'bought a puppy online, paid £400, it never arrived'],
      ['CA1 1AA', 'someone hacked my facebook account'],
      ['M1 1AE', 'fake investment platform took £5,000'],
    ] as const) {
      for (let i = 0; i < 3; i++) {
        await ctx.app.inject({
          method: 'POST',
          url: '/api/v1/reports',
          headers: { authorization: `Bearer ${token}` },
          payload: {
            reporter: { type: 'individual', name: 'E', postcode },
            incident: { narrative },
            consents: { victim_support: false },
          },
        });
      }
    }
    now = undefined;
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    context = await browser.newContext();
  });
  afterAll(async () => {
    await browser.close();
    await ctx.close();
  });

  for (const lng of ['en', 'cy'] as const) {
    it.each(PAGES)(
      `%s (${lng}) passes axe with zero violations and fits a 320px screen without scrolling sideways`,
      async (path) => {
        // One tab for every page (a new tab is a new renderer process: most of the time a check took).
        page ??= await context.newPage();
        const cspErrors: string[] = [];
        page.removeAllListeners('console');
        page.on('console', (msg) => {
          if (msg.type() === 'error' && /Content.Security.Policy|Refused to/i.test(msg.text()))
            cspErrors.push(msg.text());
        });
        await page.setViewportSize({ width: 1280, height: 720 });
        const url = `${base}${path}${path.includes('?') ? '&' : '?'}lng=${lng}`;
        await page.goto(url);
        expect(await page.getAttribute('html', 'lang')).toBe(lng);
        // GOV.UK Frontend's JavaScript ran (external module script, allowed by the CSP).
        await page.waitForFunction(() => document.body.classList.contains('govuk-frontend-supported'));
        expect(await axeViolations(page)).toEqual([]);
        // The same page, narrowed (the layout follows the viewport; no second load).
        await page.setViewportSize({ width: 320, height: 640 });
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow).toBeLessThanOrEqual(0);
        expect(cspErrors).toEqual([]);
      },
    );
  }

  it('finds your Cyber Protect team with JavaScript switched off, in Welsh', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const page = await noJs.newPage();
    await page.goto(`${base}/cyber-protect?lng=cy`);
    await page.fill('#postcode', 'cf10 1aa');
    await page.click('button.govuk-button');
    await page.waitForURL(/postcode=/);
    const result = await page.textContent('main');
    expect(result).toContain('CF10 1AA');
    expect(result).toContain('Heddlu De Cymru');
    await page.goto(`${base}/cyber-protect`);
    await page.click('button.govuk-button');
    expect(await page.textContent('.govuk-error-summary')).toContain('Rhowch god post');
    await noJs.close();
  });

  it('switches language with the toggle and keeps the choice', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/cookies?lng=en`);
    await page.click('a[hreflang="cy"]');
    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    await page.goto(`${base}/privacy`);
    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    await page.close();
  });
});
