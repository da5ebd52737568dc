import type { AddressInfo } from 'node:net';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffMember } from '../../src/domain/access/access-policy.ts';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { addStaff } from '../support/staff-fixtures.ts';
import { createTestApp } from '../support/test-app.ts';

const PASSWORD = 'a long enough partner password';
const EMAIL = 'analyst@bank.example';

// One walk of the partner portal: sign-in → collections → submit → a group's request answered, axe on each distinct
// page once in English, then each again in Welsh.
describe('the partner portal in Chromium: accessible in English and Welsh', { timeout: 120_000 }, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let base = '';
  let totp: TOTP;
  let groupId = 0;
  let requestId = 0;

  beforeAll(async () => {
    ctx = await createTestApp();
    const bank = await ctx.services.partners.add({
      name: 'Big Bank',
      sectors: ['finance'],
      tlp: 'amber',
      canSubmit: true,
    });
    const made = await ctx.services.partnerUsers.add(
      { operator: 'e2e' },
      { partnerId: bank.id, email: EMAIL, role: 'partner-admin', password: PASSWORD },
    );
    await ctx.services.database.db
      .updateTable('users')
      .set({ password_change_due: 0 })
      .where('id', '=', made.id)
      .execute();
    totp = new TOTP({ secret: Secret.fromBase32(made.secret) });
    await addStaff(ctx.services, {
      email: 'super@police.example',
      role: 'force-supervisor',
      forceId: 'cumbria',
    });
    const id = (await ctx.services.staff.userIdByEmail('super@police.example'))?.id ?? 0;
    const supervisor = (await ctx.services.staff.byId(id)) as StaffMember;
    groupId = await ctx.services.workingGroups.create(supervisor, {
      name: 'Finance fraud',
      sector: 'finance',
    });
    await ctx.services.workingGroups.addMember(supervisor, groupId, { partnerId: bank.id });
    requestId = await ctx.services.workingGroups.post(supervisor, groupId, {
      kind: 'request',
      text: 'Has anyone seen this domain?',
      tlp: 'green',
      indicatorType: 'domain',
      indicatorValue: 'fake-bank-login-verify.co.uk',
      deadline: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    });
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${String((ctx.app.server.address() as AddressInfo).port)}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await ctx.close();
  });

  it('signs in, searches a collection, submits a value and answers a request, in English and Welsh', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const csp: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
    });
    const accessible = async (p: Page) => {
      expect(await axeViolations(p)).toEqual([]);
    };
    const visited: string[] = [];

    await page.goto(`${base}/partner/sign-in?lng=en`);
    visited.push('/partner/sign-in');
    await accessible(page);
    await page.fill('#email', EMAIL);
    await page.fill('#password', PASSWORD);
    await page.fill('#code', totp.generate());
    await page.click('form[action="/partner/sign-in"] button');
    await page.waitForURL(/\/partner$/);
    expect(await page.textContent('#organisation')).toContain('Big Bank');
    visited.push('/partner');
    await accessible(page);

    await page.click('a[href="/partner/collections"]');
    await page.waitForURL(/\/partner\/collections$/);
    visited.push('/partner/collections');
    await accessible(page);
    const first = page.locator('main a[href^="/partner/collections/"]').first();
    const collectionHref = (await first.getAttribute('href')) ?? '';
    await first.click();
    await page.waitForURL((url) => url.pathname === collectionHref);
    await page.fill('#q', 'fake-bank');
    await page.click('main form button');
    await page.waitForURL(/q=fake-bank/);
    visited.push(new URL(page.url()).pathname + new URL(page.url()).search);
    await accessible(page);

    await page.click('a[href="/partner/submit"]');
    await page.waitForURL(/\/partner\/submit$/);
    visited.push('/partner/submit');
    await accessible(page);
    // A bad CSV: the GOV.UK error summary names the line and the column.
    await page.fill('#csv', 'widget,x,green');
    await page.click('form[action="/partner/submit/csv"] button');
    await page.waitForURL(/\/partner\/submit$/);
    expect(await page.textContent('.govuk-error-summary')).toContain('Line 1, type');
    await accessible(page);
    await page.selectOption('#type', 'domain');
    await page.fill('#value', 'mule-payments-now.co.uk');
    await page.click('form[action="/partner/submit"] button');
    await page.waitForURL(/\/partner\/submit\/result$/);
    expect(await page.textContent('#summary')).toContain('1 stored');
    await accessible(page);

    await page.goto(`${base}/partner/groups/${String(groupId)}`);
    visited.push(`/partner/groups/${String(groupId)}`);
    await accessible(page);
    await page.check(`#seen-${String(requestId)}`);
    await page.fill(`#comment-${String(requestId)}`, 'Seen on our logs');
    await page.click(`form[action$="/requests/${String(requestId)}/answer"] button`);
    await page.waitForURL(/done=answer/);
    expect(await page.textContent(`#answer-${String(requestId)}`)).toContain('Seen');

    await page.goto(`${base}/partner/users`);
    visited.push('/partner/users');
    await accessible(page);

    // A personal API token: the error summary, then the token shown once.
    await page.click('a[href="/partner/tokens"]');
    await page.waitForURL(/\/partner\/tokens$/);
    visited.push('/partner/tokens');
    await accessible(page);
    await page.click('form[action="/partner/tokens"] button');
    await page.waitForURL(/\/partner\/tokens$/);
    expect(await page.textContent('.govuk-error-summary')).toContain('Enter a name for the token');
    await accessible(page);
    await page.fill('#name', 'Laptop script');
    await page.click('form[action="/partner/tokens"] button');
    await page.waitForURL(/\/partner\/tokens\/created$/);
    expect(await page.textContent('#token')).toMatch(/^blt_/);
    await accessible(page);

    // The same pages in Welsh, once each (the sign-in page last: signing out ends the session).
    for (const path of [...visited.slice(1), '/partner/feedback', '/partner/submissions']) {
      await page.goto(`${base}${path}${path.includes('?') ? '&' : '?'}lng=cy`);
      expect(await page.getAttribute('html', 'lang')).toBe('cy');
      await accessible(page);
    }
    // A token made in Welsh, shown once in Welsh.
    await page.goto(`${base}/partner/tokens?lng=cy`);
    await page.fill('#name', 'Sgript');
    await page.click('form[action="/partner/tokens"] button');
    await page.waitForURL(/\/partner\/tokens\/created$/);
    expect(await page.textContent('h1')).toBe('Eich tocyn API newydd');
    await accessible(page);
    await page.click('form[action="/partner/sign-out"] button');
    await page.waitForURL(/\/partner\/sign-in/);
    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    await accessible(page);
    expect(csp).toEqual([]);
    await context.close();
  });
});
