import type { AddressInfo } from 'node:net';
import type { TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, clickAndLoad, launchChromium } from '../support/browser.ts';
import { addStaff, signInInBrowser } from '../support/staff-fixtures.ts';
import { createTestApp } from '../support/test-app.ts';

const REFERENCE = /CYB-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]/;
const radio = (name: string, value: string) => `input[name="${name}"][value="${value}"]`;
const CONTINUE = 'main form button.govuk-button';
const CSV = [
  'reporter.type,reporter.name,reporter.email,reporter.postcode,reporter.organisation.name,incident.narrative',
  'organisation,Shop Ltd,accounts@shop.example,CA1 1AA,Shop Ltd,Our supplier’s bank details were changed by email and we paid',
  'organisation,Shop Ltd,not-an-email,CA1 1AA,Shop Ltd,Another invoice',
  'organisation,Shop Ltd,accounts@shop.example,ZZ9 9ZZ,Shop Ltd,"=HYPERLINK(""http://evil.example"")"',
].join('\n');

describe('the adviser journey and bulk upload in Chromium: accessible in English and Welsh', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let base = '';
  let totp: TOTP;

  beforeAll(async () => {
    ctx = await createTestApp();
    totp = await addStaff(ctx.services, { email: 'adviser@helpline.example', role: 'call-handler' });
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await ctx.close();
  });

  const go = clickAndLoad;

  for (const lng of ['en', 'cy'] as const) {
    it(`takes a caller's report and a business's CSV (${lng}), with zero axe violations`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/staff/sign-in?lng=${lng}`);
      await signInInBrowser(page, base, { email: 'adviser@helpline.example', totp, lng });
      // No queue: the adviser's home.
      expect(new URL(page.url()).pathname).toBe('/staff/adviser');
      expect(await page.getAttribute('html', 'lang')).toBe(lng);
      expect(await axeViolations(page)).toEqual([]);

      await go(page, 'a.govuk-button--start');
      expect(new URL(page.url()).pathname).toBe('/staff/adviser/report/triage/danger');
      for (const [answer] of [['no'], ['myself'], ['money-or-account']]) {
        await page.check(radio('answer', answer ?? ''));
        await go(page, CONTINUE);
      }
      await page.fill('#name', 'Caller Example');
      await go(page, CONTINUE);
      await page.check(radio('choice', 'bought-something'));
      await page.fill('#narrative', 'I paid for a puppy advertised online and it never came.');
      await go(page, CONTINUE);
      await page.fill('#day', '3');
      await page.fill('#month', '11');
      await page.fill('#year', '2026');
      await page.check(radio('ongoing', 'no'));
      await go(page, CONTINUE);
      await page.check(radio('method', 'marketplace'));
      await go(page, CONTINUE);
      await page.check(radio('lost', 'no'));
      await go(page, CONTINUE);
      await go(page, CONTINUE); // suspect: nothing known
      expect(new URL(page.url()).pathname).toBe('/staff/adviser/report/evidence');
      await go(page, 'form[action="/staff/adviser/report/evidence"] button.govuk-button');
      await page.check(radio('flags', 'none'));
      await go(page, CONTINUE);
      await page.fill('#email', 'caller@example.org');
      await page.check(radio('preferred', 'email'));
      await go(page, CONTINUE);
      await page.fill('#postcode', 'ca1 1aa');
      await go(page, CONTINUE);
      await page.check(radio('consent', 'no'));
      await go(page, CONTINUE);

      // The summary the adviser reads back to the caller.
      expect(new URL(page.url()).pathname).toBe('/staff/adviser/report/check-answers');
      expect(await page.locator('main .govuk-inset-text').count()).toBe(1);
      expect(await page.innerText('.govuk-summary-list')).toContain('Caller Example');
      expect(await axeViolations(page)).toEqual([]);
      await go(page, 'form[action="/staff/adviser/report/submit"] button');
      expect(new URL(page.url()).pathname).toBe('/staff/adviser/report/confirmation');
      expect(REFERENCE.test(await page.innerText('.govuk-panel'))).toBe(true);
      expect(await axeViolations(page)).toEqual([]);

      // The bulk upload: its form, a file refused whole, then a file with some rows refused.
      await page.goto(`${base}/staff/adviser/bulk`);
      expect(await axeViolations(page)).toEqual([]);
      await page.setInputFiles('#file', {
        name: 'bad.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('reporter.type\n"open'),
      });
      await go(page, 'form[enctype="multipart/form-data"] button.govuk-button');
      expect(await page.locator('.govuk-error-summary').count()).toBe(1);
      expect(await page.locator('#file-error').count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      await page.setInputFiles('#file', {
        name: 'incidents.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(CSV),
      });
      await go(page, 'form[enctype="multipart/form-data"] button.govuk-button');
      expect(await page.locator('.govuk-error-summary').count()).toBe(1);
      expect(await page.locator('#created + table tbody tr').count()).toBe(1);
      expect(await page.locator('#rejects ~ table tbody tr').count()).toBe(2);
      expect(await page.textContent('main')).not.toContain('HYPERLINK');
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    });
  }
});
