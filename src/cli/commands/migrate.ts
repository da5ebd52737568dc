import { loadConfig } from '../../config/config.ts';
import { openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { CliError, type CliIo } from '../cli-io.ts';

export async function migrateCommand(args: string[], io: CliIo): Promise<number> {
  if (args.length > 0) throw new CliError(`migrate takes no arguments (got "${args.join(' ')}")`);
  const config = loadConfig(io.env, io.cwd);
  const database = openDatabase(config.database);
  try {
    const applied = await migrateToLatest(database.db);
    io.stdout(
      applied.length === 0
        ? `database (${config.database.dialect}) is up to date\n`
        : `applied ${applied.length} migration(s) on ${config.database.dialect}:\n${applied.map((m) => `  ${m}\n`).join('')}`,
    );
    return 0;
  } catch (error) {
    throw new CliError(`migration failed: ${(error as Error).message}`, 1);
  } finally {
    await database.close();
  }
}
