import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormClient } from '../../../../test/support/form-client.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';

// Tuesday 1 December 2026, 12:00 GMT.
const NOW = new Date('2026-12-01T12:00:00Z');

describe('advice pages for organisations', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => NOW });
  });
  afterAll(() => ctx.close());

  const fraudLine = () => ctx.services.reference.service('fraud-cyber-line');

  it('are linked from the home page and from the ICO exit page of the triage', async () => {
    const home = await ctx.app.inject('/');
    expect(home.body).toContain('href="/advice/first-hour"');
    expect(home.body).toContain('href="/advice/ico-breach"');
    const client = new FormClient(ctx.app);
    await client.get('/report');
    let res = await client.get('/report/triage/danger');
    for (const [question, answer] of [
      ['danger', 'no'],
      ['reporting-for', 'organisation'],
      ['live-attack', 'no'],
      ['what', 'hacked-or-attacked'],
      ['personal-data', 'yes'],
    ] as const)
      res = await client.post(`/report/triage/${question}`, { answer });
    expect(client.path).toBe('/report/help/ico');
    expect(res.body).toContain('href="/advice/ico-breach"');
  });

  describe('GET /advice/first-hour', () => {
    it('is a numbered checklist with the live attack line and every link', async () => {
      const res = await ctx.app.inject('/advice/first-hour');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('What to do in the first hour of a cyber attack');
      expect(res.body).toContain(`Call ${fraudLine().phone ?? 'missing'} to report a live attack`);
      expect(res.body).toContain('24 hours a day, 7 days a week');
      expect(res.body).toContain('Do not switch them off');
      expect(res.body).toContain('ransom notes');
      expect(res.body).toContain('Tell your cyber insurer');
      expect(res.body).toContain('Call your bank if money has moved');
      expect(res.body).toContain('within 72 hours');
      expect(res.body).toContain('href="/advice/ico-breach"');
      expect(res.body).toContain('href="/cyber-protect"');
      expect(res.body).toContain(
        `href="${ctx.services.reference.service('ncsc-small-business-guide').website ?? 'missing'}"`,
      );
      expect(res.body).toContain('8. Follow the NCSC guide');
      expect(res.body.match(/type="checkbox"/g)).toHaveLength(8);
      expect(res.body).toContain('Use your browser’s print option');
      expect(res.body).not.toMatch(/<script(?![^>]*src=)/);
    });

    it('is in Welsh with ?lng=cy', async () => {
      const res = await ctx.app.inject('/advice/first-hour?lng=cy');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<html lang="cy"');
      expect(res.body).toContain('Beth i’w wneud yn ystod yr awr gyntaf ar ôl ymosodiad seiber');
      expect(res.body).toContain(`Ffoniwch ${fraudLine().phone ?? 'missing'}`);
      expect(res.body).toContain('Canllaw Busnesau Bach yr NCSC');
    });
  });

  describe('/advice/ico-breach', () => {
    it('asks when the organisation became aware, in English and Welsh', async () => {
      const en = await ctx.app.inject('/advice/ico-breach');
      expect(en.statusCode).toBe(200);
      expect(en.body).toContain('What date did your organisation become aware of the breach?');
      for (const name of ['day', 'month', 'year', 'hour', 'minute'])
        expect(en.body).toContain(`name="${name}"`);
      expect(en.body).toContain('The police do not report breaches to the ICO for you');
      const cy = await ctx.app.inject('/advice/ico-breach?lng=cy');
      expect(cy.statusCode).toBe(200);
      expect(cy.body).toContain('Ar ba ddyddiad y daeth eich sefydliad yn ymwybodol');
    });

    it('shows the deadline 72 hours later in UK time, the hours left and what the ICO asks for', async () => {
      const client = new FormClient(ctx.app);
      await client.get('/advice/ico-breach');
      const res = await client.post('/advice/ico-breach', {
        day: '30',
        month: '11',
        year: '2026',
        hour: '14',
        minute: '30',
      });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Report the breach to the ICO by Thursday 3 December 2026 at 14:30');
      expect(res.body).toContain('You have 50 hours 30 minutes left to report the breach.');
      expect(res.body).toContain('Monday 30 November 2026 at 14:30');
      expect(res.body).toContain('The police do not report breaches to the ICO for you');
      expect(res.body).toContain('categories and approximate number of people affected');
      expect(res.body).toContain('data protection officer');
      expect(res.body).toContain('whether you have told the people affected');
      expect(res.body).toContain(`href="${ctx.services.reference.service('ico').website ?? 'missing'}"`);
      expect(res.body).toContain('href="/report"');
      expect(res.body).toContain('summary of what you told us');
    });

    it('shows a summer deadline in British Summer Time, in Welsh, and that it has passed', async () => {
      const client = new FormClient(ctx.app);
      await client.get('/advice/ico-breach?lng=cy');
      const res = await client.post('/advice/ico-breach', {
        day: '1',
        month: '7',
        year: '2026',
        hour: '09',
        minute: '05',
      });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(
        'Mae’r terfyn amser o 72 awr wedi mynd heibio (Dydd Sadwrn 4 Gorffennaf 2026 am 09:05)',
      );
    });

    it('says when the deadline has passed', async () => {
      const client = new FormClient(ctx.app);
      const res = await client.post('/advice/ico-breach', {
        day: '27',
        month: '11',
        year: '2026',
        hour: '8',
        minute: '0',
      });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('The 72-hour deadline passed on Monday 30 November 2026 at 08:00');
      expect(res.body).toContain('The deadline has passed');
      expect(res.body).not.toContain('left to report the breach');
    });

    it.each([
      [
        {},
        ['Enter the date you became aware of the breach', 'Enter the time you became aware of the breach'],
        '#day',
      ],
      [{ day: '30', year: '2026', hour: '9', minute: '0' }, ['must include a month'], '#month'],
      [{ day: '31', month: '2', year: '2026', hour: '9', minute: '0' }, ['must be a real date'], '#day'],
      [
        { day: '2', month: '12', year: '2026', hour: '9', minute: '0' },
        ['must be today or in the past'],
        '#day',
      ],
      [{ day: '1', month: '12', year: '2026', hour: '13', minute: '0' }, ['must be in the past'], '#hour'],
      [{ day: '1', month: '12', year: '2026', hour: '25', minute: '0' }, ['Enter a real time'], '#hour'],
      [{ day: '1', month: '12', year: '2026', hour: '9' }, ['must include minutes'], '#minute'],
    ])('rejects %j with a GOV.UK error summary', async (fields, messages, href) => {
      const client = new FormClient(ctx.app);
      await client.get('/advice/ico-breach');
      const res = await client.post('/advice/ico-breach', fields);
      expect(res.statusCode).toBe(400);
      expect(res.body).toMatch(/<title>Error: /);
      expect(res.body).toContain('govuk-error-summary');
      expect(res.body).toContain(`href="${href}"`);
      expect(res.body).toContain('govuk-input--error');
      expect(res.body).toContain('govuk-error-message');
      for (const message of messages) expect(res.body).toContain(message);
    });

    it('keeps what was typed and shows errors in Welsh', async () => {
      const client = new FormClient(ctx.app);
      await client.get('/advice/ico-breach?lng=cy');
      const res = await client.post('/advice/ico-breach', { day: '31', month: '2', year: '2026' });
      expect(res.statusCode).toBe(400);
      expect(res.body).toMatch(/<title>Gwall: /);
      expect(res.body).toContain('fod yn ddyddiad go iawn');
      expect(res.body).toContain('value="31"');
    });

    it('refuses a post without the CSRF token', async () => {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/advice/ico-breach',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'day=1&month=12&year=2026&hour=9&minute=0',
      });
      expect(res.statusCode).toBe(403);
    });
  });
});
