import { pathToFileURL } from 'node:url';
import { CliError, type CliIo, nodeIo } from './cli-io.ts';

const USAGE = `Usage: bluelight <command>

Commands:
  migrate                          apply pending database migrations
  reference check                  validate the reference data under reference/
  force-for-postcode <postcode>    print the police force(s) for a UK postcode as JSON
  import legacy <file.csv> --force <force-id> [--map …] [--dry-run] [--workers <n>] [--rejects <file.csv>]
                                   stream a force's crime records in, classified (see docs/import.md)
  import reclassify --force <force-id>
                                   classify a force's imported records again (online element first)
  report recategorise <reference> --category <slug> --reason "<why>" --by <email>
  report recategorise --force <id> --record <record id> --category <slug> [--online <medium|none>] --reason "<why>" --by <email>
                                   override a report's category; the history keeps who, why and when
  classify                         JSON lines {"id","text"} on stdin → online, category, cyber, code, confidence, review, reasons
  extract                          JSON lines {"id","text"} on stdin → {"id","indicators":[{"type","value"}]}
  extract --eml <file>             the indicators of one .eml email, each with where it was found
  partner add --name <org> --sectors finance,telecoms --tlp amber
                                   a TAXII partner; prints its Basic credentials and bearer token once
  custody verify <case-reference>  re-check a case's custody chain, its signed head and files; exit 1 naming the
                                   first break
  audit verify [--from <ISO date>] [--to <ISO date>]
                                   re-check the audit log's chain, signatures and signed head; exit 1 naming the
                                   first broken row
  keys show                        the public key that signs the audit log and custody heads, and its fingerprint
  hashlist import <file> --name <list>
                                   import a hash list (SHA-256 or MD5 per line); exhibit files are checked against it
  evidence seal                    seal the evidence files stored before sealing at rest began (see security.md)
  case export <case-reference> <dir>
                                   write the evidence bundle (files, manifest.json, manifest.html)
  partner webhook --id <id> --url <https://…> | --remove
                                   push new objects to a partner, signed with HMAC-SHA256
  partner user add --partner <id> --email <e> [--role partner-admin|partner-user]
                                   a partner portal account (the first is its organisation's admin); prints its
                                   one-time password and otpauth:// second-factor URI once
  supplier add --partner <id> --rate <capability>=<£ per day> [--accreditation "<name>:<expiry>"] [--staff "<name>:<vetting>:<expiry>"]
  supplier change --partner <id> (the same options as add: they replace its whole framework entry)
  supplier list | supplier budget --unit <id> --year <YYYY-YY> --amount <£>
                                   specialist suppliers on the framework, and units' budgets (docs/suppliers.md)
  feed add --name <n> --kind taxii|misp --url <https://…> [--auth basic|bearer --secret-env FEED_SECRET_<NAME>] …
  feed list | feed pull (--id <id> | --due) | feed disable|enable --id <id>
                                   external feeds Bluelight pulls indicators from (docs/operations.md)
  user add --email <e> --role <role> [--force <id>|--unit <id>] --password-stdin
                                   create a staff account; prints its otpauth:// second-factor URI
  user disable <email>             stop a staff account signing in; ends its sessions and revokes its tokens
  token create --user <email> --name <n> [--expires <days>|<YYYY-MM-DD>]
                                   an API token carrying that staff member's access
  token create --name <partner> --scope reports:write[,statistics:read] [--expires <days>|<YYYY-MM-DD>]
                                   create an API token; prints it once (only a hash is stored);
                                   it expires after 90 days unless --expires says otherwise (at most 366)
  token list                       every API token: id, name, scopes, user, dates, status (never the secret)
  token revoke <id>                stop a token working at once
  demo [--reports <n>]             fill an empty development database with a year of synthetic data and one
                                   account per role (prints each sign-in); never in production
  totp <demo account email>        the current second-factor code of a demo account (demo accounts only)
  backup <file>                    SQLite: a consistent copy while the service runs; PostgreSQL: the pg_dump command
  restore <file>                   SQLite, service stopped: put a backup back (the current database is kept aside)
`;

