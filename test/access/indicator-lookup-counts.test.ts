import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndicatorType } from '../../src/domain/indicators/indicator.ts';
import { makeSubmission, suspect } from '../support/submissions.ts';
import { createTestServices, testDialect } from '../support/test-services.ts';

// The look-up's one grouped query must give what the indicator row and the old counts query gave, in every case.
describe(`indicator look-up counts as before (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let now = new Date('2026-11-20T09:00:00Z');
  beforeAll(async () => {
    services = await createTestServices({}, { clock: () => now });
  });
  afterAll(() => services.cleanup());
  const db = () => services.database.db;
  const analyst = { email: 'a@analysts.example', role: 'analyst' as const, forceId: null, unitId: null };
  const submit = async (...args: Parameters<typeof makeSubmission>) => {
    now = new Date(now.getTime() + 60_000);
    await services.reportIntake.submit(makeSubmission(...args));
    await services.intelligence.linkPending();
  };

  /** The look-up as it was before (findIndicator, then indicatorReportCounts). */
  async function before(type: string, value: string) {
    const row = await db()
      .selectFrom('indicators')
      .selectAll()
      .where('type', '=', type)
      .where('value', '=', value)
      .executeTakeFirst();
    if (row === undefined) return null;
    const counts = await db()
      .selectFrom('report_indicators')
      .innerJoin('reports', 'reports.id', 'report_indicators.report_id')
      .select((eb) => [
        eb.fn.countAll<number | string>().as('reports'),
        eb.fn.count<number | string>('reports.force_id').distinct().as('forces'),
        eb.fn.max('reports.campaign_id').as('campaign'),
      ])
      .where('report_indicators.indicator_id', '=', row.id)
      .executeTakeFirstOrThrow();
    return {
      type: row.type,
      value: row.value,
      firstSeen: row.first_seen,
      lastSeen: row.last_seen,
      reports: Number(counts.reports),
      forces: Number(counts.forces),
      warningList: row.warning_list,
      campaign: row.warning_list === null && counts.campaign !== null ? counts.campaign : null,
    };
  }

  it('agrees for every indicator: none, one force many times, many forces, campaigns, warning lists', async () => {
    // Several reports of one force naming one phone (and the same phone twice in one report).
    for (let i = 0; i < 3; i++)
      await submit({
        narrative: `rang from 07700 900111 and again 07700 900111, ${i}`,
        suspect: suspect({ phones: ['07700 900111'] }),
      });
    // Two forces, a campaign.
    await submit({ suspect: suspect({ phones: ['07700 900222'] }) });
    await submit({
      postcode: 'ME1 1AA',
      force: { id: 'kent', candidates: ['kent'] },
      narrative: 'A man rang me from +44 7700 900222 saying he was from my bank',
    });
    // Warning-listed values across forces.
    const listed = 'They used a gmail.com address, sent https://bit.ly/ and said check 8.8.8.8';
    await submit({ narrative: listed });
    await submit({ narrative: listed, postcode: 'ME1 1AA', force: { id: 'kent', candidates: ['kent'] } });
    // Two campaigns bridged, so reports of one indicator carry different campaign ids over time.
    await submit({ suspect: suspect({ emails: ['x.one@scam-shop-one.com'] }) });
    await submit({ narrative: 'emailed x.one@scam-shop-one.com about the order' });
    await submit({ suspect: suspect({ bankAccounts: ['309950-44556677'] }) });
    await submit({ narrative: 'paid sort code 30-99-50 account 44556677 for a puppy' });
    await submit({
      narrative: 'x.one@scam-shop-one.com asked me to pay sort code 30-99-50 account 44556677',
    });
    // An indicator no report names.
    await db()
      .insertInto('indicators')
      .values({
        type: 'domain',
        value: 'orphan.example',
        first_seen: now.toISOString(),
        last_seen: now.toISOString(),
      })
      .execute();
    const all = await db().selectFrom('indicators').select(['type', 'value']).execute();
    expect(all.length).toBeGreaterThan(8);
    for (const { type, value } of all) {
      const expected = await before(type, value);
      expect(
        await services.intelligence.lookup(analyst, type as IndicatorType, value),
        `${type} ${value}`,
      ).toEqual(expected);
    }
    expect(await services.intelligence.lookup(analyst, 'domain', 'orphan.example')).toMatchObject({
      reports: 0,
      forces: 0,
      campaign: null,
    });
    expect(await services.intelligence.lookup(analyst, 'domain', 'nowhere.example')).toBeNull();
    const phone = await services.intelligence.lookup(analyst, 'phone', '+447700900111');
    expect(phone).toMatchObject({ reports: 3, forces: 1 });
  });
});
