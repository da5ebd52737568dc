import type { AddressInfo } from 'node:net';
import type { TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffMember } from '../../src/domain/access/access-policy.ts';
import type { Partner } from '../../src/services/partners.ts';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { addStaff, signInInBrowser } from '../support/staff-fixtures.ts';
import { createTestApp } from '../support/test-app.ts';

// One short walk per language: the group list, a group page with an answered request and the admin's forms, and
// the request form's error summary; axe on each.
describe(
  'working groups in the workspace in Chromium: accessible in English and Welsh',
  { timeout: 120_000 },
  () => {
    let ctx: Awaited<ReturnType<typeof createTestApp>>;
    let browser: Browser;
    let base = '';
    let groupId = 0;
    let totp: TOTP;

    beforeAll(async () => {
      ctx = await createTestApp();
      const email = 'admin@police.example';
      totp = await addStaff(ctx.services, { email, role: 'force-supervisor', forceId: 'cumbria' });
      const admin = (await ctx.services.staff.byId(
        (await ctx.services.staff.userIdByEmail(email))?.id ?? 0,
      )) as StaffMember;
      const added = await ctx.services.partners.add({ name: 'Big Bank', sectors: ['finance'], tlp: 'amber' });
      const bank = (await ctx.services.partners.byId(added.id)) as Partner;
      groupId = await ctx.services.workingGroups.create(admin, { name: 'Finance fraud', sector: 'finance' });
      await ctx.services.workingGroups.addMember(admin, groupId, { partnerId: bank.id });
      const requestId = await ctx.services.workingGroups.post(admin, groupId, {
        kind: 'request',
        text: 'Has anyone seen this domain?',
        tlp: 'green',
        indicatorType: 'domain',
        indicatorValue: 'fake-bank-login-verify.co.uk',
        deadline: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      });
      await ctx.services.workingGroups.answer(bank, groupId, requestId, { seen: true, comment: 'Blocked 3' });
      await ctx.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${String((ctx.app.server.address() as AddressInfo).port)}`;
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser.close();
      await ctx.close();
    });

    const TEXT = {
      en: { list: 'Working groups', error: 'Enter what you want to know' },
      cy: { list: 'Gweithgorau', error: 'Rhowch beth rydych eisiau ei wybod' },
    };

    const CREATE = {
      en: {
        title: 'Set up a working group',
        error: 'Enter a name for the group',
        check: 'Check the group before you set it up',
        done: 'The group is set up',
      },
      cy: {
        title: 'Sefydlu gweithgor',
        error: 'Rhowch enw ar gyfer y grŵp',
        check: 'Gwiriwch y grŵp cyn i chi ei sefydlu',
        done: 'Mae’r grŵp wedi’i sefydlu',
      },
    };

    for (const lng of ['en', 'cy'] as const) {
      it(`lists the groups, shows a group and its forms, and an error summary (${lng}), zero axe violations`, async () => {
        const context = await browser.newContext();
        const page = await context.newPage();
        // The group's admin: the membership forms and the answer's link form are on the page.
        await signInInBrowser(page, base, { email: 'admin@police.example', totp, lng });
        await page.goto(`${base}/staff/groups`);
        expect(await page.textContent('h1')).toBe(TEXT[lng].list);
        expect(await axeViolations(page)).toEqual([]);
        await page.click(`a[href="/staff/groups/${String(groupId)}"]`);
        await page.waitForURL(/\/staff\/groups\/\d+$/);
        expect(await page.textContent('main')).toContain('Blocked 3');
        expect(await page.locator('#member, #remove-member, input[id^="link-"]').count()).toBe(3);
        expect(await axeViolations(page)).toEqual([]);
        // The request form is folded under the messages: opened as the page's link to it does.
        await page.goto(`${page.url()}?form=request`);
        await page.click('#request-form button');
        await page.waitForURL(/\/staff\/groups\/\d+(#request-form)?$/);
        expect(await page.textContent('.govuk-error-summary')).toContain(TEXT[lng].error);
        expect(await axeViolations(page)).toEqual([]);
        await context.close();
      });

      it(`sets a group up: the form, its error summary, check answers and the new group (${lng}), zero axe violations`, async () => {
        const context = await browser.newContext();
        const page = await context.newPage();
        await signInInBrowser(page, base, { email: 'admin@police.example', totp, lng });
        await page.goto(`${base}/staff/groups`);
        await page.click('main a[href="/staff/groups/new"]');
        await page.waitForURL(/\/staff\/groups\/new$/);
        expect(await page.textContent('h1')).toBe(CREATE[lng].title);
        expect(await axeViolations(page)).toEqual([]);
        await page.click('main form button');
        await page.waitForURL(/\/staff\/groups\/new$/);
        expect(await page.textContent('.govuk-error-summary')).toContain(CREATE[lng].error);
        expect(await axeViolations(page)).toEqual([]);
        const name = `Retail fraud ${lng}`;
        await page.fill('#name', name);
        await page.check('input[name="sector"][value="retail"]');
        await page.click('main form button');
        await page.waitForURL(/\/staff\/groups\/new\/check$/);
        expect(await page.textContent('h1')).toBe(CREATE[lng].check);
        expect(await page.textContent('.govuk-summary-list')).toContain(name);
        expect(await axeViolations(page)).toEqual([]);
        await page.click('main form button');
        await page.waitForURL(/\/staff\/groups\/\d+\?done=created$/);
        expect(await page.textContent('h1')).toBe(name);
        expect(await page.textContent('.govuk-notification-banner')).toContain(CREATE[lng].done);
        expect(await axeViolations(page)).toEqual([]);
        await context.close();
      });
    }
  },
);
