import { parseArgs } from 'node:util';
import { ServiceError } from '../../services/service-error.ts';
import { loadConfig } from '../../config/config.ts';
import { SHARING_TLPS } from '../../domain/sharing/tlp.ts';
import { PARTNER_SECTORS } from '../../services/partners.ts';
import { services as buildServices } from '../../services/index.ts';
import { CliError, cliActor, rowId, type CliIo } from '../cli-io.ts';

const USAGE = `usage: bluelight partner add --name <organisation> --sectors <${PARTNER_SECTORS.join('|')}>[,…] --tlp ${SHARING_TLPS.join('|')} [--submit]
       bluelight partner webhook --id <partner id> (--url <https://…> | --remove)
       bluelight partner user add --partner <partner id> --email <e> [--role partner-admin|partner-user]`;

function parse(
  args: string[],
  options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>,
) {
  try {
    return parseArgs({ args, options, strict: true }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`);
  }
}

async function withServices<T>(io: CliIo, run: (container: ReturnType<typeof buildServices>) => Promise<T>) {
  const container = buildServices(loadConfig(io.env, io.cwd));
  try {
    await container.migrate();
    return await run(container);
  } catch (error) {
    if (error instanceof ServiceError) throw new CliError(`${error.message}\n${USAGE}`);
    throw error;
  } finally {
    await container.close();
  }
}

/**
 * bluelight partner add: a vetted industry partner of the TAXII feed; prints its credentials once as JSON
 * (HTTP Basic username and password, and a bearer token). Only their hashes are stored. `--submit` lets it write
 * to the partner-submissions collection.
 * bluelight partner webhook: subscribes a partner to signed pushes of new objects (prints the signing secret).
 */
export async function partnerCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'add') {
    const values = parse(rest, {
      name: { type: 'string' },
      sectors: { type: 'string' },
      tlp: { type: 'string' },
      submit: { type: 'boolean' },
    });
    const name = typeof values.name === 'string' ? values.name : '';
    const sectors = typeof values.sectors === 'string' ? values.sectors.split(',').map((s) => s.trim()) : [];
    const tlp = typeof values.tlp === 'string' ? values.tlp : '';
    const canSubmit = values.submit === true;
    const created = await withServices(io, (c) =>
      c.partners.add({ name, sectors, tlp, canSubmit }, cliActor(io)),
    );
    io.stdout(
      `${JSON.stringify({
        id: created.id,
        name: created.name,
        username: created.username,
        password: created.password,
        token: created.token,
        taxii: `${loadConfig(io.env, io.cwd).baseUrl.replace(/\/$/, '')}/taxii2/`,
      })}\n`,
    );
    io.stderr('Give these credentials to the partner now: they are not stored and cannot be shown again.\n');
    return 0;
  }
  if (sub === 'webhook') {
    const values = parse(rest, {
      id: { type: 'string' },
      url: { type: 'string' },
      remove: { type: 'boolean' },
    });
    const id = rowId(values.id);
    if (id === null) throw new CliError(`--id must be a partner id\n${USAGE}`);
    const url = values.remove === true ? null : typeof values.url === 'string' ? values.url : undefined;
    if (url === undefined) throw new CliError(`give --url <https://…> or --remove\n${USAGE}`);
    const secret = await withServices(io, (c) => c.partners.setWebhook(id, url, cliActor(io)));
    io.stdout(`${JSON.stringify({ id, url, secret })}\n`);
    return 0;
  }
  if (sub === 'user' && rest[0] === 'add') {
    const values = parse(rest.slice(1), {
      partner: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
    });
    const partnerId = rowId(values.partner);
    if (partnerId === null) throw new CliError(`--partner must be a partner id\n${USAGE}`);
    if (typeof values.email !== 'string') throw new CliError(`--email is required\n${USAGE}`);
    const role = typeof values.role === 'string' ? values.role : 'partner-admin';
    const made = await withServices(io, (c) =>
      c.partnerUsers.add({ operator: cliActor(io) }, { partnerId, email: values.email as string, role }),
    );
    io.stdout(
      `${JSON.stringify({ id: made.id, email: made.email, password: made.password, otpauth: made.otpauthUri })}\n`,
    );
    io.stderr(
      'Partner portal account created. Give the person the password and the otpauth:// line (for an authenticator\n' +
        'app, or as a QR code) by a secure route: they are not stored. The password works only to choose their own\n' +
        `at ${loadConfig(io.env, io.cwd).baseUrl.replace(/\/$/, '')}/partner/sign-in.\n`,
    );
    return 0;
  }
  throw new CliError(`unknown partner command "${sub ?? ''}"\n${USAGE}`);
}
