/**
 * The audit row of a partner's read (portal pages, the partner API): who read (the person, or `partner:<id>` for the
 * organisation's machine credentials), which organisation, and what (ids and counts, never values or search text).
 * Written in the read's own transaction, last, as every audit row is.
 */
import type { Trx } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { Partner } from './partners.ts';

/** Who reads: a portal user's email, or the machine credentials of the partner (as answers are audited). */
export const partnerActor = (partner: { id: number }, person?: string) =>
  person ?? `partner:${String(partner.id)}`;

export async function auditPartnerRead(
  trx: Trx,
  entry: { at: Date; partner: Pick<Partner, 'id' | 'name'>; person?: string; action: string; what: string },
  repos: Repositories = repositories,
): Promise<void> {
  await repos.audit.writeAudit(trx, {
    at: entry.at,
    actor: partnerActor(entry.partner, entry.person),
    action: entry.action,
    detail: `partner ${String(entry.partner.id)} "${entry.partner.name}": ${entry.what}`,
  });
}
