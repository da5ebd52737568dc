import { loadConfig } from '../../config/config.ts';
import { services as buildServices } from '../../services/index.ts';
import { demoCode, demoRefusal, DEMO_DOMAIN, isDemoAccount, loadDemo } from '../../services/demo/demo.ts';
import { CliError, type CliIo } from '../cli-io.ts';

/**
 * bluelight demo [--reports <n>]: fills an empty development database with a year of synthetic data and one account
 * per role, and prints how to sign in as each. Refused in production and on a database that holds anything.
 */
export async function demoCommand(args: string[], io: CliIo): Promise<number> {
  let reports = 5000;
  if (args[0] === '--reports' && args.length === 2 && /^\d+$/.test(args[1] ?? '')) reports = Number(args[1]);
  else if (args.length > 0) throw new CliError('usage: bluelight demo [--reports <number, 50 to 50000>]');
  if (reports < 50 || reports > 50_000) throw new CliError('--reports must be from 50 to 50000');
  const config = loadConfig(io.env, io.cwd);
  let now = new Date();
  const services = buildServices(config, { clock: () => now });
  try {
    const refusal = config.nodeEnv === 'production' ? 'the demo never runs in production' : null;
    if (refusal !== null) throw new CliError(refusal, 1);
    await services.migrate();
    const held = await demoRefusal(services);
    if (held !== null) throw new CliError(held, 1);
    const started = Date.now();
    const result = await loadDemo(services, {
      reports,
      clock: {
        set(at) {
          now = at;
        },
      },
      progress: (done, total) => {
        if (io.isTTY === true) io.stderr(`  ${done} of ${total} reports…\n`);
      },
    });
    const base = config.baseUrl;
    const lines = [
      `Demo loaded in ${Math.round((Date.now() - started) / 1000)} s: ${result.reports} reports over the past year, ${result.campaigns} campaigns, cases ${result.cases.join(', ')}.`,
      '',
      'Staff accounts (sign in at ' + `${base}/staff/sign-in` + '; the code comes from the TOTP secret):',
      ...result.accounts.map(
        (a) =>
          `  ${a.role.padEnd(17)} ${a.email.padEnd(42)} password ${a.password}  TOTP secret ${a.totpSecret}${a.unit === null ? '' : `  (${a.unit})`}`,
      ),
      '',
      `Current code for an account: npm run --silent bluelight -- totp force-officer@${DEMO_DOMAIN}`,
      '',
      `As the public: ${base}/ (report), ${base}/statistics, ${base}/advice, ${base}/report/progress`,
      `  (reference ${result.progress.reference} with email ${result.progress.email})`,
      `As a partner (TAXII 2.1): curl -u '${result.partner.username}:${result.partner.password}' -H 'Accept: application/taxii+json;version=2.1' ${base}/taxii2/`,
      '',
      'These passwords are printed once. The demo is for a development machine only.',
    ];
    io.stdout(lines.join('\n') + '\n');
    return 0;
  } finally {
    await services.close();
  }
}

/** bluelight totp <email>: the current second-factor code of a demo account (never any other account). */
export async function totpCommand(args: string[], io: CliIo): Promise<number> {
  const email = args[0];
  if (email === undefined || args.length !== 1)
    throw new CliError('usage: bluelight totp <demo account email>');
  const config = loadConfig(io.env, io.cwd);
  if (config.nodeEnv === 'production')
    throw new CliError('totp is for demo accounts on a development machine', 1);
  if (!isDemoAccount(email))
    throw new CliError(
      `totp gives codes for demo accounts only (…@${DEMO_DOMAIN}); use an authenticator app`,
      1,
    );
  const services = buildServices(config);
  try {
    const code = await demoCode(services, email);
    if (code === null) throw new CliError(`${email} is not an account here; run bluelight demo first`, 1);
    io.stdout(`${code}\n`);
    return 0;
  } finally {
    await services.close();
  }
}
