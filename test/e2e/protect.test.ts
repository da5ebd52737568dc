import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import type { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHandlers } from '../../src/services/background-jobs.ts';
import { logEmailSender } from '../../src/services/email/email-sender.ts';
import { createOutboxWorker } from '../../src/services/outbox-worker.ts';
import { createTranslator } from '../../src/web/plugins/i18n.ts';
import { axeViolations, clickAndLoad, launchChromium } from '../support/browser.ts';
import { englishOnWelshPage } from '../support/page-language.ts';
import { addStaff, signInInBrowser } from '../support/staff-fixtures.ts';
import { createTestApp } from '../support/test-app.ts';

const quiet = { info: () => undefined, error: () => undefined };
const BASE_URL = 'https://bluelight.example';
const STAFF = {
  protect: { email: 'protect@nwrocu.example', role: 'regional-officer', unitId: 'nwrocu-rccu' },
  colleague: { email: 'colleague@nwrocu.example', role: 'regional-officer', unitId: 'nwrocu-rccu' },
  writer: { email: 'officer@cumbria.example', role: 'force-officer', forceId: 'cumbria' },
  approver: { email: 'sup@cumbria.example', role: 'force-supervisor', forceId: 'cumbria' },
} as const;

// The Protect queue from request to questionnaire, a stay-safe alert from draft to a subscriber's inbox (and its force
// and region pages), and a national advice edit under the two-person rule: every page once per language, with zero
// axe violations and its error summary.
describe('Protect and stay-safe alerts, in Chromium: accessible in English and Welsh', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let base = '';
  const mail = logEmailSender(quiet);
  const totps = new Map<string, TOTP>();
  let sendEmails: () => Promise<void>;

  beforeAll(async () => {
    ctx = await createTestApp({ BASE_URL });
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
    for (const person of Object.values(STAFF)) totps.set(person.email, await addStaff(ctx.services, person));
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await ctx.close();
  });

  /**
   * Zero axe violations, and on a Welsh page no word that is never Welsh outside the parts marked lang="en" (an
   * alert's English text). `names`: the page lists forces by their English names (those without a Welsh one).
   */
  async function accessible(page: Page, lng: 'en' | 'cy', where: string, { names = false } = {}) {
    expect(await page.getAttribute('html', 'lang'), where).toBe(lng);
    expect(await axeViolations(page), where).toEqual([]);
    if (lng === 'cy' && !names) expect(await englishOnWelshPage(page), where).toBeUndefined();
  }
  const signedIn = async (who: keyof typeof STAFF, lng: 'en' | 'cy') => {
    const page = await (await browser.newContext()).newPage();
    const { email } = STAFF[who];
    await signInInBrowser(page, base, { email, totp: totps.get(email) as TOTP, lng });
    return page;
  };
  const errorSummary = async (page: Page, where: string, lng: 'en' | 'cy') => {
    expect(await page.locator('.govuk-error-summary').count(), where).toBe(1);
    await accessible(page, lng, `${where} (errors)`);
  };
  /** The link of this kind in the latest email to `to`, on the test server. */
  const emailedLink = (to: string, pattern: RegExp) => {
    const text = mail.sent.filter((m) => m.to === to).at(-1)?.text ?? '';
    const link = pattern.exec(text)?.[0];
    if (link === undefined) throw new Error(`no link to ${to} in: ${text}`);
    return link.replace(BASE_URL, base);
  };

  for (const lng of ['en', 'cy'] as const) {
    it(`works a Protect request to a delivered engagement and its questionnaire (${lng})`, async () => {
      const organisation = `Lakeland Outdoor ${lng.toUpperCase()} Ltd`;
      const orgEmail = `jo.${lng}@lakeland.example`;
      await ctx.services.protectRequests.submit({
        organisation,
        contactName: 'Jo Manager',
        email: orgEmail,
        phone: null,
        postcode: 'LA23 1AA',
        forceId: 'cumbria',
        help: ['staff-presentation'],
        message: 'We have 40 staff.',
      });
      const page = await signedIn('protect', lng);
      await page.goto(`${base}/staff/protect?lng=${lng}`);
      await accessible(page, lng, 'Protect queue');
      await clickAndLoad(page, `a:text("${organisation}")`);
      await accessible(page, lng, 'request');
      const statusForm = 'form[action$="/status"]';
      await clickAndLoad(page, `${statusForm} button`);
      await errorSummary(page, 'request status', lng);
      await page.selectOption('#allocatedTo', STAFF.colleague.email);
      await clickAndLoad(page, 'form[action$="/allocate"] button');
      await page.check('input[name="status"][value="contacted"]');
      await clickAndLoad(page, `${statusForm} button`);
      await page.check('input[name="status"][value="scheduled"]');
      await page.fill('#scheduledFor', '2026-11-28');
      await clickAndLoad(page, `${statusForm} button`);
      await page.fill('#message', 'We can come on 28 November.');
      await clickAndLoad(page, 'form[action$="/reply"] button');
      await page.check('input[name="status"][value="delivered"]');
      await page.fill('#outcome', 'Phishing talk to 40 staff');
      await clickAndLoad(page, `${statusForm} button`);
      expect(await page.innerText('main')).toContain(STAFF.colleague.email);
      await accessible(page, lng, 'delivered request');

      await clickAndLoad(page, 'a[href^="/staff/protect/engagements/new?request="]');
      await accessible(page, lng, 'engagement form');
      await clickAndLoad(page, 'form[action="/staff/protect/engagements"] button');
      await errorSummary(page, 'engagement form', lng);
      await page.check('input[name="type"][value="presentation"]');
      await page.check('input[name="audience"][value="business"]');
      await page.selectOption('#sector', 'hospitality');
      await page.fill('#peopleReached', '40');
      await page.fill('#materials', 'Phishing slides');
      await page.fill('#deliveredOn', '2026-11-28');
      await clickAndLoad(page, 'form[action="/staff/protect/engagements"] button');
      expect(new URL(page.url()).pathname).toBe('/staff/protect/reach');
      await accessible(page, lng, 'reach');

      // The organisation answers the questionnaire emailed after delivery (and its reply).
      await sendEmails();
      expect(mail.sent.filter((m) => m.to === orgEmail).map((m) => m.template)).toEqual([
        'email.protectReply',
        'email.protectFeedback',
      ]);
      const visitor = await (await browser.newContext()).newPage();
      await visitor.goto(emailedLink(orgEmail, /https:\/\/\S+\/protect\/feedback\/[\w-]{43}\?lng=(en|cy)/));
      await accessible(visitor, lng, 'questionnaire');
      await clickAndLoad(visitor, 'main form button');
      await errorSummary(visitor, 'questionnaire', lng);
      await visitor.check('input[name="usefulness"][value="5"]');
      await visitor.check('input[name="willChange"][value="yes"]');
      await visitor.fill('#comments', 'Staff now report phishing emails.');
      await clickAndLoad(visitor, 'main form button');
      await accessible(visitor, lng, 'questionnaire sent');
      await page.reload();
      expect(await page.innerText('main')).toContain('Staff now report phishing emails.');
      await page.context().close();
      await visitor.context().close();
    });

    it(`writes, approves and sends a stay-safe alert to a confirmed subscriber, who then unsubscribes (${lng})`, async () => {
      const title = lng === 'en' ? 'Courier fraud calls in Cumbria' : 'Galwadau twyll negesydd yn Cumbria';
      // A member of the public subscribes first.
      const reader = `reader.${lng}@example.net`;
      const visitor = await (await browser.newContext()).newPage();
      await visitor.goto(`${base}/alerts?lng=${lng}`);
      await accessible(visitor, lng, 'alerts index', { names: true });
      await clickAndLoad(visitor, 'a[href="/alerts/force/cumbria"]');
      await accessible(visitor, lng, 'force alerts');
      await clickAndLoad(visitor, 'a[href^="/alerts/subscribe?area="]');
      expect(await visitor.isChecked('input[value="force:cumbria"]')).toBe(true);
      await accessible(visitor, lng, 'subscribe', { names: true });
      await clickAndLoad(visitor, 'main form button');
      expect(await visitor.locator('.govuk-error-summary').count()).toBe(1);
      await accessible(visitor, lng, 'subscribe (errors)', { names: true });
      await visitor.fill('#email', reader);
      await clickAndLoad(visitor, 'main form button');
      await accessible(visitor, lng, 'subscribe sent');
      await sendEmails();
      await visitor.goto(emailedLink(reader, /https:\/\/\S+\/alerts\/confirm\/\S+\?lng=(en|cy)/));
      await accessible(visitor, lng, 'confirm');
      await clickAndLoad(visitor, 'main form button');
      await accessible(visitor, lng, 'confirmed');

      // One officer writes the alert; the author cannot publish it; a second person does.
      const writer = await signedIn('writer', lng);
      await writer.goto(`${base}/staff/alerts?lng=${lng}`);
      await accessible(writer, lng, 'staff alerts');
      await clickAndLoad(writer, 'a[href="/staff/alerts/new"]');
      await accessible(writer, lng, 'new alert');
      await clickAndLoad(writer, 'main form button');
      await errorSummary(writer, 'new alert', lng);
      await writer.fill('#titleEn', 'Courier fraud calls in Cumbria');
      await writer.fill('#bodyEn', 'Callers claim to be police & ask for your card.\n\nHang up.');
      await writer.fill('#titleCy', 'Galwadau twyll negesydd yn Cumbria');
      await writer.fill('#bodyCy', 'Mae galwyr yn honni eu bod yn heddlu.');
      await clickAndLoad(writer, 'main form button');
      await accessible(writer, lng, 'alert waiting');
      expect(await writer.locator('form[action$="/approve"]').count()).toBe(0);
      const alertPath = new URL(writer.url()).pathname;
      // The second person changes the draft (an emptied title is refused) and so becomes its author: they cannot
      // approve it now, and the first writer, no longer its author, does.
      const approver = await signedIn('approver', lng);
      await approver.goto(`${base}${alertPath}?lng=${lng}`);
      expect(await approver.locator('form[action$="/approve"]').count()).toBe(1);
      await approver.fill('#titleCy', '');
      await clickAndLoad(approver, `form[action="${alertPath}"] button`);
      await errorSummary(approver, 'alert change', lng);
      await approver.fill('#titleCy', 'Galwadau twyll negesydd yn Cumbria');
      await approver.fill(
        '#bodyEn',
        'Callers claim to be police & ask for your card.\n\nHang up and call 101.',
      );
      await clickAndLoad(approver, `form[action="${alertPath}"] button`);
      expect(await approver.locator('form[action$="/approve"]').count()).toBe(0);
      await accessible(approver, lng, 'alert changed');
      await writer.reload();
      await clickAndLoad(writer, 'form[action$="/approve"] button');
      await accessible(writer, lng, 'alert published');

      await visitor.goto(`${base}/alerts/force/cumbria?lng=${lng}`);
      expect(await visitor.innerText('main')).toContain(title);
      // The region's page shows its forces' alerts too.
      await visitor.goto(`${base}/alerts?lng=${lng}`);
      await clickAndLoad(visitor, 'a[href="/alerts/region/north-west"]');
      expect(await visitor.innerText('main')).toContain(title);
      await accessible(visitor, lng, 'region alerts');
      // The feed is well-formed Atom (the browser's own XML parser) with the alert in the page's language.
      const feed = await visitor.evaluate(async (url) => {
        const xml = await (await fetch(url)).text();
        const doc = new DOMParser().parseFromString(xml, 'application/xml');
        return {
          error: doc.getElementsByTagName('parsererror').length,
          root: doc.documentElement.namespaceURI,
          titles: [...doc.getElementsByTagName('entry')].map(
            (e) => e.getElementsByTagName('title')[0]?.textContent,
          ),
        };
      }, `${base}/alerts/force/cumbria/feed.atom?lng=${lng}`);
      expect(feed).toMatchObject({ error: 0, root: 'http://www.w3.org/2005/Atom' });
      expect(feed.titles[0]).toBe(title);

      await sendEmails();
      const alertEmail = mail.sent.filter((m) => m.to === reader).at(-1);
      expect(alertEmail?.subject).toBe(title);
      expect(alertEmail?.headers?.['List-Unsubscribe']).toMatch(
        /^<https:\/\/bluelight\.example\/alerts\/unsubscribe\//,
      );
      await visitor.goto(emailedLink(reader, /https:\/\/\S+\/alerts\/unsubscribe\/\S+\?lng=(en|cy)/));
      await accessible(visitor, lng, 'unsubscribe');
      await clickAndLoad(visitor, 'main form button');
      await accessible(visitor, lng, 'unsubscribed');
      for (const p of [visitor, writer, approver]) await p.context().close();
    });

    it(`keeps the national advice author from publishing their own draft; a second editor publishes it (${lng})`, async () => {
      const cy = lng === 'cy';
      const path = `/staff/advice/malware/${lng}`;
      const title = cy ? 'Meddalwedd faleisus: camau cyntaf' : 'Malware: first steps';
      const author = await signedIn('protect', lng);
      await author.goto(`${base}/staff?lng=${lng}`);
      await clickAndLoad(author, 'a[href="/staff/advice"]');
      await accessible(author, lng, 'advice pages');
      await clickAndLoad(author, `a[href="${path}"]`);
      await accessible(author, lng, 'advice edit');
      await author.fill('#title', '');
      await author.fill('#body', '');
      await clickAndLoad(author, `form[action="${path}"] button`);
      await errorSummary(author, 'advice edit', lng);
      await author.fill('#title', title);
      await author.fill(
        '#body',
        cy
          ? '## Beth i’w wneud\n- Datgysylltwch y ddyfais o’r rhyngrwyd'
          : '## What to do\n- Disconnect the device',
      );
      await clickAndLoad(author, `form[action="${path}"] button`);
      // Saved, but the author is told another editor must publish it, and has no button to.
      expect(await author.locator('.govuk-notification-banner--success').count()).toBe(1);
      expect(await author.locator(`form[action="${path}/publish"]`).count()).toBe(0);
      expect(await author.locator('.govuk-inset-text').count()).toBe(1);
      await accessible(author, lng, 'own draft');

      const editor = await signedIn('colleague', lng);
      await editor.goto(`${base}${path}`);
      await accessible(editor, lng, 'draft to publish');
      await clickAndLoad(editor, `form[action="${path}/publish"] button`);
      expect(new URL(editor.url()).searchParams.get('published')).toMatch(/^\d+$/);
      await accessible(editor, lng, 'published');
      await editor.goto(`${base}/advice/malware?lng=${lng}`);
      expect(await editor.innerText('main')).toContain(title);
      for (const p of [author, editor]) await p.context().close();
    });
  }
});
