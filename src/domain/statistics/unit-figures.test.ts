import { describe, expect, it } from 'vitest';
import { figureOf, protectCell } from './disclosure-control.ts';
import { publishUnitFigures, parseMonthRange, unitFiguresOf } from './unit-figures.ts';

describe('unit figures', () => {
  it('reads a range of whole months and names the field at fault', () => {
    const limits = { latest: '2026-12', maxMonths: 36 };
    expect(parseMonthRange('2026-01', '2026-12', limits)).toEqual({
      ok: true,
      from: '2026-01',
      to: '2026-12',
    });
    const problems = (from: unknown, to: unknown) => {
      const parsed = parseMonthRange(from, to, limits);
      return parsed.ok ? [] : parsed.problems;
    };
    expect(problems('2026-1', undefined)).toEqual([
      { field: 'from', code: 'format' },
      { field: 'to', code: 'format' },
    ]);
    expect(problems('2026-13', '2026-12')).toEqual([{ field: 'from', code: 'format' }]);
    expect(problems('2026-05', '2026-04')).toEqual([{ field: 'to', code: 'order' }]);
    expect(problems('2026-05', '2027-01')).toEqual([{ field: 'to', code: 'too-late' }]);
    expect(problems('2023-12', '2026-12')).toEqual([{ field: 'from', code: 'too-long' }]);
    expect(problems('2024-01', '2026-12')).toEqual([]);
  });

  it('publishes closed cases from protected outcome cells, and a median only from 10 examinations', () => {
    const examinations = (n: number, month: string) =>
      Array.from({ length: n }, (_, i) => ({
        requested_at: `${month}-01T00:00:00.000Z`,
        completed_at: `${month}-${String(2 + i).padStart(2, '0')}T12:00:00.000Z`,
        status: 'complete',
      }));
    const counts = [
      { measure: 'cases-closed', month: '2026-10', detail: 'caution', n: 3 },
      { measure: 'cases-closed', month: '2026-10', detail: 'advice-given', n: 3 },
      { measure: 'forensic-completed', month: '2026-10', detail: '', n: 9 },
      { measure: 'forensic-completed', month: '2026-11', detail: '', n: 10 },
    ];
    const exact = unitFiguresOf('cumbria-cyber', '2026-10', '2026-11', counts, [
      ...examinations(9, '2026-10'),
      ...examinations(10, '2026-11'),
    ]);
    expect(exact.months.map((m) => m.forensicMedianDays)).toEqual([5.5, 6]);
    const published = publishUnitFigures(exact, counts);
    const [october, november] = published.months;
    // Exactly 3 + 3 cases: two cells of "fewer than 5" (2.5 each) add up to 5, never the exact 6.
    expect(october?.casesClosed).toBe(5);
    expect(october?.outcomes).toEqual({ caution: 'fewer-than-5', 'advice-given': 'fewer-than-5' });
    expect([october?.forensicMedianDays, november?.forensicMedianDays]).toEqual([null, 6]);
    expect(published.total.forensicMedianDays).toBe(6);
  });

  it("adds a month's reports up from the crime figures' cells, so a force page and its unit's page agree", () => {
    // A unit that received exactly Cumbria's crimes in October: 5 frauds, 1 hacking, 1 ransomware.
    const cells = [
      { detail: 'cumbria|fraud|enabled', n: 5 },
      { detail: 'cumbria|hacking|dependent', n: 1 },
      { detail: 'cumbria|ransomware|dependent', n: 1 },
    ];
    const counts = cells.map((c) => ({ measure: 'reports', month: '2026-10', ...c }));
    const exact = unitFiguresOf('cumbria-cyber', '2026-10', '2026-10', counts, []);
    expect(exact.months[0]?.reports).toBe(7);
    const published = publishUnitFigures(exact, counts);
    // The force's total on /statistics: its protected cells (5, fewer than 5, fewer than 5) added up, 10.
    const forceTotal = figureOf(cells.map((c) => protectCell(c.n, 0))).reports;
    expect(forceTotal).toBe(10);
    // Rounding the exact 7 on its own would give 5: beside the force's 5 + two cells of at least 1, that pins the
    // two small cells to exactly 1 each. The unit page gives the force's own figure instead.
    expect(published.months[0]?.reports).toBe(forceTotal);
    expect(published.total.reports).toBe(forceTotal);
  });
});
