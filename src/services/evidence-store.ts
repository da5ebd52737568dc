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

    /**
     * Seals the files stored before sealing began (`bluelight evidence seal`), a batch per transaction with its
     * audit row, so it can be stopped and run again. A plain file whose bytes no longer match its SHA-256 is left
     * as it is and counted: sealing it would only hide that it was changed.
     */
    async sealStored(actor: string, batchSize = 200): Promise<{ sealed: number; mismatched: string[] }> {
      let sealed = 0;
      const mismatched: string[] = [];
      for (;;) {
        const done = await db.transaction().execute(async (trx) => {
          const rows = (await repos.evidence.plainEvidenceBlobs(trx, batchSize + mismatched.length)).filter(
            (r) => !mismatched.includes(r.sha256),
          );
          let count = 0;
          for (const row of rows) {
            if (createHash('sha256').update(row.content).digest('hex') !== row.sha256) {
              mismatched.push(row.sha256);
              continue;
            }
            if (await repos.evidence.sealPlainEvidenceBlob(trx, row.sha256, row.content)) count += 1;
          }
          if (count > 0)
            await repos.audit.writeAudit(trx, {
              at: clock(),
              actor,
              action: 'evidence-sealed',
              detail: `${count} stored evidence file(s) sealed at rest`,
            });
          return { count, more: rows.length > 0 };
        });
        sealed += done.count;
        if (!done.more) return { sealed, mismatched };
      }
    },
  };
}
