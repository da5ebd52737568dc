import { createHash } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { STATIC_ASSETS } from '../../src/web/plugins/static-assets.ts';
import { AXE_SCRIPT_PATH, axeSource } from './axe-script.ts';

/**
 * Debian's chromium-headless-shell when installed (scripts/ensure-chromium.sh installs it beside chromium): the same
 * Chromium and Blink, built for headless use only, about a third less CPU for the same walks. Otherwise Debian's
 * chromium; CHROMIUM_PATH chooses another build.
 */
export const CHROMIUM_PATH =
  process.env.CHROMIUM_PATH ??
  (existsSync('/usr/bin/chromium-headless-shell') ? '/usr/bin/chromium-headless-shell' : '/usr/bin/chromium');

/**
 * Features Chromium runs without in the browser tests. `RenderDocument` makes every navigation build a new frame in the
 * renderer: turning it off (as Chromium was until 2023) takes about 40 % of Chromium's CPU off each page load, and a
 * page renders the same. Chromium reads only the last --disable-features, so Playwright's own list (the features its
 * automation needs turned off) is repeated first; `browser-support.test.ts` checks it still holds all of Playwright's.
 */
export const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
  'CDPScreenshotNewSurface',
  'SkipListAccountsWithoutGaiaCookies',
];
const DISABLED_FEATURES = [...PLAYWRIGHT_DISABLED_FEATURES, 'RenderDocument'];

/** Contexts with JavaScript off: no script tag runs there, so axe is evaluated instead. */
const scriptless = new WeakSet<BrowserContext>();

/** Playwright's default viewport, which a reused page is put back to when its context had none of its own. */
const DEFAULT_VIEWPORT = { width: 1280, height: 720 };

/**
 * Debian's Chromium, started the way this machine allows (no downloads, no background networking), one per test file.
 * (One per worker was tried on 2026-12-06: in CI on PostgreSQL two files' `afterAll` then hung, not yet understood.)
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
      `--disable-features=${DISABLED_FEATURES.join(',')}`,
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
    // Playwright's own listeners (its close waits on one): a reset removes only what a test added.
    const events = context as unknown as EventEmitter;
    const own = new Set(events.eventNames().flatMap((name) => events.listeners(name)));
    context.close = async (closeOptions) => {
      // Closed twice: kept once, or two later tests would share it.
      if (idle.get(key)?.includes(context) === true) return;
      const kept = await reset(context, own, options.viewport ?? DEFAULT_VIEWPORT).catch(() => undefined);
      if (kept === undefined) return close(closeOptions);
      spare.push(...kept);
      idle.set(key, [...(idle.get(key) ?? []), context]);
    };
    return context;
  };
  return browser;
}

/** Clears what a test left in a context and its tabs; answers the tabs, ready for the next test. */
async function reset(
  context: BrowserContext,
  own: ReadonlySet<unknown>,
  viewport: { width: number; height: number } | null,
) {
  const events = context as unknown as EventEmitter;
  for (const name of events.eventNames())
    for (const listener of events.listeners(name))
      if (!own.has(listener)) events.off(name, listener as (...args: unknown[]) => void);
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
 * The stylesheets are the same files throughout a run, so a page with the same shape as one checked before has the
 * same violations: it is not checked again (nor in another worker or run: see the disk cache below).
 *
 * "The same shape" lets the words differ, so the Welsh page of an English one already checked, or the same page for
 * another report, is not checked twice: each text node and each attribute that holds words (alt, title, labels,
 * button values, link targets) is replaced by the order in which its value first appears in the page. What axe's
 * rules read from words is kept: whether there are any, and which are equal to which (two landmarks with one name,
 * two links with one text). Language codes stay as they are, except that English and Welsh stand for each other.
 * Fragment links (`#main-content`) are kept whole, since axe checks their targets.
 */
const results = new Map<string, AxeViolation[]>();

/** Attributes whose values are words or addresses, whose only meaning to axe is being empty or equal to another. */
const WORDS =
  /\s(alt|title|aria-label|aria-description|aria-roledescription|aria-valuetext|placeholder|label|value|href|action|src|datetime)="([^"]*)"/g;

function pageShape(markup: string): string {
  const seen = new Map<string, number>();
  const token = (value: string) => {
    if (value === '') return '';
    if (!seen.has(value)) seen.set(value, seen.size + 1);
    return `§${seen.get(value)}`;
  };
  return (
    markup
      .replace(/<input\b[^>]*\btype="hidden"[^>]*>|<meta name="csrf-token"[^>]*>/g, '')
      .replace(`<script src="${AXE_SCRIPT_PATH}"></script>`, '')
      .replace(/<[a-zA-Z][^>]*>/g, (tag) =>
        tag
          .replace(
            WORDS,
            (_m, name: string, value: string) =>
              ` ${name}="${value.startsWith('#') && name === 'href' ? value : token(value)}"`,
          )
          .replace(/\s((?:xml:)?lang|hreflang)="(en|cy)"/g, ' $1="en|cy"'),
      )
      .replace(/>([^<]+)</g, (_m, text: string) => `>${text.trim() === '' ? '' : token(text.trim())}<`)
      // The language switch names the page's language as text and links to the other: the same two items, swapped.
      .replace(
        /(<ul class="govuk-language-navigation__list">)([\s\S]*?)(<\/ul>)/,
        (_m, open: string, items: string, close: string) =>
          open +
          (items.match(/<li[\s\S]*?<\/li>/g) ?? [])
            .map((i) => i.replace(/§\d+/g, '§'))
            .sort()
            .join('') +
          close,
      )
  );
}

