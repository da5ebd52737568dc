import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_PAGES } from '../../src/domain/triage/triage.ts';
import { axeViolations, clickAndLoad, launchChromium } from '../support/browser.ts';
import { createTestApp } from '../support/test-app.ts';

type Lng = 'en' | 'cy';

/** A real 1×1 pixel PNG, written to a temporary folder and uploaded as evidence. */
const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const REFERENCE = /CYB-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]/;

/** Words that are never Welsh: finding one in a Welsh page's main content means a string was not translated. */
const ENGLISH_WORDS = /\b(the|and|you|your|Continue|Back|Change|What|When|Yes)\b/;

const radio = (name: string, value: string) => `input[name="${name}"][value="${value}"]`;

/**
 * Two axe results GOV.UK Frontend gives by design, allowed here and nowhere else:
 * - `region` (best practice) for the back link, which GOV.UK places before `<main>` so "Skip to main content"
 *   skips it; the Design System keeps it there and lists the flag as a known issue of automated checkers
 *   (alphagov/govuk-frontend#6460, alphagov/govuk-design-system#5024).
 * - `aria-allowed-attr` for `aria-expanded` on a radio that reveals more questions: GOV.UK Frontend's JavaScript
 *   sets it on purpose because screen readers announce it (alphagov/govuk-frontend#979, #2823, w3c/aria#1404).
 * Any other violation, or these rules on any other element, fails the test.
 */
function isKnownGovukFlag(violation: string, revealRadios: readonly string[]): boolean {
  const rule = violation.slice(0, violation.indexOf(' '));
  const targets = violation.slice(violation.lastIndexOf(' at ') + 4).split(', ');
  if (rule === 'region') return targets.every((t) => t === '.govuk-back-link');
  if (rule === 'aria-allowed-attr') return targets.every((t) => revealRadios.includes(t));
  return false;
}

/**
 * With JavaScript switched off, Chromium runs Playwright's evaluations but never fires page timers, which axe
 * needs. Timers become promise callbacks for the audit (nothing else can run in the page).
 */
function timersAsPromises(): void {
  const w = window as unknown as {
    setTimeout(fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]): number;
    clearTimeout(): void;
    requestAnimationFrame(fn: (time: number) => void): number;
  };
  w.setTimeout = (fn, _ms, ...args) => {
    void Promise.resolve().then(() => {
      fn(...args);
    });
    return 0;
  };
  w.clearTimeout = () => undefined;
  w.requestAnimationFrame = (fn) => {
    void Promise.resolve().then(() => {
      fn(performance.now());
    });
    return 0;
  };
}

/** What the page showed: its h1, the label of its last (main) button and its title, to compare the languages. */
interface Seen {
  heading: string;
  button: string;
  title: string;
}

/** The journey's answers; the narrative is in the language of the run so Welsh pages hold no English. */
const NARRATIVE: Record<Lng, string> = {
  en: 'I bought a puppy on a marketplace and paid by bank transfer.',
  cy: 'Prynais gi bach ar farchnad ar-lein a thalu drwy drosglwyddiad banc.',
};

