import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('shows a GOV.UK error summary for each missing or wrong answer, keeping what was typed', async () => {
    const client = new FormClient(ctx.app);
    await client.get('/cyber-protect/request');
    const res = await client.post('/cyber-protect/request', {
      organisation: 'Acme',
      contactName: '',
      email: 'nope',
      phone: '12',
      postcode: 'JE2 3AB',
    });
    expect(res.statusCode).toBe(400);
    for (const text of [
      'Enter your name',
      'Enter an email address in the correct format',
      'Enter a phone number',
      'Enter a real postcode in the UK',
      'Select what you would like help with',
    ]) {
      expect(res.body).toContain(text);
    }
    expect(res.body).toContain('value="Acme"');
    expect(await ctx.services.database.db.selectFrom('protect_requests').selectAll().execute()).toHaveLength(
      1,
    );
  });
});