async function pageKey(page: Page): Promise<string> {
  const markup = await page.evaluate(() =>
    [
      innerWidth,
      innerHeight,
      devicePixelRatio,
      // Emulated media change colours, so contrast, with the same markup.
      [
        '(prefers-color-scheme: dark)',
        '(forced-colors: active)',
        '(prefers-reduced-motion: reduce)',
        '(prefers-contrast: more)',
        'print',
      ].map((q) => matchMedia(q).matches),
      document.documentElement.outerHTML,
    ].join('\n'),
  );
  return createHash('sha256').update(pageShape(markup)).digest('hex');
}

/** What axe is asked to check: part of every result's key. */
const AXE_OPTIONS = {
  // Only violations are read: skipping the passes' node details is most of axe's time.
  resultTypes: ['violations'],
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
};

/**
 * Results are also kept on disk, shared by both test workers and by the next run (CI runs the suite on SQLite, then
 * on PostgreSQL, over the same pages), under a key that holds everything else a result depends on: axe-core's code
 * and options, the Chromium build, and every file the app serves as a static asset (stylesheets, scripts, fonts,
 * images: `STATIC_ASSETS`). A page's own styles and the changes its scripts made are in its markup. Any change to
 * one of those makes a new key, so no result outlives what it was found on. The machine's own fonts are not in it (they
 * change sizes, which target-size reads): after installing fonts, run once with AXE_CACHE=0, which turns the disk off.
 */
const CACHE_ROOT = fileURLToPath(new URL('../../node_modules/.cache/bluelight-axe/', import.meta.url));
let cacheDir: string | null | undefined;

/** Every file the app would serve as a static asset (`STATIC_ASSETS`), sorted. */
export function servedFiles(): string[] {
  const files: string[] = [];
  const walk = (root: string, dir: string, allowed: ((path: string) => boolean) | undefined) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(root, path, allowed);
      else if (allowed === undefined || allowed(`/${relative(root, path)}`)) files.push(path);
    }
  };
  for (const { roots, allowedPath } of STATIC_ASSETS) for (const root of roots) walk(root, root, allowedPath);
  return files.sort();
}

/** The key the results on disk are kept under: axe's code and options, the Chromium build, the files' names and bytes. */
export function resultsKey(browserVersion: string, files: readonly string[]): string {
  const key = createHash('sha256')
    .update(axeSource())
    .update(JSON.stringify(AXE_OPTIONS))
    .update(browserVersion);
  for (const file of files) key.update(`\0${file}\0`).update(readFileSync(file));
  return key.digest('hex').slice(0, 32);
}

function diskCache(browserVersion: string): string | null {
  if (cacheDir !== undefined) return cacheDir;
  if (process.env.AXE_CACHE === '0') return (cacheDir = null);
  const name = resultsKey(browserVersion, servedFiles());
  mkdirSync(join(CACHE_ROOT, name), { recursive: true });
  // Results under other keys are never read again once a day old (a checkout beside this one may still use its own).
  for (const other of readdirSync(CACHE_ROOT))
    if (other !== name && Date.now() - statSync(join(CACHE_ROOT, other)).mtimeMs > 86_400_000)
      rmSync(join(CACHE_ROOT, other), { recursive: true, force: true });
  return (cacheDir = join(CACHE_ROOT, name));
}

function readResult(dir: string | null, key: string): AxeViolation[] | undefined {
  if (dir === null) return undefined;
  try {
    return JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as AxeViolation[];
  } catch {
    return undefined;
  }
}

function writeResult(dir: string | null, key: string, violations: AxeViolation[]): void {
  if (dir === null) return;
  // Written whole, then renamed: the other worker never reads half a file.
  const temporary = join(dir, `${key}.${String(process.pid)}.tmp`);
  writeFileSync(temporary, JSON.stringify(violations));
  renameSync(temporary, join(dir, `${key}.json`));
}

/** How many times axe has run in this process (the browser-support test sees a result kept on disk used). */
export const axeRuns = { count: 0 };

/** Forgets the results held in memory (only the browser-support test: the disk's are then read). */
export function forgetResultsInMemory(): void {
  results.clear();
}

/** Runs axe-core in the page (the page's own CSP stays in force: nothing is injected around it). */
export async function axeViolations(page: Page): Promise<string[]> {
  const key = await pageKey(page);
  const dir = diskCache(page.context().browser()?.version() ?? 'unknown');
  let violations = results.get(key) ?? readResult(dir, key);
  if (violations === undefined) {
    await loadAxe(page);
    axeRuns.count++;
    violations = await page.evaluate(async (options) => {
      const axe = (
        window as unknown as {
          axe: { run(ctx: Document, opts: unknown): Promise<{ violations: AxeViolation[] }> };
        }
      ).axe;
      return (await axe.run(document, options)).violations;
    }, AXE_OPTIONS);
    writeResult(dir, key, violations);
  }
  results.set(key, violations);
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
