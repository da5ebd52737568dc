/**
 * reference/bank-holidays.json covers a fixed run of years: once the clock reaches the last one, the hourly
 * housekeeping (and start-up, which runs the same check) warns, and the metrics say so, before a year's bank
 * holidays silently become working days.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import { createMetrics } from '../web/plugins/metrics.ts';
import { runHousekeeping, warnBankHolidayCoverage } from './background-jobs.ts';

describe(`bank holiday coverage is watched (${testDialect})`, () => {
  let now = new Date('2026-06-01T12:00:00Z');
  let services: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    services = await createTestServices({}, { clock: () => now });
  });
  afterAll(() => services.cleanup());

  const capture = () => {
    const warned: [object, string][] = [];
    const log = {
      info: () => undefined,
      error: () => undefined,
      warn: (obj: object, msg: string) => warned.push([obj, msg]),
    };
    return { log, warned };
  };
  const gauge = async (name: string) => {
    const metric = await createMetrics(services).registry.getSingleMetric(name)?.get();
    return metric?.values[0]?.value;
  };

  it('says nothing while this year and the next are covered', async () => {
    expect(services.reference.bankHolidays.years.to).toBe(2028);
    const { log, warned } = capture();
    await runHousekeeping(services, log);
    expect(warnBankHolidayCoverage(services, log)).toBe(false);
    expect(warned).toEqual([]);
    expect(await gauge('bluelight_bank_holidays_covered')).toBe(1);
    expect(await gauge('bluelight_bank_holidays_last_year')).toBe(2028);
  });

  it('warns hourly and at start-up, and the gauge drops, once the next year is not covered', async () => {
    for (const [at, uncovered] of [
      ['2028-01-01T00:00:00Z', [2029]],
      ['2029-01-01T00:00:00Z', [2029, 2030]],
    ] as const) {
      now = new Date(at);
      const hourly = capture();
      await runHousekeeping(services, hourly.log);
      expect(hourly.warned, at).toEqual([
        [
          { lastYear: 2028, uncovered },
          `bank holidays: reference/bank-holidays.json ends with 2028; add ${uncovered.join(' and ')} from GOV.UK (docs/reference-data.md)`,
        ],
      ]);
      // Start-up runs the same check.
      const startUp = capture();
      expect(warnBankHolidayCoverage(services, startUp.log)).toBe(true);
      expect(startUp.warned).toEqual(hourly.warned);
      expect(await gauge('bluelight_bank_holidays_covered')).toBe(0);
      expect(await gauge('bluelight_bank_holidays_last_year')).toBe(2028);
    }
    // The last moment of 2027 (UTC is London's time on 31 December): still covered.
    now = new Date('2027-12-31T23:59:59Z');
    expect(warnBankHolidayCoverage(services, capture().log)).toBe(false);
    expect(await gauge('bluelight_bank_holidays_covered')).toBe(1);
  });
});
