import { Migrator, PostgresAdapter, sql, type MigrationResultSet } from 'kysely';
import type { Db } from './database.ts';
import { migrations } from './migrations/index.ts';

export class MigrationError extends Error {
  override name = 'MigrationError';
}

async function migrator(db: Db): Promise<Migrator> {
  // Kysely looks for its bookkeeping table in every schema unless told which; name the one in use so
  // databases holding several schemas (one per tenant or test) are migrated independently.
  const schema =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  return new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
}

/** Names of this code's migrations the database has not recorded yet (another instance may be applying them). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const known = await (await migrator(db)).getMigrations();
  return known.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
}

/** Applies migrations up to and including `name` (a scratch database built to an older release's schema). */
export async function migrateTo(db: Db, name: string): Promise<void> {
  const result = await (await migrator(db)).migrateTo(name);
  if (result.error !== undefined)
    throw new MigrationError(`migrating to ${name} failed`, { cause: result.error });
}

/** Applies every pending migration; returns the names applied in this run. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const result: MigrationResultSet = await (await migrator(db)).migrateToLatest();
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(
      `migration ${failed} failed: ${result.error instanceof Error ? result.error.message : JSON.stringify(result.error)}`,
      { cause: result.error },
    );
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
