/**
 * Unit figures (issue 24): each unit's work by month — reports received, cases opened and closed with their
 * outcomes, forensic examinations (requested, completed, median turnaround, backlog), Protect engagements and people
 * reached, Prevent referrals and alerts published. Staff and the statistics API read them exact; the public page
 * reads only `published`, protected cell by cell as the crime figures are.
 */
import type { Db } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import {
  monthsBack,
  nextMonth,
  publishUnitFigures,
  unitFiguresOf,
  type ExactUnitFigures,
  type PublishedUnitFigures,
} from '../domain/statistics/unit-figures.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import { ServiceError } from './service-error.ts';
import { lastPublishedMonth } from './statistics.ts';

/** The public page shows this many ended months. */
export const PUBLIC_UNIT_MONTHS = 12;
/** The longest range staff and the API may ask for at once. */
export const MAX_UNIT_MONTHS = 36;

export function createUnitFigures(
  db: Db,
  reference: ReferenceData,
  clock: () => Date,
  repos: Repositories = repositories,
) {
  async function load(unitId: string, from: string, to: string) {
    if (reference.unit(unitId) === undefined)
      throw new ServiceError('not-found', 'unit', 'No such unit', { field: 'id' });
    const range = { from: `${from}-01T00:00:00.000Z`, to: `${nextMonth(to)}-01T00:00:00.000Z` };
    const [counts, examinations] = await Promise.all([
      repos.unitFigures.countUnitFigures(db, unitId, range),
      repos.unitFigures.examinationsOpenIn(db, unitId, range),
    ]);
    return { counts, exact: unitFiguresOf(unitId, from, to, counts, examinations) };
  }

  /** Exact figures of a unit from `from` to `to` (whole months, YYYY-MM, both included); checked by the caller. */
  async function exact(unitId: string, from: string, to: string): Promise<ExactUnitFigures> {
    return (await load(unitId, from, to)).exact;
  }

  return {
    exact,

    /** The month staff figures end in by default (the current one) and the months a range may end in. */
    currentMonth: () => clock().toISOString().slice(0, 7),

    /**
     * The last 12 ended months, protected (see domain/statistics/unit-figures.ts). Ended months only, as the crime
     * figures: nobody can add to an ended month to watch a small cell cross a threshold.
     */
    async published(unitId: string): Promise<PublishedUnitFigures> {
      const to = lastPublishedMonth(clock());
      const { exact: figures, counts } = await load(unitId, monthsBack(to, PUBLIC_UNIT_MONTHS - 1), to);
      return publishUnitFigures(figures, counts);
    },
  };
}

export type UnitFiguresService = ReturnType<typeof createUnitFigures>;
