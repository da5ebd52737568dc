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

/** Whether the lists cover this year and the next (a year missing would count its holidays as working days). */
export interface BankHolidayCoverage {
  /** 1 for the gauge when both are covered. */
  covered: boolean;
  lastYear: number;
  /** This year and the next, those the file does not cover. */
  uncovered: number[];
}

/**
 * The lists' coverage at `now`. The UK year is the UTC year: 1 January starts at the same instant in London (GMT
 * in winter). The next year counts so that the warning comes a year ahead, when GOV.UK has already published it.
 */
export function bankHolidayCoverage(years: { from: number; to: number }, now: Date): BankHolidayCoverage {
  const year = now.getUTCFullYear();
  const uncovered = [year, year + 1].filter((y) => y < years.from || y > years.to);
  return { covered: uncovered.length === 0, lastYear: years.to, uncovered };
}
