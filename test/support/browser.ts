import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Not run in a tab's first blank page: only parsed there, which is most of what it cost to open a tab.
const AXE_ON_LOAD = `function blAxe() {\n${AXE_SOURCE}\n}\nif (location.protocol !== 'about:') blAxe.call(window);`;

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, started the way this machine allows (no downloads, no background networking). */
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
  // axe-core is put in every page as it loads (a script the browser keeps compiled), not evaluated again for each
  // check: evaluating its 500 kB for every page was a fifth of the browser tests' time. Scripts added this way are
  // the test's, not the page's, so the page's CSP still governs everything the page itself runs.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await context.addInitScript({ content: AXE_ON_LOAD });
    return context;
  };
  return browser;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page (evaluated, not injected, so the page's own CSP stays in force). */
export async function axeViolations(page: Page): Promise<string[]> {
  // A page with JavaScript off runs no init script: axe is evaluated there.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
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
