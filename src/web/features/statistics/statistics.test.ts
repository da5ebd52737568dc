import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDailyStats } from '../../../db/repositories/stats-repository.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';

describe('statistics', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let token = '';
  const api = (query: string, bearer = token) =>
    ctx.app.inject({ url: `/api/v1/statistics?${query}`, headers: { authorization: `Bearer ${bearer}` } });

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => new Date('2026-11-20T12:00:00Z') });
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
    for (let i = 0; i < 6; i++) expect((await submit('CA1 1AA', 'lost money', 10000)).statusCode).toBe(201);
    for (let i = 0; i < 2; i++) expect((await submit('M1 1AE', 'lost money', 5000)).statusCode).toBe(201);
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

  it('shows the public page with charts, tables and "fewer than 5" for small counts', async () => {
    const res = await ctx.app.inject('/statistics?from=2026-10-01&to=2026-11-30');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<svg class="app-chart"');
    expect(res.body).toContain('role="img"');
    expect(res.body).toMatch(/North West[\s\S]*23/);
    expect(res.body).toContain('fewer than 5');
    expect(res.body).not.toContain('>3<');
    expect(res.body).toContain('How these figures are counted');
    const welsh = await ctx.app.inject('/statistics?from=2026-10-01&to=2026-11-30&lng=cy');
    expect(welsh.body).toContain('<html lang="cy"');
    expect(welsh.body).toContain('llai na 5');
  });

  it('shows GOV.UK errors for bad filters on the public page', async () => {
    const res = await ctx.app.inject('/statistics?from=nope&to=2026-11-30');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('href="#from"');
  });

  it('downloads the same figures as CSV, suppressing small counts', async () => {
    const res = await ctx.app.inject('/statistics.csv?from=2026-10-01&to=2026-11-30&group_by=force');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.body.trim().split('\n')).toEqual([
      'force,reports,loss_pounds',
      'cumbria,18,4056.00',
      'greater-manchester,fewer than 5,',
      'lancashire,fewer than 5,',
    ]);
  });
  // Last: the rebuild drops the legacy counts added directly above, which have no legacy records behind them.
  it('rebuilds the running counts from the records to the same figures', async () => {
    const before = (await api('from=2026-11-01&to=2026-11-30&group_by=force,category')).json<unknown>();
    await ctx.services.statistics.rebuild();
    const after = (await api('from=2026-11-01&to=2026-11-30&group_by=force,category')).json<unknown>();
    expect(after).toEqual(before);
  });
});
