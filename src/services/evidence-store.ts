import { createHash } from 'node:crypto';
import type { Db } from '../db/database.ts';

import { checkEvidenceFile } from '../domain/evidence/evidence-file.ts';
import type { EvidenceItem } from '../domain/report/report-draft.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { ServiceError } from './service-error.ts';

/** Checks an uploaded file by its content and stores it once by SHA-256. It is never served inline. */
export function createEvidenceStore(db: Db, clock: () => Date, repos: Repositories = repositories) {
  return {
    /** Refuses a file that fails the checks with ServiceError invalid, code `evidence-<reason>`, field `files`. */
    async store(fileName: string, content: Uint8Array): Promise<EvidenceItem> {
      const checked = checkEvidenceFile({
        fileName,
        size: content.byteLength,
        head: content.subarray(0, 4096),
      });
      if (!checked.ok)
        throw new ServiceError(
          'invalid',
          `evidence-${checked.reason}`,
          `the file is refused: ${checked.reason}`,
          {
            field: 'files',
          },
        );
      const sha256 = createHash('sha256').update(content).digest('hex');
      await repos.evidence.storeEvidenceBlob(db, sha256, content, clock());
      return { sha256, fileName: checked.fileName, contentType: checked.kind, size: content.byteLength };
    },
  };
}
