import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { SCOPES, type Scope } from '../../services/api-tokens.ts';
import { services as buildServices } from '../../services/index.ts';
import { CliError, type CliIo } from '../cli-io.ts';

/** bluelight token create --name <partner> --scope reports:write[,statistics:read]: prints the token alone, once. */
export async function tokenCreateCommand(args: string[], io: CliIo): Promise<number> {
  let values: { name?: string; scope?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { name: { type: 'string' }, scope: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw new CliError(
      `${(error as Error).message}\nusage: bluelight token create --name <partner> --scope ${SCOPES.join('|')}`,
    );
  }
  const name = values.name?.trim() ?? '';
  if (name === '' || name.length > 120)
    throw new CliError('--name is required (1 to 120 characters), e.g. --name "Example Bank"');
  const scopes = (values.scope ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (scopes.length === 0 || !scopes.every((s): s is Scope => (SCOPES as readonly string[]).includes(s))) {
    throw new CliError(`--scope must be one or more of ${SCOPES.join(', ')} (comma-separated)`);
  }
  const container = buildServices(loadConfig(io.env, io.cwd));
  try {
    await migrateToLatest(container.database.db);
    const { token } = await container.tokens.create(name, scopes);
    io.stdout(`${token}\n`);
    io.stderr(
      `Token for "${name}" with scope ${scopes.join(', ')}. It is shown only once: only its hash is stored.\n`,
    );
    return 0;
  } finally {
    await container.close();
  }
}
