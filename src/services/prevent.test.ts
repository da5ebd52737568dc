import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import type { Role, StaffMember } from '../domain/access/access-policy.ts';
import { PREVENT_RETENTION_DAYS } from '../domain/prevent/prevent-referral.ts';
import type { PreventReferralInput } from './prevent.ts';
import { ServiceError } from './service-error.ts';

const DAY = 86_400_000;
const person = (
  email: string,
  role: Role,
  unitId: string | null,
  forceId: string | null = null,
): StaffMember => ({
  email,
  role,
  unitId,
  forceId,
});
const NW_PREVENT = person('prevent@nw.example', 'prevent-officer', 'nwrocu-rccu');
const EAST_PREVENT = person('prevent@east.example', 'prevent-officer', 'ersou-rccu');
const NW_REGIONAL = person('regional@nw.example', 'regional-officer', 'nwrocu-rccu');
const CUMBRIA_OFFICER = person('officer@cumbria.example', 'force-officer', 'cumbria-cyber', 'cumbria');
const ANALYST = person('analyst@example', 'analyst', null);
const SCHOOL = {
  kind: 'school' as const,
  name: 'Ms Head',
  email: 'head@school.example',
  phone: null,
  organisation: 'Lakeside Academy',
};
const child = (over: Partial<PreventReferralInput> = {}): PreventReferralInput => ({
  youngPerson: 'Sam',
  age: 14,
  forceId: 'cumbria',
  concern: 'Has been running a booter service from his bedroom',
  aware: true,
  lng: 'en',
  ...over,
});

async function refusal(promise: Promise<unknown>): Promise<ServiceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ServiceError)) throw new Error(`expected a ServiceError, got ${String(error)}`);
  return error;
}

