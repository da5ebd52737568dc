import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../test/support/test-app.ts';

describe('GET /cyber-protect', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx.close());

  it('lists all 13 Cyber Protect contacts with their websites and emails', async () => {
    const res = await ctx.app.inject('/cyber-protect');
    expect(res.statusCode).toBe(200);
    const contacts = ctx.services.reference.regions.flatMap((r) => r.cyberProtect);
    expect(contacts).toHaveLength(13);
    for (const contact of contacts) {
      expect(res.body).toContain(`href="mailto:${contact.email}"`);
      expect(res.body).toContain(`href="${contact.website}"`);
    }
    expect(res.body).toContain('staff presentations and reviews');
  });

  it('shows the visitor their own force and regional team from a postcode', async () => {
    const res = await ctx.app.inject('/cyber-protect?postcode=ca1+1aa');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Postcode CA1 1AA');
    expect(res.body).toContain('Cumbria Constabulary');
    expect(res.body).toContain('North West Regional Organised Crime Unit');
    expect(res.body).toContain('titan.cyber.protect@titan.police.uk');
  });

  it('uses Welsh force and region names on the Welsh page', async () => {
    const res = await ctx.app.inject('/cyber-protect?postcode=CF10+1AA&lng=cy');
    expect(res.body).toContain('Heddlu De Cymru');
    expect(res.body).toContain('De Cymru');
    expect(res.body).toContain('RCCU-Tarian@south-wales.pnn.police.uk');
  });

  it('tells City of London and Metropolitan visitors apart', async () => {
    expect((await ctx.app.inject('/cyber-protect?postcode=SE1+7PB')).body).toContain(
      'cyberprotect@met.pnn.police.uk',
    );
  });

  it('explains that Crown Dependencies are not covered rather than guessing', async () => {
    const res = await ctx.app.inject('/cyber-protect?postcode=JE2+3AB');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('States of Jersey Police');
    expect(res.body).not.toContain('Your police force and Cyber Protect team');
  });

  it.each([
    ['', 'Enter a postcode'],
    ['hello', 'Enter a real postcode in the UK, like CA1 1AA'],
    ['QQ1 1AA', 'Enter a real postcode in the UK, like CA1 1AA'],
    ['x'.repeat(40), 'Postcode must be 20 characters or fewer'],
  ])('shows a GOV.UK error summary for %j', async (postcode, message) => {
    const res = await ctx.app.inject(`/cyber-protect?postcode=${encodeURIComponent(postcode)}`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('href="#postcode"');
    expect(res.body).toContain(message);
    expect(res.body).toContain('govuk-input--error');
    expect(res.body).toMatch(/<title>Error: /);
  });

  it('shows the error in Welsh on the Welsh page', async () => {
    const res = await ctx.app.inject('/cyber-protect?postcode=&lng=cy');
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/<title>Gwall: /);
  });
});
