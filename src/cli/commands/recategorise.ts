import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.ts';
import { isMedium, MEDIA } from '../../domain/classification/online-cues.ts';
import { isEmailAddress } from '../../domain/contact/email-address.ts';
import { services as buildServices } from '../../services/index.ts';
import { checkCategoryChange } from '../../services/recategorise.ts';
import type { CliActor } from '../../services/report-access.ts';
import { ServiceError } from '../../services/service-error.ts';
import { CliError, cliActor, type CliIo } from '../cli-io.ts';

const USAGE = [
  'usage: bluelight report recategorise <reference> --category <slug> --reason "<why>" --by <email>',
  '       bluelight report recategorise --force <force id> --record <record id> --category <slug> [--online <medium|none>] --reason "<why>" --by <email>',
].join('\n');

/**
 * bluelight report recategorise: a staff override of a report's category, with who and why kept in its history.
 * The same use case as the workspace's form (services/recategorise.ts), with its rules; the audit log names the
 * operating-system account that ran it (cliActor) and the person it was done for (--by).
 */
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
  // The service's rules, checked before the database is opened (usage errors exit 2).
  let checked: ReturnType<typeof checkCategoryChange>;
  try {
    checked = checkCategoryChange({ category, reason });
  } catch (error) {
    if (error instanceof ServiceError)
      throw new CliError(`--${error.field ?? 'category'}: ${error.message}\n${USAGE}`);
    throw error;
  }
  if (!isEmailAddress(by))
    throw new CliError('--by must be the email address of the person making the change');
  const actor: CliActor = { cli: cliActor(io), by };
  const container = buildServices(loadConfig(io.env, io.cwd));
  try {
    await container.migrate();
    if (legacy) {
      if (force === undefined || record === undefined) return 2;
      if (container.reference.force(force) === undefined) throw new CliError(`unknown force id "${force}"`);
      const done = await container.classificationReview.recategoriseLegacy(
        force,
        record,
        {
          category: checked.category,
          ...(online === undefined ? {} : { online: isMedium(online) ? online : 'none' }),
          reason: checked.reason,
        },
        actor,
      );
      io.stdout(`${force} ${record}: ${done.previous} → ${category} (${done.kind})\n`);
      return 0;
    }
    if (reference === undefined) return 2;
    const result = await container.recategorise.recategorise(actor, reference, checked);
    io.stdout(
      result.kind === 'unchanged'
        ? `${reference} is already ${category}\n`
        : `${reference}: ${result.previous} → ${category}\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    if (error.code === 'legacy-record-not-found')
      throw new CliError(`no imported record ${record ?? ''} for force ${force ?? ''}`, 1);
    if (error.kind === 'not-found') throw new CliError(`no report with reference ${reference ?? ''}`, 1);
    throw new CliError(error.message, 1);
  } finally {
    await container.close();
  }
}
