import type { AddressInfo } from 'node:net';
import type { TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueJob, markJobFailed } from '../../src/db/repositories/outbox-repository.ts';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { addStaff, signInInBrowser } from '../support/staff-fixtures.ts';
import { createTestApp } from '../support/test-app.ts';

// Every admin page with axe, in a browser run beside the other Chromium files: room on a 2-core machine.
describe('admin pages in Chromium: accessible in English and Welsh', { timeout: 120_000 }, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let base = '';
  let totp: TOTP;

  beforeAll(async () => {
    ctx = await createTestApp();
    totp = await addStaff(ctx.services, { email: 'admin@force.example', role: 'admin' });
    await addStaff(ctx.services, {
      email: 'officer@cumbria.example',
      role: 'force-officer',
      forceId: 'cumbria',
    });
    await ctx.services.tokens.create('Example Bank', ['reports:write']);
    const db = ctx.services.database.db;
    const now = new Date();
    for (const key of ['e2e:en', 'e2e:cy']) {
      await enqueueJob(db, { kind: 'partner-webhook', dedupeKey: key, payload: {} }, now);
      const job = await db
        .selectFrom('outbox')
        .select(['id', 'attempts'])
        .where('dedupe_key', '=', key)
        .executeTakeFirstOrThrow();
      await markJobFailed(db, job, 'connect ECONNREFUSED', null, now);
    }
    // An external feed that cannot be reached: the jobs page shows it failing, with why.
    const feed = await ctx.services.feeds.add(
      { name: 'Unreachable feed', kind: 'taxii', url: 'http://127.0.0.1:9/taxii2/' },
      'e2e',
    );
    expect((await ctx.services.feeds.pull(feed.id)).outcome).toBe('failed');
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await ctx.close();
  });

  for (const lng of ['en', 'cy'] as const) {
    it(`an admin finds and uses every admin page (${lng}), with zero axe violations and no CSP violation`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const csp: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
      });
      const accessible = async (p: Page) => {
        expect(await axeViolations(p)).toEqual([]);
      };
      await signInInBrowser(page, base, { email: 'admin@force.example', totp, lng });
      await page.click('a[href="/staff/admin"]');
      await page.waitForURL(/\/staff\/admin$/);
      await accessible(page);

      await page.click('a[href="/staff/admin/jobs"]');
      expect(await page.locator('.govuk-summary-card').count()).toBeGreaterThan(0);
      const feedCard = (await page.locator('#feed-1').textContent()) ?? '';
      expect(feedCard).toContain('Unreachable feed');
      expect(feedCard).toContain('could not reach http://127.0.0.1:9/taxii2/');
      await accessible(page);
      await page.locator('form[action$="/discard"] button').first().click();
      await page.waitForURL(/done=discarded/);
      await accessible(page);

      await page.goto(`${base}/staff/admin/users`);
      await accessible(page);
      await page.goto(`${base}/staff/admin/users/new`);
      await page.locator('main form button.govuk-button').click();
      expect(await page.locator('.govuk-error-summary').count()).toBe(1);
      await accessible(page);
      await page.goto(`${base}/staff/admin/users`);
      await page.click('a:has-text("officer@cumbria.example")');
      await page.waitForURL(/\/staff\/admin\/users\/\d+$/);
      await accessible(page);
      // The forms are folded: the page's links open one.
      expect(await page.locator('form[action$="/second-factor"] button').isVisible()).toBe(false);
      await page.click('main a[href$="?form=reset#reset"]');
      await page.locator('form[action$="/second-factor"] button').click();
      expect(await page.locator('#qr svg[role="img"]').count()).toBe(1);
      await accessible(page);
      await page.locator('main a.govuk-link').last().click();
      await page.waitForURL(/\/staff\/admin\/users\/\d+$/);
      await page.click('main a[href$="?form=password-reset#password-reset"]');
      await page.locator('form[action$="/password"] button').click();
      expect(await page.textContent('#password')).toMatch(/^[\w-]{16,}$/);
      await accessible(page);

      // Their own password page, with its error summary.
      await page.goto(`${base}/staff/password`);
      await accessible(page);
      await page.locator('main form button.govuk-button').first().click();
      expect(await page.locator('.govuk-error-summary').count()).toBe(1);
      await accessible(page);

      await page.goto(`${base}/staff/admin/tokens`);
      await accessible(page);
      await page.goto(`${base}/staff/admin/tokens/new`);
      await page.fill('#name', `Bank ${lng}`);
      await page.check('input[value="reports:write"]');
      await page.locator('main form button.govuk-button').click();
      expect(await page.textContent('#token')).toMatch(/^blt_/);
      await accessible(page);
      // A refresh reloads the page (a GET after the redirect), never the form: the token is not shown again.
      await page.reload();
      expect(await page.locator('#shown-already').count()).toBe(1);
      expect(await page.locator('#token').count()).toBe(0);
      await accessible(page);

      await page.goto(`${base}/staff/admin/partners/new`);
      await page.locator('main form button.govuk-button').click();
      expect(await page.locator('.govuk-error-summary').count()).toBe(1);
      await accessible(page);
      await page.fill('#name', `Partner ${lng}`);
      await page.check('input[value="finance"]');
      await page.check('input[value="green"]');
      await page.locator('main form button.govuk-button').click();
      expect(await page.textContent('#token')).toMatch(/^blx_/);
      await accessible(page);
      await page.locator('main a.govuk-link').last().click();
      await page.waitForURL(/\/staff\/admin\/partners\/\d+$/);
      await accessible(page);
      await page.goto(`${base}/staff/admin/partners`);
      await accessible(page);
      expect(csp).toEqual([]);
      await context.close();
    });
  }
});
