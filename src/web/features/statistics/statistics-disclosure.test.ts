import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishedRow } from '../../../domain/statistics/disclosure-control.ts';
import { GROUP_BY, type GroupBy } from '../../../services/statistics.ts';
import { recoverBounds } from '../../../../test/support/subtraction-attack.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';

/**
 * The attack from issue 15: one force has exactly one victim of one type of crime, with a known loss. Everything
 * a member of the public can fetch must stay the same whether that cell holds 1 crime or 4, with any loss —
 * then no subtraction of public figures can reveal them — while the staff API still gives the exact count.
 */
const MONTHS = ['2026-08', '2026-09', '2026-10', '2026-11'];
const RANGES = MONTHS.flatMap((from, i) => MONTHS.slice(i).map((to) => [from, to] as const));
// Every force and type with figures, and one without (which selects nothing in either world).
const FORCES = ['', 'cumbria', 'greater-manchester', 'lancashire'];
const CATEGORIES = ['', 'romance-fraud', 'online-shopping-fraud', 'investment-fraud', 'malware'];
/** Every grouping the CSV offers; other orders of the same columns only reorder them. */
const GROUPINGS: GroupBy[][] = Array.from({ length: 1 << GROUP_BY.length }, (_, mask) =>
  GROUP_BY.filter((_g, i) => (mask >> i) & 1),
);
const VICTIM_LOSS_PENCE = 432_199;
const NARRATIVES = {
  romance: 'I met a man on a dating site who said he loved me and asked me to send money for his flights',
  shopping: 'bought a puppy online, paid £400, it never arrived',
  investment: 'fake investment platform took my savings',
};

