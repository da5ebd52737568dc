import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, clickAndLoad, launchChromium } from '../support/browser.ts';
import { englishOnWelshPage } from '../support/page-language.ts';
import { addStaff, signInInBrowser } from '../support/staff-fixtures.ts';
import { makeSubmission } from '../support/submissions.ts';
import { createTestApp } from '../support/test-app.ts';

/**
 * Unit figures (issue 24) in Chromium: a unit's public page, reached from "who responds", and the index of every
 * unit, in English and Welsh (chart and table, small numbers suppressed), and the workspace page with its errors in
 * both languages, each with axe.
 */
describe('unit figures in Chromium: accessible in English and Welsh', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    ctx = await createTestApp();
    // Reports of the Cumbria unit last month: 3 of them, so "fewer than 5" on the public page.
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 10)).toISOString();
    for (let i = 0; i < 3; i++) {
      const { id } = await ctx.services.reportIntake.submit(makeSubmission({ narrative: `report ${i}` }));
      await ctx.services.database.db
        .updateTable('reports')
        .set({ unit_id: 'cumbria-cyber', received_unit: 'cumbria-cyber', created_at: lastMonth })
        .where('id', '=', id)
        .execute();
    }
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
    it(`shows a unit's public page from "who responds", and the index of units (${lng})`, async () => {
      const page = await browser.newPage();
      await page.goto(`${base}/who-responds?force=cumbria&lng=${lng}`);
      await clickAndLoad(page, 'main a[href="/units/cumbria-cyber"]');
      expect(await page.locator('svg.app-chart').count()).toBe(3);
      expect(await page.textContent('#table-reports')).toContain(lng === 'cy' ? 'llai na 5' : 'fewer than 5');
      await accessible(page, `unit page (${lng})`);
      if (lng === 'cy') expect(await englishOnWelshPage(page)).toBeUndefined();
      // The index of every unit, and back to one from it.
      await clickAndLoad(page, 'main a[href="/units"]');
      expect(await page.locator('main a[href^="/units/"]').count()).toBe(ctx.services.reference.units.length);
      await accessible(page, `units index (${lng})`);
      await clickAndLoad(page, 'main a[href="/units/nccu"]');
      expect(await page.locator('svg.app-chart').count()).toBe(3);
      await page.close();
    });
  }

  it('shows the workspace page with exact figures, and its errors, in English and Welsh', async () => {
    const totp = await addStaff(ctx.services, {
      email: 'officer@cumbria.example',
      role: 'force-officer',
      forceId: 'cumbria',
    });
    for (const lng of ['en', 'cy'] as const) {
      const page = await browser.newPage();
      await signInInBrowser(page, base, { email: 'officer@cumbria.example', totp, lng });
      await clickAndLoad(page, 'a[href="/staff/unit-figures"]');
      expect(await page.getAttribute('html', 'lang')).toBe(lng);
      // The total row's reports received: exact.
      expect(await page.textContent('#table-reports tbody tr:last-child td')).toBe('3');
      await accessible(page, `workspace unit figures (${lng})`);
      if (lng === 'cy') expect(await englishOnWelshPage(page)).toBeUndefined();
      // A month that is not one: answered in place, in the page's language.
      await page.fill('#from', '2026-13');
      await clickAndLoad(page, 'main form button');
      expect(
        await page
          .locator('.govuk-error-summary a')
          .evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
      ).toEqual(['#from']);
      await accessible(page, `workspace unit figures, errors (${lng})`);
      if (lng === 'cy') expect(await englishOnWelshPage(page)).toBeUndefined();
      await page.context().close();
    }
  });
});
