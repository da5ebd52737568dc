import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHandlers } from '../../src/services/background-jobs.ts';
import { logEmailSender } from '../../src/services/email/email-sender.ts';
import { createOutboxWorker } from '../../src/services/outbox-worker.ts';
import { createTranslator } from '../../src/web/plugins/i18n.ts';
import { axeViolations, clickAndLoad, launchChromium } from '../support/browser.ts';
import { makeSubmission } from '../support/submissions.ts';
import { createTestApp } from '../support/test-app.ts';

const quiet = { info: () => undefined, error: () => undefined };
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 3),
]);

/**
 * GOV.UK places the back link before `<main>` (so "Skip to main content" skips it), which axe's `region` best
 * practice flags: allowed there only, as in report-journey.test.ts. Anything else fails.
 */
const violationsOf = async (page: Page) =>
  (await axeViolations(page)).filter(
    (v) => !(v.startsWith('region ') && v.slice(v.lastIndexOf(' at ') + 4) === '.govuk-back-link'),
  );

// The pages a victim uses to come back: saving a report to finish later, and adding to a report from the progress
// page — zero axe violations, in English and Welsh, with their error summaries.
describe('victims coming back, in Chromium: accessible in English and Welsh', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let base = '';
  const mail = logEmailSender(quiet);
  let sendEmails: () => Promise<void>;

  beforeAll(async () => {
    ctx = await createTestApp();
    const translator = await createTranslator();
    const worker = createOutboxWorker(
      ctx.services.database.db,
      ctx.services.database.dialect,
      ctx.services.clock,
      jobHandlers(ctx.services, {
        log: quiet,
        email: mail,
        translate: (lng, key, vars) => translator[lng](key, vars),
      }),
      quiet,
    );
    sendEmails = async () => {
      while ((await worker.runOnce()) > 0);
    };
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await ctx.close();
  });

  /** Clicks something that loads a new page and waits for it. */
  const go = clickAndLoad;
  const path = (page: Page) => new URL(page.url()).pathname;
  async function accessible(page: Page, lng: 'en' | 'cy', where: string) {
    expect(await page.getAttribute('html', 'lang'), where).toBe(lng);
    expect(await violationsOf(page), where).toEqual([]);
    // Words that are never Welsh: one in a Welsh page means a string was not translated.
    if (lng === 'cy')
      expect(
        /\b(the|and|you|your|Continue|Back|Change|What|When|Yes)\b/.exec(await page.innerText('main'))?.[0],
        where,
      ).toBeUndefined();
  }

  for (const lng of ['en', 'cy'] as const) {
    it(`saves a report and comes back to it from the emailed link (${lng})`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/report/triage/danger?lng=${lng}`);
      await page.check('input[name="answer"][value="no"]');
      await go(page, 'main form button.govuk-button');
      await page.check('input[name="answer"][value="myself"]');
      await go(page, 'main form button.govuk-button');
      await page.check('input[name="answer"][value="money-or-account"]');
      await go(page, 'main form button.govuk-button');
      expect(path(page)).toBe('/report/about-you');
      await accessible(page, lng, 'a question page with "Save and come back later"');
      await page.fill('#name', 'Ann Example');
      await go(page, 'button[name="saveAndReturn"]');
      expect(path(page)).toBe('/report/save');
      await accessible(page, lng, '/report/save');
      await page.fill('#email', 'not an email');
      await go(page, 'form[action="/report/save"] button');
      expect(await page.locator('.govuk-error-summary').count()).toBe(1);
      await accessible(page, lng, '/report/save with an error');
      await page.fill('#email', `ann.${lng}@example.org`);
      await go(page, 'form[action="/report/save"] button');
      expect(path(page)).toBe('/report/saved');
      await accessible(page, lng, '/report/saved');

      await sendEmails();
      const token = /\/report\/return\/([A-Za-z0-9_-]{43})/.exec(mail.sent.at(-1)?.text ?? '')?.[1] ?? '';
      expect(mail.sent.at(-1)?.to).toBe(`ann.${lng}@example.org`);
      const elsewhere = await browser.newContext();
      const later = await elsewhere.newPage();
      await later.goto(`${base}/report/return/${token}?lng=${lng}`);
      await accessible(later, lng, '/report/return');
      await go(later, 'main form button.govuk-button');
      expect(path(later)).toBe('/report/restored');
      await accessible(later, lng, '/report/restored');
      await go(later, 'main a.govuk-button');
      expect(path(later)).toBe('/report/what-happened');
      await later.goto(`${base}/report/about-you`);
      expect(await later.inputValue('#name')).toBe('Ann Example');

      const response = await later.goto(`${base}/report/return/${token}`);
      expect(response?.status()).toBe(410);
      await accessible(later, lng, 'a used link');
      await later.goto(`${base}/report/return/${'A'.repeat(43)}`);
      await accessible(later, lng, 'an expired link');
      await elsewhere.close();
      await context.close();
    });

    it(`adds information, evidence and contact details from the progress page (${lng})`, async () => {
      const email = `vic.${lng}@example.org`;
      const { reference } = await ctx.services.reportIntake.submit(
        makeSubmission({
          reporter: { name: 'Vic', victimName: null, email, phone: null, preferredContact: 'email' },
          narrative: 'someone hacked my email account and is blackmailing me',
        }),
        { lng },
      );
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/report/progress?lng=${lng}`);
      await page.fill('#reference', reference);
      await page.fill('#secret', email);
      await go(page, 'form[action="/report/progress"] button');
      expect(path(page)).toBe('/report/progress/your-report');
      await accessible(page, lng, 'the report with its actions');

      await go(page, 'a[href="/report/progress/add-information"]');
      await accessible(page, lng, '/report/progress/add-information');
      await go(page, 'form[action="/report/progress/add-information"] button');
      expect(await page.locator('.govuk-error-summary').count()).toBe(1);
      await accessible(page, lng, 'add-information with an error');
      await page.fill('#information', 'They called again from a new number.');
      await go(page, 'form[action="/report/progress/add-information"] button');
      expect(await page.locator('.govuk-notification-banner--success').count()).toBe(1);
      await accessible(page, lng, 'the report after adding information');

      await go(page, 'a[href="/report/progress/add-evidence"]');
      await accessible(page, lng, '/report/progress/add-evidence');
      await page.setInputFiles('#files', {
        name: 'photo.png',
        mimeType: 'image/png',
        buffer: Buffer.from('MZ exe'),
      });
      await go(page, 'form[action^="/report/progress/add-evidence"] button');
      expect(await page.locator('.govuk-error-summary').count()).toBe(1);
      await accessible(page, lng, 'add-evidence with a refused file');
      await page.setInputFiles('#files', { name: 'screen.png', mimeType: 'image/png', buffer: PNG });
      await go(page, 'form[action^="/report/progress/add-evidence"] button');
      expect(path(page)).toBe('/report/progress/your-report');

      await go(page, 'a[href="/report/progress/contact-details"]');
      await accessible(page, lng, '/report/progress/contact-details');
      await page.fill('#email', 'not an email');
      await go(page, 'form[action="/report/progress/contact-details"] button');
      expect(await page.locator('.govuk-error-summary').count()).toBe(1);
      await accessible(page, lng, 'contact-details with errors');
      await page.fill('#email', `vic.new.${lng}@example.org`);
      await page.check('input[name="preferred"][value="email"]');
      await go(page, 'form[action="/report/progress/contact-details"] button');
      expect(path(page)).toBe('/report/progress/your-report');
      expect(await page.locator('.govuk-notification-banner--success').count()).toBe(1);
      await context.close();
    });
  }
});
