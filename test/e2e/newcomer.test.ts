import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { captureCli } from '../support/cli-capture.ts';
import { ROLES, type Role } from '../../src/domain/access/access-policy.ts';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { signInInBrowser } from '../support/staff-fixtures.ts';
import { createTestApp } from '../support/test-app.ts';

/** The README's screenshots: made here, from the demo, so they show the service as it is (SCREENSHOTS=1). */
const IMAGES = fileURLToPath(new URL('../../docs/images/', import.meta.url));

interface Account {
  email: string;
  password: string;
  secret: string;
}

/** Only what the README says to do: load the demo, then use what it printed. */
async function loadDemo(databaseUrl: string): Promise<{ printed: string; accounts: Map<Role, Account> }> {
  const cli = captureCli({ DATABASE_URL: databaseUrl }, 'bluelight-newcomer-');
  expect(await runCli(['demo', '--reports', '250'], cli.io), cli.err()).toBe(0);
  const printed = cli.out();
  const accounts = new Map<Role, Account>();
  for (const role of ROLES) {
    const line = new RegExp(`${role} +(\\S+) +password (\\S+) +TOTP secret ([A-Z2-7]+)`).exec(printed);
    if (line?.[1] === undefined || line[2] === undefined || line[3] === undefined)
      throw new Error(`no ${role} account`);
    accounts.set(role, { email: line[1], password: line[2], secret: line[3] });
  }
  return { printed, accounts };
}

