import { loadConfig } from '../../config/config.ts';
import { ServiceError } from '../../services/service-error.ts';
import { services as buildServices } from '../../services/index.ts';
import { CliError, cliActor, type CliIo } from '../cli-io.ts';

const USAGE = 'usage: bluelight user disable <email>';

/** bluelight user disable <email>: no more sign-in; every session and API token of theirs ends at once. */
export async function userDisableCommand(args: string[], io: CliIo): Promise<number> {
  const [email, ...extra] = args;
  if (email === undefined || email.startsWith('-') || extra.length > 0) throw new CliError(USAGE);
  const container = buildServices(loadConfig(io.env, io.cwd));
  try {
    await container.migrate();
    const result = await container.staffAccounts.disable(email, cliActor(io));
    io.stdout(
      result.state === 'already'
        ? `${email} was already disabled\n`
        : `${email} disabled: ${result.sessions} session(s) ended, ${result.tokens} token(s) revoked\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ServiceError) throw new CliError(error.message, 1);
    throw error;
  } finally {
    await container.close();
  }
}
