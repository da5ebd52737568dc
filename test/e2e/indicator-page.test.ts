import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { addStaff, signInInBrowser } from '../support/staff-fixtures.ts';
import { makeSubmission, suspect } from '../support/submissions.ts';
import { runPublication } from '../support/taxii-publication.ts';
import { createTestApp } from '../support/test-app.ts';

const DOMAIN = 'missed-delivery-fee.co.uk';

describe('the indicator page in Chromium: reached from the report, accessible in English and Welsh', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let base = '';
  let reference = '';

  beforeAll(async () => {
    ctx = await createTestApp();
    const report = await ctx.services.reportIntake.submit(
      makeSubmission({
        category: 'online-harassment',
        narrative: `They kept messaging me links to https://${DOMAIN}/pay and +447700900477 called me`,
        suspect: suspect({ websites: [`https://${DOMAIN}/pay`] }),
      }),
    );
    reference = report.reference;
    await runPublication(ctx.services);
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await ctx.close();
  });

  const TEXT = {
    en: { feeds: 'External feeds that know it', withheld: 'Value not shown' },
    cy: { feeds: 'Ffrydiau allanol sy’n gwybod amdano', withheld: 'Nid yw’r gwerth yn cael ei ddangos' },
  };

  for (const lng of ['en', 'cy'] as const) {
    it(`an officer opens a report's indicator, an analyst a victim's words' phone (${lng}), zero axe violations`, async () => {
      const officer = `officer-${lng}@cumbria.example`;
      const context = await browser.newContext();
      const page = await context.newPage();
      await signInInBrowser(page, base, {
        email: officer,
        totp: await addStaff(ctx.services, { email: officer, role: 'force-officer', forceId: 'cumbria' }),
        lng,
      });
      await page.goto(`${base}/staff/reports/${reference}/indicators`);
      await page.click('a[href^="/staff/indicators/"] >> nth=0');
      await page.waitForURL(/\/staff\/indicators\/\d+$/);
      expect(await page.textContent('main')).toContain(TEXT[lng].feeds);
      expect(await page.textContent('main')).toContain(reference);
      expect(await axeViolations(page)).toEqual([]);
      await context.close();

      const analyst = `analyst-${lng}@nfib.example`;
      const other = await browser.newContext();
      const analystPage = await other.newPage();
      await signInInBrowser(analystPage, base, {
        email: analyst,
        totp: await addStaff(ctx.services, { email: analyst, role: 'analyst' }),
        lng,
      });
      const phone = await ctx.services.database.db
        .selectFrom('indicators')
        .select('id')
        .where('type', '=', 'phone')
        .executeTakeFirstOrThrow();
      await analystPage.goto(`${base}/staff/indicators/${String(phone.id)}`);
      expect(await analystPage.textContent('h1')).toBe(TEXT[lng].withheld);
      expect(await analystPage.textContent('main')).not.toContain('7700');
      expect(await axeViolations(analystPage)).toEqual([]);
      await other.close();
    });
  }
});
