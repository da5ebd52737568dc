import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/support/form-client.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';

describe('"where do I report?" triage', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx.close());

  async function answer(client: FormClient, answers: [string, string][]) {
    await client.get('/report');
    let res = await client.get('/report/triage/danger');
    for (const [question, value] of answers)
      res = await client.post(`/report/triage/${question}`, { answer: value });
    return res;
  }

  it('starts with a GOV.UK start page and asks about danger first', async () => {
    const client = new FormClient(ctx.app);
    const start = await client.get('/report');
    expect(start.statusCode).toBe(200);
    expect(start.body).toContain('govuk-button--start');
    const danger = await client.get('/report/triage/danger');
    expect(danger.body).toContain('Is anyone in immediate danger');
  });

  it('sends anyone in immediate danger to 999 and nowhere else', async () => {
    const client = new FormClient(ctx.app);
    const res = await answer(client, [['danger', 'yes']]);
    expect(client.path).toBe('/report/help/emergency');
    expect(res.body).toContain('Call 999 now');
    expect(res.body).not.toContain('Continue to report online');
  });

  it('sends an organisation under live attack to 0300 123 2040 with what to have ready, then lets it report', async () => {
    const client = new FormClient(ctx.app);
    const res = await answer(client, [
      ['danger', 'no'],
      ['reporting-for', 'organisation'],
      ['live-attack', 'yes'],
    ]);
    expect(client.path).toBe('/report/help/live-attack');
    expect(res.body).toContain('0300 123 2040');
    expect(res.body).toContain('24 hours a day, 7 days a week');
    expect(res.body).toContain('Have this ready when you call');
    const next = await client.post('/report/help/live-attack');
    expect(client.path).toBe('/report/triage/what');
    expect(next.statusCode).toBe(200);
  });

  it.each([
    ['suspicious-email', 'phishing-email', 'report@phishing.gov.uk'],
    ['suspicious-text', 'phishing-text', '7726'],
    [
      'suspicious-website',
      'phishing-website',
      'https://www.ncsc.gov.uk/section/about-this-website/report-scam-website',
    ],
    ['harassment', 'harassment', '101'],
    ['child-abuse-images', 'child-abuse-images', 'https://report.iwf.org.uk'],
    ['worried-about-child', 'worried-about-child', 'https://www.ceop.police.uk/Safety-Centre/'],
    ['young-person-advice', 'young-person', '0800 1111'],
    ['harmful-content', 'harmful-content', 'https://reportharmfulcontent.com'],
  ])('sends "%s" to the %s page with the right contact', async (what, page, contact) => {
    const client = new FormClient(ctx.app);
    const res = await answer(client, [
      ['danger', 'no'],
      ['reporting-for', 'myself'],
      ['what', what],
    ]);
    expect(client.path).toBe(`/report/help/${page}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(contact);
    expect(res.body).toContain('What happens next');
  });

  it('names the visitor’s own force on the harassment page when they give a postcode', async () => {
    const client = new FormClient(ctx.app);
    const res = await client.get('/report/help/harassment?postcode=LL11+1AA');
    expect(res.body).toContain('North Wales Police');
    expect(res.body).toContain('https://www.northwales.police.uk');
    const bad = await client.get('/report/help/harassment?postcode=nope');
    expect(bad.body).toContain('govuk-error-summary');
  });

  it('tells an organisation with personal data involved about the ICO 72-hour duty, then continues', async () => {
    const client = new FormClient(ctx.app);
    const res = await answer(client, [
      ['danger', 'no'],
      ['reporting-for', 'organisation'],
      ['live-attack', 'no'],
      ['what', 'hacked-or-attacked'],
      ['personal-data', 'yes'],
    ]);
    expect(client.path).toBe('/report/help/ico');
    expect(res.body).toContain('72 hours');
    expect(res.body).toContain('will not report anything to the ICO for you');
    await client.post('/report/help/ico');
    expect(client.path).toBe('/report/organisation');
  });

  it('sends everything else to the full report', async () => {
    const client = new FormClient(ctx.app);
    await answer(client, [
      ['danger', 'no'],
      ['reporting-for', 'myself'],
      ['what', 'money-or-account'],
    ]);
    expect(client.path).toBe('/report/about-you');
  });

  it('shows a GOV.UK error summary when no option is chosen, in English and Welsh', async () => {
    const client = new FormClient(ctx.app);
    await client.get('/report/triage/danger');
    const res = await client.post('/report/triage/danger', {});
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('href="#answer"');
    expect(res.body).toContain('Select yes if anyone is in immediate danger');
    await client.get('/report/triage/danger?lng=cy');
    const welsh = await client.post('/report/triage/danger', { answer: 'perhaps' });
    expect(welsh.statusCode).toBe(400);
    expect(welsh.body).toContain('<html lang="cy"');
  });

  it('does not let anyone skip ahead to a question they have not reached', async () => {
    const client = new FormClient(ctx.app);
    await client.get('/report/triage/personal-data');
    expect(client.path).toBe('/report/triage/danger');
    await client.get('/report/money');
    expect(client.path).toBe('/report/triage/danger');
  });

  it('rejects a triage answer posted without a CSRF token', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/report/triage/danger',
      payload: { answer: 'no' },
    });
    expect(res.statusCode).toBe(403);
  });
});
