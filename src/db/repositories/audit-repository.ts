/**
 * The one audit writer. Every use case writes its audit row with the transaction that makes its change, so a
 * change is never committed without its row (nor a row without its change).
 */
import type { DbOrTrx } from '../database.ts';

export interface AuditEntry {
  at: Date | string;
  actor: string;
  action: string;
  /** The report or case reference the action was on, if any. */
  reference?: string | null;
  forceId?: string | null;
  detail: string;
}

export async function writeAudit(q: DbOrTrx, entry: AuditEntry): Promise<void> {
  await q
    .insertInto('audit_log')
    .values({
      at: typeof entry.at === 'string' ? entry.at : entry.at.toISOString(),
      actor: entry.actor,
      action: entry.action,
      reference: entry.reference ?? null,
      force_id: entry.forceId ?? null,
      detail: entry.detail,
    })
    .execute();
}
