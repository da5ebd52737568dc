import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/support/form-client.ts';
import { makeSubmission } from '../../../../test/support/submissions.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';

const OFFER = 'the option of free, confidential support from Victim Support';

describe(`VICTIM_SUPPORT_URL=off: no referral is offered or made (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp({ VICTIM_SUPPORT_URL: 'off' });
  });
  afterAll(() => ctx.close());

  const referralsOf = async (reference: string) => {
    await ctx.services.intelligence.linkPending();
    const reportId = (await ctx.services.intelligence.reportIdOf(reference)) ?? 0;
    return ctx.services.database.db
      .selectFrom('referrals')
      .select('id')
      .where('report_id', '=', reportId)
      .execute();
  };

  it('never asks or offers in the journey, even to someone who goes to the question directly', async () => {
    const client = new FormClient(ctx.app);
    const start = await client.get('/report');
    expect(start.body).not.toContain(OFFER);
    await client.get('/report/triage/danger');
    await client.post('/report/triage/danger', { answer: 'no' });
    await client.post('/report/triage/reporting-for', { answer: 'myself' });
    await client.post('/report/triage/what', { answer: 'money-or-account' });
    await client.post('/report/about-you', { name: 'Ann Example' });
    await client.post('/report/what-happened', {
      choice: 'bought-something',
      narrative: 'I bought a puppy on a marketplace and paid by bank transfer.',
    });
    await client.post('/report/when', { day: '3', month: '11', year: '2025', ongoing: 'no' });
    await client.post('/report/contact-method', { method: 'marketplace' });
    await client.post('/report/money', { lost: 'no' });
    await client.post('/report/suspect', { names: '', emails: '', phones: '', websites: '', socials: '' });
    await client.post('/report/evidence');
    await client.post('/report/vulnerability', { flags: ['over-70'] });
    await client.post('/report/contact-details', {
      email: 'ann@example.org',
      phone: '07911 123456',
      preferred: 'email',
    });
    const check = await client.post('/report/postcode', { postcode: 'CA1 1AA' });
    // Straight from the postcode to check answers: no Victim Support question.
    expect(client.path).toBe('/report/check-answers');
    expect(check.body).not.toContain('Victim Support');
    const direct = await client.get('/report/victim-support');
    expect(client.path).toBe('/report/check-answers');
    expect(direct.body).not.toContain('Do you want us to pass your details to Victim Support?');
    await client.post('/report/victim-support', { consent: 'yes' });

    const confirmation = await client.post('/report/submit');
    expect(client.path).toBe('/report/confirmation');
    const reference = /CYB-[0-9A-Z-]{11}/.exec(confirmation.body)?.[0] ?? '';
    expect(await referralsOf(reference)).toHaveLength(0);
  });

  it('makes no referral even when a stored answer consents, and the partner API refuses the consent by name', async () => {
    const report = await ctx.services.reportIntake.submit(
      makeSubmission({
        reporter: {
          name: 'Pat',
          victimName: null,
          email: 'pat@example.org',
          phone: null,
          preferredContact: null,
        },
        consents: { victimSupport: true, contactTime: 'any' },
      }),
    );
    expect(await referralsOf(report.reference)).toHaveLength(0);

    const { token } = await ctx.services.tokens.create('Example Bank', ['reports:write']);
    const post = (consent: boolean) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        headers: { authorization: `Bearer ${token}` },
        payload: {
          reporter: {
            type: 'individual',
            name: 'Pat Customer',
            email: 'pat@example.org',
            postcode: 'M1 1AE',
          },
          incident: { narrative: 'Customer paid for concert tickets that never arrived.' },
          consents: { victim_support: consent },
        },
      });
    const refused = await post(true);
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json<{ errors: { name: string }[] }>().errors.map((e) => e.name)).toEqual([
      'consents.victim_support',
    ]);
    expect((await post(false)).statusCode).toBe(201);
  });
});

describe('with referrals on (the default outside production)', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx.close());

  it('offers Victim Support on the start page', async () => {
    expect((await ctx.app.inject('/report')).body).toContain(OFFER);
  });
});
