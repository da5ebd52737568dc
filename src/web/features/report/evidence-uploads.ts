import type { FastifyRequest } from 'fastify';
import {
  MAX_FILE_BYTES,
  MAX_FILES_PER_REPORT,
  MAX_REPORT_BYTES,
} from '../../../domain/evidence/evidence-file.ts';
import type { EvidenceItem } from '../../../domain/report/report-draft.ts';
import type { Services } from '../../../services/index.ts';
import { isServiceError } from '../../../services/service-error.ts';
import type { FieldError } from './report-validation.ts';

const MAX_FILE_NAME_INPUT = 1000;

/** The multipart limits every evidence upload is read with (journey and victims coming back alike). */
export const EVIDENCE_MULTIPART_LIMITS = {
  fileSize: MAX_FILE_BYTES,
  files: MAX_FILES_PER_REPORT,
  fields: 5,
  parts: MAX_FILES_PER_REPORT + 5,
  fieldSize: 1024,
} as const;

/**
 * The files of one evidence upload, each checked as the journey checks it: its size, the report's count and total
 * size with the files it holds already (`held`), then its content (`evidence.store`: type by content, not name).
 * One file refused does not lose the others. Errors are report.errors keys (evidence.<reason>); a file the
 * report holds already is not added twice.
 */
export async function readEvidenceUploads(
  request: FastifyRequest,
  services: Services,
  held: readonly { sha256: string; size: number }[],
): Promise<{ added: EvidenceItem[]; errors: FieldError[] }> {
  const added: EvidenceItem[] = [];
  const errors: FieldError[] = [];
  const seen = new Set(held.map((f) => f.sha256));
  let count = held.length;
  let total = held.reduce((sum, f) => sum + f.size, 0);
  let received = 0;
  for await (const part of request.files()) {
    const content = await part.toBuffer().catch(() => null);
    if (part.filename === '' && (content?.byteLength ?? 0) === 0) continue; // the empty file input
    received++;
    if (content === null || part.file.truncated) {
      errors.push({ field: 'files', key: 'evidence.tooLarge' });
      continue;
    }
    if (count >= MAX_FILES_PER_REPORT) {
      errors.push({ field: 'files', key: 'evidence.tooMany' });
      continue;
    }
    if (total + content.byteLength > MAX_REPORT_BYTES) {
      errors.push({ field: 'files', key: 'evidence.totalTooLarge' });
      continue;
    }
    let stored;
    try {
      stored = await services.evidence.store(part.filename.slice(0, MAX_FILE_NAME_INPUT), content);
    } catch (error) {
      if (!isServiceError(error)) throw error;
      errors.push({ field: 'files', key: `evidence.${error.code.replace(/^evidence-/, '')}` });
      continue;
    }
    if (!seen.has(stored.sha256)) {
      seen.add(stored.sha256);
      added.push(stored);
      count++;
      total += stored.size;
    }
  }
  if (received === 0) errors.push({ field: 'files', key: 'evidence.none' });
  return { added, errors };
}
