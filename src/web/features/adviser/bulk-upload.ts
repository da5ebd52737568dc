/**
 * The workspace's bulk CSV upload once the file is read: the form's one-time key claimed for this file, each ready
 * row recorded under `ws:<key hash>:<line>` (services/upload-keys.ts, features/api/report-csv.ts), and what it made
 * kept with the key. Posted again after stopping half way, it records only the rows missing.
 */
import type { Services } from '../../../services/index.ts';
import { submitCsvRows, type CsvReject, type CsvRow } from '../api/report-csv.ts';

export interface BulkResult {
  created: { line: number; reference: string }[];
  rejects: { line: number; field: string; kind: string }[];
}

export type BulkOutcome =
  | { kind: 'done'; result: BulkResult; recorded: number }
  | { kind: 'running' }
  | { kind: 'other-file' }
  | { kind: 'taken' };

export async function uploadBulk(
  services: Pick<Services, 'uploadKeys' | 'reportIntake'>,
  adviser: { userId: number; name: string },
  formKey: string,
  content: Buffer,
  read: { rows: readonly CsvRow[]; rejects: readonly CsvReject[] },
): Promise<BulkOutcome> {
  const keys = services.uploadKeys;
  // Claimed before the first row is stored; two POSTs at once both run, and each row is recorded by one of them.
  const claim = await keys.claim(adviser.userId, formKey, keys.fileHashOf(content));
  if (claim.kind === 'done') return { kind: 'done', result: claim.result as BulkResult, recorded: 0 };
  if (claim.kind !== 'run') return claim;
  const made = await submitCsvRows(services, read.rows, { adviser, uploadKeyHash: keys.hashOf(formKey) });
  const rejects = [...read.rejects, ...made.rejects].sort((a, b) => a.line - b.line);
  // References and line numbers only: the file's values are never shown back.
  const result: BulkResult = {
    created: made.created.map((c) => ({ line: c.line, reference: c.reference })),
    rejects: rejects.map((r) => ({ line: r.line, field: r.field, kind: r.kind })),
  };
  await keys.finish(adviser.userId, formKey, result);
  return { kind: 'done', result, recorded: made.created.filter((c) => !c.replayed).length };
}
