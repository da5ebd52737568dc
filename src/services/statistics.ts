import type { Db } from '../db/database.ts';
import {
  queryDailyStats,
  rebuildDailyStats,
  type StatsDimension,
} from '../db/repositories/stats-repository.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';

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

export type StatisticsRow = Partial<Record<GroupBy, string | null>> & { reports: number; loss_pence: number };

export interface StatisticsResult {
  from: string;
  to: string;
  group_by: GroupBy[];
  rows: StatisticsRow[];
  total: { reports: number; loss_pence: number };
}

/** Cybercrime figures from the running daily counts: reports and imported legacy records together. */
export function createStatistics(db: Db, reference: ReferenceData) {
  return {
    async query(q: StatisticsQuery): Promise<StatisticsResult> {
      // Regions are groups of forces: count by force, then add up.
      const dimensions = [...new Set(q.groupBy.map((g): StatsDimension => (g === 'region' ? 'force' : g)))];
      const raw = await queryDailyStats(db, {
        from: q.from,
        to: q.to,
        dimensions,
        forceIds: q.forces,
        categories: q.categories,
        excludeCategories: NOT_CRIMES,
      });
      const merged = new Map<string, StatisticsRow>();
      for (const r of raw) {
        const row: StatisticsRow = { reports: 0, loss_pence: 0 };
        for (const g of q.groupBy) {
          if (g === 'region') row.region = r.force ? (reference.regionOfForce(r.force)?.id ?? null) : null;
          else if (g === 'force') row.force = r.force || null;
          else row[g] = r[g] ?? null;
        }
        const key = JSON.stringify(q.groupBy.map((g) => row[g]));
        const existing = merged.get(key) ?? row;
        existing.reports += r.reports;
        existing.loss_pence += r.loss_pence;
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
        (t, r) => ({ reports: t.reports + r.reports, loss_pence: t.loss_pence + r.loss_pence }),
        { reports: 0, loss_pence: 0 },
      );
      return { from: q.from, to: q.to, group_by: q.groupBy, rows, total };
    },

    rebuild: () => rebuildDailyStats(db, EXCLUDED_STATUSES),
  };
}
