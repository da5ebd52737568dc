/**
 * Attacking a report's actions (the identity bar's button menu, the actions tab and the check-answers step): the menu
 * offers only what the role may do, in Welsh too, and the check step never shows a forged value as a change to make.
 */
import type { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormClient } from '../support/form-client.ts';
import { addStaff, signInStaff, submitPartnerReport } from '../support/staff-fixtures.ts';
import { createTestApp } from '../support/test-app.ts';
import { testDialect } from '../support/test-services.ts';

const OFFICER = 'off@cumbria.example';
const SUPERVISOR = 'sup@cumbria.example';
const KENT = 'off@kent.example';

describe(`attacking a report's actions (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const totps = new Map<string, TOTP>();
  let reference = '';

  const menu = (body: string) =>
    /<div class="moj-button-menu app-report-actions"[\s\S]*?<\/div>/.exec(body)?.[0] ?? '';
  const menuActions = (body: string) =>
    [...menu(body).matchAll(/data-report-action="(\w+)"/g)].map((m) => m[1]);
  const signIn = async (email: string): Promise<FormClient> => {
    const client = await signInStaff(ctx.app, email, totps.get(email) as TOTP);
    expect(client.path).toBe('/staff');
    return client;
  };

  beforeAll(async () => {
    ctx = await createTestApp();
    for (const [email, role, forceId] of [
      [OFFICER, 'force-officer', 'cumbria'],
      [SUPERVISOR, 'force-supervisor', 'cumbria'],
      [KENT, 'force-officer', 'kent'],
    ] as const)
      totps.set(email, await addStaff(ctx.services, { email, role, forceId }));
    reference = await submitPartnerReport(ctx.app, ctx.services, {
      reporter: { type: 'individual', name: 'Vic', email: 'vic@example.org', postcode: 'CA1 1AA' },
      incident: { narrative: 'someone hacked my instagram and is messaging my followers', ongoing: true },
      consents: { victim_support: false },
    });
  });
  afterAll(() => ctx.close());

  it('offers in the menu only what the role may do, and nothing to another unit', async () => {
    const officer = await signIn(OFFICER);
    const overview = (await officer.get(`/staff/reports/${reference}`)).body;
    expect(menuActions(overview)).toEqual(['message', 'note', 'status', 'category', 'transfer']);
    const supervisor = await signIn(SUPERVISOR);
    expect(menuActions((await supervisor.get(`/staff/reports/${reference}/history`)).body)).toContain(
      'allocate',
    );
    const kent = await signIn(KENT);
    for (const path of ['', '/actions', '/actions/note', '/actions/allocate']) {
      const page = await kent.get(`/staff/reports/${reference}${path}`);
      expect(page.statusCode, path).toBe(404);
      expect(menu(page.body), path).toBe('');
    }
  });

  it('names the menu and its items in Welsh', async () => {
    const officer = await signIn(OFFICER);
    const body = (await officer.get(`/staff/reports/${reference}?lng=cy`)).body;
    expect(menu(body)).toContain('aria-label="Camau’r adroddiad"');
    expect(menu(body)).not.toMatch(/>\s*(Message the victim|Add a note|Transfer)/);
  });

  it('never checks a forged category, one no report can have, as a change to make', async () => {
    const officer = await signIn(OFFICER);
    await officer.get(`/staff/reports/${reference}/actions/category`);
    for (const category of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const answer = await officer.post(`/staff/reports/${reference}/check/category`, {
        category,
        reason: 'forged',
      });
      expect(officer.path, category).toBe(`/staff/reports/${reference}/actions/category`);
      expect(answer.body, category).toContain('govuk-error-summary');
    }
  });

  it('says "1 report" in the queue, not "1 reports"', async () => {
    const officer = await signIn(OFFICER);
    expect((await officer.get('/staff')).body).toMatch(/id="queue-count">1 report</);
  });
});
