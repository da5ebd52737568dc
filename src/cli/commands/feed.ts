import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.ts';
import { TLPS } from '../../domain/sharing/tlp.ts';
import { FEED_AUTH, FEED_KINDS } from '../../services/feeds/index.ts';
import { services as buildServices } from '../../services/index.ts';
import { ServiceError } from '../../services/service-error.ts';
import { CliError, cliActor, rowId, type CliIo } from '../cli-io.ts';

const USAGE = `usage: bluelight feed add --name <name> --kind ${FEED_KINDS.join('|')} --url <https://…> [--collections <id>,…]
                          [--auth ${FEED_AUTH.join('|')}] [--username <user>] [--secret-env FEED_SECRET_<NAME>]
                          [--tlp ${TLPS.join('|')}] [--valid-days <1–3650>] [--interval <5–10080 minutes>] [--page-size <1–1000>] [--corroborates]
       bluelight feed list
       bluelight feed pull (--id <feed id> | --due)
       bluelight feed disable --id <feed id>
       bluelight feed enable --id <feed id>`;

type Values = Record<string, string | boolean | undefined>;

function parse(
  args: string[],
  options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>,
): Values {
  try {
    return parseArgs({ args, options, strict: true }).values as Values;
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`);
  }
}

const text = (values: Values, name: string): string | undefined =>
  typeof values[name] === 'string' ? values[name] : undefined;

function whole(values: Values, name: string): number | undefined {
  const raw = text(values, name);
  if (raw === undefined) return undefined;
  if (!/^\d{1,6}$/.test(raw)) throw new CliError(`--${name} must be a whole number\n${USAGE}`);
  return Number(raw);
}

function feedId(values: Values): number {
  const raw = text(values, 'id');
  const id = rowId(raw);
  if (id === null) throw new CliError(`--id must be a feed id\n${USAGE}`);
  return id;
}

async function withServices<T>(io: CliIo, run: (container: ReturnType<typeof buildServices>) => Promise<T>) {
  const container = buildServices(loadConfig(io.env, io.cwd));
  try {
    await container.migrate();
    return await run(container);
  } catch (error) {
    if (error instanceof ServiceError) throw new CliError(`${error.message}\n${USAGE}`, 1);
    throw error;
  } finally {
    await container.close();
  }
}

/**
 * bluelight feed: external feeds Bluelight pulls indicators from (docs/operations.md, External feeds). A feed's
 * password or token is never an argument: `--secret-env` names the FEED_SECRET_<NAME> variable that holds it in the
 * server's (and this command's) environment. Changes are audited, naming the operating-system account.
 */
export async function feedCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'add') {
    const values = parse(rest, {
      name: { type: 'string' },
      kind: { type: 'string' },
      url: { type: 'string' },
      collections: { type: 'string' },
      auth: { type: 'string' },
      username: { type: 'string' },
      'secret-env': { type: 'string' },
      tlp: { type: 'string' },
      'valid-days': { type: 'string' },
      interval: { type: 'string' },
      'page-size': { type: 'string' },
      corroborates: { type: 'boolean' },
    });
    const collections = text(values, 'collections');
    const added = await withServices(io, (c) =>
      c.feeds.add(
        {
          name: text(values, 'name') ?? '',
          kind: text(values, 'kind') ?? '',
          url: text(values, 'url') ?? '',
          collections: collections === undefined ? [] : collections.split(','),
          auth: text(values, 'auth') ?? 'none',
          username: text(values, 'username') ?? null,
          secretEnv: text(values, 'secret-env') ?? null,
          tlp: text(values, 'tlp') ?? 'amber',
          validDays: whole(values, 'valid-days'),
          intervalMinutes: whole(values, 'interval'),
          pageSize: whole(values, 'page-size'),
          corroborates: values.corroborates === true,
        },
        cliActor(io),
      ),
    );
    io.stdout(`${JSON.stringify(added)}\n`);
    return 0;
  }
  if (sub === 'list') {
    parse(rest, {});
    const feeds = await withServices(io, (c) => c.feeds.list());
    for (const feed of feeds) io.stdout(`${JSON.stringify(feed)}\n`);
    return 0;
  }
  if (sub === 'pull') {
    const values = parse(rest, { id: { type: 'string' }, due: { type: 'boolean' } });
    const results = await withServices(io, (c) =>
      values.due === true ? c.feeds.pullDue() : c.feeds.pull(feedId(values)).then((r) => [r]),
    );
    for (const result of results) io.stdout(`${JSON.stringify(result)}\n`);
    // A failed or busy pull is worth a non-zero exit to a script; the reason is in the line printed.
    return results.every((r) => r.outcome === 'pulled') ? 0 : 1;
  }
  if (sub === 'disable' || sub === 'enable') {
    const values = parse(rest, { id: { type: 'string' } });
    const id = feedId(values);
    await withServices(io, (c) => c.feeds.setEnabled(id, sub === 'enable', cliActor(io)));
    io.stdout(`${JSON.stringify({ id, enabled: sub === 'enable' })}\n`);
    return 0;
  }
  throw new CliError(`unknown feed command "${sub ?? ''}"\n${USAGE}`);
}
