import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorSummaryOf } from '../../../../test/support/error-summary.ts';
import { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff, signInStaff } from '../../../../test/support/staff-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';

describe('Cyber Protect help requests', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx.close());

  it('sends an organisation’s request to its regional team’s Protect queue', async () => {
    const client = new FormClient(ctx.app);
    await client.get('/cyber-protect/request');
    const sent = await client.post('/cyber-protect/request', {
      organisation: 'Lakeland Outdoor Ltd',
      contactName: 'Jo Manager',
      email: 'jo@lakeland.example',
      phone: '017687 72000',
      postcode: 'LA23 1AA',
      help: ['staff-presentation', 'security-review'],
      message: 'We have 40 staff.',
    });
    expect(client.path).toBe('/cyber-protect/request/sent?force=cumbria');
    expect(sent.body).toContain('North West (NWROCU)');
    expect(sent.body).toContain('titan.cyber.protect@titan.police.uk');
    const row = await ctx.services.database.db
      .selectFrom('protect_requests')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      unit_id: 'nwrocu-rccu',
      force_id: 'cumbria',
      organisation: 'Lakeland Outdoor Ltd',
      help: 'staff-presentation security-review',
      phone: '+441768772000',
    });
    const staff = { email: 'r@x', role: 'regional-officer' as const, forceId: null, unitId: 'nwrocu-rccu' };
    expect(await ctx.services.protectRequests.forUnit(staff)).toHaveLength(1);
    expect(await ctx.services.protectRequests.forUnit({ ...staff, unitId: 'ersou-rccu' })).toHaveLength(0);

    // The regional team's queue page shows who to contact, what they asked for and when.
    const email = 'protect@nwrocu.example';
    const totp = await addStaff(ctx.services, { email, role: 'regional-officer', unitId: 'nwrocu-rccu' });
    const queue = await (await signInStaff(ctx.app, email, totp)).get('/staff');
    const received = new Date(row.created_at).toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/London',
    });
    expect(queue.body).toContain('Lakeland Outdoor Ltd (LA23 1AA)');
    expect(queue.body).toContain('Jo Manager<br>jo@lakeland.example<br>+441768772000');
    expect(queue.body).toContain(
      'A presentation to staff about staying safe online; A review of how we protect ourselves<br>We have 40 staff.',
    );
    expect(queue.body).toContain(`<td class="govuk-table__cell">${received}</td>`);
  });

  it('shows a GOV.UK error summary for each missing or wrong answer after a redirect, keeping what was typed', async () => {
    const client = new FormClient(ctx.app);
    await client.get('/cyber-protect/request');
    const answers = {
      organisation: 'Acme',
      contactName: '',
      email: 'nope',
      phone: '12',
      postcode: 'JE2 3AB',
    };
    const refused = await client.post('/cyber-protect/request', answers, { follow: false });
    expect(refused.statusCode).toBe(303);
    expect(refused.headers.location).toBe('/cyber-protect/request');
    const res = await client.get('/cyber-protect/request');
    expect(errorSummaryOf(res.body)).toEqual([
      'contactName: Enter your name',
      'email: Enter an email address in the correct format, like name@example.com',
      'phone: Enter a phone number, like 01632 960 001 or 07700 900 982',
      'postcode: Enter a real postcode in the UK, like CA1 1AA',
      'help: Select what you would like help with',
    ]);
    expect(res.body).toContain('value="Acme"');
    expect(res.body).toContain('value="JE2 3AB"');
    // Shown once: a refresh is the empty form.
    expect(errorSummaryOf((await client.get('/cyber-protect/request')).body)).toEqual([]);

    await client.get('/cyber-protect/request?lng=cy');
    const welsh = await client.post('/cyber-protect/request', {
      ...answers,
      contactName: 'Jo',
      email: 'jo@acme.example',
      phone: '',
      help: ['security-review', 'nonsense'],
    });
    expect(client.path).toBe('/cyber-protect/request');
    expect(errorSummaryOf(welsh.body)).toEqual([
      'postcode: Rhowch god post go iawn yn y DU, fel CA1 1AA',
      'help: Dewiswch gyda beth hoffech chi gael help',
    ]);
    // The boxes ticked stay ticked (only ones the form offers).
    expect(welsh.body).toMatch(/value="security-review" checked/);
    expect(welsh.body).not.toMatch(/value="staff-presentation" checked/);
    expect(await ctx.services.database.db.selectFrom('protect_requests').selectAll().execute()).toHaveLength(
      1,
    );
  });
});
