import type { AddressInfo } from 'node:net';
import type { TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { addStaff, forgetUsedCodes, STAFF_PASSWORD, submitPartnerReport } from '../support/staff-fixtures.ts';
import { createTestApp } from '../support/test-app.ts';

describe('unit workspace in Chromium: accessible in English and Welsh', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let base = '';
  let totp: TOTP;
  let reference = '';

  beforeAll(async () => {
    ctx = await createTestApp();
    totp = await addStaff(ctx.services, {
      email: 'sup@cumbria.example',
      role: 'force-supervisor',
      forceId: 'cumbria',
    });
    reference = await submitPartnerReport(ctx.app, ctx.services, {
      reporter: { type: 'individual', name: 'V', postcode: 'CA1 1AA' },
      incident: { narrative: 'my email account was hacked and the hacker rang from 07700 900555' },
      consents: { victim_support: false },
    });
    // The same phone number reported in Kent: the two reports form a campaign.
    await submitPartnerReport(ctx.app, ctx.services, {
      reporter: { type: 'individual', name: 'W', postcode: 'ME1 1AA' },
      incident: { narrative: 'my instagram was hacked, then texts came from +44 7700 900555' },
      consents: { victim_support: false },
    });
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await ctx.close();
  });

  for (const lng of ['en', 'cy'] as const) {
    it(`signs in and works a report (${lng}), with zero axe violations on every page`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/staff/sign-in?lng=${lng}`);
      expect(await page.getAttribute('html', 'lang')).toBe(lng);
      await page.click('button.govuk-button');
      expect(await page.locator('.govuk-error-summary').count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      await page.fill('#email', 'sup@cumbria.example');
      await page.fill('#password', STAFF_PASSWORD);
      // Each code works once; both languages sign in within one 30-second step.
      await forgetUsedCodes(ctx.services, 'sup@cumbria.example');
      await page.fill('#code', totp.generate());
      await page.click('button.govuk-button');
      await page.waitForURL(/\/staff$/);
      expect(await page.textContent('main')).toContain(reference);
      expect(await axeViolations(page)).toEqual([]);
      await page.click(`a[href="/staff/reports/${reference}"]`);
      await page.waitForURL(/\/staff\/reports\//);
      expect(await page.textContent('#indicators + .govuk-inset-text')).toMatch(/1/);
      expect(await page.textContent('main')).toContain('+447700900555');
      expect(await axeViolations(page)).toEqual([]);
      await page.click('#indicators + .govuk-inset-text a');
      await page.waitForURL(/\/staff\/campaigns\/\d+$/);
      expect(await page.locator('svg.app-link-graph[role="img"] title').count()).toBe(1);
      expect(await page.locator('table').count()).toBe(2);
      if (lng === 'en') expect(await axeViolations(page)).toEqual([]);
      await page.goto(`${base}/staff/campaigns`);
      expect(await page.locator('table a[href^="/staff/campaigns/"]').count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      await page.goto(`${base}/staff/reports/${reference}`);
      await page.fill('#note-text', 'Checked the account recovery settings');
      await page.locator('form[action$="/note"] button').click();
      await page.waitForURL(/done=note/);
      expect(await page.textContent('main')).toContain('Checked the account recovery settings');
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    });
  }
});
