import type { Config } from '../config/config.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { loadReferenceData } from '../reference-data/load-reference-data.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import { createHealthService } from './health.ts';
import { createPostcodeLookup } from './postcode-lookup.ts';

export interface ServiceOptions {
  /** Reference data already loaded (tests share one copy); read from ./reference/ otherwise. */
  reference?: ReferenceData;
}

/** Wires repositories and services once. Nothing here is global: tests build as many containers as they need. */
export function services(config: Config, options: ServiceOptions = {}) {
  const database = openDatabase(config.database);
  const reference = options.reference ?? loadReferenceData();
  return {
    config,
    database,
    reference,
    health: createHealthService(database),
    postcodes: createPostcodeLookup(reference),
    migrate: () => migrateToLatest(database.db),
    close: () => database.close(),
  };
}

export type Services = ReturnType<typeof services>;