describe('public figures cannot be undone by subtraction', () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let now = new Date('2026-10-14T10:00:00Z');
  let partner = '';
  let analyst = '';

  const report = async (postcode: string, narrative: string, pence: number, times = 1) => {
    for (let i = 0; i < times; i++) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        headers: { authorization: `Bearer ${partner}` },
        payload: {
          reporter: { type: 'individual', name: 'A', postcode },
          incident: {
            narrative,
            losses: pence > 0 ? [{ amount_pence: pence, method: 'card' }] : [],
          },
          consents: { victim_support: false },
        },
      });
      expect(res.statusCode).toBe(201);
    }
  };
  const at = async (iso: string, seed: () => Promise<void>) => {
    now = new Date(iso);
    await seed();
    now = new Date('2026-12-03T09:00:00Z');
  };

  /** Every public page and CSV for every choice above; only the per-request CSP nonce and CSRF token may differ. */
  async function everythingPublic(): Promise<Map<string, string>> {
    const urls = ['/statistics', '/statistics.csv', '/statistics?lng=cy'];
    for (const [from, to] of RANGES)
      for (const force of FORCES)
        for (const category of CATEGORIES) {
          const filters = new URLSearchParams({ from, to, force, category }).toString();
          urls.push(`/statistics?${filters}`);
          if ((force === '' || force === 'cumbria') && (category === '' || category === 'romance-fraud'))
            for (const groupBy of GROUPINGS)
              urls.push(`/statistics.csv?${filters}&group_by=${groupBy.join(',')}`);
        }
    const pages = new Map<string, string>();
    // A few at a time: PostgreSQL answers them side by side.
    for (let i = 0; i < urls.length; i += 8)
      await Promise.all(
        urls.slice(i, i + 8).map(async (url) => {
          const res = await ctx.app.inject(url);
          expect(res.statusCode, url).toBe(200);
          pages.set(
            url,
            res.body.replace(/nonce="[^"]*"/g, '').replace(/name="csrf-token" content="[^"]*"/, ''),
          );
        }),
      );
    return pages;
  }

  const exactVictimCell = async () => {
    const res = await ctx.app.inject({
      url: '/api/v1/statistics?from=2026-10-01&to=2026-10-31&group_by=force,category&force=cumbria&category=romance-fraud',
      headers: { authorization: `Bearer ${analyst}` },
    });
    return res.json<{ rows: { reports: number; loss_pence: number }[] }>().rows;
  };

  let worldOne = new Map<string, string>();

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    partner = (await ctx.services.tokens.create('Bank', ['reports:write'])).token;
    analyst = (await ctx.services.tokens.create('Analyst', ['statistics:read'])).token;
    await at('2026-09-10T10:00:00Z', () => report('CA1 1AA', NARRATIVES.investment, 250_000, 3));
    await at('2026-10-14T10:00:00Z', async () => {
      await report('CA1 1AA', NARRATIVES.romance, VICTIM_LOSS_PENCE); // the one victim
      await report('CA1 1AA', NARRATIVES.shopping, 40_000, 6);
      await report('CA1 1AA', NARRATIVES.investment, 500_000, 12);
      await report('M1 1AE', NARRATIVES.romance, 120_000, 7);
    });
    await at('2026-11-05T10:00:00Z', async () => {
      await report('CA1 1AA', NARRATIVES.romance, 10_000, 2);
      await report('M1 1AE', NARRATIVES.romance, 10_000, 5);
    });
    worldOne = await everythingPublic();
  }, 600_000);
  afterAll(() => ctx.close());

  it('the staff API counts the victim exactly', async () => {
    expect(await exactVictimCell()).toEqual([
      expect.objectContaining({ reports: 1, loss_pence: VICTIM_LOSS_PENCE }),
    ]);
  });

  it('subtracting the other types from the force total, along every row, column and total, finds neither', async () => {
    // What the old page allowed: Cumbria's October total minus its other types.
    const csv = async (groupBy: GroupBy[]) => {
      const res = await ctx.app.inject(
        `/statistics.csv?from=2026-10&to=2026-10&group_by=${groupBy.join(',')}`,
      );
      return parse<Record<string, string>>(res.body, { columns: true }).map((line) => {
        const row: PublishedRow<GroupBy> = {
          reports: line.reports === 'fewer than 5' ? 'fewer-than-5' : Number(line.reports),
          lossPounds:
            line.loss_pounds === '' || line.loss_pounds === undefined ? null : Number(line.loss_pounds),
        };
        for (const g of groupBy) row[g] = line[g] === '' ? null : (line[g] ?? null);
        return row;
      });
    };
    const forceTotal = (await csv(['force'])).find((r) => r.force === 'cumbria');
    const types = (await csv(['force', 'category'])).filter((r) => r.force === 'cumbria');
    const others = types.filter((r) => r.category !== 'romance-fraud');
    expect(types.find((r) => r.category === 'romance-fraud')).toMatchObject({
      reports: 'fewer-than-5',
      lossPounds: null,
    });
    const number = (v: number | 'fewer-than-5' | undefined) => (typeof v === 'number' ? v : 2.5);
    const difference = number(forceTotal?.reports) - others.reduce((s, r) => s + number(r.reports), 0);
    expect(difference).not.toBe(1);
    expect(
      (forceTotal?.lossPounds ?? 0) * 100 - others.reduce((s, r) => s + (r.lossPounds ?? 0) * 100, 0),
    ).not.toBe(VICTIM_LOSS_PENCE);

    // The general attack, on every grouping of October at once.
    const tables = await Promise.all(
      GROUPINGS.map(async (groupBy) => ({ groupBy, rows: await csv(groupBy) })),
    );
    const finest = (await csv(['month', 'region', 'force', 'category', 'cyber'])).map((r) => ({
      month: r.month ?? null,
      region: r.region ?? null,
      force: r.force ?? null,
      category: r.category ?? null,
      cyber: r.cyber ?? null,
    }));
    const bounds = recoverBounds(tables, finest, ['month', 'force', 'category', 'cyber'], 'protected');
    const victim = finest.findIndex((k) => k.force === 'cumbria' && k.category === 'romance-fraud');
    expect(bounds[victim]?.count).toEqual([1, 4]);
    expect(bounds[victim]?.lossPence[1]).toBe(Infinity);
  });

  it('no public page or CSV shows the victim’s loss in any form', () => {
    for (const [url, body] of worldOne) expect(body, url).not.toMatch(/4,?32[12]/);
  });

  it('every public page and CSV is the same when that cell holds 4 crimes and another loss', async () => {
    await at('2026-10-20T10:00:00Z', () => report('CA1 1AA', NARRATIVES.romance, 8_765_000, 3));
    expect(await exactVictimCell()).toEqual([
      expect.objectContaining({ reports: 4, loss_pence: VICTIM_LOSS_PENCE + 3 * 8_765_000 }),
    ]);
    const worldFour = await everythingPublic();
    expect(worldFour.size).toBe(worldOne.size);
    for (const [url, body] of worldOne) if (worldFour.get(url) !== body) expect.fail(`${url} differs`);
  }, 600_000);
});