/** Runs one CLI command; returns the process exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'migrate':
        return await (await import('./commands/migrate.ts')).migrateCommand(rest, io);
      case 'reference':
        if (rest[0] === 'check')
          return (await import('./commands/reference-check.ts')).referenceCheckCommand(rest.slice(1), io);
        throw new CliError(`unknown reference command "${rest[0] ?? ''}"; use: bluelight reference check`);
      case 'token':
        if (rest[0] === 'create')
          return await (await import('./commands/token-create.ts')).tokenCreateCommand(rest.slice(1), io);
        if (rest[0] === 'list')
          return await (await import('./commands/token-manage.ts')).tokenListCommand(rest.slice(1), io);
        if (rest[0] === 'revoke')
          return await (await import('./commands/token-manage.ts')).tokenRevokeCommand(rest.slice(1), io);
        throw new CliError(
          `unknown token command "${rest[0] ?? ''}"; use: bluelight token create | list | revoke <id>`,
        );
      case 'import':
        if (rest[0] === 'legacy')
          return await (await import('./commands/import-legacy.ts')).importLegacyCommand(rest.slice(1), io);
        if (rest[0] === 'reclassify')
          return await (
            await import('./commands/import-reclassify.ts')
          ).importReclassifyCommand(rest.slice(1), io);
        throw new CliError(
          `unknown import command "${rest[0] ?? ''}"; use: bluelight import legacy <file.csv> --force <force-id>, or bluelight import reclassify --force <force-id>`,
        );
      case 'user':
        if (rest[0] === 'add')
          return await (await import('./commands/user-add.ts')).userAddCommand(rest.slice(1), io);
        if (rest[0] === 'disable')
          return await (await import('./commands/user-disable.ts')).userDisableCommand(rest.slice(1), io);
        throw new CliError(
          `unknown user command "${rest[0] ?? ''}"; use: bluelight user add … | user disable <email>`,
        );
      case 'report':
        if (rest[0] === 'recategorise')
          return await (await import('./commands/recategorise.ts')).recategoriseCommand(rest.slice(1), io);
        throw new CliError(
          `unknown report command "${rest[0] ?? ''}"; use: bluelight report recategorise <reference> …`,
        );
      case 'classify':
        return await (await import('./commands/classify.ts')).classifyCommand(rest, io);
      case 'extract':
        return await (await import('./commands/extract.ts')).extractCommand(rest, io);
      case 'partner':
        return await (await import('./commands/partner.ts')).partnerCommand(rest, io);
      case 'supplier':
        return await (await import('./commands/supplier.ts')).supplierCommand(rest, io);
      case 'feed':
        return await (await import('./commands/feed.ts')).feedCommand(rest, io);
      case 'hashlist':
        return await (await import('./commands/hashlist.ts')).hashlistCommand(rest, io);
      case 'evidence':
        return await (await import('./commands/evidence.ts')).evidenceCommand(rest, io);
      case 'custody':
        if (rest[0] === 'verify')
          return await (await import('./commands/custody.ts')).custodyVerifyCommand(rest.slice(1), io);
        throw new CliError(
          `unknown custody command "${rest[0] ?? ''}"; use: bluelight custody verify <case-reference>`,
        );
      case 'audit':
        if (rest[0] === 'verify')
          return await (await import('./commands/audit.ts')).auditVerifyCommand(rest.slice(1), io);
        throw new CliError(
          `unknown audit command "${rest[0] ?? ''}"; use: bluelight audit verify [--from <ISO date>] [--to <ISO date>]`,
        );
      case 'keys':
        if (rest[0] === 'show')
          return (await import('./commands/keys.ts')).keysShowCommand(rest.slice(1), io);
        throw new CliError(`unknown keys command "${rest[0] ?? ''}"; use: bluelight keys show`);
      case 'case':
        if (rest[0] === 'export')
          return await (await import('./commands/custody.ts')).caseExportCommand(rest.slice(1), io);
        throw new CliError(
          `unknown case command "${rest[0] ?? ''}"; use: bluelight case export <case-reference> <dir>`,
        );
      case 'demo':
        return await (await import('./commands/demo.ts')).demoCommand(rest, io);
      case 'totp':
        return await (await import('./commands/demo.ts')).totpCommand(rest, io);
      case 'backup':
        return await (await import('./commands/backup.ts')).backupCommand(rest, io);
      case 'restore':
        return await (await import('./commands/backup.ts')).restoreCommand(rest, io);
      case 'force-for-postcode':
        return (await import('./commands/force-for-postcode.ts')).forceForPostcodeCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new CliError(`unknown command "${command}"\n\n${USAGE}`);
    }
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`bluelight: ${error.message}\n`);
      return error.exitCode;
    }
    // Loaded only now: with the schema library they need, they took longer to load than many commands take to run.
    const { ConfigError } = await import('../config/config.ts');
    const { ReferenceDataError } = await import('../reference-data/read-reference-file.ts');
    const { ServiceError } = await import('../services/service-error.ts');
    // A use case's refusal (not found, invalid, conflict, forbidden): its message, never a stack trace.
    if (
      error instanceof ConfigError ||
      error instanceof ReferenceDataError ||
      error instanceof ServiceError
    ) {
      io.stderr(`bluelight: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** Runs the command line as this process: exit code set, unexpected errors printed as one message. */
export async function runCliProcess(argv: string[]): Promise<void> {
  try {
    process.exitCode = await runCli(argv, nodeIo());
  } catch (error) {
    // The database refusing or gone (locked, a deadlock, the server down) is not a bug here: its message only.
    const database = error instanceof Error && isDatabaseError(error);
    process.stderr.write(
      `bluelight: ${error instanceof Error ? (database ? `database error: ${error.message}` : (error.stack ?? error.message)) : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}

/** An error from either database driver (pg's carry a SQLSTATE and a severity; better-sqlite3's are SqliteError). */
export function isDatabaseError(error: Error): boolean {
  if (error.name === 'SqliteError') return true;
  const e = error as Error & { severity?: unknown; code?: unknown };
  return (
    (typeof e.severity === 'string' && typeof e.code === 'string') ||
    e.code === 'ECONNREFUSED' ||
    /^Connection terminated/.test(error.message)
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void runCliProcess(process.argv.slice(2));
}
