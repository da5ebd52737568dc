/** Industry partners: their TAXII credentials (only hashes), sectors, TLP ceiling and webhook. */
import type { Insertable, Updateable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { PartnersTable } from '../schema.ts';

export async function insertPartner(q: DbOrTrx, row: Insertable<PartnersTable>): Promise<number> {
  const created = await q.insertInto('partners').values(row).returning('id').executeTakeFirstOrThrow();
  return created.id;
}

export function findPartner(q: DbOrTrx, id: number) {
  return q.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A partner not revoked, by the hash of its API token. */
export function findLivePartnerByTokenHash(q: DbOrTrx, tokenHash: string) {
  return q
    .selectFrom('partners')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/** A partner not revoked, by its TAXII user name. */
export function findLivePartnerByUsername(q: DbOrTrx, username: string) {
  return q
    .selectFrom('partners')
    .selectAll()
    .where('username', '=', username)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/** Changes a partner; false when there is no partner with that id. */
export async function updatePartner(
  q: DbOrTrx,
  id: number,
  change: Updateable<PartnersTable>,
): Promise<boolean> {
  const result = await q.updateTable('partners').set(change).where('id', '=', id).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Every partner without credentials, by name. */
export function listPartners(q: DbOrTrx) {
  return q
    .selectFrom('partners')
    .select(['id', 'name', 'sectors', 'tlp', 'username', 'webhook_url', 'created_at', 'revoked_at'])
    .orderBy('name')
    .orderBy('id')
    .execute();
}
