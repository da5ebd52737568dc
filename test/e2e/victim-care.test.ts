import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { addStaff, signInInBrowser, submitPartnerReport } from '../support/staff-fixtures.ts';
import { createTestApp } from '../support/test-app.ts';

// Victim care pages in a real browser: Ask the unit (public and staff), the Cyber Protect request and the Protect
// advice editor (each form's problems shown after its redirect), and the progress page with a Victim Support
// referral the victim withdraws — zero axe violations in English and Welsh.
describe('victim care in Chromium: accessible in English and Welsh', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let base = '';
  let reference = '';
  let eventId = 0;
  let totp: Awaited<ReturnType<typeof addStaff>>;

  beforeAll(async () => {
    ctx = await createTestApp();
    totp = await addStaff(ctx.services, {
      email: 'sup@cumbria.example',
      role: 'force-supervisor',
      forceId: 'cumbria',
    });
    const staff = await ctx.services.staff.byId(
      (await ctx.services.staff.userIdByEmail('sup@cumbria.example'))?.id ?? 0,
    );
    if (staff === null) throw new Error('no staff');
    eventId = await ctx.services.askTheUnit.createEvent(staff, {
      title: 'Ask the Cyber and Digital Crime Unit',
      titleCy: 'Gofynnwch i’r Uned Seiberdroseddu',
      description: 'Bring your questions about scams.',
      descriptionCy: 'Dewch â’ch cwestiynau am sgamiau.',
      startsAt: '2099-01-01T18:00:00.000Z',
      endsAt: '2099-01-01T19:00:00.000Z',
    });
    await ctx.services.askTheUnit.ask(eventId, {
      name: 'Sam',
      question: 'How do I report a scam text?',
      lng: 'en',
    });
    const question = await ctx.services.database.db
      .selectFrom('ask_questions')
      .select('id')
      .executeTakeFirstOrThrow();
    await ctx.services.askTheUnit.moderate(staff, eventId, question.id, {
      action: 'answer',
      answer: 'Forward it to 7726.',
    });
    reference = await submitPartnerReport(ctx.app, ctx.services, {
      reporter: { type: 'individual', name: 'Vic', email: 'vic@example.org', postcode: 'CA1 1AA' },
      incident: { narrative: 'someone hacked my email account' },
      consents: { victim_support: true, victim_support_contact_time: 'evening' },
    });
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await ctx.close();
  });

  /**
   * Submits a form as it is and waits for the page the refusal redirects to (post/redirect/get): the error summary's
   * links, as `field: text`, each to an input on that page.
   */
  async function refusedForm(page: Page, form: string, path: string): Promise<string[]> {
    const [post] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      page.click(`${form} button.govuk-button:not(.govuk-button--secondary)`),
    ]);
    expect(post.status()).toBe(303);
    await page.waitForSelector('.govuk-error-summary');
    expect(new URL(page.url()).pathname).toBe(path);
    const links = await page.$$eval('.govuk-error-summary__list a', (as) =>
      as.map((a) => `${a.getAttribute('href') ?? ''}: ${a.textContent.trim()}`),
    );
    for (const link of links) expect(await page.locator(link.split(':')[0] ?? '').count(), link).toBe(1);
    return links;
  }

  const WORDS = {
    en: {
      question: 'Enter your question',
      title: 'Enter a title in English',
      organisation: 'Enter your organisation’s name',
      advice: 'Enter a page title',
    },
    cy: {
      question: 'Rhowch eich cwestiwn',
      title: 'Rhowch deitl yn Saesneg',
      organisation: 'Rhowch enw eich sefydliad',
      advice: 'Rhowch deitl i’r dudalen',
    },
  } as const;

  for (const lng of ['en', 'cy'] as const) {
    it(`Ask the unit and the progress page with a referral (${lng})`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/ask?lng=${lng}`);
      expect(await axeViolations(page)).toEqual([]);
      await page.goto(`${base}/ask/${eventId}?lng=${lng}`);
      expect(await page.textContent('main')).toContain('Forward it to 7726.');
      expect(await axeViolations(page)).toEqual([]);
      expect(await refusedForm(page, 'form[action^="/ask/"]', `/ask/${eventId}`)).toEqual([
        `#question: ${WORDS[lng].question}`,
      ]);
      expect(await axeViolations(page)).toEqual([]);

      await page.goto(`${base}/cyber-protect/request?lng=${lng}`);
      expect(
        (await refusedForm(page, 'form[action="/cyber-protect/request"]', '/cyber-protect/request'))[0],
      ).toBe(`#organisation: ${WORDS[lng].organisation}`);
      expect(await axeViolations(page)).toEqual([]);

      await page.goto(`${base}/report/progress?lng=${lng}`);
      await page.fill('#reference', reference);
      await page.fill('#secret', 'vic@example.org');
      await page.click('form[action="/report/progress"] button');
      await page.waitForSelector('#victim-support');
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    });

    it(`staff Ask the unit pages (${lng})`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await signInInBrowser(page, base, { email: 'sup@cumbria.example', totp, lng });
      await page.goto(`${base}/staff/ask`);
      expect(await axeViolations(page)).toEqual([]);
      expect((await refusedForm(page, 'form[action="/staff/ask"]', '/staff/ask'))[0]).toBe(
        `#title: ${WORDS[lng].title}`,
      );
      expect(await axeViolations(page)).toEqual([]);
      await page.goto(`${base}/staff/ask/${eventId}`);
      expect(await axeViolations(page)).toEqual([]);
      // Editing Protect advice (supervisors): the list and a page's editor.
      await page.goto(`${base}/staff/advice`);
      expect(await axeViolations(page)).toEqual([]);
      await page.goto(`${base}/staff/advice/romance-fraud/${lng}`);
      expect(await axeViolations(page)).toEqual([]);
      await page.fill('#title', '');
      const path = `/staff/advice/romance-fraud/${lng}`;
      expect(await refusedForm(page, `form[action="${path}"]`, path)).toEqual([
        `#title: ${WORDS[lng].advice}`,
      ]);
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    });

    it(`the ICO breach helper's result (${lng})`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const aware = new Date(Date.now() - 86_400_000);
      await page.goto(`${base}/advice/ico-breach?lng=${lng}`);
      await page.fill('#day', String(aware.getUTCDate()));
      await page.fill('#month', String(aware.getUTCMonth() + 1));
      await page.fill('#year', String(aware.getUTCFullYear()));
      await page.fill('#hour', '09');
      await page.fill('#minute', '30');
      await page.click('form[action="/advice/ico-breach"] button');
      await page.waitForLoadState();
      expect(await page.locator('.govuk-error-summary').count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
    });
  }

  it('lets the victim withdraw consent from the progress page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/report/progress`);
    await page.fill('#reference', reference);
    await page.fill('#secret', 'vic@example.org');
    await page.click('form[action="/report/progress"] button');
    await page.click('form[action="/report/progress/withdraw-referral"] button');
    expect(await page.textContent('main')).toContain('Your consent has been withdrawn.');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
