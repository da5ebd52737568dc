/**
 * Bank holidays: a unit's days off, when urgent items also go to its out-of-hours contact. The UK has three lists
 * (England and Wales, Scotland, Northern Ireland); a unit works the one of its force's nation. The days come from
 * reference/bank-holidays.json, checked here. Pure.
 */

export const BANK_HOLIDAY_DIVISIONS = ['england-and-wales', 'scotland', 'northern-ireland'] as const;
export type BankHolidayDivision = (typeof BANK_HOLIDAY_DIVISIONS)[number];

/** The list a force's nation keeps (British Transport Police, across Great Britain, works England and Wales's). */
export function divisionOfNation(nation: string): BankHolidayDivision {
  if (nation === 'scotland') return 'scotland';
  if (nation === 'northern-ireland') return 'northern-ireland';
  return 'england-and-wales';
}

export interface BankHolidayLists {
  years: { from: number; to: number };
  divisions: Record<BankHolidayDivision, readonly { date: string; name: string }[]>;
}

/** Every problem with the lists: a day that does not exist, at a weekend, out of order or outside the years, a year without days. */
export function checkBankHolidays(file: BankHolidayLists): string[] {
  const problems: string[] = [];
  const { from, to } = file.years;
  if (from > to) problems.push(`bank holidays: years run from ${String(from)} to ${String(to)}`);
  for (const division of BANK_HOLIDAY_DIVISIONS) {
    const days = file.divisions[division];
    let previous = '';
    for (const { date } of days) {
      const at = new Date(`${date}T00:00:00Z`);
      const year = Number(date.slice(0, 4));
      if (Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== date)
        problems.push(`bank holidays: ${division} ${date} is not a date`);
      // Substitute days are listed instead: a weekend day in the list is a mistake.
      else if (at.getUTCDay() === 0 || at.getUTCDay() === 6)
        problems.push(`bank holidays: ${division} ${date} is at a weekend (list its substitute day)`);
      if (year < from || year > to)
        problems.push(`bank holidays: ${division} ${date} is outside ${String(from)}–${String(to)}`);
      if (date <= previous)
        problems.push(`bank holidays: ${division} ${date} is out of order or listed twice`);
      previous = date;
    }
    for (let year = from; year <= to; year++)
      if (!days.some((d) => d.date.startsWith(`${String(year)}-`)))
        problems.push(`bank holidays: ${division} has no days in ${String(year)}`);
  }
  return problems;
}
