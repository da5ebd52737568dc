import { describe, expect, it } from 'vitest';
import { checkBankHolidays, divisionOfNation, type BankHolidayLists } from './bank-holidays.ts';

const lists = (days: Partial<BankHolidayLists['divisions']>, years = { from: 2026, to: 2026 }) => ({
  years,
  divisions: {
    'england-and-wales': [{ date: '2026-12-25', name: 'Christmas Day' }],
    scotland: [{ date: '2026-11-30', name: 'St Andrew’s Day' }],
    'northern-ireland': [{ date: '2026-03-17', name: 'St Patrick’s Day' }],
    ...days,
  },
});

describe('bank holidays', () => {
  it('are kept in three lists, one for each division of the UK (Wales with England)', () => {
    expect(
      ['england', 'wales', 'great-britain', 'scotland', 'northern-ireland'].map(divisionOfNation),
    ).toEqual([
      'england-and-wales',
      'england-and-wales',
      'england-and-wales',
      'scotland',
      'northern-ireland',
    ]);
  });

  it('accept real weekdays in order within the years, and name every other problem', () => {
    expect(checkBankHolidays(lists({}))).toEqual([]);
    expect(
      checkBankHolidays(
        lists({
          'england-and-wales': [
            { date: '2026-02-30', name: 'No such day' },
            { date: '2026-12-26', name: 'Boxing Day (a Saturday)' },
            { date: '2026-12-25', name: 'Christmas Day, out of order' },
            { date: '2027-01-01', name: 'New Year’s Day, outside the years' },
          ],
          scotland: [],
        }),
      ),
    ).toEqual([
      'bank holidays: england-and-wales 2026-02-30 is not a date',
      'bank holidays: england-and-wales 2026-12-26 is at a weekend (list its substitute day)',
      'bank holidays: england-and-wales 2026-12-25 is out of order or listed twice',
      'bank holidays: england-and-wales 2027-01-01 is outside 2026–2026',
      'bank holidays: scotland has no days in 2026',
    ]);
    expect(checkBankHolidays(lists({}, { from: 2026, to: 2027 }))).toEqual([
      'bank holidays: england-and-wales has no days in 2027',
      'bank holidays: scotland has no days in 2027',
      'bank holidays: northern-ireland has no days in 2027',
    ]);
  });
});
