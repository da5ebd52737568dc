// Every staff page an officer, analyst or administrator opens, in Chromium at 1200 px wide, in English and Welsh,
// with the workspace full as after months of work (staff-pages-world.ts): axe on each, and none taller than 2,500 px
// (issue 23). The pages come from the route table: each GET page behind the staff gate is visited here, measured by
// the officer's walk (workspace.test.ts), or skipped below with its reason, so a new page cannot escape unmeasured.
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayEnter, type Role } from '../../src/domain/access/access-policy.ts';
import { gatedStaffRoutes } from '../../src/web/plugins/staff-gate.ts';
import { axeViolations, launchChromium } from '../support/browser.ts';
import { plantEvidence } from '../support/evidence-fixtures.ts';
import { signInInBrowser } from '../support/staff-fixtures.ts';
import { staffPagesWorld, type StaffPagesWorld } from '../support/staff-pages-world.ts';
import { createTestApp } from '../support/test-app.ts';

const MAX_HEIGHT = 2500;
const VIEWPORT = { width: 1200, height: 900 };
const IMAGES = fileURLToPath(new URL('../../docs/images/', import.meta.url));

/** Pages the officer's walk in test/e2e/workspace.test.ts measures, with the same limit. */
const WALKED = [
  '/staff',
  '/staff/reports/:reference',
  '/staff/reports/:reference/:tab',
  '/staff/reports/:reference/actions/:action',
  '/staff/campaigns/:id',
  '/staff/classification-review',
];

/** Pages not measured, and why. */
const SKIPPED: Record<string, string> = {
  // Not pages: the bytes of a file, or a download.
  '/staff/reports/:reference/evidence/:id/image': 'an evidence image itself, not a page',
  // Shown once, straight after the form that makes it (each holds a secret), then gone.
  '/staff/admin/tokens/:id/created': 'shown once after creating a token (its secret)',
  '/staff/admin/users/:id/enrolment': 'shown once after adding an account (its authenticator secret)',
  '/staff/admin/users/:id/temporary-password': 'shown once after a reset (the temporary password)',
  '/staff/admin/partners/:id/credentials': 'shown once after adding a partner (its credentials)',
  '/staff/admin/partners/:id/webhook-secret': 'shown once after setting a webhook (its secret)',
  // The report journey on a caller's behalf: the public journey's question pages (one question each, walked by
  // test/e2e/adviser.test.ts), which need the answers before them; its home and bulk upload are measured here.
  ...Object.fromEntries(
    [
      'triage/:question',
      'help/:page',
      'organisation',
      'about-you',
      'what-happened',
      'suspicious',
      'when',
      'contact-method',
      'money',
      'suspect',
      'vulnerability',
      'contact-details',
      'postcode',
      'force',
      'victim-support',
      'check-answers',
      'start-again',
      'evidence',
      'confirmation',
    ].map((page) => [`/staff/adviser/report/${page}`, 'a question of the journey on a caller’s behalf']),
  ),
  '/staff/adviser/bulk/result': 'the result of an upload, shown after it',
};

