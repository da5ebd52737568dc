import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditsOf, errorSummary, onePerRole, signInAs } from '../../../../test/support/admin-fixtures.ts';
import { FormClient } from '../../../../test/support/form-client.ts';
import { makeSubmission } from '../../../../test/support/submissions.ts';
import { createTestServices, testDialect } from '../../../../test/support/test-services.ts';
import { createApp } from '../../app.ts';

describe(`a staff member's account page: how they follow their unit's items (${testDialect})`, () => {
  const now = new Date('2026-12-08T10:00:00Z');
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let app: FastifyInstance;
  let people: Awaited<ReturnType<typeof onePerRole>>;

  beforeAll(async () => {
    services = await createTestServices({ FIRST_CONTACT_DAYS: '5' }, { clock: () => now });
    app = await createApp(services);
    people = await onePerRole(services);
  });
  afterAll(async () => {
    await app.close();
    await services.cleanup();
  });

  const digestOf = async (email: string) =>
    (
      await services.database.db
        .selectFrom('users')
        .select('notification_digest')
        .where('email', '=', email)
        .executeTakeFirstOrThrow()
    ).notification_digest;

  it('shows the unit’s mailbox and out-of-hours contact, and saves the daily digest choice (audited)', async () => {
    const officer = await signInAs(app, people, 'force-officer', now);
    const email = people.get('force-officer')?.email ?? '';
    const queue = await officer.get('/staff');
    expect(queue.body).toContain('href="/staff/account"');
    const page = await officer.get('/staff/account');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('cyber.unit@cumbria.police.uk');
    expect(page.body).toContain('cyber.oncall@cumbria.police.uk');
    expect(page.body).toMatch(/value="mailbox" checked/);

    const saved = await officer.post('/staff/account', { follow: 'digest' });
    expect(officer.path).toBe('/staff/account?done=saved');
    expect(saved.body).toContain('Your notification setting has been saved.');
    expect(saved.body).toMatch(/value="digest" checked/);
    expect(await digestOf(email)).toBe(1);
    expect(await auditsOf(services, 'notification-settings')).toEqual([
      expect.objectContaining({ actor: email, detail: 'daily digest of the unit’s non-urgent items' }),
    ]);

    await officer.post('/staff/account', { follow: 'mailbox' });
    expect(await digestOf(email)).toBe(0);
  });

  it('refuses a form without a choice, and keeps the setting as it was', async () => {
    const supervisor = await signInAs(app, people, 'force-supervisor', now);
    const email = people.get('force-supervisor')?.email ?? '';
    const page = await supervisor.post('/staff/account', { follow: 'everything' });
    expect(supervisor.path).toBe('/staff/account');
    expect(errorSummary(page.body)).toEqual([
      'follow: Choose how you want to follow your unit’s non-urgent items',
    ]);
    expect(await digestOf(email)).toBe(0);
  });

  it('offers no digest to someone who works no unit (an admin): the page says so and the form is not there', async () => {
    const admin = await signInAs(app, people, 'admin', now);
    const page = await admin.get('/staff/account');
    expect(page.body).toContain('You do not work a unit’s reports');
    expect(page.body).not.toContain('name="follow"');
    const res = await admin.post('/staff/account', { follow: 'digest' }, { follow: false });
    expect(res.statusCode).toBe(404);
    expect(await digestOf(people.get('admin')?.email ?? '')).toBe(0);
  });

  it('changes nothing for someone not signed in', async () => {
    const stranger = new FormClient(app);
    const res = await stranger.post('/staff/account', { follow: 'digest' }, { follow: false });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/sign-in');
  });

  it('shows the unit’s counts on the workspace home', async () => {
    const submit = async (overrides = {}) =>
      (
        await services.reportIntake.submit(
          makeSubmission({ category: 'online-harassment', narrative: 'abusive messages', ...overrides }),
        )
      ).reference;
    await submit();
    await submit({ vulnerability: ['over-70'] });
    const old = await submit();
    await services.database.db
      .updateTable('reports')
      .set({ created_at: new Date(now.getTime() - 6 * 86_400_000).toISOString() })
      .where('reference', '=', old)
      .execute();
    const officer = await signInAs(app, people, 'force-officer', now);
    await officer.post(`/staff/reports/${old}/message`, { text: 'Please send the screenshots' });
    const queue = await officer.get('/staff');
    const count = (name: string) => new RegExp(`data-count="${name}">(\\d+)<`).exec(queue.body)?.[1];
    expect(count('new')).toBe('3');
    expect(count('overdue')).toBe('1');
    expect(count('awaiting-victim')).toBe('1');
    expect(count('urgent-unassigned')).toBe('1');
    expect(queue.body).toContain('more than 5 days ago');
    // Someone who works no unit has no counts.
    const analyst = await signInAs(app, people, 'analyst', now);
    expect((await analyst.get('/staff')).body).not.toContain('data-count=');
  });
});
