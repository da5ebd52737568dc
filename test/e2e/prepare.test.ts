import type { AddressInfo } from 'node:net';
import type { TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, clickAndLoad, launchChromium } from '../support/browser.ts';
import { englishOnWelshPage } from '../support/page-language.ts';
import { addStaff, signInInBrowser } from '../support/staff-fixtures.ts';
import { createTestApp } from '../support/test-app.ts';

/**
 * Prevent, significant incidents and "who responds" (issue 24) in Chromium, each page once per language with axe:
 * a victim of an open incident says they were affected and reports; a parent refers a young person to Prevent; the
 * region's Prevent officer takes the referral on; the declaring unit reads the incident's page. Then a unit declares
 * and runs its own incident (partner told, update sent, closed), an officer refers from the workspace, and the
 * Prevent officer takes that referral to closed: every form's error summary on the way.
 */
describe('Prevent and Prepare in Chromium: accessible in English and Welsh', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let base = '';
  let incidentId = 0;
  const totps = new Map<string, TOTP>();

  beforeAll(async () => {
    ctx = await createTestApp();
    for (const [email, role] of [
      ['prevent@nw.example', 'prevent-officer'],
      ['regional@nw.example', 'regional-officer'],
    ] as const)
      totps.set(email, await addStaff(ctx.services, { email, role, unitId: 'nwrocu-rccu' }));
    incidentId = await ctx.services.incidents.declare(
      { email: 'regional@nw.example', role: 'regional-officer', unitId: 'nwrocu-rccu', forceId: null },
      {
        name: 'Fake parcel texts',
        nameCy: 'Negeseuon testun parsel ffug',
        description: 'Texts saying a parcel is held until a fee is paid.',
        descriptionCy: 'Negeseuon testun yn dweud bod parsel yn cael ei ddal nes talu ffi.',
        indicators: 'https://parcel-fee.co.uk/pay',
        category: null,
        sector: null,
        from: '2026-01-01T00:00:00.000Z',
        to: null,
      },
    );
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await ctx.close();
  });

  const accessible = async (page: Page, what: string) => {
    expect(await axeViolations(page), what).toEqual([]);
  };
  /** Zero axe violations, in the page's language, and no English left on a Welsh page. */
  const checked = async (page: Page, lng: 'en' | 'cy', what: string) => {
    expect(await page.getAttribute('html', 'lang'), what).toBe(lng);
    await accessible(page, what);
    if (lng === 'cy') expect(await englishOnWelshPage(page), what).toBeUndefined();
  };
  const errorSummary = async (page: Page, lng: 'en' | 'cy', what: string, fields: string[]) => {
    const links = await page
      .locator('.govuk-error-summary a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links, what).toEqual(fields.map((f) => `#${f}`));
    await checked(page, lng, `${what} (errors)`);
  };
  const signedIn = async (email: string, lng: 'en' | 'cy') => {
    const page = await (await browser.newContext()).newPage();
    await signInInBrowser(page, base, { email, totp: totps.get(email) as TOTP, lng });
    return page;
  };

  for (const lng of ['en', 'cy'] as const) {
    it(`walks the public pages and the workspace (${lng}) with zero axe violations`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();

      // The home page asks "Were you affected by …?" and says who responds.
      await page.goto(`${base}/?lng=${lng}`);
      expect(await page.getAttribute('html', 'lang')).toBe(lng);
      expect(await page.textContent('.govuk-notification-banner')).toContain(
        lng === 'cy' ? 'Negeseuon testun parsel ffug' : 'Fake parcel texts',
      );
      expect(await page.locator('a[href="/who-responds"]').count()).toBe(1);
      await checked(page, lng, 'home');
      await clickAndLoad(page, `a[href="/incidents/${incidentId}"]`);
      await clickAndLoad(page, 'form button.govuk-button');
      expect(await page.locator('.govuk-error-summary').count()).toBe(1);
      await checked(page, lng, 'affected? (error)');
      await page.check('#affected');
      await clickAndLoad(page, 'form button.govuk-button');
      expect(new URL(page.url()).pathname).toBe(`/incidents/${incidentId}/report`);
      await page.fill('#postcode', 'LA9 4AA');
      await clickAndLoad(page, 'form button.govuk-button');
      expect(await page.textContent('.govuk-error-summary')).toBeTruthy();
      await checked(page, lng, 'short report (error)');
      await page.fill(
        '#narrative',
        lng === 'cy'
          ? 'Talais y ffi ar https://parcel-fee.co.uk/pay a ffoniodd fy manc wedyn'
          : 'I paid the fee on https://parcel-fee.co.uk/pay and then my bank called',
      );
      await clickAndLoad(page, 'form button.govuk-button');
      expect(new URL(page.url()).pathname).toBe('/report/confirmation');
      await checked(page, lng, 'confirmation');
      await clickAndLoad(page, 'main a[href^="/who-responds"]');
      expect(await page.textContent('main')).toContain(
        lng === 'cy' ? 'Uned Seiberdroseddu Genedlaethol' : 'National Cyber Crime Unit',
      );
      await checked(page, lng, 'who responds');

      // A parent refers a young person to Prevent.
      await clickAndLoad(page, 'main a[href="/prevent"]');
      await checked(page, lng, 'prevent');
      await clickAndLoad(page, 'a[href="/prevent/refer"]');
      await clickAndLoad(page, 'form button.govuk-button');
      expect(await page.locator('.govuk-error-summary li').count()).toBeGreaterThan(3);
      await checked(page, lng, 'referral (errors)');
      await page.check('#referrerKind-2');
      await page.fill('#referrerName', 'Pat Parent');
      await page.fill('#referrerEmail', 'pat@home.example');
      await page.fill('#youngPerson', lng === 'cy' ? 'Dafydd' : 'Sam');
      await page.fill('#age', '14');
      await page.fill('#postcode', 'CA1 1AA');
      await page.fill(
        '#concern',
        lng === 'cy' ? 'Yn gwerthu cyfrifon gemau wedi’u dwyn' : 'Sells stolen game accounts',
      );
      await page.check('#aware');
      await clickAndLoad(page, 'form button.govuk-button');
      expect(new URL(page.url()).pathname).toBe('/prevent/sent');
      await checked(page, lng, 'referral sent');

      // The region's Prevent officer takes it on.
      const staff = await (await browser.newContext()).newPage();
      await signInInBrowser(staff, base, {
        email: 'prevent@nw.example',
        totp: totps.get('prevent@nw.example') as TOTP,
        lng,
      });
      await staff.goto(`${base}/staff/prevent`);
      await checked(staff, lng, 'prevent queue');
      // Open referrals come first, newest first: this walk's own.
      await clickAndLoad(staff, 'table a[href^="/staff/prevent/"]');
      await clickAndLoad(staff, 'form button.govuk-button');
      expect(await staff.locator('#intervention').count()).toBe(1);
      await checked(staff, lng, 'referral');

      // The declaring unit's incident page: reports by force and sector, indicators, the forms it runs.
      const unit = await (await browser.newContext()).newPage();
      await signInInBrowser(unit, base, {
        email: 'regional@nw.example',
        totp: totps.get('regional@nw.example') as TOTP,
        lng,
      });
      await unit.goto(`${base}/staff/incidents`);
      await checked(unit, lng, 'incidents');
      await clickAndLoad(unit, `a[href="/staff/incidents/${incidentId}"]`);
      expect(await unit.textContent('main')).toContain('Cumbria');
      await checked(unit, lng, 'incident');
      await context.close();
    });

    it(`declares and runs an incident, refers from the workspace and takes the referral to closed (${lng})`, async () => {
      const cy = lng === 'cy';
      // The regional unit declares an incident through its form, then runs it: a partner, an update, closing.
      const unit = await signedIn('regional@nw.example', lng);
      await unit.goto(`${base}/staff/incidents?form=declare`);
      await clickAndLoad(unit, 'form[action="/staff/incidents"] button');
      await errorSummary(unit, lng, 'declaration', [
        'name',
        'nameCy',
        'description',
        'descriptionCy',
        'from',
      ]);
      await unit.fill('#name', `Courier calls ${lng}`);
      await unit.fill('#nameCy', `Galwadau negesydd ${lng}`);
      await unit.fill('#description', 'Callers pretend to be police officers.');
      await unit.fill('#descriptionCy', 'Mae galwyr yn esgus bod yn swyddogion heddlu.');
      await unit.fill('#indicators', '07700 900123');
      await unit.fill('#from', '2026-12-01T09:00');
      await clickAndLoad(unit, 'form[action="/staff/incidents"] button');
      expect(new URL(unit.url()).pathname).toMatch(/^\/staff\/incidents\/\d+$/);
      expect(await unit.textContent('h1')).toContain(
        cy ? `Galwadau negesydd ${lng}` : `Courier calls ${lng}`,
      );
      await checked(unit, lng, 'declared incident');
      await clickAndLoad(unit, 'form[action$="/partners"] button');
      await errorSummary(unit, lng, 'partner', ['partner']);
      await unit.fill('#partner', 'UK Finance');
      await unit.fill('#note', cy ? 'Dros y ffôn' : 'By phone');
      await clickAndLoad(unit, 'form[action$="/partners"] button');
      expect(await unit.textContent('main')).toContain('UK Finance');
      await clickAndLoad(unit, 'form[action$="/update"] button');
      await errorSummary(unit, lng, 'update', ['message', 'messageCy']);
      await unit.fill('#message', 'Two people were arrested.');
      await unit.fill('#messageCy', 'Cafodd dau berson eu harestio.');
      await clickAndLoad(unit, 'form[action$="/update"] button');
      expect(await unit.textContent('main')).toContain(
        cy ? 'Cafodd dau berson eu harestio.' : 'Two people were arrested.',
      );
      await checked(unit, lng, 'incident with a partner and an update');
      await unit.fill(
        '#closingNote',
        cy ? 'Daeth yr ymgyrch i ben.' : 'The calls stopped after the arrests.',
      );
      await clickAndLoad(unit, 'form[action$="/close"] button');
      expect(await unit.locator('form[action$="/close"]').count()).toBe(0);
      await checked(unit, lng, 'closed incident');

      // An officer of the unit refers a young person from the workspace.
      await unit.goto(`${base}/staff`);
      await clickAndLoad(unit, 'a[href="/staff/prevent/refer"]');
      await checked(unit, lng, 'workspace referral');
      await clickAndLoad(unit, 'main form button');
      await errorSummary(unit, lng, 'workspace referral', [
        'youngPerson',
        'age',
        'postcode',
        'concern',
        'aware',
      ]);
      await unit.fill('#youngPerson', cy ? 'Rhys' : 'K');
      await unit.fill('#age', '16');
      await unit.fill('#postcode', 'CA1 1AA');
      await unit.fill(
        '#concern',
        cy ? 'Adeiladwr RAT ar ei liniadur' : 'Found with a RAT builder on a seized laptop',
      );
      await unit.check('#aware-2');
      await clickAndLoad(unit, 'main form button');
      expect(new URL(unit.url()).pathname).toBe('/staff/prevent/sent');
      await checked(unit, lng, 'workspace referral sent');

      // The region's Prevent officer takes it from new to closed, one step at a time.
      const prevent = await signedIn('prevent@nw.example', lng);
      await prevent.goto(`${base}/staff/prevent`);
      await clickAndLoad(prevent, 'table a[href^="/staff/prevent/"]');
      expect(await prevent.textContent('main')).toContain(cy ? 'Adeiladwr RAT' : 'RAT builder');
      await clickAndLoad(prevent, 'main form button');
      await clickAndLoad(prevent, 'main form button');
      await errorSummary(prevent, lng, 'intervention', ['intervention']);
      await prevent.check('input[name="intervention"][value="mentoring"]');
      await clickAndLoad(prevent, 'main form button');
      await clickAndLoad(prevent, 'main form button');
      await errorSummary(prevent, lng, 'outcome', ['outcome']);
      await prevent.check('input[name="outcome"][value="engaged"]');
      await clickAndLoad(prevent, 'main form button');
      await checked(prevent, lng, 'referral with its outcome');
      await clickAndLoad(prevent, 'main form button');
      expect(await prevent.locator('main form').count()).toBe(0);
      await checked(prevent, lng, 'closed referral');
      for (const p of [unit, prevent]) await p.context().close();
    });
  }
});
