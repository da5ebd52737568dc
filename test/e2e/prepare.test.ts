import type { AddressInfo } from 'node:net';
import type { TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, clickAndLoad, launchChromium } from '../support/browser.ts';
import { addStaff, signInInBrowser } from '../support/staff-fixtures.ts';
import { createTestApp } from '../support/test-app.ts';

/**
 * Prevent, significant incidents and "who responds" (issue 24) in Chromium, each page once per language with axe:
 * a victim of an open incident says they were affected and reports; a parent refers a young person to Prevent; the
 * region's Prevent officer takes the referral on; the declaring unit reads the incident's page.
 */
describe('Prevent and Prepare in Chromium: accessible in English and Welsh', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let base = '';
  let incidentId = 0;
  const totps = new Map<string, TOTP>();

  beforeAll(async () => {
    ctx = await createTestApp();
    for (const [email, role] of [
      ['prevent@nw.example', 'prevent-officer'],
      ['regional@nw.example', 'regional-officer'],
    ] as const)
      totps.set(email, await addStaff(ctx.services, { email, role, unitId: 'nwrocu-rccu' }));
    incidentId = await ctx.services.incidents.declare(
      { email: 'regional@nw.example', role: 'regional-officer', unitId: 'nwrocu-rccu', forceId: null },
      {
        name: 'Fake parcel texts',
        nameCy: 'Negeseuon testun parsel ffug',
        description: 'Texts saying a parcel is held until a fee is paid.',
        descriptionCy: 'Negeseuon testun yn dweud bod parsel yn cael ei ddal nes talu ffi.',
        indicators: 'https://parcel-fee.co.uk/pay',
        category: null,
        sector: null,
        from: '2026-01-01T00:00:00.000Z',
        to: null,
      },
    );
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await ctx.close();
  });

  const accessible = async (page: Page, what: string) => {
    expect(await axeViolations(page), what).toEqual([]);
  };

  for (const lng of ['en', 'cy'] as const) {
    it(`walks the public pages and the workspace (${lng}) with zero axe violations`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();

      // The home page asks "Were you affected by …?" and says who responds.
      await page.goto(`${base}/?lng=${lng}`);
      expect(await page.getAttribute('html', 'lang')).toBe(lng);
      expect(await page.textContent('.govuk-notification-banner')).toContain(
        lng === 'cy' ? 'Negeseuon testun parsel ffug' : 'Fake parcel texts',
      );
      expect(await page.locator('a[href="/who-responds"]').count()).toBe(1);
      await accessible(page, 'home');
      await clickAndLoad(page, `a[href="/incidents/${incidentId}"]`);
      await clickAndLoad(page, 'form button.govuk-button');
      expect(await page.locator('.govuk-error-summary').count()).toBe(1);
      await accessible(page, 'affected? (error)');
      await page.check('#affected');
      await clickAndLoad(page, 'form button.govuk-button');
      expect(new URL(page.url()).pathname).toBe(`/incidents/${incidentId}/report`);
      await page.fill('#postcode', 'LA9 4AA');
      await clickAndLoad(page, 'form button.govuk-button');
      expect(await page.textContent('.govuk-error-summary')).toBeTruthy();
      await accessible(page, 'short report (error)');
      await page.fill('#narrative', 'I paid the fee on https://parcel-fee.co.uk/pay and then my bank called');
      await clickAndLoad(page, 'form button.govuk-button');
      expect(new URL(page.url()).pathname).toBe('/report/confirmation');
      await accessible(page, 'confirmation');
      await clickAndLoad(page, 'main a[href^="/who-responds"]');
      expect(await page.textContent('main')).toContain(
        lng === 'cy' ? 'Uned Seiberdroseddu Genedlaethol' : 'National Cyber Crime Unit',
      );
      await accessible(page, 'who responds');

      // A parent refers a young person to Prevent.
      await clickAndLoad(page, 'main a[href="/prevent"]');
      await accessible(page, 'prevent');
      await clickAndLoad(page, 'a[href="/prevent/refer"]');
      await clickAndLoad(page, 'form button.govuk-button');
      expect(await page.locator('.govuk-error-summary li').count()).toBeGreaterThan(3);
      await accessible(page, 'referral (errors)');
      await page.check('#referrerKind-2');
      await page.fill('#referrerName', 'Pat Parent');
      await page.fill('#referrerEmail', 'pat@home.example');
      await page.fill('#youngPerson', lng === 'cy' ? 'Dafydd' : 'Sam');
      await page.fill('#age', '14');
      await page.fill('#postcode', 'CA1 1AA');
      await page.fill('#concern', 'Sells stolen game accounts');
      await page.check('#aware');
      await clickAndLoad(page, 'form button.govuk-button');
      expect(new URL(page.url()).pathname).toBe('/prevent/sent');
      await accessible(page, 'referral sent');

      // The region's Prevent officer takes it on.
      const staff = await (await browser.newContext()).newPage();
      await signInInBrowser(staff, base, {
        email: 'prevent@nw.example',
        totp: totps.get('prevent@nw.example') as TOTP,
        lng,
      });
      await staff.goto(`${base}/staff/prevent`);
      await accessible(staff, 'prevent queue');
      // Open referrals come first, newest first: this walk's own.
      await clickAndLoad(staff, 'table a[href^="/staff/prevent/"]');
      await clickAndLoad(staff, 'form button.govuk-button');
      expect(await staff.locator('#intervention').count()).toBe(1);
      await accessible(staff, 'referral');

      // The declaring unit's incident page: reports by force and sector, indicators, the forms it runs.
      const unit = await (await browser.newContext()).newPage();
      await signInInBrowser(unit, base, {
        email: 'regional@nw.example',
        totp: totps.get('regional@nw.example') as TOTP,
        lng,
      });
      await unit.goto(`${base}/staff/incidents`);
      await accessible(unit, 'incidents');
      await clickAndLoad(unit, `a[href="/staff/incidents/${incidentId}"]`);
      expect(await unit.textContent('main')).toContain('Cumbria');
      await accessible(unit, 'incident');
      await context.close();
    });
  }
});
