import { parseArgs } from 'node:util';
import { ServiceError } from '../../services/service-error.ts';
import { loadConfig } from '../../config/config.ts';
import { type ApiTokenSummary } from '../../services/api-tokens.ts';
import { services as buildServices } from '../../services/index.ts';
import { CliError, cliActor, type CliIo } from '../cli-io.ts';
import { withMigratedServices } from '../migrated-services.ts';

const COLUMNS: [string, (t: ApiTokenSummary) => string][] = [
  ['ID', (t) => String(t.id)],
  ['NAME', (t) => t.name],
  ['SCOPES', (t) => t.scopes.join(',')],
  ['USER', (t) => t.user ?? '-'],
  ['CREATED', (t) => t.createdAt],
  ['EXPIRES', (t) => t.expiresAt ?? '-'],
  ['LAST USED', (t) => t.lastUsedAt ?? 'never'],
  ['STATUS', (t) => (t.revokedAt === null ? t.status : `revoked ${t.revokedAt}`)],
];

/** Rows of tab-separated columns with a header: easy to read and to cut/awk. */
export function tokenTable(tokens: ApiTokenSummary[]): string {
  const lines = [COLUMNS.map(([h]) => h), ...tokens.map((t) => COLUMNS.map(([, cell]) => cell(t)))];
  return lines.map((cells) => cells.map((c) => c.replace(/[\t\r\n]/g, ' ')).join('\t')).join('\n') + '\n';
}

/** bluelight token list: every API token (never a secret: only hashes are stored). */
export async function tokenListCommand(args: string[], io: CliIo): Promise<number> {
  if (args.length > 0) throw new CliError(`token list takes no arguments (got "${args.join(' ')}")`);
  io.stdout(tokenTable(await withMigratedServices(io, (c) => c.tokens.list())));
  return 0;
}

/** bluelight token revoke <id>: the token stops working on its next request. */
export async function tokenRevokeCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals } = (() => {
    try {
      return parseArgs({ args, allowPositionals: true, strict: true, options: {} });
    } catch (error) {
      throw new CliError(`${(error as Error).message}\nusage: bluelight token revoke <id>`);
    }
  })();
  const [raw, ...extra] = positionals;
  if (raw === undefined || extra.length > 0 || !/^[1-9]\d{0,12}$/.test(raw))
    throw new CliError('usage: bluelight token revoke <id>  (the ID column of bluelight token list)');
  const container = buildServices(loadConfig(io.env, io.cwd));
  try {
    await container.migrate();
    const result = await container.tokens.revoke(Number(raw), cliActor(io));
    io.stdout(result === 'revoked' ? `token ${raw} revoked\n` : `token ${raw} was already revoked\n`);
    return 0;
  } catch (error) {
    if (error instanceof ServiceError) throw new CliError(error.message, 1);
    throw error;
  } finally {
    await container.close();
  }
}
