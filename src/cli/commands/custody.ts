import { resolve } from 'node:path';
import { CliError, cliActor, type CliIo } from '../cli-io.ts';
import { withMigratedServices } from '../migrated-services.ts';

/**
 * bluelight custody verify <case-reference>: re-computes the custody chain and every stored file's SHA-256;
 * prints {"case","entries","files","ok"} and exits 0, or names the first broken entry or file and exits 1.
 */
export async function custodyVerifyCommand(args: string[], io: CliIo): Promise<number> {
  const [reference, ...rest] = args;
  if (reference === undefined || rest.length > 0)
    throw new CliError('usage: bluelight custody verify <case-reference>');
  const result = await withMigratedServices(io, (c) => c.investigations.verify(reference));
  if (result === null) throw new CliError(`no case ${reference}`);
  io.stdout(`${JSON.stringify(result)}\n`);
  if (!result.ok) {
    io.stderr(`bluelight: custody chain of ${result.case} is broken: ${result.broken}\n`);
    return 1;
  }
  return 0;
}

/** bluelight case export <case-reference> <dir>: the evidence bundle for the prosecutor. */
export async function caseExportCommand(args: string[], io: CliIo): Promise<number> {
  const [reference, dir, ...rest] = args;
  if (reference === undefined || dir === undefined || rest.length > 0)
    throw new CliError('usage: bluelight case export <case-reference> <dir>');
  const target = resolve(io.cwd, dir);
  // Reads the case and writes only its audit row: it never migrates, so it never changes the schema it exports from.
  const result = await withMigratedServices(io, (c) =>
    c.investigations.exportCase(reference, target, cliActor(io)),
  );
  if (result === null) throw new CliError(`no case ${reference}`);
  io.stdout(`${JSON.stringify({ case: reference, dir: target, ...result })}\n`);
  return 0;
}
