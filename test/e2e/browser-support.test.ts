import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeRuns,
  axeViolations,
  forgetResultsInMemory,
  launchChromium,
  PLAYWRIGHT_DISABLED_FEATURES,
  resultsKey,
  servedFiles,
} from '../support/browser.ts';
import { createTestApp } from '../support/test-app.ts';

/** The command lines of the browsers this process started (through Debian's wrapper script, so not as children). */
function browserCommandLines(): string[][] {
  const processes = new Map<number, { parent: number; args: string[] }>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      processes.set(Number(pid), { parent, args: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0') });
    } catch {
      // gone since listed
    }
  }
  const ours = (pid: number): boolean => {
    for (let at = processes.get(pid)?.parent; at !== undefined && at > 1; at = processes.get(at)?.parent)
      if (at === process.pid) return true;
    return false;
  };
  return [...processes]
    .filter(
      ([pid, { args }]) =>
        ours(pid) && /chromium/.test(args[0] ?? '') && !args.some((a) => a.startsWith('--type=')),
    )
    .map(([, { args }]) => args);
}

// The browser tests reuse closed contexts and skip re-checking unchanged pages: neither may carry one test's state
// into the next, or hide a violation.
describe('the browser tests’ support', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    ctx = await createTestApp();
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await ctx.close();
  });

  it('runs Chromium with RenderDocument off and every feature Playwright itself turns off still off', () => {
    // Playwright's own list, as this version of it launches Chromium with.
    const root = dirname(createRequire(import.meta.url).resolve('playwright-core/package.json'));
    const bundle = readFileSync(join(root, 'lib', 'coreBundle.js'), 'utf8');
    const list = /disabledFeatures = \[([^\]]*)\]/.exec(bundle)?.[1];
    expect(list, 'Playwright’s disabled features are no longer where this test reads them').toBeDefined();
    const playwrights = [...(list ?? '').matchAll(/"(\w+)"/g)].map((m) => m[1]);
    expect(playwrights.length).toBeGreaterThan(5);
    expect(PLAYWRIGHT_DISABLED_FEATURES).toEqual(expect.arrayContaining(playwrights));
    // What the running browser was given: Chromium reads only the last --disable-features.
    const args = browserCommandLines().flat();
    expect(args.length, 'no Chromium started by this process').toBeGreaterThan(0);
    const last = args.filter((a) => a.startsWith('--disable-features=')).at(-1) ?? '';
    const off = last.slice('--disable-features='.length).split(',');
    expect(off).toEqual(expect.arrayContaining([...playwrights, 'RenderDocument']));
  });

  it('hands a reused context over with no cookies, storage, listeners or viewport of the test before', async () => {
    const first = await browser.newContext();
    const page = await first.newPage();
    await page.goto(`${base}/?lng=cy`);
    await first.addCookies([{ name: 'left', value: 'behind', url: base }]);
    await page.evaluate(() => {
      localStorage.setItem('left', 'behind');
      sessionStorage.setItem('left', 'behind');
    });
    await page.setViewportSize({ width: 320, height: 640 });
    let heard = 0;
    page.on('console', () => (heard += 1));
    await first.close();

    const second = await browser.newContext();
    expect(second).toBe(first);
    const again = await second.newPage();
    expect(again.url()).toBe('about:blank');
    expect(again.viewportSize()).toEqual({ width: 1280, height: 720 });
    expect(await second.cookies()).toEqual([]);
    await again.goto(`${base}/`);
    expect(await again.getAttribute('html', 'lang')).toBe('en');
    expect(await again.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
    await again.evaluate(() => {
      console.log('to no one');
    });
    expect(heard).toBe(0);
    // Closed twice, kept once: two later tests never share it.
    await second.close();
    await second.close();
    const third = await browser.newContext();
    const fourth = await browser.newContext();
    expect(third).toBe(first);
    expect(fourth).not.toBe(first);
    await Promise.all([third.close(), fourth.close()]);
  });

  it('finds a violation on a page seen before, and on the same page once it changes', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/cookies`);
    expect(await axeViolations(page)).toEqual([]);
    // An image with no text alternative, added after the clean check: the changed page is checked again.
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = '/assets/images/favicon.svg';
      document.querySelector('main')?.append(img);
    });
    const broken = await axeViolations(page);
    expect(broken.some((v) => v.startsWith('image-alt'))).toBe(true);
    // The same broken page again gives the same answer (from the first check).
    expect(await axeViolations(page)).toEqual(broken);
    await context.close();
  });

  // Pages of the same shape share a check (the Welsh page of an English one, the same page for another report): what
  // axe reads from words, which the shape keeps, must still tell them apart.
  it('checks again a page whose words differ in what axe reads: an empty name, two equal names, a bad language', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const fresh = async (lng: 'en' | 'cy') => {
      await page.goto(`${base}/?lng=${lng}`);
      expect(await axeViolations(page)).toEqual([]);
    };
    await fresh('en');
    // A link with no words: its shape differs from the checked page's, so it is checked and found.
    await page.evaluate(() => {
      const link = document.querySelector('main a');
      if (link !== null) link.textContent = '';
    });
    expect((await axeViolations(page)).some((v) => v.startsWith('link-name'))).toBe(true);
    // Two navigation landmarks given one name (each name alone is fine, as on the checked page).
    await fresh('cy');
    await page.evaluate(() => {
      const navs = [...document.querySelectorAll('nav[aria-label]')];
      const name = navs[0]?.getAttribute('aria-label') ?? '';
      for (const nav of navs) nav.setAttribute('aria-label', name);
    });
    expect((await axeViolations(page)).some((v) => v.startsWith('landmark-unique'))).toBe(true);
    // A language code that is neither English nor Welsh.
    await fresh('cy');
    await page.evaluate(() => {
      document.documentElement.setAttribute('lang', 'xx');
    });
    expect((await axeViolations(page)).some((v) => v.startsWith('html-lang-valid'))).toBe(true);
    await context.close();
  });

  // Results are kept on disk for the other worker and the next run: only under a key that changes with what they
  // depend on besides the page's markup.
  it('uses a result kept on disk for a page of the same shape, and keys them by every served file’s bytes', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/accessibility`);
    const first = await axeViolations(page);
    forgetResultsInMemory();
    const runs = axeRuns.count;
    expect(await axeViolations(page)).toEqual(first);
    expect(axeRuns.count).toBe(runs);
    await context.close();

    const served = servedFiles().map((file) => file.replace(/\\/g, '/'));
    for (const file of ['govuk-frontend.min.css', 'govuk-frontend.min.js', 'moj-frontend.min.css', 'app.css'])
      expect(served.some((path) => path.endsWith(`/${file}`))).toBe(true);
    expect(served.some((path) => path.includes('/fonts/'))).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'axe-key-'));
    const [css, js] = [join(dir, 'a.css'), join(dir, 'b.js')];
    writeFileSync(css, 'a { color: #0b0c0c }');
    writeFileSync(js, '');
    const before = resultsKey('chromium 1', [css, js]);
    expect(resultsKey('chromium 1', [css, js])).toBe(before);
    expect(resultsKey('chromium 2', [css, js])).not.toBe(before);
    writeFileSync(css, 'a { color: #b1b4b6 }');
    expect(resultsKey('chromium 1', [css, js])).not.toBe(before);
    rmSync(dir, { recursive: true, force: true });
  });
});
