import type { DatabaseHandle } from '../db/database.ts';

export type HealthReport =
  | { status: 'ok'; database: DatabaseHandle['dialect'] }
  | { status: 'unavailable'; database: DatabaseHandle['dialect']; reason: string };

const PING_TIMEOUT_MS = 2000;

/** Answers whether the service can reach its database within a short deadline. */
export function createHealthService(database: DatabaseHandle) {
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
          reason: (error as Error).message || 'database error',
        };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
