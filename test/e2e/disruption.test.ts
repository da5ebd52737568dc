import type { AddressInfo } from 'node:net';
import { Secret, TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { addStaff, signInInBrowser } from '../support/staff-fixtures.ts';
import { makeSubmission, suspect } from '../support/submissions.ts';
import { createTestApp } from '../support/test-app.ts';

describe('disruption requests in Chromium: raised, approved, actioned by the partner, listed and counted, in English and Welsh', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let base = '';
  let reference = '';
  const BANK_USER = 'ops@northshire.example';
  const BANK_PASSWORD = 'a long enough partner password';
  let bankTotp: TOTP;

  beforeAll(async () => {
    ctx = await createTestApp();
    const report = await ctx.services.reportIntake.submit(
      makeSubmission({
        narrative: 'I paid £900 for a puppy to an account they gave me and it never came',
        suspect: suspect({ bankAccounts: ['20-45-77 55556666'] }),
      }),
    );
    reference = report.reference;
    await ctx.services.intelligence.linkPending();
    // Held by Cumbria's cyber crime unit, as a transfer would leave it.
    await ctx.services.database.db
      .updateTable('reports')
      .set({ unit_id: 'cumbria-cyber' })
      .where('reference', '=', reference)
      .execute();
    const bank = await ctx.services.partners.add({
      name: 'Northshire Bank',
      sectors: ['finance'],
      tlp: 'amber',
    });
    const user = await ctx.services.partnerUsers.add(
      { operator: 'test' },
      { partnerId: bank.id, email: BANK_USER, role: 'partner-user', password: BANK_PASSWORD },
    );
    await ctx.services.database.db
      .updateTable('users')
      .set({ password_change_due: 0 })
      .where('id', '=', user.id)
      .execute();
    bankTotp = new TOTP({ secret: Secret.fromBase32(user.secret) });
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
      awaiting: 'Awaiting approval',
      sent: 'Sent',
      figures: 'Disruption figures',
      actioned: 'The request is marked as actioned',
    },
    cy: {
      awaiting: 'Yn aros am gymeradwyaeth',
      sent: 'Wedi’i anfon',
      figures: 'Ffigurau tarfu',
      actioned: 'Mae’r cais wedi’i nodi fel un y gweithredwyd arno',
    },
  };

  for (const lng of ['en', 'cy'] as const) {
    it(`an officer raises a freeze request, a supervisor approves it and the bank actions it in the portal (${lng}), zero axe violations`, async () => {
      const officerEmail = `officer-${lng}@cumbria.example`;
      const officerContext = await browser.newContext();
      const page = await officerContext.newPage();
      await signInInBrowser(page, base, {
        email: officerEmail,
        totp: await addStaff(ctx.services, {
          email: officerEmail,
          role: 'force-officer',
          forceId: 'cumbria',
        }),
        lng,
      });
      await page.goto(`${base}/staff/reports/${encodeURIComponent(reference)}/indicators`);
      await page.click('a[href^="/staff/disruption/new"]');
      await page.waitForURL(/\/staff\/disruption\/new/);
      expect(await axeViolations(page)).toEqual([]);
      await page.selectOption('#type', 'freeze-funds');
      await page.fill('#amount', '900.00');
      await page.fill('#transaction_date', '2026-11-30');
      await page.fill('#transaction_refs', 'FP-12345');
      await page.click('form[action="/staff/disruption"] button');
      await page.waitForURL(/\/staff\/disruption\/\d+$/);
      expect(await page.textContent('main')).toContain(TEXT[lng].awaiting);
      const path = new URL(page.url()).pathname;
      await officerContext.close();

      const supervisorEmail = `supervisor-${lng}@cumbria.example`;
      const supervisorContext = await browser.newContext();
      const supervisor = await supervisorContext.newPage();
      await signInInBrowser(supervisor, base, {
        email: supervisorEmail,
        totp: await addStaff(ctx.services, {
          email: supervisorEmail,
          role: 'force-supervisor',
          forceId: 'cumbria',
        }),
        lng,
      });
      await supervisor.goto(`${base}${path}`);
      // The request page with the approval forms.
      expect(await axeViolations(supervisor)).toEqual([]);
      await supervisor.click(`form[action="${path}/approve"] button`);
      await supervisor.waitForURL(/\?done=1$/);
      await supervisor.goto(`${base}/staff/disruption`);
      expect(await supervisor.textContent('main')).toContain(TEXT[lng].sent);
      expect(await axeViolations(supervisor)).toEqual([]);
      await supervisor.goto(`${base}/staff/disruption/figures`);
      expect(await supervisor.textContent('h1')).toBe(TEXT[lng].figures);
      expect(await supervisor.textContent('main')).toContain('Northshire Bank');
      expect(await axeViolations(supervisor)).toEqual([]);
      await supervisorContext.close();

      // The bank's user finds it in the partner portal and actions it, amounts frozen and recovered.
      const bankContext = await browser.newContext();
      const bankPage = await bankContext.newPage();
      await ctx.services.database.db
        .updateTable('users')
        .set({ totp_last_step: 0 })
        .where('email', '=', BANK_USER)
        .execute();
      await bankPage.goto(`${base}/partner/sign-in?lng=${lng}`);
      await bankPage.fill('#email', BANK_USER);
      await bankPage.fill('#password', BANK_PASSWORD);
      await bankPage.fill('#code', bankTotp.generate());
      await bankPage.click('form[action="/partner/sign-in"] button');
      await bankPage.waitForURL(/\/partner(\?.*)?$/);
      const id = /(\d+)$/.exec(path)?.[1] ?? '';
      await bankPage.goto(`${base}/partner/disruption-requests?lng=${lng}`);
      expect(await axeViolations(bankPage)).toEqual([]);
      await bankPage.click(`a[href="/partner/disruption-requests/${id}"]`);
      await bankPage.waitForURL(new RegExp(`/partner/disruption-requests/${id}$`));
      expect(await axeViolations(bankPage)).toEqual([]);
      await bankPage.fill('#frozen', '900.00');
      await bankPage.fill('#recovered', '0');
      await bankPage.click(`form[action="/partner/disruption-requests/${id}/action"] button`);
      await bankPage.waitForURL(/done=action/);
      expect(await bankPage.textContent('main')).toContain(TEXT[lng].actioned);
      await bankContext.close();
    });
  }
});