describe('the report journey in Chromium: accessible, English and Welsh, with and without JavaScript', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let context: BrowserContext;
  let base = '';
  let dir = '';
  let pngPath = '';
  /** Pages seen in the English run, by path, to check the Welsh run shows different words. */
  const english = new Map<string, Seen>();

  beforeAll(async () => {
    ctx = await createTestApp();
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'bluelight-e2e-'));
    pngPath = join(dir, 'advert.png');
    writeFileSync(pngPath, PNG_1X1);
    browser = await launchChromium();
    context = await browser.newContext();
  });
  afterAll(async () => {
    await browser.close();
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A new tab that records Content Security Policy violations reported in the console. */
  async function openPage(from: BrowserContext): Promise<{ page: Page; cspErrors: string[] }> {
    const page = await from.newPage();
    const cspErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content.Security.Policy|Refused to/i.test(msg.text()))
        cspErrors.push(msg.text());
    });
    return { page, cspErrors };
  }

  const pathOf = (page: Page) => new URL(page.url()).pathname;

  /** Clicks something that loads a new page (a link, or a form's button) and waits for that page. */
  const go = clickAndLoad;

  /**
   * The checks every page gets: its language, GOV.UK Frontend's JavaScript ran (or, with JavaScript off, did not),
   * no axe violations (beyond GOV.UK's two known flags), no sideways scrolling on a 320px screen, and in Welsh
   * no common English words in the main content.
   */
  async function checkPage(page: Page, lng: Lng, js: boolean): Promise<Seen> {
    expect(await page.getAttribute('html', 'lang'), pathOf(page)).toBe(lng);
    if (js) await page.waitForFunction(() => document.body.classList.contains('govuk-frontend-supported'));
    else {
      expect(await page.getAttribute('body', 'class')).not.toContain('govuk-frontend-supported');
      await page.evaluate(timersAsPromises);
    }
    const revealRadios = await page.$$eval('input[type="radio"][aria-controls][aria-expanded]', (radios) =>
      radios.map((r) => `#${r.id}`),
    );
    const violations = await axeViolations(page);
    expect(
      violations.filter((v) => !isKnownGovukFlag(v, revealRadios)),
      pathOf(page),
    ).toEqual([]);
    if (page.viewportSize()?.width === 320) expect(await overflow(page), pathOf(page)).toBeLessThanOrEqual(0);
    if (lng === 'cy')
      expect(ENGLISH_WORDS.exec(await page.innerText('main'))?.[0], pathOf(page)).toBeUndefined();
    const buttons = page.locator('main .govuk-button');
    const count = await buttons.count();
    return {
      heading: (await page.locator('h1').first().innerText()).trim(),
      button: count === 0 ? '' : (await buttons.nth(count - 1).innerText()).trim(),
      title: await page.title(),
    };
  }

  /** No horizontal scrolling at the current viewport width. */
  async function overflow(page: Page): Promise<number> {
    return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  }

  /** One step of the journey: the page it is on, and what a person does there (ending with a page load). */
  interface Step {
    path: string;
    act(page: Page, lng: Lng, js: boolean): Promise<void>;
  }

  const CONTINUE = 'main form button.govuk-button';

  const STEPS: Step[] = [
    {
      path: '/report',
      act: async (page, lng) => {
        if (lng === 'en') expect(await page.innerText('a.govuk-button--start')).toContain('Start now');
        await go(page, 'a.govuk-button--start');
      },
    },
    ...(
      [
        ['/report/triage/danger', 'no'],
        ['/report/triage/reporting-for', 'myself'],
        ['/report/triage/what', 'money-or-account'],
      ] as const
    ).map(([path, answer]): Step => ({
      path,
      act: async (page) => {
        await page.check(radio('answer', answer));
        await go(page, CONTINUE);
      },
    })),
    {
      path: '/report/about-you',
      act: async (page) => {
        await page.fill('#name', 'Ann Example');
        await go(page, CONTINUE);
      },
    },
    {
      path: '/report/what-happened',
      act: async (page, lng) => {
        await page.check(radio('choice', 'bought-something'));
        await page.fill('#narrative', NARRATIVE[lng]);
        await go(page, CONTINUE);
      },
    },
    {
      path: '/report/when',
      act: async (page) => {
        await page.fill('#day', '3');
        await page.fill('#month', '11');
        await page.fill('#year', '2026');
        await page.check(radio('ongoing', 'no'));
        await go(page, CONTINUE);
      },
    },
    {
      path: '/report/contact-method',
      act: async (page) => {
        await page.check(radio('method', 'marketplace'));
        await go(page, CONTINUE);
      },
    },
    {
      path: '/report/money',
      act: async (page, _lng, js) => {
        if (js) expect(await page.isVisible('#amount')).toBe(false);
        await page.check(radio('lost', 'yes'));
        // With JavaScript the amount and payment method are revealed by the "yes" answer; without, always shown.
        expect(await page.isVisible('#amount')).toBe(true);
        await page.fill('#amount', '1,250.50');
        await page.check(radio('method', 'bank-transfer'));
        await page.fill('#sortCode', '20-00-00');
        await page.fill('#accountNumber', '12345678');
        await go(page, CONTINUE);
      },
    },
    {
      path: '/report/suspect',
      act: async (page) => {
        await page.fill('#names', 'Puppy Sales Ltd');
        await page.fill('#emails', 'sales@puppies.example');
        await go(page, CONTINUE);
      },
    },
    {
      path: '/report/evidence',
      act: async (page, lng, js) => {
        expect(await page.locator('.govuk-summary-list').count()).toBe(0);
        await page.setInputFiles('#files', pngPath);
        const upload = 'form[enctype="multipart/form-data"] button.govuk-button';
        if (lng === 'en') expect(await page.innerText(upload)).toBe('Upload files');
        await go(page, upload);
        expect(pathOf(page)).toBe('/report/evidence');
        expect(await page.innerText('.govuk-summary-list__key')).toBe('advert.png');
        // The page with a file listed (and its "Remove" button) is checked too.
        await checkPage(page, lng, js);
        await go(page, 'form[action="/report/evidence"] button.govuk-button');
      },
    },
    {
      path: '/report/vulnerability',
      act: async (page) => {
        await page.check(radio('flags', 'over-70'));
        await go(page, CONTINUE);
      },
    },
    {
      path: '/report/contact-details',
      act: async (page) => {
        await page.fill('#email', 'Ann@Example.org');
        await page.fill('#phone', '07911 123456');
        await page.check(radio('preferred', 'email'));
        await go(page, CONTINUE);
      },
    },
    {
      path: '/report/postcode',
      act: async (page) => {
        await page.fill('#postcode', 'ca1 1aa');
        await go(page, CONTINUE);
      },
    },
    {
      path: '/report/victim-support',
      act: async (page) => {
        await page.check(radio('consent', 'yes'));
        await go(page, CONTINUE);
      },
    },
    {
      path: '/report/check-answers',
      act: async (page, lng) => {
        const answers = await page.innerText('.govuk-summary-list');
        for (const shown of [
          'Ann Example',
          NARRATIVE[lng],
          '£1,250.50',
          '20-00-00 12345678',
          'Puppy Sales Ltd',
          'advert.png',
          'Ann@Example.org',
          'CA1 1AA',
        ])
          expect(answers).toContain(shown);
        if (lng === 'en') expect(await page.innerText(CONTINUE)).toBe('Accept and send');
        await go(page, CONTINUE);
      },
    },
  ];

  /**
   * Walks the whole journey in one tab, checking every page on the way, then checks progress with the reference.
   * Returns what each page showed, by path.
   */
  async function journey(from: BrowserContext, lng: Lng, js: boolean): Promise<Map<string, Seen>> {
    const seen = new Map<string, Seen>();
    const { page, cspErrors } = await openPage(from);
    await page.goto(`${base}/report?lng=${lng}`);
    for (const step of STEPS) {
      expect(pathOf(page)).toBe(step.path);
      seen.set(step.path, await checkPage(page, lng, js));
      await step.act(page, lng, js);
    }

    expect(pathOf(page)).toBe('/report/confirmation');
    seen.set('/report/confirmation', await checkPage(page, lng, js));
    expect(await page.locator('.govuk-panel--confirmation').count()).toBe(1);
    const reference = REFERENCE.exec(await page.innerText('.govuk-panel__body'))?.[0] ?? '';
    expect(reference).toMatch(REFERENCE);
    if (lng === 'en') expect(await page.innerText('main')).toContain('Call your bank or card provider now');

    // Later, on the progress page: the reference and the email address show the report's status.
    await go(page, 'main a[href="/report/progress"]');
    expect(pathOf(page)).toBe('/report/progress');
    seen.set('/report/progress', await checkPage(page, lng, js));
    await page.fill('#reference', reference.toLowerCase());
    await page.fill('#secret', 'ann@example.org');
    await go(page, CONTINUE);
    // Post/redirect/get: the report's page is the session's, for a while (victim-access.ts).
    expect(pathOf(page)).toBe('/report/progress/your-report');
    expect(await page.locator('.govuk-error-summary').count()).toBe(0);
    seen.set('/report/progress result', await checkPage(page, lng, js));
    expect(await page.innerText('.govuk-caption-l')).toBe(reference);
    const status = await page.innerText('.govuk-summary-list');
    if (lng === 'en') {
      expect(status).toContain('Received');
      expect(status).toContain('Cumbria Constabulary');
    }
    expect(status).toContain('Cumbria');

    expect(cspErrors).toEqual([]);
    await page.close();
    return seen;
  }

  it('takes an individual from the start page to a crime reference and its progress, in English', async () => {
    const seen = await journey(context, 'en', true);
    for (const [path, value] of seen) english.set(path, value);
    expect(seen.size).toBe(STEPS.length + 3);
  }, 120_000);

  it('works in Welsh with JavaScript switched off, on a 320px screen, with no English left', async () => {
    const noJs = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 320, height: 640 },
    });
    try {
      const seen = await journey(noJs, 'cy', false);
      expect(seen.size).toBe(STEPS.length + 3);
      // The same pages in English had different headings, titles and buttons (recorded by the English run, which
      // runs first; when it was filtered out with -t, only the checks inside the journey apply).
      for (const [path, welsh] of seen) {
        const en = english.get(path);
        if (en === undefined) continue;
        expect(welsh.heading, path).not.toBe(en.heading);
        expect(welsh.title, path).not.toBe(en.title);
        if (en.button !== '') expect(welsh.button, path).not.toBe(en.button);
      }
    } finally {
      await noJs.close();
    }
  }, 120_000);

  /**
   * A page showing errors: the title says so, the GOV.UK error summary lists each problem with a link to the one
   * form control (a unique id) it is about, each error message is announced with its field, and axe passes.
   * With JavaScript, the summary takes focus and its first link moves focus to the field.
   */
  async function checkErrorPage(page: Page, lng: Lng, js: boolean, fields: string[]): Promise<void> {
    const where = pathOf(page);
    expect(await page.title(), where).toMatch(lng === 'en' ? /^Error: / : /^Gwall: /);
    await checkPage(page, lng, js);
    expect(await page.locator('.govuk-error-summary').count(), where).toBe(1);
    const found = await page.evaluate(() => {
      const links = [...document.querySelectorAll<HTMLAnchorElement>('.govuk-error-summary__list a')];
      const describedBy = [...document.querySelectorAll('[aria-describedby]')].flatMap((el) =>
        (el.getAttribute('aria-describedby') ?? '').split(/\s+/),
      );
      return {
        targets: links.map((a) => {
          const id = (a.getAttribute('href') ?? '').replace(/^#/, '');
          const matches = document.querySelectorAll(`[id="${CSS.escape(id)}"]`);
          return { id, count: matches.length, tag: matches[0]?.tagName.toLowerCase() ?? 'none' };
        }),
        messages: [...document.querySelectorAll('.govuk-error-message')].map((m) => ({
          id: m.id,
          announced: m.id !== '' && describedBy.includes(m.id),
        })),
      };
    });
    expect(found.targets.map((t) => t.id).sort(), where).toEqual([...fields].sort());
    for (const target of found.targets) {
      expect(target, where).toEqual({ id: target.id, count: 1, tag: 'input' });
    }
    expect(found.messages.length, where).toBe(fields.length);
    for (const message of found.messages) expect(message.announced, `${where} ${message.id}`).toBe(true);
    if (js) {
      expect(
        await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary')),
        where,
      ).toBe(true);
      await page.click('.govuk-error-summary__list a');
      expect(await page.evaluate(() => document.activeElement?.id), where).toBe(found.targets[0]?.id);
    }
  }

  for (const [lng, js] of [
    ['en', true],
    ['cy', false],
  ] as const) {
    it(`shows accessible GOV.UK errors (${lng}, JavaScript ${js ? 'on' : 'off'})`, async () => {
      const fresh = await browser.newContext({ javaScriptEnabled: js });
      try {
        const { page, cspErrors } = await openPage(fresh);
        await page.goto(`${base}/report/triage/danger?lng=${lng}`);
        // Nothing chosen.
        await go(page, CONTINUE);
        expect(pathOf(page)).toBe('/report/triage/danger');
        await checkErrorPage(page, lng, js, ['answer']);

        for (const [name, value] of [
          ['answer', 'no'],
          ['answer', 'myself'],
          ['answer', 'money-or-account'],
        ] as const) {
          await page.check(radio(name, value));
          await go(page, CONTINUE);
        }
        await page.fill('#name', 'Ann Example');
        await go(page, CONTINUE);
        await page.check(radio('choice', 'virus'));
        await page.fill('#narrative', 'Pop-ups');
        await go(page, CONTINUE);

        // 31 February is not a date; what was typed is kept.
        expect(pathOf(page)).toBe('/report/when');
        await page.fill('#day', '31');
        await page.fill('#month', '2');
        await page.fill('#year', '2026');
        await page.check(radio('ongoing', 'no'));
        await go(page, CONTINUE);
        expect(pathOf(page)).toBe('/report/when');
        await checkErrorPage(page, lng, js, ['day']);
        expect(await page.inputValue('#day')).toBe('31');

        await page.fill('#day', '1');
        await go(page, CONTINUE);
        await page.check(radio('method', 'email'));
        await go(page, CONTINUE);

        // Several errors at once, two inside the revealed "yes" answer.
        expect(pathOf(page)).toBe('/report/money');
        await page.check(radio('lost', 'yes'));
        await page.fill('#amount', 'lots');
        await page.fill('#sortCode', '12');
        await go(page, CONTINUE);
        expect(pathOf(page)).toBe('/report/money');
        await checkErrorPage(page, lng, js, ['amount', 'method', 'sortCode', 'accountNumber']);

        expect(cspErrors).toEqual([]);
        await page.close();
      } finally {
        await fresh.close();
      }
    }, 60_000);
  }

  // Each place triage can send someone, visited directly (the postcode search on the harassment page too).
  const EXITS = [
    ...EXIT_PAGES.map((exit) => `/report/help/${exit}`),
    '/report/help/harassment?postcode=CA1+1AA',
    '/report/help/harassment?postcode=not+a+postcode',
  ];

  // One tab for every exit page (a new tab is a new renderer process: most of the time a check took).
  let exitTab: Awaited<ReturnType<typeof openPage>> | undefined;
  for (const lng of ['en', 'cy'] as const) {
    it.each(EXITS)(
      `%s (${lng}) passes axe (only GOV.UK’s known flags allowed) and fits a 320px screen without scrolling sideways`,
      async (path) => {
        exitTab ??= await openPage(context);
        const { page, cspErrors } = exitTab;
        cspErrors.length = 0;
        await page.setViewportSize({ width: 1280, height: 720 });
        await page.goto(`${base}${path}${path.includes('?') ? '&' : '?'}lng=${lng}`);
        const seen = await checkPage(page, lng, true);
        expect(seen.heading).not.toBe('');
        if (path.endsWith('not+a+postcode'))
          expect(await page.locator('.govuk-error-summary').count()).toBe(1);
        // The same page, narrowed (the layout follows the viewport; no second load).
        await page.setViewportSize({ width: 320, height: 640 });
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        expect(cspErrors).toEqual([]);
      },
    );
  }
});
