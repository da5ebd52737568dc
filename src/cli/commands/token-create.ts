import { parseArgs } from 'node:util';
import { ServiceError } from '../../services/service-error.ts';
import { loadConfig } from '../../config/config.ts';
import { canReadStatistics } from '../../domain/access/access-policy.ts';
import { SCOPES, TOKEN_LIFETIME, type Scope } from '../../services/api-tokens.ts';
import { services as buildServices } from '../../services/index.ts';
import { CliError, cliActor, type CliIo } from '../cli-io.ts';

const USAGE = `usage: bluelight token create --name <partner> --scope ${SCOPES.join('|')}[,…] [--expires <days>|<YYYY-MM-DD>]
       bluelight token create --user <staff email> --name <name> [--expires <days>|<YYYY-MM-DD>]`;
const DAY_MS = 86_400_000;

/**
 * `--expires 30` (days from now) or `--expires 2027-03-31` (the token stops working at the start of that day,
 * UTC); at most 366 days away. Undefined means the default of 90 days.
 */
export function parseTokenExpiry(raw: string | undefined, now: Date): Date | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  const limit = `from 1 to ${TOKEN_LIFETIME.maxDays} days`;
  if (/^\d{1,4}$/.test(text)) {
    const days = Number(text);
    if (days < 1 || days > TOKEN_LIFETIME.maxDays)
      throw new CliError(`--expires ${text}: use a whole number of days ${limit}\n${USAGE}`);
    return new Date(now.getTime() + days * DAY_MS);
  }
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const at = date === null ? null : new Date(`${text}T00:00:00.000Z`);
  if (at === null || Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== text)
    throw new CliError(
      `--expires "${text}" is not a number of days or a date; use e.g. --expires 30 or --expires 2027-03-31\n${USAGE}`,
    );
  if (at.getTime() <= now.getTime()) throw new CliError(`--expires ${text} is not in the future\n${USAGE}`);
  if (at.getTime() > now.getTime() + TOKEN_LIFETIME.maxDays * DAY_MS)
    throw new CliError(`--expires ${text} is too far away; a token may last ${limit}\n${USAGE}`);
  return at;
}

/**
 * bluelight token create: prints a new API token alone on stdout, once. Partner tokens carry scopes; a staff
 * member's token carries that person's access (their unit's reports, statistics unless an admin).
 */
export async function tokenCreateCommand(args: string[], io: CliIo): Promise<number> {
  let values: { name?: string; scope?: string; user?: string; expires?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        name: { type: 'string' },
        scope: { type: 'string' },
        user: { type: 'string' },
        expires: { type: 'string' },
      },
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
  const expiresAt = parseTokenExpiry(values.expires, new Date());
  const container = buildServices(loadConfig(io.env, io.cwd));
  try {
    await container.migrate();
    let userId: number | null = null;
    let granted = scopes as Scope[];
    if (values.user !== undefined) {
      const user = await container.staff.userIdByEmail(values.user);
      if (user === null)
        throw new CliError(`no staff account for ${values.user}; create it with bluelight user add`);
      if (user.disabled) throw new CliError(`${values.user} is disabled and cannot have a token`);
      userId = user.id;
      granted = [
        'staff',
        ...(canReadStatistics({ email: values.user, role: user.role, forceId: null, unitId: null })
          ? (['statistics:read'] as const)
          : []),
      ];
    }
    const created = await container.tokens.create(name, granted, userId, {
      ...(expiresAt === undefined ? {} : { expiresAt }),
      actor: cliActor(io),
    });
    io.stdout(`${created.token}\n`);
    io.stderr(
      `Token ${created.id} "${name}" with scope ${granted.join(', ')}, expires ${created.expiresAt.toISOString()}. ` +
        `It is shown only once: only its hash is stored.\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ServiceError) throw new CliError(`${error.message}\n${USAGE}`);
    throw error;
  } finally {
    await container.close();
  }
}