type Visit = { paths: (w: StaffPagesWorld & { evidenceId: number }) => string[]; role?: Role };
/** Each page visited, with the paths that fill it (a full page of a list where there is one). */
const VISITS: Record<string, Visit> = {
  '/staff/account': { paths: () => ['/staff/account'] },
  '/staff/password': { paths: () => ['/staff/password'] },
  '/staff/admin': { paths: () => ['/staff/admin'] },
  '/staff/admin/users': { paths: () => ['/staff/admin/users'] },
  '/staff/admin/users/new': { paths: () => ['/staff/admin/users/new'] },
  '/staff/admin/users/:id': { paths: (w) => [`/staff/admin/users/${String(w.userId)}`] },
  '/staff/admin/partners': { paths: () => ['/staff/admin/partners'] },
  '/staff/admin/partners/new': { paths: () => ['/staff/admin/partners/new'] },
  '/staff/admin/partners/:id': { paths: (w) => [`/staff/admin/partners/${String(w.partnerId)}`] },
  '/staff/admin/tokens': { paths: () => ['/staff/admin/tokens'] },
  '/staff/admin/tokens/new': { paths: () => ['/staff/admin/tokens/new'] },
  '/staff/admin/jobs': { paths: () => ['/staff/admin/jobs'] },
  '/staff/advice': { paths: () => ['/staff/advice'] },
  '/staff/advice/:category/:lng': { paths: () => ['/staff/advice/hacking-social-email/en'] },
  '/staff/adviser': { paths: () => ['/staff/adviser'] },
  '/staff/adviser/bulk': { paths: () => ['/staff/adviser/bulk'] },
  '/staff/alerts': { paths: () => ['/staff/alerts'] },
  '/staff/alerts/new': { paths: () => ['/staff/alerts/new'] },
  '/staff/alerts/:id': { paths: (w) => [`/staff/alerts/${String(w.alertId)}`] },
  '/staff/ask': { paths: () => ['/staff/ask'] },
  '/staff/ask/:id': { paths: (w) => [`/staff/ask/${String(w.askEventId)}`] },
  '/staff/campaigns': { paths: () => ['/staff/campaigns'], role: 'analyst' },
  '/staff/cases': { paths: () => ['/staff/cases', '/staff/cases?status=open&sort=title'] },
  '/staff/cases/:reference': { paths: (w) => [`/staff/cases/${w.busyCase}`] },
  '/staff/cases/:reference/:tab': {
    paths: (w) =>
      ['tasks', 'forensics', 'exhibits', 'custody'].map((tab) => `/staff/cases/${w.busyCase}/${tab}`),
  },
  '/staff/cases/:reference/exhibits/:id': {
    paths: (w) => [`/staff/cases/${w.busyCase}/exhibits/${String(w.exhibitId)}`],
  },
  '/staff/cases/:reference/exhibits/:id/calls': {
    paths: (w) => [`/staff/cases/${w.busyCase}/exhibits/${String(w.callsExhibitId)}/calls`],
  },
  '/staff/classification-review/:subject/:id': {
    paths: (w) => [`/staff/classification-review/${w.review.subject}/${String(w.review.id)}`],
    role: 'analyst',
  },
  '/staff/disruption': { paths: () => ['/staff/disruption'] },
  '/staff/disruption/new': { paths: (w) => [`/staff/disruption/new?report=${w.report}`] },
  '/staff/disruption/figures': { paths: () => ['/staff/disruption/figures'], role: 'analyst' },
  '/staff/disruption/:id': { paths: (w) => [`/staff/disruption/${String(w.disruptionId)}`] },
  '/staff/examinations': { paths: () => ['/staff/examinations'] },
  '/staff/groups': { paths: () => ['/staff/groups'] },
  '/staff/groups/new': { paths: () => ['/staff/groups/new'] },
  '/staff/groups/:id': { paths: (w) => [`/staff/groups/${String(w.groupId)}`] },
  '/staff/incidents': { paths: () => ['/staff/incidents'], role: 'regional-officer' },
  '/staff/incidents/:id': {
    paths: (w) => [`/staff/incidents/${String(w.incidentId)}`],
    role: 'regional-officer',
  },
  '/staff/indicators/:id': { paths: (w) => [`/staff/indicators/${String(w.indicatorId)}`] },
  '/staff/prevent': { paths: () => ['/staff/prevent'] },
  '/staff/prevent/refer': { paths: () => ['/staff/prevent/refer'] },
  '/staff/prevent/sent': { paths: () => ['/staff/prevent/sent'] },
  '/staff/prevent/:id': { paths: (w) => [`/staff/prevent/${String(w.preventId)}`] },
  '/staff/protect': { paths: () => ['/staff/protect'], role: 'regional-officer' },
  '/staff/protect/requests/:id': {
    paths: (w) => [`/staff/protect/requests/${String(w.protectRequestId)}`],
    role: 'regional-officer',
  },
  '/staff/protect/engagements/new': {
    paths: () => ['/staff/protect/engagements/new'],
    role: 'regional-officer',
  },
  '/staff/protect/reach': { paths: () => ['/staff/protect/reach'], role: 'regional-officer' },
  '/staff/release': { paths: () => ['/staff/release'] },
  '/staff/reports/:reference/evidence/:id': {
    paths: (w) => [`/staff/reports/${w.report}/evidence/${String(w.evidenceId)}`],
  },
  '/staff/reports/:reference/evidence/:id/exhibit': {
    paths: (w) => [`/staff/reports/${w.report}/evidence/${String(w.evidenceId)}/exhibit`],
  },
  '/staff/suppliers': { paths: () => ['/staff/suppliers'] },
  '/staff/suppliers/figures': { paths: () => ['/staff/suppliers/figures'], role: 'analyst' },
  '/staff/suppliers/taskings/:id': { paths: (w) => [`/staff/suppliers/taskings/${String(w.taskingId)}`] },
  '/staff/suppliers/taskings/new': { paths: (w) => [`/staff/suppliers/taskings/new?case=${w.busyCase}`] },
  '/staff/unit-figures': { paths: () => ['/staff/unit-figures'], role: 'analyst' },
};

/** Who opens a page when the visit names nobody: the first of these its gate admits. */
const ROLES_IN_ORDER: Role[] = [
  'force-supervisor',
  'force-officer',
  'analyst',
  'regional-officer',
  'national-officer',
  'prevent-officer',
  'admin',
  'call-handler',
];

