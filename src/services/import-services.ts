/**
 * What `bluelight import legacy` needs, and no more: services() loads every module of the application (about
 * 100 MB of the process before its first row), where an import needs the database, the forces and the import
 * itself; its classifier threads hold the classifier (docs/performance.md, "Legacy import").
 */
import type { Config } from '../config/config.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { loadReferenceData } from '../reference-data/load-reference-data.ts';
import { createLegacyImport } from './legacy-import.ts';
import { openServiceDatabase } from './service-database.ts';

export function importServices(config: Config) {
  const { database } = openServiceDatabase(config);
  const reference = loadReferenceData(undefined, {
    unitContactsFile: config.unitContactsFile,
    production: config.nodeEnv === 'production',
  });
  return {
    reference,
    legacyImport: createLegacyImport(database.db, () => new Date(), config.classificationReviewThreshold),
    /** The schema brought up to date, as `bluelight migrate` does (an import writes no audit or custody rows). */
    migrate: () => migrateToLatest(database.db),
    close: () => database.close(),
  };
}
