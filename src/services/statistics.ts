import type { Db } from '../db/database.ts';
import { ServiceError } from './service-error.ts';

import {
  publishTable,
  type ExactCell,
  type PublishedFigure,
  type PublishedRow,
} from '../domain/statistics/disclosure-control.ts';
import { type StatsDimension } from '../db/repositories/stats-repository.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';

/** Reports units mark as duplicates or no crime do not count (one crime per victim). */
export const EXCLUDED_STATUSES = ['duplicate', 'no-crime'];
/** Intelligence-only records are not crimes: they are not counted in crime figures. */
export const NOT_CRIMES = ['phishing-attempt'];

export const GROUP_BY = ['force', 'region', 'category', 'cyber', 'month'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export interface StatisticsQuery {
  from: string;
  to: string;
  groupBy: GroupBy[];
  forces?: string[];
  categories?: string[];
}

export type StatisticsRow = Partial<Record<GroupBy, string | null>> & { reports: number; lossPence: number };

export interface StatisticsResult {
  from: string;
  to: string;
  groupBy: GroupBy[];
  rows: StatisticsRow[];
  total: { reports: number; lossPence: number };
}

/** What the public may ask for: whole months (YYYY-MM), one force or all, one type of crime or all. */
export interface PublicStatisticsQuery {
  fromMonth: string;
  toMonth: string;
  force?: string;
  category?: string;
}

export interface PublicStatistics {
  tables: PublishedRow<GroupBy>[][];
  total: PublishedFigure;
}

/** The month before the clock's: the latest month the public sees (a month is published once it has ended). */
export function lastPublishedMonth(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

/**
 * Cybercrime figures from the running daily counts: reports and imported legacy records together.
 * `query` is exact (staff API); `published` is the only way to public figures.
 */
/** How old the statistics page's count of imported records not counted as cybercrime may be. */
export const IMPORTED_NOTE_MAX_AGE_MS = 60_000;

export function createStatistics(
  db: Db,
  reference: ReferenceData,
  clock: () => Date,
  repos: Repositories = repositories,
) {
  // The public page's note on imported records counts every imported record: read at most once a minute, so a
  // page view never waits for it once it has been read (a million records took about a second to count).
  let notCounted: { at: number; counts: Promise<{ offline: number; pending: number }> } | null = null;
  let refreshing = false;
  const countNotCounted = () => repos.classificationReview.countImportedNotCounted(db);
  return {
    /**
     * Public figures for each grouping, built only from protected finest cells (month × force × type × kind;
     * see domain/statistics/disclosure-control.ts). Only ended months: reports are counted on the day they
     * arrive, so nobody can add reports to an ended month to watch a small cell cross a threshold.
     */
    async published(q: PublicStatisticsQuery, groupings: GroupBy[][]): Promise<PublicStatistics> {
      if (!/^\d{4}-\d{2}$/.test(q.fromMonth) || !/^\d{4}-\d{2}$/.test(q.toMonth))
        throw new ServiceError(
          'invalid',
          'statistics-months',
          'public statistics take whole months (YYYY-MM)',
          {
            field: 'from',
          },
        );
      if (q.toMonth > lastPublishedMonth(clock()))
        throw new ServiceError(
          'invalid',
          'statistics-ended-months',
          'public statistics cover ended months only',
          {
            field: 'to',
          },
        );
      const raw = await repos.stats.queryDailyStats(db, {
        from: `${q.fromMonth}-01`,
        // Days are YYYY-MM-DD strings: every day of the month sorts at or before -31.
        to: `${q.toMonth}-31`,
        dimensions: ['month', 'force', 'category', 'cyber'],
        forceIds: q.force === undefined ? undefined : [q.force],
        categories: q.category === undefined ? undefined : [q.category],
        excludeCategories: NOT_CRIMES,
        // Cybercrime statistics: records with no online element (imported offline crime, other reports) are
        // kept for the force's own totals (the staff API) but never shown as cybercrime.
        cyberOnly: true,
      });
      const cells: ExactCell<GroupBy>[] = raw.map((r) => {
        const force = r.force || null;
        return {
          dims: {
            month: r.month ?? null,
            force,
            region: force === null ? null : (reference.regionOfForce(force)?.id ?? null),
            category: r.category ?? null,
            cyber: r.cyber ?? null,
          },
          reports: r.reports,
          lossPence: r.loss_pence,
        };
      });
      return {
        tables: groupings.map((groupBy) => publishTable(cells, groupBy).rows),
        total: publishTable(cells, []).total,
      };
    },

    /**
     * Imported force records that are not counted as cybercrime: judged to have no online element, or waiting for
     * a person to review their classification (whole numbers across every force, rounded down to tens).
     */
    async importedNotCounted(): Promise<{ offline: number; pending: number }> {
      const now = clock().getTime();
      if (notCounted === null) {
        const counts = countNotCounted();
        notCounted = { at: now, counts };
        // A failed count is not kept: the next view asks again.
        counts.catch(() => {
          if (notCounted?.counts === counts) notCounted = null;
        });
      } else if (now - notCounted.at >= IMPORTED_NOTE_MAX_AGE_MS && !refreshing) {
        // Older than a minute: this view gets the last count, and the next ones the new one once read.
        refreshing = true;
        const counts = countNotCounted();
        counts
          .then(() => {
            notCounted = { at: clock().getTime(), counts };
          })
          .catch(() => undefined)
          .finally(() => {
            refreshing = false;
          });
      }
      const counts = await notCounted.counts;
      return { offline: Math.floor(counts.offline / 10) * 10, pending: Math.floor(counts.pending / 10) * 10 };
    },

    async query(q: StatisticsQuery): Promise<StatisticsResult> {
      // Regions are groups of forces: count by force, then add up.
      const dimensions = [...new Set(q.groupBy.map((g): StatsDimension => (g === 'region' ? 'force' : g)))];
      const raw = await repos.stats.queryDailyStats(db, {
        from: q.from,
        to: q.to,
        dimensions,
        forceIds: q.forces,
        categories: q.categories,
        excludeCategories: NOT_CRIMES,
      });
      const merged = new Map<string, StatisticsRow>();
      for (const r of raw) {
        const row: StatisticsRow = { reports: 0, lossPence: 0 };
        for (const g of q.groupBy) {
          if (g === 'region') row.region = r.force ? (reference.regionOfForce(r.force)?.id ?? null) : null;
          else if (g === 'force') row.force = r.force || null;
          else row[g] = r[g] ?? null;
        }
        const key = JSON.stringify(q.groupBy.map((g) => row[g]));
        const existing = merged.get(key) ?? row;
        existing.reports += r.reports;
        existing.lossPence += r.loss_pence;
        merged.set(key, existing);
      }
      const rows = [...merged.values()].sort((a, b) => {
        for (const g of q.groupBy) {
          const cmp = (a[g] ?? '~').localeCompare(b[g] ?? '~');
          if (cmp !== 0) return cmp;
        }
        return 0;
      });
      const total = rows.reduce(
        (t, r) => ({ reports: t.reports + r.reports, lossPence: t.lossPence + r.lossPence }),
        { reports: 0, lossPence: 0 },
      );
      return { from: q.from, to: q.to, groupBy: q.groupBy, rows, total };
    },

    rebuild: () => repos.stats.rebuildDailyStats(db, EXCLUDED_STATUSES),
  };
}
