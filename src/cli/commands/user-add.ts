import { parseArgs } from 'node:util';
import { ServiceError } from '../../services/service-error.ts';
import { loadConfig } from '../../config/config.ts';
import { isRole, ROLES } from '../../domain/access/access-policy.ts';
import { services as buildServices } from '../../services/index.ts';
import { CliError, cliActor, type CliIo } from '../cli-io.ts';

const USAGE = `usage: bluelight user add --email <e> --role <${ROLES.join('|')}> [--force <id>|--unit <id>] --password-stdin`;

async function readAll(io: CliIo): Promise<string> {
  let text = '';
  for await (const chunk of io.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}

/**
 * bluelight user add: creates a staff account; prints the otpauth:// URI to enrol its second factor. The person
 * must choose their own password at first sign-in (the operator knows this one).
 */
export async function userAddCommand(args: string[], io: CliIo): Promise<number> {
  let values: { email?: string; role?: string; force?: string; unit?: string; 'password-stdin'?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        email: { type: 'string' },
        role: { type: 'string' },
        force: { type: 'string' },
        unit: { type: 'string' },
        'password-stdin': { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.email === undefined) throw new CliError(`--email is required\n${USAGE}`);
  if (!isRole(values.role)) throw new CliError(`--role must be one of ${ROLES.join(', ')}\n${USAGE}`);
  if (values['password-stdin'] !== true)
    throw new CliError(`give the password on standard input with --password-stdin\n${USAGE}`);
  const password = await readAll(io);
  const container = buildServices(loadConfig(io.env, io.cwd));
  try {
    await container.migrate();
    const { otpauthUri } = await container.staffAccounts.add({
      email: values.email,
      role: values.role,
      forceId: values.force,
      unitId: values.unit,
      password,
      actor: cliActor(io),
    });
    io.stdout(`${otpauthUri}\n`);
    io.stderr(
      'Account created. Add the line above to an authenticator app (or show it as a QR code) to sign in.\n' +
        'The password works only to choose their own, which they are asked for when they first sign in.\n',
    );
    return 0;
  } catch (error) {
    if (error instanceof ServiceError) throw new CliError(error.message);
    throw error;
  } finally {
    await container.close();
  }
}
