/** Hash lists: importing one (CLI) and matching a case's exhibit files against every list. */
import type { DbOrTrx } from '../../db/database.ts';
import type { Repositories } from '../../db/repositories/index.ts';
import { parseHashList } from '../../domain/investigations/hash-list.ts';
import type { InvestigationsContext } from './context.ts';

export function createHashLists({ db, clock, repos }: InvestigationsContext) {
  return {
    /**
     * Imports (or replaces) a hash list: one SHA-256 or MD5 per line; returns how many were read. One transaction
     * with its audit row (`actor`: the operator running the command), as a list decides what exhibits match.
     */
    async importHashlist(
      name: string,
      text: string,
      actor: string,
    ): Promise<{ entries: number; skipped: number[] }> {
      const { hashes, skipped } = parseHashList(text);
      await db.transaction().execute(async (trx) => {
        const at = clock().toISOString();
        const existing = await repos.hashLists.findHashlistByName(trx, name);
        if (existing !== undefined) await repos.hashLists.deleteHashlist(trx, existing.id);
        await repos.hashLists.insertHashlist(trx, { name, hashes, at });
        await repos.audit.writeAudit(trx, {
          at,
          actor,
          action: 'hashlist-imported',
          detail: `list "${name}": ${hashes.length} hashes${existing === undefined ? '' : `, replacing ${existing.entries}`}`,
        });
      });
      return { entries: hashes.length, skipped };
    },
  };
}

/** Files of the case's exhibits found on any imported hash list (by SHA-256 or MD5), in one query. */
export async function hashMatchesOf(repos: Repositories, q: DbOrTrx, caseId: number) {
  const rows = await repos.hashLists.hashMatchesOfCase(q, caseId);
  return rows.map((r) => ({
    exhibit: r.exhibit,
    fileName: r.file_name,
    fileSha256: r.file_sha256 ?? '',
    list: r.list,
    hash: r.hash,
  }));
}