// The demo writes a few hundred reports through the real use cases, then every role is visited in both languages.
describe(
  'a newcomer with only the README: demo, then every role finds its way round (Chromium)',
  { timeout: 300_000 },
  () => {
    let ctx: Awaited<ReturnType<typeof createTestApp>>;
    let browser: Browser;
    let base = '';
    let demo: Awaited<ReturnType<typeof loadDemo>>;

    beforeAll(async () => {
      ctx = await createTestApp();
      demo = await loadDemo(ctx.services.databaseUrl);
      await ctx.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
      browser = await launchChromium();
      mkdirSync(IMAGES, { recursive: true });
    }, 300_000);
    // One context per test, closed after it: a context left open keeps its renderer running.
    let context: BrowserContext | undefined;
    const newPage = async (options: BrowserContextOptions = {}): Promise<Page> => {
      context = await browser.newContext(options);
      return context.newPage();
    };
    afterEach(async () => {
      await context?.close();
      context = undefined;
    });
    afterAll(async () => {
      await browser.close();
      await ctx.close();
    });

    async function visit(page: Page, path: string): Promise<string> {
      const response = await page.goto(`${base}${path}`);
      expect(response?.status(), path).toBe(200);
      expect(await axeViolations(page), path).toEqual([]);
      return (await page.textContent('main')) ?? '';
    }

    const shot = async (page: Page, name: string, lng: 'en' | 'cy') => {
      // Only when asked (SCREENSHOTS=1): a test run leaves the checkout as it found it.
      if (lng === 'en' && process.env.SCREENSHOTS === '1')
        await page.screenshot({ path: join(IMAGES, `${name}.png`), fullPage: false });
    };

    async function signIn(page: Page, role: Role, lng: 'en' | 'cy'): Promise<string> {
      const account = demo.accounts.get(role);
      if (account === undefined) throw new Error(role);
      // Each code works once; the same account signs in once per language within one 30-second step.
      const totp = new TOTP({ secret: Secret.fromBase32(account.secret) });
      await signInInBrowser(page, base, { ...account, totp, lng, services: ctx.services });
      expect(await axeViolations(page)).toEqual([]);
      // The workspace's header names who is signed in; the page says the rest.
      return `${(await page.textContent('header')) ?? ''} ${(await page.textContent('main')) ?? ''}`;
    }

    for (const lng of ['en', 'cy'] as const) {
      it(`the public (${lng}): start page, the journey, figures, progress and Ask the unit`, async () => {
        const page = await newPage({ viewport: { width: 1100, height: 800 } });
        await page.goto(`${base}/?lng=${lng}`);
        expect(await page.getAttribute('html', 'lang')).toBe(lng);
        await visit(page, '/');
        await shot(page, 'home', lng);
        await visit(page, '/report');
        await page.click('a.govuk-button--start');
        await page.waitForURL(/\/report\/triage\//);
        expect(await axeViolations(page)).toEqual([]);
        await shot(page, 'report-journey', lng);

        await visit(page, '/statistics');
        // A lived-in service: the total is a real count (published months only), not "fewer than 5".
        const total = await page
          .locator('.govuk-summary-list__row:nth-child(2) .govuk-summary-list__value')
          .textContent();
        expect(Number((total ?? '').replace(/[^\d]/g, ''))).toBeGreaterThanOrEqual(100);
        await shot(page, 'statistics', lng);

        const [, reference = '', email = ''] = /reference (\S+) with email (\S+)\)/.exec(demo.printed) ?? [];
        await visit(page, '/report/progress');
        await page.fill('#reference', reference);
        await page.fill('#secret', email);
        await page.click('form[action="/report/progress"] button');
        expect(await page.textContent('main')).toContain(reference);
        expect(await axeViolations(page)).toEqual([]);
        await shot(page, 'progress', lng);

        expect(await visit(page, '/ask')).toMatch(/Cumbria/);
      });

      it(`an officer (${lng}): the queue, a report, cases and a case`, async () => {
        const page = await newPage({ viewport: { width: 1280, height: 900 } });
        const queue = await signIn(page, 'force-officer', lng);
        expect(queue).toMatch(/CYB-/);
        await shot(page, 'queue', lng);
        await page.click('main a[href^="/staff/reports/CYB-"]');
        await page.waitForURL(/\/staff\/reports\/CYB-/);
        expect(await axeViolations(page)).toEqual([]);
        const cases = await visit(page, '/staff/cases');
        expect(cases).toMatch(/Operation Kestrel/);
        await page.click('main a[href^="/staff/cases/CASE-"]');
        await page.waitForURL(/\/staff\/cases\/CASE-/);
        expect(await axeViolations(page)).toEqual([]);
        await shot(page, 'case', lng);
      });

      it(`a supervisor, regional and national officers (${lng}): their queues`, async () => {
        // One tab, signed out between people (a fresh context per person is a fresh renderer process).
        const page = await newPage();
        for (const role of ['force-supervisor', 'regional-officer', 'national-officer'] as const) {
          await context?.clearCookies();
          const landing = await signIn(page, role, lng);
          expect(landing, role).toContain(demo.accounts.get(role)?.email ?? '?');
        }
      });

      it(`an analyst (${lng}): campaigns across forces, no report content`, async () => {
        const page = await newPage();
        await signIn(page, 'analyst', lng);
        const campaigns = await visit(page, '/staff/campaigns');
        expect(campaigns).toMatch(/\d/);
        expect(await page.locator('main a[href^="/staff/campaigns/"]').count()).toBeGreaterThan(0);
        expect((await page.goto(`${base}/staff/cases`))?.status()).toBe(404);
      });

      it(`an administrator (${lng}): accounts and partners`, async () => {
        const page = await newPage();
        const landing = await signIn(page, 'admin', lng);
        expect(landing).toContain(demo.accounts.get('admin')?.email ?? '?');
        await page.click('.moj-primary-navigation a[href="/staff/admin"]');
        await page.waitForURL(/\/staff\/admin$/);
        expect(await axeViolations(page)).toEqual([]);
        // The demo's accounts and partners are there to manage.
        expect(await visit(page, '/staff/admin/users')).toContain('force-officer@demo.bluelight.invalid');
        expect(await visit(page, '/staff/admin/partners')).toContain('Example Bank plc');
      });
    }
  },
);
