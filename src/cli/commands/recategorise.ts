import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.ts';
import { isMedium, MEDIA } from '../../domain/classification/online-cues.ts';
import { isCategory } from '../../domain/classification/taxonomy.ts';
import { services as buildServices } from '../../services/index.ts';
import { CliError, type CliIo } from '../cli-io.ts';

const USAGE = [
  'usage: bluelight report recategorise <reference> --category <slug> --reason "<why>" --by <email>',
  '       bluelight report recategorise --force <force id> --record <record id> --category <slug> [--online <medium|none>] --reason "<why>" --by <email>',
].join('\n');

/** bluelight report recategorise: a staff override of a report's category, with who and why kept in its history. */
export async function recategoriseCommand(args: string[], io: CliIo): Promise<number> {
  let parsed: {
    values: {
      category?: string;
      reason?: string;
      by?: string;
      force?: string;
      record?: string;
      online?: string;
    };
    positionals: string[];
  };
  try {
    parsed = parseArgs({
      args,
      options: {
        category: { type: 'string' },
        reason: { type: 'string' },
        by: { type: 'string' },
        force: { type: 'string' },
        record: { type: 'string' },
        online: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`);
  }
  const [reference, ...extra] = parsed.positionals;
  const { category = '', reason = '', by = '', force, record, online } = parsed.values;
  const legacy = force !== undefined || record !== undefined;
  if (legacy) {
    if (
      reference !== undefined ||
      force === undefined ||
      record === undefined ||
      force === '' ||
      record === ''
    )
      throw new CliError(`give either a crime reference number, or --force and --record together\n${USAGE}`);
  } else if (reference === undefined || extra.length > 0)
    throw new CliError(`give one crime reference number\n${USAGE}`);
  if (online !== undefined && online !== 'none' && !isMedium(online))
    throw new CliError(`--online must be none or one of ${MEDIA.join(', ')} (got "${online}")`);
  if (online !== undefined && !legacy)
    throw new CliError(`--online is for imported records (--force --record)\n${USAGE}`);
  if (!isCategory(category))
    throw new CliError(`--category must be a category slug from the taxonomy (got "${category}")`);
  if (reason.trim().length < 5 || reason.length > 2000)
    throw new CliError('--reason is required: say why, in 5 to 2,000 characters');
  if (!/^[^\s@]+@[^\s@]+$/.test(by))
    throw new CliError('--by must be the email address of the person making the change');
  const container = buildServices(loadConfig(io.env, io.cwd));
  try {
    await container.migrate();
    if (legacy) {
      if (force === undefined || record === undefined) return 2;
      if (container.reference.force(force) === undefined) throw new CliError(`unknown force id "${force}"`);
      const done = await container.classificationReview.recategoriseLegacy(force, record, {
        category,
        ...(online === undefined ? {} : { online: isMedium(online) ? online : 'none' }),
        reason: reason.trim(),
        by,
      });
      if (done.kind === 'not-found') throw new CliError(`no imported record ${record} for force ${force}`, 1);
      io.stdout(`${force} ${record}: ${done.previous ?? ''} → ${category} (${done.kind})\n`);
      return 0;
    }
    if (reference === undefined) return 2;
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
