import type { AddressInfo } from 'node:net';
import type { TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffMember } from '../../src/domain/access/access-policy.ts';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { addStaff, signInInBrowser, submitPartnerReport } from '../support/staff-fixtures.ts';
import { createTestApp } from '../support/test-app.ts';

const EMAIL = 'oic@cumbria.example';

describe('case pages in Chromium: accessible in English and Welsh', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let base = '';
  let totp: TOTP;
  let caseRef = '';

  /** A case with something on every tab: a report, two exhibits, custody events, a file, tasks, decisions, examinations. */
  async function seedCase(staff: StaffMember) {
    const inv = ctx.services.investigations;
    const report = await submitPartnerReport(ctx.app, ctx.services, {
      reporter: { type: 'individual', name: 'V', postcode: 'CA1 1AA' },
      incident: { narrative: 'someone hacked my email account and is blackmailing me' },
      consents: { victim_support: false },
    });
    const reference = await inv.createCase(staff, {
      title: 'Operation Tern',
      reports: [report],
      restricted: false,
      members: [],
    });
    const exhibit = async (kind: string, description: string) =>
      inv.addExhibit(staff, reference, {
        initials: 'JS',
        kind,
        description,
        seizedAt: '2025-11-20T09:15:00.000Z',
        seizedWhere: '1 High Street, Carlisle',
        sealNumbers: ['SEAL-0001'],
      });
    const phone = await exhibit('phone', 'Black smartphone, cracked screen');
    const laptop = await exhibit('laptop', 'Grey laptop');
    await inv.addCustody(staff, phone.id, {
      event: 'booked-in',
      at: '2025-11-20T11:00:00.000Z',
      location: 'Carlisle property store',
      note: 'Bag intact',
    });
    await inv.addFile(staff, phone.id, 'extraction-report.pdf', Buffer.from('%PDF-1.4 extraction report'));
    await inv.addTask(staff, reference, {
      title: 'Request subscriber data',
      owner: EMAIL,
      dueOn: '2099-12-01',
    });
    const late = await inv.addTask(staff, reference, {
      title: 'Visit the victim',
      owner: EMAIL,
      dueOn: '2025-01-01',
    });
    await inv.addTask(staff, reference, {
      title: 'Check the bank account',
      owner: EMAIL,
      dueOn: '2025-02-01',
    });
    await inv.completeTask(staff, reference, late);
    await inv.addDecision(staff, reference, 'Arrest the suspect', 'Subscriber data names him');
    const examination = (exhibitId: number) =>
      inv.requestExamination(staff, exhibitId, {
        what: 'Messages with the suspect',
        why: 'Evidence of blackmail',
        priority: 'high',
        legalAuthority: 'PACE s19',
      });
    const done = await examination(phone.id);
    await inv.updateExamination(staff, done, { status: 'complete', findings: 'Threatening messages found' });
    await examination(laptop.id);
    await inv.importCdr(
      staff,
      phone.id,
      [
        'timestamp,type,from,to,duration_seconds,cell_id,latitude,longitude',
        '2025-11-20T08:59:00Z,call,+447700900111,+447700900222,65,CELL-1,54.8925,-2.9329',
        '2025-11-20T09:10:00Z,cell,+447700900111,,,CELL-2,54.8951,-2.9360',
        '2025-11-20T11:00:00Z,sms,+447700900111,+447700900333,,CELL-9,54.5,-3.5',
      ].join('\n'),
    );
    await inv.markNear(staff, phone.id, {
      lat: 54.8931,
      lon: -2.934,
      radiusM: 500,
      from: '2025-11-20T08:30:00.000Z',
      to: '2025-11-20T09:30:00.000Z',
      note: 'Near the scene',
    });
    return reference;
  }

  beforeAll(async () => {
    ctx = await createTestApp();
    totp = await addStaff(ctx.services, { email: EMAIL, role: 'force-officer', forceId: 'cumbria' });
    await addStaff(ctx.services, {
      email: 'colleague@cumbria.example',
      role: 'force-officer',
      forceId: 'cumbria',
    });
    const staff = await ctx.services.staff.byId((await ctx.services.staff.userIdByEmail(EMAIL))?.id ?? 0);
    if (staff === null) throw new Error('no staff member');
    caseRef = await seedCase(staff);
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await ctx.close();
  });

  async function signIn(page: Page, lng: 'en' | 'cy') {
    await signInInBrowser(page, base, { email: EMAIL, totp, lng });
  }

  for (const lng of ['en', 'cy'] as const) {
    it(`has zero axe violations on every case tab and the forensics queue (${lng})`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const csp: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
      });
      await signIn(page, lng);
      await page.click('a[href="/staff/cases"]');
      await page.waitForURL(/\/staff\/cases$/);
      expect(await page.getAttribute('html', 'lang')).toBe(lng);
      expect(await axeViolations(page)).toEqual([]);
      await page.click(`a[href="/staff/cases/${caseRef}"]`);
      await page.waitForURL(new RegExp(`/staff/cases/${caseRef}$`));
      for (const tab of ['', '/exhibits', '/tasks', '/custody', '/forensics']) {
        const href = `/staff/cases/${caseRef}${tab}`;
        // Through the sub navigation, as a person would.
        await page.click(`nav.moj-sub-navigation a[href="${href}"]`);
        await page.waitForURL(`${base}${href}`);
        expect(await page.getAttribute(`nav.moj-sub-navigation a[href="${href}"]`, 'aria-current')).toBe(
          'page',
        );
        expect(await page.locator('nav.moj-sub-navigation [aria-current="page"]').count()).toBe(1);
        expect(await axeViolations(page), href).toEqual([]);
      }
      // Images are never shown: only file names and hashes.
      await page.goto(`${base}/staff/cases/${caseRef}/custody`);
      expect(await page.locator('main img').count()).toBe(0);
      expect(await page.textContent('main')).toContain('extraction-report.pdf');
      // A form with problems: the error summary is accessible too.
      await page.goto(`${base}/staff/cases/${caseRef}/exhibits?form=add-exhibit`);
      await page.click('form[action$="/exhibits"] button.govuk-button');
      await page.waitForURL(`${base}/staff/cases/${caseRef}/exhibits`);
      expect(await page.locator('.govuk-error-summary').count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      await page.goto(`${base}/staff/examinations`);
      expect(await page.locator('.govuk-summary-card').count()).toBe(2);
      expect(await axeViolations(page)).toEqual([]);
      await page.click('form[action^="/staff/examinations/"] button[value="complete"]');
      // The refusal comes back by post/redirect/get: wait for the page it lands on, not the one clicked on.
      await page.locator('.govuk-error-summary').waitFor();
      expect(await page.locator('.govuk-error-summary').count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      // Narrow screens: the sub navigation stacks and nothing scrolls sideways.
      await page.setViewportSize({ width: 320, height: 640 });
      await page.goto(`${base}/staff/cases/${caseRef}/custody`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      expect(await axeViolations(page)).toEqual([]);
      expect(csp).toEqual([]);
      await context.close();
    }, 120_000);
  }

  for (const lng of ['en', 'cy'] as const) {
    it(`adds files and call data records to an exhibit, and the team, with zero axe violations (${lng})`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await signIn(page, lng);
      await page.goto(`${base}/staff/cases/${caseRef}`);
      // The team: choose a colleague and add them.
      await page.selectOption('#member', 'colleague@cumbria.example');
      await page.click('form[action$="/members"] button.govuk-button');
      await page.waitForURL(/done=memberAdded/);
      expect(await page.locator('.govuk-notification-banner--success').count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      await page.click('form[action$="/members/remove"] button.govuk-button');
      await page.waitForURL(/done=memberRemoved/);
      expect(await page.locator('#member').count()).toBe(1);

      await page.goto(`${base}/staff/cases/${caseRef}/exhibits`);
      await page.click('table a[href*="/exhibits/"]');
      await page.waitForURL(/\/exhibits\/\d+$/);
      expect(await axeViolations(page)).toEqual([]);
      await page.click('form[action*="/files"] button.govuk-button');
      expect(await page.locator('.govuk-error-summary').count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      await page.setInputFiles('#files', {
        name: 'recovered.jpg',
        mimeType: 'image/jpeg',
        buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]),
      });
      await page.click('form[action*="/files"] button.govuk-button');
      await page.waitForURL(/done=files&count=1/);
      expect(await page.textContent('main')).toContain('recovered.jpg');
      expect(await page.locator('main img').count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);

      await page.click('main a[href$="/calls"]');
      await page.waitForURL(/\/calls$/);
      const before = await page.locator('tbody tr').count();
      expect(before).toBeGreaterThanOrEqual(3);
      expect(await axeViolations(page)).toEqual([]);
      // The forms sit in closed details above the timeline: open them as a person would.
      await page.click('details:has(form[action$="/calls/mark"]) summary');
      await page.click('form[action$="/calls/mark"] button.govuk-button');
      expect(await page.locator('.govuk-error-summary').count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      await page.click('details:has(#csv) summary');
      await page.setInputFiles('#csv', {
        name: 'more.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('timestamp,type\n2025-11-21T10:00:00Z,data\n'),
      });
      await page.click('form[action*="/calls/import"] button.govuk-button');
      await page.waitForURL(/done=imported&count=1/);
      expect(await page.locator('tbody tr').count()).toBe(before + 1);
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    }, 120_000);
  }
});
