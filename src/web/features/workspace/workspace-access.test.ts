import type { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../domain/access/access-policy.ts';
import { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff, signInStaff, submitPartnerReport } from '../../../../test/support/staff-fixtures.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';

// Every role, signed in through the web, against a report routed to Cumbria's unit.
// `campaign`: may open the campaign the two Cumbria reports form (analysts see every campaign in aggregate).
const PEOPLE: {
  email: string;
  role: Role;
  forceId?: string;
  unitId?: string;
  sees: boolean;
  campaign: boolean;
}[] = [
  { email: 'officer@cumbria.example', role: 'force-officer', forceId: 'cumbria', sees: true, campaign: true },
  { email: 'sup@cumbria.example', role: 'force-supervisor', forceId: 'cumbria', sees: true, campaign: true },
  { email: 'officer@kent.example', role: 'force-officer', forceId: 'kent', sees: false, campaign: false },
  { email: 'sup@kent.example', role: 'force-supervisor', forceId: 'kent', sees: false, campaign: false },
  {
    email: 'regional@nw.example',
    role: 'regional-officer',
    unitId: 'nwrocu-rccu',
    sees: false,
    campaign: false,
  },
  { email: 'nccu@nca.example', role: 'national-officer', unitId: 'nccu', sees: false, campaign: false },
  { email: 'analyst@x.example', role: 'analyst', sees: false, campaign: true },
  { email: 'admin@x.example', role: 'admin', sees: false, campaign: false },
];
const ACTIONS: [string, Record<string, string>][] = [
  ['note', { text: 'x' }],
  ['message', { text: 'x' }],
  ['status', { status: 'assessed' }],
  ['category', { category: 'malware', reason: 'a good reason' }],
  ['transfer', { unit: 'nccu', reason: 'r' }],
];

describe('unit workspace: every role × own and other unit, over the web', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let now = new Date('2026-11-02T09:00:00Z');
  const totps = new Map<string, TOTP>();
  let reference = '';
  let newer = '';

  beforeAll(async () => {
    ctx = await createTestApp({ FIRST_CONTACT_DAYS: '3' }, { clock: () => now });
    for (const p of PEOPLE) totps.set(p.email, await addStaff(ctx.services, p));
    const submit = (narrative: string) =>
      submitPartnerReport(ctx.app, ctx.services, {
        reporter: { type: 'individual', name: 'V', postcode: 'CA1 1AA' },
        incident: { narrative },
        consents: { victim_support: false },
      });
    reference = await submit('someone hacked my email account and rang me from 07700 900321');
    now = new Date('2026-11-06T09:00:00Z');
    newer = await submit('my facebook was hacked, the hacker uses 07700 900321');
  });
  afterAll(() => ctx.close());

  async function signIn(email: string): Promise<FormClient> {
    const totp = totps.get(email);
    if (totp === undefined) throw new Error(`no account for ${email}`);
    const client = await signInStaff(ctx.app, email, totp, now);
    expect(client.path).toBe('/staff');
    return client;
  }

  for (const person of PEOPLE) {
    it(`${person.email} (${person.role}) ${person.sees ? 'can' : 'cannot'} see or act on the report`, async () => {
      const client = await signIn(person.email);
      const queue = await client.get('/staff');
      expect(queue.body.includes(reference)).toBe(person.sees);
      const view = await client.get(`/staff/reports/${reference}`);
      expect(view.statusCode).toBe(person.sees ? 200 : 404);
      const campaignId = (
        await ctx.services.database.db
          .selectFrom('reports')
          .select('campaign_id')
          .where('reference', '=', reference)
          .executeTakeFirstOrThrow()
      ).campaign_id;
      expect(campaignId).not.toBeNull();
      const campaign = await client.get(`/staff/campaigns/${String(campaignId)}`);
      expect(campaign.statusCode).toBe(person.campaign ? 200 : 404);
      const campaigns = await client.get('/staff/campaigns');
      expect(campaigns.statusCode).toBe(person.role === 'admin' ? 404 : 200);
      expect(campaigns.body.includes(`/staff/campaigns/${String(campaignId)}"`)).toBe(person.campaign);
      // Analysts see the campaign without any report reference.
      if (person.role === 'analyst') expect(campaign.body).not.toContain(reference);
      if (person.sees) return;
      // Every action on someone else's report is refused as if it did not exist, and changes nothing.
      for (const [action, fields] of ACTIONS) {
        const res = await client.post(`/staff/reports/${reference}/${action}`, fields);
        expect(res.statusCode, action).toBe(404);
      }
      const row = await ctx.services.database.db
        .selectFrom('reports')
        .selectAll()
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        status: 'received',
        unit_id: 'cumbria-cyber',
        category: 'hacking-social-email',
      });
    });
  }

  it('flags first contact overdue after the configured days, and sorts as asked', async () => {
    const client = await signIn('officer@cumbria.example');
    const queue = await client.get('/staff?sort=newest');
    expect(queue.body).toContain('First contact overdue');
    expect(queue.body.indexOf(newer)).toBeLessThan(queue.body.indexOf(reference));
    const oldest = await client.get('/staff?sort=oldest');
    expect(oldest.body.indexOf(reference)).toBeLessThan(oldest.body.indexOf(newer));
    expect((oldest.body.match(/First contact overdue/g) ?? []).length).toBe(1);
  });
});
