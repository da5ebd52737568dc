import type { AddressInfo } from 'node:net';
import type { TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffMember } from '../../src/domain/access/access-policy.ts';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { addStaff, signInInBrowser } from '../support/staff-fixtures.ts';
import { makeSubmission } from '../support/submissions.ts';
import { createTestApp } from '../support/test-app.ts';

const EMAIL = 'oic@cumbria.example';
const EML = [
  'From: "Bank Security" <alerts@bank-secure.example>',
  'To: victim@example.org',
  'Subject: Your account is locked',
  'Date: Tue, 17 Nov 2026 08:30:00 +0000',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Unlock it at <https://bank-secure.example/unlock> <script>alert(1)</script>',
  '',
].join('\r\n');

describe('report evidence in Chromium: the reason, the preview and adding to a case, in English and Welsh', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let base = '';
  let totp: TOTP;
  let reference = '';
  let textId = 0;
  let emlId = 0;

  beforeAll(async () => {
    ctx = await createTestApp();
    totp = await addStaff(ctx.services, { email: EMAIL, role: 'force-officer', forceId: 'cumbria' });
    const evidence = [
      await ctx.services.evidence.store('messages.txt', Buffer.from('Pay £500 or else <b>now</b>\n')),
      await ctx.services.evidence.store('phish.eml', Buffer.from(EML)),
    ];
    const submitted = await ctx.services.reportIntake.submit(
      makeSubmission({ narrative: 'someone hacked my email account and is blackmailing me', evidence }),
    );
    await ctx.services.intelligence.linkPending();
    reference = submitted.reference;
    const rows = await ctx.services.database.db
      .selectFrom('report_evidence')
      .select(['id', 'file_name'])
      .orderBy('id')
      .execute();
    textId = rows.find((r) => r.file_name === 'messages.txt')?.id ?? 0;
    emlId = rows.find((r) => r.file_name === 'phish.eml')?.id ?? 0;
    const officer = (await ctx.services.staff.byId(
      (await ctx.services.staff.userIdByEmail(EMAIL))?.id ?? 0,
    )) as StaffMember;
    await ctx.services.investigations.createCase(officer, {
      title: 'Blackmail by email',
      reports: [reference],
      restricted: false,
      members: [],
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
    it(`asks for a reason, previews text and an email as text, and adds a file to a case (${lng})`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const csp: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
      });
      await signInInBrowser(page, base, { email: EMAIL, totp, lng });
      await page.goto(`${base}/staff/reports/${reference}/evidence`);
      await page.click(`a[href="/staff/reports/${reference}/evidence/${textId}"]`);
      await page.waitForURL(new RegExp(`/evidence/${textId}$`));
      expect(await page.getAttribute('html', 'lang')).toBe(lng);
      expect(await axeViolations(page)).toEqual([]);

      // No reason: the same page with an error summary linked to the reason.
      await page.click('button[value="preview"]');
      await page.locator('.govuk-error-summary').waitFor();
      expect(await page.locator('.govuk-error-summary a[href="#reason"]').count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);

      await page.fill('#reason', lng === 'cy' ? 'Darllen y bygythiadau' : 'Read the threats');
      await page.click('button[value="preview"]');
      await page.locator('pre.app-code-block').waitFor();
      expect(await page.textContent('pre.app-code-block')).toBe('Pay £500 or else <b>now</b>\n');
      expect(await page.locator('main b').count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);

      await page.goto(`${base}/staff/reports/${reference}/evidence/${emlId}`);
      await page.fill('#reason', 'Find the sender');
      await page.click('button[value="preview"]');
      await page.locator('pre.app-code-block').waitFor();
      expect(await page.textContent('main')).toContain('Your account is locked');
      expect(await page.textContent('pre.app-code-block')).toContain('<script>alert(1)</script>');
      expect(await axeViolations(page)).toEqual([]);

      // Add to case: refused without a choice, then made an exhibit (a file each language: once only).
      const [addId, addName] = lng === 'en' ? [emlId, 'phish.eml'] : [textId, 'messages.txt'];
      await page.goto(`${base}/staff/reports/${reference}/evidence/${addId}`);
      await page.click(`a[href="/staff/reports/${reference}/evidence/${addId}/exhibit"]`);
      await page.waitForURL(/\/exhibit$/);
      expect(await axeViolations(page)).toEqual([]);
      await page.click('main form button.govuk-button');
      await page.locator('.govuk-error-summary').waitFor();
      expect(await page.locator('.govuk-error-summary a[href="#case"]').count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      await page.check('input[name="case"]');
      await page.fill('#initials', lng === 'cy' ? 'GW' : 'JS');
      await page.click('main form button.govuk-button');
      await page.waitForURL(/\/staff\/cases\/CASE-\w+\/exhibits\/\d+\?done=exhibit$/);
      expect(await page.textContent('main')).toContain(addName);
      expect(await axeViolations(page)).toEqual([]);
      expect(csp).toEqual([]);
      await context.close();
    }, 120_000);
  }
});
