import { parseArgs } from 'node:util';
import type { AuditRange } from '../../services/tamper-evidence/tamper-evidence.ts';
import { CliError, type CliIo } from '../cli-io.ts';
import { withMigratedServices } from '../migrated-services.ts';

const USAGE = 'usage: bluelight audit verify [--from <ISO date>] [--to <ISO date>]';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A day (YYYY-MM-DD, UTC) or an instant with its zone; `--to` includes the whole day or that instant. Rows
 * are compared as stored ISO-8601 UTC strings.
 */
function bound(option: '--from' | '--to', raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const at = DATE.test(raw) ? new Date(`${raw}T00:00:00Z`) : DATE_TIME.test(raw) ? new Date(raw) : null;
  if (at === null || Number.isNaN(at.getTime()) || (DATE.test(raw) && at.toISOString().slice(0, 10) !== raw))
    throw new CliError(
      `${option} must be an ISO date (2026-12-01) or time with its zone (2026-12-01T09:30:00Z)\n${USAGE}`,
    );
  if (option === '--from') return at.toISOString();
  return new Date(at.getTime() + (DATE.test(raw) ? 86_400_000 : 1)).toISOString();
}

/**
 * bluelight audit verify [--from] [--to]: re-checks the audit log's chain and signatures (all of it, or the
 * rows written in the range) and its signed head; prints a JSON summary and exits 0, or names the first broken
 * row and exits 1.
 */
export async function auditVerifyCommand(args: string[], io: CliIo): Promise<number> {
  let values: { from?: string; to?: string };
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: { from: { type: 'string' }, to: { type: 'string' } },
    }));
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`);
  }
  const range: AuditRange = { from: bound('--from', values.from), toExclusive: bound('--to', values.to) };
  if (range.from !== null && range.toExclusive !== null && range.from >= range.toExclusive)
    throw new CliError(`--from must be before --to\n${USAGE}`);
  const result = await withMigratedServices(io, (c) => c.tamperEvidence.verifyAudit(range));
  io.stdout(`${JSON.stringify({ from: values.from ?? null, to: values.to ?? null, ...result })}\n`);
  if (!result.ok) {
    io.stderr(`bluelight: the audit log is broken: ${result.broken}\n`);
    return 1;
  }
  return 0;
}