describe(`Prevent referrals (${testDialect})`, () => {
  let now = new Date('2026-03-10T10:00:00.000Z');
  let ctx: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    ctx = await createTestServices({}, { clock: () => now });
  });
  afterAll(() => ctx.cleanup());
  const row = (id: number) =>
    ctx.database.db
      .selectFrom('prevent_referrals')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('routes a school’s referral to its region’s Prevent officers only, and takes it through the workflow in order', async () => {
    const { id, unitId } = await ctx.prevent.referFromPublic(SCHOOL, child());
    expect(unitId).toBe('nwrocu-rccu');
    expect(await row(id)).toMatchObject({
      region_id: 'north-west',
      source: 'school',
      status: 'new',
      aware: 1,
    });
    expect((await ctx.prevent.queue(NW_PREVENT)).map((r) => r.id)).toEqual([id]);
    expect((await ctx.prevent.find(NW_PREVENT, id)).next).toBe('contacted');

    // Another region's Prevent officer, the region's own investigators and a force officer: it does not exist.
    expect(await ctx.prevent.queue(EAST_PREVENT)).toEqual([]);
    expect(await ctx.prevent.queue(NW_REGIONAL)).toEqual([]);
    for (const stranger of [EAST_PREVENT, NW_REGIONAL, CUMBRIA_OFFICER, ANALYST]) {
      expect((await refusal(ctx.prevent.find(stranger, id))).kind).toBe('not-found');
      expect((await refusal(ctx.prevent.advance(stranger, id, { action: 'contacted' }))).kind).toBe(
        'not-found',
      );
    }
    expect((await row(id)).status).toBe('new');

    // Steps only in order, each once.
    expect((await refusal(ctx.prevent.advance(NW_PREVENT, id, { action: 'close' }))).code).toBe(
      'prevent-step',
    );
    await ctx.prevent.advance(NW_PREVENT, id, { action: 'contacted' });
    expect((await refusal(ctx.prevent.advance(NW_PREVENT, id, { action: 'contacted' }))).kind).toBe(
      'conflict',
    );
    const badType = { action: 'intervention', type: 'detention' } as unknown as { action: 'close' };
    expect((await refusal(ctx.prevent.advance(NW_PREVENT, id, badType))).code).toBe('prevent-intervention');
    await ctx.prevent.advance(NW_PREVENT, id, { action: 'intervention', type: 'cyber-choices-session' });
    await ctx.prevent.advance(NW_PREVENT, id, { action: 'outcome', outcome: 'engaged' });
    await ctx.prevent.advance(NW_PREVENT, id, { action: 'close' });
    expect(await row(id)).toMatchObject({
      status: 'closed',
      intervention: 'cyber-choices-session',
      outcome: 'engaged',
      closed_at: now.toISOString(),
    });
    expect((await ctx.prevent.find(NW_PREVENT, id)).next).toBeNull();
    // Audited without the young person's details (the audit log outlives the referral's retention).
    const audit = await ctx.database.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', 'like', 'prevent-%')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'prevent-referral-received',
      ...Array<string>(4).fill('prevent-referral-step'),
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/Sam|booter|Lakeside|head@school/);
  });

  it('lets officers of a unit refer from the workspace, and nobody else', async () => {
    const { id } = await ctx.prevent.referFromWorkspace(CUMBRIA_OFFICER, child({ forceId: 'lancashire' }));
    expect(await row(id)).toMatchObject({
      source: 'officer',
      referred_by: CUMBRIA_OFFICER.email,
      referrer_email: CUMBRIA_OFFICER.email,
      unit_id: 'nwrocu-rccu',
    });
    for (const who of [ANALYST, NW_PREVENT, person('admin@example', 'admin', null)])
      expect((await refusal(ctx.prevent.referFromWorkspace(who, child()))).code).toBe('prevent-refer');
  });

  it('refuses what the forms should have caught, naming the field', async () => {
    const cases: [Promise<unknown>, string][] = [
      [ctx.prevent.referFromPublic(SCHOOL, child({ age: 40 })), 'age'],
      [ctx.prevent.referFromPublic(SCHOOL, child({ youngPerson: ' ' })), 'youngPerson'],
      [ctx.prevent.referFromPublic(SCHOOL, child({ concern: 'x'.repeat(2001) })), 'concern'],
      [ctx.prevent.referFromPublic(SCHOOL, child({ forceId: 'atlantis' })), 'postcode'],
      [ctx.prevent.referFromPublic({ ...SCHOOL, kind: 'officer' as 'school' }, child()), 'referrerKind'],
      [ctx.prevent.referFromPublic({ ...SCHOOL, email: 'nope' }, child()), 'referrerEmail'],
      [ctx.prevent.referFromPublic({ ...SCHOOL, organisation: '' }, child()), 'organisation'],
    ];
    for (const [attempt, field] of cases) {
      const error = await refusal(attempt);
      expect([error.kind, error.field]).toEqual(['invalid', field]);
    }
  });

  it('counts referrals by region and month with small numbers protected, and the retention job empties old ones', async () => {
    for (let i = 0; i < 6; i++) await ctx.prevent.referFromPublic(SCHOOL, child({ forceId: 'kent' }));
    now = new Date('2026-04-02T09:00:00.000Z');
    expect(await ctx.prevent.publishedFigures()).toEqual([
      { regionId: 'eastern', month: '2026-03', referrals: 5 },
      { regionId: 'north-west', month: '2026-03', referrals: 'fewer-than-5' },
    ]);

    // The closed referral's details go PREVENT_RETENTION_DAYS after it closed; open ones only once idle that long.
    now = new Date(new Date('2026-03-10T10:00:00.000Z').getTime() + (PREVENT_RETENTION_DAYS - 1) * DAY);
    expect(await ctx.retention.removeExpiredPreventReferrals()).toBe(0);
    const open = await ctx.prevent.referFromPublic(
      { ...SCHOOL, kind: 'parent', organisation: null },
      child(),
    );
    now = new Date(now.getTime() + 2 * DAY);
    expect(await ctx.retention.removeExpiredPreventReferrals()).toBe(8);
    const [first] = await ctx.database.db.selectFrom('prevent_referrals').selectAll().orderBy('id').execute();
    expect(first).toMatchObject({
      status: 'closed',
      young_person: null,
      age: null,
      concern: null,
      referrer_name: null,
      referrer_email: null,
      referrer_organisation: null,
      region_id: 'north-west',
    });
    expect((await row(open.id)).young_person).toBe('Sam');
    // Nothing is taken further once emptied, and the figures still count it.
    expect((await ctx.prevent.find(NW_PREVENT, 2)).next).toBeNull();
    expect((await refusal(ctx.prevent.advance(NW_PREVENT, 2, { action: 'contacted' }))).kind).toBe(
      'conflict',
    );
    expect(
      (
        await ctx.database.db
          .selectFrom('audit_log')
          .select('detail')
          .where('action', '=', 'prevent-personal-data-removed')
          .execute()
      ).map((a) => a.detail),
    ).toEqual([expect.stringContaining('8 Prevent referral(s)')]);
  });
});
