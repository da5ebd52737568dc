import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { addStaff, signInInBrowser } from '../support/staff-fixtures.ts';
import { makeSubmission } from '../support/submissions.ts';
import { createTestApp } from '../support/test-app.ts';

describe('the unit’s counts and the notification setting in Chromium: accessible in English and Welsh', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    ctx = await createTestApp();
    const submit = (overrides = {}) =>
      ctx.services.reportIntake.submit(
        makeSubmission({ category: 'online-harassment', narrative: 'abusive messages', ...overrides }),
      );
    await submit();
    await submit({ vulnerability: ['over-70'] });
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await ctx.close();
  });

  const TEXT = {
    en: {
      counts: 'Your unit at a glance',
      account: 'Your account',
      saved: 'Your notification setting has been saved.',
    },
    cy: {
      counts: 'Eich uned yn gryno',
      account: 'Eich cyfrif',
      saved: 'Mae eich gosodiad hysbysu wedi’i gadw.',
    },
  };

  for (const lng of ['en', 'cy'] as const) {
    it(`shows the counts on the workspace home and saves the daily digest choice (${lng}), with zero axe violations`, async () => {
      const email = `officer-${lng}@cumbria.example`;
      const totp = await addStaff(ctx.services, { email, role: 'force-officer', forceId: 'cumbria' });
      const context = await browser.newContext();
      const page = await context.newPage();
      await signInInBrowser(page, base, { email, totp, lng });
      expect(new URL(page.url()).pathname).toBe('/staff');
      expect(await page.textContent('#unit-counts')).toBe(TEXT[lng].counts);
      expect(await page.textContent('[data-count="new"]')).toBe('2');
      expect(await page.textContent('[data-count="urgent-unassigned"]')).toBe('1');
      expect(await axeViolations(page)).toEqual([]);

      await page.click('a[href="/staff/account"]');
      await page.waitForURL(/\/staff\/account$/);
      expect(await page.textContent('h1')).toBe(TEXT[lng].account);
      expect(await page.textContent('main')).toContain('cyber.unit@cumbria.police.uk');
      expect(await page.isChecked('input[name="follow"][value="mailbox"]')).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await page.check('input[name="follow"][value="digest"]');
      await page.click('main form[action="/staff/account"] button.govuk-button');
      await page.waitForURL(/done=saved/);
      expect(await page.textContent('.govuk-notification-banner')).toContain(TEXT[lng].saved);
      expect(await page.isChecked('input[name="follow"][value="digest"]')).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    });
  }
});
