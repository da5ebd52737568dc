import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AXE_SCRIPT_PATH, axeSource } from './axe-script.ts';

/**
 * Debian's chromium-headless-shell when installed (scripts/ensure-chromium.sh installs it beside chromium): the same
 * Chromium and Blink, built for headless use only, about a third less CPU for the same walks. Otherwise Debian's
 * chromium; CHROMIUM_PATH chooses another build.
 */
export const CHROMIUM_PATH =
  process.env.CHROMIUM_PATH ??
  (existsSync('/usr/bin/chromium-headless-shell') ? '/usr/bin/chromium-headless-shell' : '/usr/bin/chromium');

/** Contexts with JavaScript off: no script tag runs there, so axe is evaluated instead. */
const scriptless = new WeakSet<BrowserContext>();

/** Playwright's default viewport, which a reused page is put back to when its context had none of its own. */
const DEFAULT_VIEWPORT = { width: 1280, height: 720 };

/**
 * Debian's Chromium, started the way this machine allows (no downloads, no background networking).
 *
 * A context a test closes is kept, with its tabs, for the next `newContext` with the same options: a new context and
 * tab cost about a second of CPU (a renderer process and a profile), four times a page load, and the browser tests
 * open a few hundred. What a test can leave behind is cleared first: cookies, storage, routes, listeners, viewport
 * and the page itself (about:blank). Only the HTTP cache is kept, as a person's browser keeps it.
 */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  const idle = new Map<string, BrowserContext[]>();
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options = {}) => {
    const key = JSON.stringify(options);
    const reused = idle.get(key)?.pop();
    if (reused !== undefined) return reused;
    const context = await newContext(options);
    if (options.javaScriptEnabled === false) scriptless.add(context);
    const spare: Page[] = [];
    const newPage = context.newPage.bind(context);
    context.newPage = async () => spare.pop() ?? newPage();
    const close = context.close.bind(context);
    context.close = async (closeOptions) => {
      // Closed twice: kept once, or two later tests would share it.
      if (idle.get(key)?.includes(context) === true) return;
      const kept = await reset(context, options.viewport ?? DEFAULT_VIEWPORT).catch(() => undefined);
      if (kept === undefined) return close(closeOptions);
      spare.push(...kept);
      idle.set(key, [...(idle.get(key) ?? []), context]);
    };
    return context;
  };
  return browser;
}

/** Clears what a test left in a context and its tabs; answers the tabs, ready for the next test. */
async function reset(context: BrowserContext, viewport: { width: number; height: number } | null) {
  context.removeAllListeners();
  await context.unrouteAll({ behavior: 'ignoreErrors' });
  await context.clearCookies();
  await context.clearPermissions();
  const pages = context.pages();
  for (const page of pages) {
    page.removeAllListeners();
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    // Storage belongs to the origin the tab is on (the app's only): cleared there, before leaving it.
    await page.evaluate(() => {
      try {
        localStorage.clear();
        sessionStorage.clear();
      } catch {
        // about:blank and opaque origins have no storage
      }
    });
    await page.goto('about:blank');
    if (viewport !== null) await page.setViewportSize(viewport);
  }
  return pages;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Puts axe-core in the page, only when it is to be checked (a third of navigations are not, and axe costs as much
 * as the page). A script tag from the page's own origin (createTestApp serves it), so the page's CSP allows it and
 * Chromium keeps it compiled; where that cannot run (JavaScript off, or an app without the route) it is evaluated.
 */
async function loadAxe(page: Page): Promise<void> {
  if (await page.evaluate(() => 'axe' in window)) return;
  if (!scriptless.has(page.context())) {
    const loaded = await page.addScriptTag({ url: AXE_SCRIPT_PATH }).then(
      () => true,
      () => false,
    );
    if (loaded) return;
  }
  await page.evaluate(axeSource());
}

/**
 * Each distinct page's result, by what axe reads: the markup, the viewport and emulated media, less what changes on
 * every load and axe does not check (the CSRF token, in a meta tag and hidden inputs) and the axe script tag itself.
 * The stylesheets are the same files throughout a run, so an unchanged page seen again has the same violations: it
 * is not checked twice.
 */
const results = new Map<string, AxeViolation[]>();

async function pageKey(page: Page): Promise<string> {
  const markup = await page.evaluate(() =>
    [
      innerWidth,
      innerHeight,
      // Emulated media change colours, so contrast, with the same markup.
      ['(prefers-color-scheme: dark)', '(forced-colors: active)'].map((q) => matchMedia(q).matches),
      document.documentElement.outerHTML,
    ].join('\n'),
  );
  return createHash('sha256')
    .update(
      markup
        .replace(/<input\b[^>]*\btype="hidden"[^>]*>|<meta name="csrf-token"[^>]*>/g, '')
        .replace(`<script src="${AXE_SCRIPT_PATH}"></script>`, ''),
    )
    .digest('base64');
}

/** Runs axe-core in the page (the page's own CSP stays in force: nothing is injected around it). */
export async function axeViolations(page: Page): Promise<string[]> {
  const key = await pageKey(page);
  let violations = results.get(key);
  if (violations === undefined) {
    await loadAxe(page);
    violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: { run(ctx: Document, opts: unknown): Promise<{ violations: AxeViolation[] }> };
        }
      ).axe;
      const result = await axe.run(document, {
        // Only violations are read: skipping the passes' node details is most of axe's time.
        resultTypes: ['violations'],
        runOnly: {
          type: 'tag',
          values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
        },
      });
      return result.violations;
    });
    results.set(key, violations);
  }
  // GOV.UK places the back link before <main> on purpose, so "Skip to main content" skips it; axe's best-practice
  // `region` rule flags it (a known issue: alphagov/govuk-frontend#6460). Only that node of that rule is let through.
  return violations
    .map((v) => ({
      ...v,
      nodes: v.id === 'region' ? v.nodes.filter((n) => n.target.join(' ') !== '.govuk-back-link') : v.nodes,
    }))
    .filter((v) => v.nodes.length > 0)
    .map(
      (v) =>
        `${v.id} (${v.impact ?? 'n/a'}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

/** Clicks what submits or links and waits for the page it leads to to load (a click alone returns at once). */
export async function clickAndLoad(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.click(selector)]);
}
