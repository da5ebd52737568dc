import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDailyStats } from '../../../db/repositories/stats-repository.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';

describe('statistics', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let token = '';
  const api = (query: string, bearer = token) =>
    ctx.app.inject({ url: `/api/v1/statistics?${query}`, headers: { authorization: `Bearer ${bearer}` } });

  // Reports arrive in November; the public pages are looked at in December, once November has ended.
  let now = new Date('2026-11-20T12:00:00Z');

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    token = (await ctx.services.tokens.create('Analyst', ['statistics:read'])).token;
    const reportToken = (await ctx.services.tokens.create('Bank', ['reports:write'])).token;
    // Real reports through the API: counted the moment they are stored.
    const submit = (postcode: string, narrative: string, pence: number) =>
      ctx.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        headers: { authorization: `Bearer ${reportToken}` },
        payload: {
          reporter: { type: 'individual', name: 'A', postcode },
          incident: { narrative, losses: pence > 0 ? [{ amount_pence: pence, method: 'card' }] : [] },
          consents: { victim_support: false },
        },
      });
    for (let i = 0; i < 6; i++)
      expect((await submit('CA1 1AA', 'paid for a sofa on eBay that never arrived', 10000)).statusCode).toBe(
        201,
      );
    for (let i = 0; i < 2; i++)
      expect((await submit('M1 1AE', 'paid for a sofa on eBay that never arrived', 5000)).statusCode).toBe(
        201,
      );
    const db = ctx.services.database.db;
    // Earlier months, as a legacy import would add them.
    await addDailyStats(db, {
      day: '2026-10-03',
      force_id: 'cumbria',
      category: 'romance-fraud',
      cyber: 'enabled',
      source: 'legacy',
      shard: 0,
      reports: 12,
      loss_pence: 345600,
    });
    await addDailyStats(db, {
      day: '2026-10-04',
      force_id: 'lancashire',
      category: 'malware',
      cyber: 'dependent',
      source: 'legacy',
      shard: 0,
      reports: 3,
      loss_pence: 0,
    });
    await addDailyStats(db, {
      day: '2026-10-05',
      force_id: 'cumbria',
      category: 'phishing-attempt',
      cyber: 'none',
      source: 'report',
      shard: 0,
      reports: 50,
      loss_pence: 0,
    });
    await addDailyStats(db, {
      day: '2025-01-01',
      force_id: 'cumbria',
      category: 'malware',
      cyber: 'dependent',
      source: 'legacy',
      shard: 0,
      reports: 7,
      loss_pence: 0,
    });
    now = new Date('2026-12-05T09:00:00Z');
  });
  afterAll(() => ctx.close());

  it('groups by force and month with totals, counting reports and legacy records and not intelligence', async () => {
    const res = await api('from=2026-10-01&to=2026-11-30&group_by=force,month');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      from: '2026-10-01',
      to: '2026-11-30',
      group_by: ['force', 'month'],
      rows: [
        { force: 'cumbria', month: '2026-10', reports: 12, loss_pence: 345600 },
        { force: 'cumbria', month: '2026-11', reports: 6, loss_pence: 60000 },
        { force: 'greater-manchester', month: '2026-11', reports: 2, loss_pence: 10000 },
        { force: 'lancashire', month: '2026-10', reports: 3, loss_pence: 0 },
      ],
      total: { reports: 23, loss_pence: 415600 },
    });
  });

  it('shows only crime with an online element as cybercrime; staff figures keep the rest', async () => {
    await addDailyStats(ctx.services.database.db, {
      day: '2026-10-06',
      force_id: 'cumbria',
      category: 'other',
      cyber: 'none',
      source: 'legacy',
      shard: 0,
      reports: 40,
      loss_pence: 0,
    });
    const csv = await ctx.app.inject('/statistics.csv?from=2026-10&to=2026-10&group_by=cyber');
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toMatch(/^enabled,/m);
    expect(csv.body).not.toMatch(/^none,/m);
    const page = await ctx.app.inject('/statistics?from=2026-10&to=2026-10');
    expect(page.body).toContain('id="imported-not-counted"');
    const exact = await api('from=2026-10-01&to=2026-10-31&group_by=cyber');
    expect(exact.json<{ rows: { cyber: string; reports: number }[] }>().rows).toContainEqual({
      cyber: 'none',
      reports: 40,
      loss_pence: 0,
    });
    await addDailyStats(ctx.services.database.db, {
      day: '2026-10-06',
      force_id: 'cumbria',
      category: 'other',
      cyber: 'none',
      source: 'legacy',
      shard: 0,
      reports: -40,
      loss_pence: 0,
    });
  });

  it('adds forces up into regions and filters by force and category', async () => {
    const byRegion = (await api('from=2026-01-01&to=2026-12-31&group_by=region')).json<{ rows: unknown[] }>();
    expect(byRegion.rows).toEqual([{ region: 'north-west', reports: 23, loss_pence: 415600 }]);
    const filtered = (
      await api(
        'from=2026-01-01&to=2026-12-31&group_by=category,cyber&force=cumbria&category=romance-fraud,malware',
      )
    ).json<{ rows: unknown[]; total: unknown }>();
    expect(filtered.rows).toEqual([
      { category: 'romance-fraud', cyber: 'enabled', reports: 12, loss_pence: 345600 },
    ]);
    const all = (await api('from=2025-01-01&to=2026-12-31')).json<{
      rows: unknown[];
      total: { reports: number };
    }>();
    expect(all.rows).toEqual([{ reports: 30, loss_pence: 415600 }]);
    expect(all.total.reports).toBe(30);
  });

  it.each([
    ['to=2026-11-30', 'from'],
    ['from=2026-02-30&to=2026-11-30', 'from'],
    ['from=2026-11-30&to=2026-11-01', 'to'],
    ['from=2026-01-01&to=2026-11-30&group_by=force,colour', 'group_by'],
    ['from=2026-01-01&to=2026-11-30&force=atlantis', 'force'],
    ['from=2026-01-01&to=2026-11-30&category=bank-robbery', 'category'],
  ])('answers 400 problem+json naming the field for %s', async (query, field) => {
    const res = await api(query);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json<{ errors: { name: string }[] }>().errors.map((e) => e.name)).toContain(field);
  });

  it('needs a statistics:read token', async () => {
    expect((await ctx.app.inject('/api/v1/statistics?from=2026-01-01&to=2026-01-02')).statusCode).toBe(401);
    const writer = (await ctx.services.tokens.create('Writer', ['reports:write'])).token;
    expect((await api('from=2026-01-01&to=2026-01-02', writer)).statusCode).toBe(403);
  });

  it('shows the public page with charts and tables, counts rounded to 5 and small ones as "fewer than 5"', async () => {
    const res = await ctx.app.inject('/statistics?from=2026-10&to=2026-11');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<svg class="app-chart"');
    expect(res.body).toContain('role="img"');
    expect(res.body).toContain('October 2026 to November 2026');
    // Cells: romance fraud 12 → 10 (money £3,456 → £3,000), malware 3, online shopping 6 → 5, Manchester 2: 10+2.5+5+2.5.
    expect(res.body).toMatch(/North West<\/th>\s*<td[^>]*>20<\/td>\s*<td[^>]*>£3,000</);
    expect(res.body).toMatch(/Romance \(dating\) fraud<\/th>\s*<td[^>]*>10<\/td>/);
    expect(res.body).toMatch(
      /Computer viruses and malware<\/th>\s*<td[^>]*>fewer than 5<\/td>\s*<td[^>]*><\/td>/,
    );
    expect(res.body).not.toContain('£3,456');
    expect(res.body).not.toMatch(/>\s*(23|18|12|3)\s*</);
    expect(res.body).toContain('How these figures are counted');
    expect(res.body).toContain('href="/statistics.csv?from=2026-10&amp;to=2026-11"');
    const welsh = await ctx.app.inject('/statistics?from=2026-10&to=2026-11&lng=cy');
    expect(welsh.body).toContain('<html lang="cy"');
    expect(welsh.body).toContain('llai na 5');
  });

  it('picks whole months with month and year fields, the last 12 ended months by default', async () => {
    const res = await ctx.app.inject('/statistics');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('name="from-month"');
    expect(res.body).toContain('name="to-year"');
    expect(res.body).not.toContain('type="date"');
    expect(res.body).toContain('December 2025 to November 2026');
    const parts = await ctx.app.inject(
      '/statistics?from-month=10&from-year=2026&to-month=10&to-year=2026&force=cumbria&category=',
    );
    expect(parts.statusCode).toBe(200);
    expect(parts.body).toContain('October 2026 to October 2026');
    expect(parts.body).toContain('href="/statistics.csv?from=2026-10&amp;to=2026-10&amp;force=cumbria"');
  });

  it.each([
    ['from=nope&to=2026-11', 'from-month', 'Start month must be a real month'],
    ['from=2026-10-01&to=2026-11-30', 'from-month', 'Start month must be a real month'],
    [
      'from-month=13&from-year=2026&to-month=11&to-year=2026',
      'from-month',
      'Start month must be a real month',
    ],
    ['from-month=&from-year=&to-month=11&to-year=2026', 'from-month', 'Enter the start month'],
    ['from=2026-10&to=2026-12', 'to-month', 'End month must be November 2026 or earlier'],
    ['from=2026-10&to=2026-09', 'to-month', 'End month must be the same as or after the start month'],
    ['from=2000-01&to=2026-11', 'to-month', 'within 20 years'],
    ['from=2026-10&to=2026-11&force=atlantis', 'force', 'Select a police force from the list'],
    ['from=2026-10&to=2026-11&force=cumbria,lancashire', 'force', 'Select a police force from the list'],
    ['from=2026-10&to=2026-11&category=phishing-attempt', 'category', 'Select a type of crime from the list'],
  ])('shows a GOV.UK error summary for %s', async (query, id, message) => {
    const res = await ctx.app.inject(`/statistics?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain(`href="#${id}"`);
    expect(res.body).toContain(message);
  });

  it('names the field in Welsh too', async () => {
    const res = await ctx.app.inject('/statistics?from=2026-10&to=2026-12&lng=cy');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Rhaid i’r mis gorffen fod yn Tachwedd 2026 neu’n gynharach');
  });

  it('downloads the same protected figures as CSV', async () => {
    const res = await ctx.app.inject('/statistics.csv?from=2026-10&to=2026-11&group_by=force');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.body.trim().split('\n')).toEqual([
      'force,reports,loss_pounds',
      'cumbria,15,3000',
      'greater-manchester,fewer than 5,',
      'lancashire,fewer than 5,',
    ]);
    const byDefault = await ctx.app.inject('/statistics.csv?from=2026-10&to=2026-11');
    expect(byDefault.body.trim().split('\n')).toEqual([
      'month,force,category,reports,loss_pounds',
      '2026-10,cumbria,romance-fraud,10,3000',
      '2026-10,lancashire,malware,fewer than 5,',
      '2026-11,cumbria,online-shopping-fraud,5,',
      '2026-11,greater-manchester,online-shopping-fraud,fewer than 5,',
    ]);
  });

  it.each([
    ['from=2026-10-01&to=2026-11-30', 'from:'],
    ['from=2026-10&to=2026-12', 'to:'],
    ['from=2026-10&to=2026-11&group_by=force,colour', 'group_by:'],
    ['from=2026-10&to=2026-11&group_by=force,force', 'group_by:'],
  ])('answers a bad CSV request %s with 400 naming the field', async (query, field) => {
    const res = await ctx.app.inject(`/statistics.csv?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(field);
  });

  // Last: the rebuild drops the legacy counts added directly above, which have no legacy records behind them.
  it('rebuilds the running counts from the records to the same figures', async () => {
    const before = (await api('from=2026-11-01&to=2026-11-30&group_by=force,category')).json<unknown>();
    await ctx.services.statistics.rebuild();
    const after = (await api('from=2026-11-01&to=2026-11-30&group_by=force,category')).json<unknown>();
    expect(after).toEqual(before);
  });
});
