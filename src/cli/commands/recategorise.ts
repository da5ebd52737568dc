import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.ts';
import { isCategory } from '../../domain/classification/taxonomy.ts';
import { services as buildServices } from '../../services/index.ts';
import { CliError, type CliIo } from '../cli-io.ts';

const USAGE =
  'usage: bluelight report recategorise <reference> --category <slug> --reason "<why>" --by <email>';

/** bluelight report recategorise: a staff override of a report's category, with who and why kept in its history. */
export async function recategoriseCommand(args: string[], io: CliIo): Promise<number> {
  let parsed: { values: { category?: string; reason?: string; by?: string }; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      options: { category: { type: 'string' }, reason: { type: 'string' }, by: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`);
  }
  const [reference, ...extra] = parsed.positionals;
  const { category = '', reason = '', by = '' } = parsed.values;
  if (reference === undefined || extra.length > 0)
    throw new CliError(`give one crime reference number\n${USAGE}`);
  if (!isCategory(category))
    throw new CliError(`--category must be a category slug from the taxonomy (got "${category}")`);
  if (reason.trim().length < 5 || reason.length > 2000)
    throw new CliError('--reason is required: say why, in 5 to 2,000 characters');
  if (!/^[^\s@]+@[^\s@]+$/.test(by))
    throw new CliError('--by must be the email address of the person making the change');
  const container = buildServices(loadConfig(io.env, io.cwd));
  try {
    await container.migrate();
    const result = await container.recategorise(reference, category, reason.trim(), by);
    if (result.kind === 'not-found') throw new CliError(`no report with reference ${reference}`, 1);
    io.stdout(
      result.kind === 'unchanged'
        ? `${reference} is already ${category}\n`
        : `${reference}: ${result.previous} → ${category}\n`,
    );
    return 0;
  } finally {
    await container.close();
  }
}
