// One walk of a supplier tasking in Chromium: the framework page (Welsh), raising a tasking, its page, a returned
// tasking's page (Welsh), and the supplier's page in the portal (English, then Welsh, then with a day's time logged
// near the cap), axe on each distinct page once. About a dozen page loads.
import type { AddressInfo } from 'node:net';
import { Secret, TOTP } from 'otpauth';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { financialYearOf } from '../../src/domain/suppliers/suppliers.ts';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { signInInBrowser } from '../support/staff-fixtures.ts';
import { PARTNER_PASSWORD, supplierWorld, type SupplierWorld } from '../support/supplier-fixtures.ts';
import { createTestApp } from '../support/test-app.ts';

describe('a supplier tasking in Chromium, in English and Welsh', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let base = '';
  let w: SupplierWorld;

  beforeAll(async () => {
    ctx = await createTestApp();
    w = await supplierWorld(ctx.services);
    // The fixture's budget is for 2026-27; this one is for whenever the test runs.
    await ctx.services.suppliers.setBudget(
      { unitId: 'cumbria-cyber', financialYear: financialYearOf(new Date()), budgetPence: 1_000_000 },
      'test',
    );
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await ctx.close();
  });

  it('an officer raises a tasking and the supplier accepts it, with zero axe violations', async () => {
    const officerContext = await browser.newContext();
    const page = await officerContext.newPage();
    const totp = w.totps[w.officer.email];
    if (totp === undefined) throw new Error('no officer');
    await signInInBrowser(page, base, { email: w.officer.email, totp, lng: 'cy' });
    await page.goto(`${base}/staff/suppliers`);
    expect(await page.textContent('h1')).toBe('Cyflenwyr arbenigol');
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${base}/staff/suppliers/taskings/new?case=${w.caseReference}&lng=en`);
    expect(await axeViolations(page)).toEqual([]);
    await page.selectOption('#offer', `${String(w.supplier.id)}:device-forensics`);
    await page.fill('#scope', 'Extract the handset and report on messages about the parcel scam');
    await page.fill('#deadline', new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10));
    await page.fill('#budget_cap', '4000');
    await page.check(`input[name="exhibits"][value="${String(w.exhibitId)}"]`);
    await page.click('form[action="/staff/suppliers/taskings"] button');
    await page.waitForURL(/\/staff\/suppliers\/taskings\/\d+$/);
    expect(await page.textContent('main')).toContain('Awaiting approval');
    expect(await axeViolations(page)).toEqual([]);
    const id = Number(/(\d+)$/.exec(page.url())?.[1]);
    // A tasking returned to its raiser: its page with the form to change it and send it again, in Welsh.
    const returned = await ctx.services.suppliers.raise(w.officer, {
      caseReference: w.caseReference,
      supplierId: w.supplier.id,
      capability: 'device-forensics',
      scope: 'Extract everything from the handset',
      deadline: new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10),
      budgetCapPence: 100_000,
      exhibitIds: [],
    });
    await ctx.services.suppliers.returnToRaiser(w.supervisor, returned, { reason: 'Say which messages' });
    await page.goto(`${base}/staff/suppliers/taskings/${String(returned)}?lng=cy`);
    expect(await page.textContent('main')).toContain('Anfon i’w chymeradwyo eto');
    expect(await axeViolations(page)).toEqual([]);
    await officerContext.close();
    // The second person's approval (its page is the one just checked, with the approval form for them).
    await ctx.services.suppliers.approve(w.supervisor, id);

    const labContext = await browser.newContext();
    const lab = await labContext.newPage();
    await ctx.services.database.db
      .updateTable('users')
      .set({ totp_last_step: 0 })
      .where('email', '=', w.users.supplier.email)
      .execute();
    await lab.goto(`${base}/partner/sign-in?lng=en`);
    await lab.fill('#email', w.users.supplier.email);
    await lab.fill('#password', PARTNER_PASSWORD);
    await lab.fill(
      '#code',
      new TOTP({ secret: Secret.fromBase32(w.secrets[w.users.supplier.email] ?? '') }).generate(),
    );
    await lab.click('form[action="/partner/sign-in"] button');
    await lab.waitForURL(/\/partner$/);
    await lab.goto(`${base}/partner/taskings/${String(id)}`);
    expect(await axeViolations(lab)).toEqual([]);
    await lab.click(`form[action="/partner/taskings/${String(id)}/accept"] button`);
    await lab.waitForURL(/done=accepted/);
    expect(await lab.textContent('main')).toContain('You accepted the tasking.');
    // The accepted page, with the upload and finishing forms, in Welsh.
    await lab.goto(`${base}/partner/taskings/${String(id)}?lng=cy`);
    expect(await lab.textContent('h1')).toBe(`Tasg ${String(id)}`);
    expect(await axeViolations(lab)).toEqual([]);
    // A day's time and cost, near the cap: the entries and the warning, in Welsh.
    await lab.fill('#date', new Date().toISOString().slice(0, 10));
    await lab.fill('#hours', '7.5');
    await lab.fill('#time_cost', '3500');
    await lab.click(`form[action="/partner/taskings/${String(id)}/time"] button`);
    await lab.waitForURL(/done=time/);
    expect(await lab.textContent('#cap-warning')).toContain('yn agos at gap y gyllideb');
    expect(await axeViolations(lab)).toEqual([]);
    await labContext.close();
  });
});
