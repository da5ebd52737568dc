import type { AddressInfo } from 'node:net';
import type { TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { addStaff, signInInBrowser, submitPartnerReport } from '../support/staff-fixtures.ts';
import { makeSubmission, suspect } from '../support/submissions.ts';
import { createTestApp } from '../support/test-app.ts';

describe('unit workspace in Chromium: accessible in English and Welsh', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let base = '';
  let totp: TOTP;
  let reference = '';

  beforeAll(async () => {
    // Every classification waits for review, so the review queue has the Cumbria report whatever its confidence.
    ctx = await createTestApp({ CLASSIFY_REVIEW_BELOW: '1' });
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
    it(`signs in, works a report and reviews its classification (${lng}), with zero axe violations on every page`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/staff/sign-in?lng=${lng}`);
      expect(await page.getAttribute('html', 'lang')).toBe(lng);
      await page.click('button.govuk-button');
      await page.locator('.govuk-error-summary').waitFor();
      expect(await page.locator('.govuk-error-summary').count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      await signInInBrowser(page, base, { email: 'sup@cumbria.example', totp, lng });
      expect(new URL(page.url()).pathname).toBe('/staff');
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

      // The classification review queue, a record, and its form refused without a reason.
      await page.goto(`${base}/staff/classification-review`);
      expect(await page.textContent('main')).toContain(reference);
      expect(await axeViolations(page)).toEqual([]);
      await page.click(`main a:has-text("${reference}")`);
      await page.waitForURL(/\/staff\/classification-review\/report\/\d+$/);
      expect(await axeViolations(page)).toEqual([]);
      await page.locator('main form button.govuk-button').click();
      await page.locator('.govuk-error-summary').waitFor();
      expect(await page.locator('.govuk-error-summary a[href="#reason"]').count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    });
  }

  it('offers "Release to partners" for a value only a suspicious message names, accessibly (en, cy)', async () => {
    // A suspicious-message report names the hacker's number as the suspect's: it waits for a release.
    await ctx.services.reportIntake.submit(
      makeSubmission({ category: 'phishing-attempt', suspect: suspect({ phones: ['07700 900555'] }) }),
      { clientAddress: '203.0.113.50' },
    );
    await ctx.services.reportIntake.submit(
      makeSubmission({
        category: 'phishing-attempt',
        suspect: suspect({ websites: ['https://fake-tax-refund.co.uk/'] }),
      }),
      { clientAddress: '203.0.113.51' },
    );
    const analystTotp = await addStaff(ctx.services, { email: 'analyst@nfib.example', role: 'analyst' });
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInInBrowser(page, base, { email: 'analyst@nfib.example', totp: analystTotp });
    await page.click('a[href="/staff/release"]');
    await page.waitForURL(/\/staff\/release$/);
    expect(await page.textContent('main')).toContain('https://fake-tax-refund.co.uk/');
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${base}/staff/release?lng=cy`);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${base}/staff/release?lng=en`);
    await page
      .locator('form[action="/staff/release"]:has(input[value="https://fake-tax-refund.co.uk/"]) button')
      .click();
    await page.waitForURL(/done=1/);
    expect(await page.locator('.govuk-notification-banner').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();

    // A colleague of the supervisor (a fresh authenticator: a security code is never accepted twice).
    const colleagueTotp = await addStaff(ctx.services, {
      email: 'officer@cumbria.example',
      role: 'force-officer',
      forceId: 'cumbria',
    });
    const supervisor = await browser.newContext();
    const reportPage = await supervisor.newPage();
    await signInInBrowser(reportPage, base, {
      email: 'officer@cumbria.example',
      totp: colleagueTotp,
      lng: 'cy',
    });
    await reportPage.goto(`${base}/staff/reports/${reference}`);
    expect(await reportPage.textContent('#indicators ~ table')).toContain('Rhyddhau i bartneriaid');
    expect(await axeViolations(reportPage)).toEqual([]);
    await supervisor.close();
  });
});
