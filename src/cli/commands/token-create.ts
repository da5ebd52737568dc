import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.ts';
import { canReadStatistics } from '../../domain/access/access-policy.ts';
import { SCOPES, type Scope } from '../../services/api-tokens.ts';
import { services as buildServices } from '../../services/index.ts';
import { CliError, type CliIo } from '../cli-io.ts';

const USAGE = `usage: bluelight token create --name <partner> --scope ${SCOPES.join('|')}[,…]
       bluelight token create --user <staff email> --name <name>`;

/**
 * bluelight token create: prints a new API token alone on stdout, once. Partner tokens carry scopes; a staff
 * member's token carries that person's access (their unit's reports, statistics unless an admin).
 */
export async function tokenCreateCommand(args: string[], io: CliIo): Promise<number> {
  let values: { name?: string; scope?: string; user?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { name: { type: 'string' }, scope: { type: 'string' }, user: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`);
  }
  const name = values.name?.trim() ?? '';
  if (name === '' || name.length > 120)
    throw new CliError(`--name is required (1 to 120 characters), e.g. --name "Example Bank"\n${USAGE}`);
  const scopes = (values.scope ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (
    values.user === undefined &&
    (scopes.length === 0 || !scopes.every((s): s is Scope => (SCOPES as readonly string[]).includes(s)))
  ) {
    throw new CliError(`--scope must be one or more of ${SCOPES.join(', ')} (comma-separated)\n${USAGE}`);
  }
  if (values.user !== undefined && scopes.length > 0)
    throw new CliError(`a staff token takes its access from --user; leave out --scope\n${USAGE}`);
  const container = buildServices(loadConfig(io.env, io.cwd));
  try {
    await container.migrate();
    let userId: number | null = null;
    let granted = scopes as Scope[];
    if (values.user !== undefined) {
      const user = await container.staff.userIdByEmail(values.user);
      if (user === null)
        throw new CliError(`no staff account for ${values.user}; create it with bluelight user add`);
      userId = user.id;
      granted = [
        'staff',
        ...(canReadStatistics({ email: values.user, role: user.role, forceId: null, unitId: null })
          ? (['statistics:read'] as const)
          : []),
      ];
    }
    const { token } = await container.tokens.create(name, granted, userId);
    io.stdout(`${token}\n`);
    io.stderr(
      `Token "${name}" with scope ${granted.join(', ')}. It is shown only once: only its hash is stored.\n`,
    );
    return 0;
  } finally {
    await container.close();
  }
}