describe('every staff page in Chromium at 1200 px wide: axe, and no taller than 2,500 px (en, cy)', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let browser: Browser;
  let base = '';
  let world: StaffPagesWorld & { evidenceId: number };
  /** The demo dates its reports over the past year; afterwards the clock is the real one (codes are generated now). */
  let demoTime: Date | null = null;
  /** Height of each page measured, by language, for docs/workspace.md (HEIGHTS=1 prints them). */
  const heights = new Map<string, { role: Role; en?: number; cy?: number }>();

  beforeAll(async () => {
    // Every classification waits for review, so the review queue is full.
    ctx = await createTestApp({ CLASSIFY_REVIEW_BELOW: '1' }, { clock: () => demoTime ?? new Date() });
    const seeded = await staffPagesWorld(ctx.services, (at) => {
      demoTime = at;
    });
    demoTime = null;
    const evidenceId = await plantEvidence(ctx.services, seeded.report, {
      name: 'bank-statement.txt',
      contentType: 'text/plain',
      content: 'Payment of £250 to the parcel fee site',
    });
    world = { ...seeded, evidenceId };
    mkdirSync(IMAGES, { recursive: true });
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 600_000);
  afterAll(async () => {
    await browser.close();
    await ctx.close();
    if (process.env.HEIGHTS === '1')
      console.info(
        [...heights]
          .map(([path, h]) => `| \`${path}\` | ${h.role} | ${String(h.en ?? '')} | ${String(h.cy ?? '')} |`)
          .join('\n'),
      );
  });

  const staffPages = () =>
    gatedStaffRoutes(ctx.app)
      .filter((r) => r.method === 'GET' && !r.url.startsWith('/api/'))
      .map((r) => ({ url: r.url, allow: r.allow }));

  it('visits every staff page of the route table, or says why not (measured by the walk, or skipped)', () => {
    const urls = staffPages().map((r) => r.url);
    const accounted = new Set([...WALKED, ...Object.keys(SKIPPED), ...Object.keys(VISITS)]);
    expect(urls.filter((url) => !accounted.has(url))).toEqual([]);
    // And nothing listed that is no longer a page.
    expect([...accounted].filter((url) => !urls.includes(url))).toEqual([]);
  });

  /** The role that opens each visited page: the one it names, or the first its gate admits. */
  async function plan(): Promise<Map<Role, { path: string; limit: number }[]>> {
    const members = new Map<Role, Awaited<ReturnType<typeof ctx.services.staff.byId>>>();
    for (const role of ROLES_IN_ORDER) {
      const email = world.accounts.get(role)?.email ?? '';
      members.set(
        role,
        await ctx.services.staff.byId((await ctx.services.staff.userIdByEmail(email))?.id ?? 0),
      );
    }
    const byRole = new Map<Role, { path: string; limit: number }[]>();
    for (const { url, allow } of staffPages()) {
      const visit = VISITS[url];
      if (visit === undefined) continue;
      const role =
        visit.role ??
        ROLES_IN_ORDER.find((r) => {
          const m = members.get(r);
          return m !== null && m !== undefined && mayEnter(m, allow);
        });
      if (role === undefined) throw new Error(`nobody may open ${url}`);
      for (const path of visit.paths(world)) {
        byRole.set(role, [...(byRole.get(role) ?? []), { path, limit: MAX_HEIGHT }]);
        heights.set(path, { ...heights.get(path), role });
      }
    }
    return byRole;
  }

  async function measure(page: Page, path: string, lng: 'en' | 'cy', limit: number): Promise<string[]> {
    const response = await page.goto(`${base}${path}${path.includes('?') ? '&' : '?'}lng=${lng}`);
    const problems: string[] = [];
    if (response?.status() !== 200) return [`${path} (${lng}): ${String(response?.status())}`];
    if ((await page.getAttribute('html', 'lang')) !== lng) problems.push(`${path}: not in ${lng}`);
    for (const violation of await axeViolations(page)) problems.push(`${path} (${lng}): ${violation}`);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const row = heights.get(path);
    if (row !== undefined) row[lng] = height;
    if (height > limit) {
      problems.push(`${path} (${lng}) is ${String(height)} px tall`);
      // TALL_PAGES=<folder>: a full-page screenshot of each page too tall, to see why.
      const folder = process.env.TALL_PAGES;
      if (folder !== undefined)
        await page.screenshot({
          path: join(folder, `${path.replace(/\W+/g, '-')}-${lng}.png`),
          fullPage: true,
        });
    }
    return problems;
  }

  for (const lng of ['en', 'cy'] as const)
    it(`opens each page as the role that works there (${lng})`, { timeout: 600_000 }, async () => {
      const problems: string[] = [];
      for (const [role, paths] of await plan()) {
        const account = world.accounts.get(role);
        if (account === undefined) throw new Error(`no ${role}`);
        const context = await browser.newContext({ viewport: VIEWPORT });
        const page = await context.newPage();
        await signInInBrowser(page, base, { ...account, lng, services: ctx.services });
        for (const { path, limit } of paths) problems.push(...(await measure(page, path, lng, limit)));
        if (lng === 'en' && role === 'force-supervisor' && process.env.SCREENSHOTS === '1') {
          await page.goto(`${base}/staff/cases?lng=en`);
          await page.screenshot({ path: join(IMAGES, 'workspace-cases-en.png'), fullPage: true });
          await page.goto(`${base}/staff/reports/${world.report}?lng=en`);
          await page.screenshot({ path: join(IMAGES, 'workspace-report-identity-en.png') });
        }
        await context.close();
      }
      expect(problems).toEqual([]);
    });
});
