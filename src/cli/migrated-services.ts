import { loadConfig } from '../config/config.ts';
import { pendingMigrations } from '../db/migrate.ts';
import { migrations } from '../db/migrations/index.ts';
import { services as buildServices, type Services } from '../services/index.ts';
import { CliError, type CliIo } from './cli-io.ts';

/**
 * The services of a database already migrated to this release, for commands that only read or check it: a verifier
 * must not change the database it verifies, so these never migrate (that is `bluelight migrate`'s and the
 * service's start's). Looking for pending migrations only reads; any found, the command is refused (exit 2).
 */
export async function withMigratedServices<T>(
  io: CliIo,
  run: (container: Services) => Promise<T>,
): Promise<T> {
  const container = buildServices(loadConfig(io.env, io.cwd));
  try {
    const pending = await pendingMigrations(container.database.db);
    if (pending.length === Object.keys(migrations).length)
      throw new CliError(
        'the database holds no Bluelight tables: check DATABASE_URL, or run `bluelight migrate` (or start the service) first; nothing was changed',
      );
    if (pending.length > 0)
      throw new CliError(
        `the database is not migrated to this release (${pending.length} migration(s) pending, the first ${pending[0] ?? ''}): run \`bluelight migrate\` (or start the service) first; nothing was changed`,
      );
    return await run(container);
  } finally {
    await container.close();
  }
}
