import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.ts';
import { services as buildServices } from '../../services/index.ts';
import { CliError, cliActor, type CliIo } from '../cli-io.ts';

const USAGE = 'usage: bluelight hashlist import <file> --name <list>';
const MAX_BYTES = 512 * 1024 * 1024;

/**
 * bluelight hashlist import <file> --name <list>: one SHA-256 or MD5 per line (e.g. a national image database
 * export); replaces a list of the same name. Exhibit files are checked against every list.
 */
export async function hashlistCommand(args: string[], io: CliIo): Promise<number> {
  if (args[0] !== 'import') throw new CliError(USAGE);
  let parsed: { values: { name?: string }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: args.slice(1),
      options: { name: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`);
  }
  const [file, ...extra] = parsed.positionals;
  const name = parsed.values.name?.trim() ?? '';
  if (file === undefined || extra.length > 0 || name === '' || name.length > 100) throw new CliError(USAGE);
  let text: string;
  try {
    const bytes = await readFile(resolve(io.cwd, file));
    if (bytes.length > MAX_BYTES) throw new CliError(`${file} is larger than 512 MB`);
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const container = buildServices(loadConfig(io.env, io.cwd));
  try {
    await container.migrate();
    const result = await container.investigations.importHashlist(name, text, cliActor(io));
    io.stdout(
      `${JSON.stringify({ name, entries: result.entries, skipped_lines: result.skipped.slice(0, 20) })}\n`,
    );
    if (result.skipped.length > 0)
      io.stderr(
        `bluelight: ${result.skipped.length} line(s) were not SHA-256 or MD5 hashes and were skipped\n`,
      );
    return 0;
  } finally {
    await container.close();
  }
}
