import type { DatabaseHandle } from '../db/database.ts';
import { pendingMigrations } from '../db/migrate.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';

/**
 * What the health checks found. `reason` is a fixed code and `cause` the driver's error, for the operator's log
 * only: the public answer never carries either (driver text names hosts, users, files and versions).
 */
export type HealthReport =
  | { status: 'ok'; database: DatabaseHandle['dialect'] }
  | {
      status: 'unavailable';
      database: DatabaseHandle['dialect'];
      reason: 'database-unreachable' | 'migrations-pending' | 'migrations-unreadable';
      pending?: number;
      cause?: unknown;
    };

const PING_TIMEOUT_MS = 2000;

/** Answers whether the service can reach its database within a short deadline. */
export function createHealthService(database: DatabaseHandle, repos: Repositories = repositories) {
  return {
    async check(): Promise<HealthReport> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`database did not answer within ${PING_TIMEOUT_MS} ms`));
        }, PING_TIMEOUT_MS);
      });
      try {
        await Promise.race([database.ping(), timeout]);
        return { status: 'ok', database: database.dialect };
      } catch (error) {
        return {
          status: 'unavailable',
          database: database.dialect,
          reason: 'database-unreachable',
          cause: error,
        };
      } finally {
        clearTimeout(timer);
      }
    },

    /**
     * Ready for traffic: the database answers and holds every migration this code expects. While another
     * instance is still applying a newer release's migrations, this one says so rather than serve a half-built schema.
     */
    async ready(): Promise<HealthReport> {
      const live = await this.check();
      if (live.status !== 'ok') return live;
      try {
        const pending = await pendingMigrations(database.db);
        if (pending.length > 0)
          return {
            status: 'unavailable',
            database: database.dialect,
            reason: 'migrations-pending',
            pending: pending.length,
          };
        return live;
      } catch (error) {
        return {
          status: 'unavailable',
          database: database.dialect,
          reason: 'migrations-unreadable',
          cause: error,
        };
      }
    },

    /** Background jobs waiting and dead, per kind (metrics, the admin jobs page). */
    jobs: () => repos.outbox.outboxSummary(database.db),
  };
}
