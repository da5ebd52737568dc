/**
 * Unit figures through the web: the public page per unit (protected, English and Welsh, chart and table), the
 * workspace page (exact; who may see it; its errors in Welsh), the statistics API (token, problem+json naming the
 * field), and the "who responds" page linking each level to its unit's page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorSummaryOf } from '../../../../test/support/error-summary.ts';
import { FormClient } from '../../../../test/support/form-client.ts';
import { addStaff, signInStaff } from '../../../../test/support/staff-fixtures.ts';
import { makeSubmission } from '../../../../test/support/submissions.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';
import type { Role } from '../../../domain/access/access-policy.ts';

const UNIT = 'cumbria-cyber';

describe(`unit figures pages and API (${testDialect})`, () => {
  const now = new Date('2026-12-08T10:00:00Z');
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let token = '';

  beforeAll(async () => {
    ctx = await createTestApp({}, { clock: () => now });
    token = (await ctx.services.tokens.create('Analyst', ['statistics:read'])).token;
    // 7 reports in October (published as 5), 3 in November (fewer than 5), 1 in December (not ended: not public).
    const days = [
      ...Array<string>(7).fill('2026-10-03'),
      ...Array<string>(3).fill('2026-11-20'),
      '2026-12-01',
    ];
    for (const [i, day] of days.entries()) {
      const { id } = await ctx.services.reportIntake.submit(makeSubmission({ narrative: `report ${i}` }));
      await ctx.services.database.db
        .updateTable('reports')
        .set({ unit_id: UNIT, received_unit: UNIT, created_at: `${day}T10:00:00.000Z` })
        .where('id', '=', id)
        .execute();
    }
  });
  afterAll(() => ctx.close());

  const api = (query: string, bearer = token, unit = UNIT) =>
    ctx.app.inject({
      url: `/api/v1/statistics/units/${unit}${query}`,
      headers: bearer === '' ? {} : { authorization: `Bearer ${bearer}` },
    });

  it('publishes each unit’s page with small numbers suppressed, in English and Welsh', async () => {
    const page = await ctx.app.inject(`/units/${UNIT}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<svg class="app-chart"');
    expect(page.body).toContain('id="table-reports"');
    const october =
      /<th scope="row" class="govuk-table__header">October 2026<\/th>\s*<td[^>]*>([^<]*)<\/td>/.exec(
        page.body,
      );
    const november =
      /<th scope="row" class="govuk-table__header">November 2026<\/th>\s*<td[^>]*>([^<]*)<\/td>/.exec(
        page.body,
      );
    expect([october?.[1], november?.[1]]).toEqual(['5', 'fewer than 5']);
    // The exact counts appear nowhere, and the month not yet ended is not shown.
    expect(page.body).not.toMatch(/>7<\/td>/);
    expect(page.body).not.toContain('December 2026');
    const welsh = await ctx.app.inject(`/units/${UNIT}?lng=cy`);
    expect(welsh.body).toContain('llai na 5');
    expect(welsh.body).toContain('Adroddiadau a dderbyniwyd');
    expect((await ctx.app.inject('/units/no-such-unit')).statusCode).toBe(404);
  });

  it('lists every unit by level, each linked to its figures, in English and Welsh', async () => {
    const page = await ctx.app.inject('/units');
    expect(page.statusCode).toBe(200);
    for (const unit of ctx.services.reference.units)
      expect(page.body, unit.id).toContain(`href="/units/${unit.id}"`);
    expect(page.body).toContain('Regional cyber crime units');
    expect(page.body).toContain('>Cumbria Constabulary Cyber and Digital Crime Unit<');
    const welsh = await ctx.app.inject('/units?lng=cy');
    expect(welsh.body).toContain('Unedau seiberdroseddu rhanbarthol');
    expect(welsh.body).toContain('>Uned Seiberdroseddu Ranbarthol NWROCU<');
    // Reached from a unit's page and from "who responds" when the force is not known.
    expect((await ctx.app.inject(`/units/${UNIT}`)).body).toContain('href="/units"');
    expect((await ctx.app.inject('/who-responds')).body).toContain('href="/units"');
  });

  it('links each level of "who responds" to its unit’s figures', async () => {
    const page = await ctx.app.inject('/who-responds?force=cumbria');
    for (const unit of ['cumbria-cyber', 'nwrocu-rccu', 'nccu'])
      expect(page.body).toContain(`href="/units/${unit}"`);
  });

  it('gives exact figures through the API, refusing a bad unit or month by field', async () => {
    expect((await api('?from=2026-10&to=2026-12', '')).statusCode).toBe(401);
    const writer = (await ctx.services.tokens.create('Writer', ['reports:write'])).token;
    expect((await api('?from=2026-10&to=2026-12', writer)).statusCode).toBe(403);

    const res = await api('?from=2026-10&to=2026-12');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ months: { month: string; reports: number; cases_opened: number }[] }>();
    expect(body.months.map((m) => [m.month, m.reports])).toEqual([
      ['2026-10', 7],
      ['2026-11', 3],
      ['2026-12', 1],
    ]);

    const unknown = await api('?from=2026-10&to=2026-12', token, 'atlantis-cyber');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(unknown.json<{ errors: { name: string }[] }>().errors.map((e) => e.name)).toEqual(['id']);
    for (const [query, field] of [
      ['?from=2026-13&to=2026-12', 'from'],
      ['?from=2026-10', 'to'],
      ['?from=2026-11&to=2026-10', 'to'],
      ['?from=2026-10&to=2027-01', 'to'],
      ['?from=2020-01&to=2026-10', 'from'],
    ] as const) {
      const bad = await api(query);
      expect(bad.statusCode, query).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
      expect(
        bad.json<{ errors: { name: string }[] }>().errors.map((e) => e.name),
        query,
      ).toEqual([field]);
    }
  });

  it('shows exact figures in the workspace to those who read statistics, and not to others', async () => {
    const client = async (email: string, role: Role) => {
      const totp = await addStaff(ctx.services, {
        email,
        role,
        ...(role === 'prevent-officer'
          ? { unitId: 'nwrocu-rccu' }
          : role === 'call-handler'
            ? {}
            : { forceId: 'cumbria' }),
      });
      return signInStaff(ctx.app, email, totp, now);
    };
    const officer = await client('officer@cumbria.example', 'force-officer');
    const home = await officer.get('/staff');
    expect(home.body).toContain('href="/staff/unit-figures"');
    const page = await officer.get('/staff/unit-figures?from=2026-10&to=2026-12');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/October 2026<\/th>\s*<td[^>]*>7<\/td>/);
    expect(page.body).toMatch(/December 2026<\/th>\s*<td[^>]*>1<\/td>/);

    const bad = await officer.get('/staff/unit-figures?unit=atlantis&from=2026-1&to=2027-01&lng=cy');
    expect(bad.statusCode).toBe(400);
    expect(errorSummaryOf(bad.body)).toEqual([
      'unit: Dewiswch uned o’r rhestr',
      'from: Rhowch y mis cyntaf yn y ffurf 2026-01',
    ]);

    for (const [email, role] of [
      ['prevent@nw.example', 'prevent-officer'],
      ['handler@cumbria.example', 'call-handler'],
    ] as const) {
      const other = await client(email, role);
      expect((await other.get('/staff/unit-figures')).statusCode, role).toBe(404);
      expect((await other.get('/staff')).body, role).not.toContain('href="/staff/unit-figures"');
    }
    const signedOut = new FormClient(ctx.app);
    await signedOut.get('/staff/unit-figures');
    expect(signedOut.path).toBe('/staff/sign-in');
  });
});
