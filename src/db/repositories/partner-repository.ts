/** Industry partners: their TAXII credentials (only hashes), sectors, TLP ceiling and webhook. */
import type { Insertable, Updateable } from 'kysely';
import { prepared, type DbOrTrx } from '../database.ts';
import type { PartnersTable } from '../schema.ts';

export async function insertPartner(q: DbOrTrx, row: Insertable<PartnersTable>): Promise<number> {
  const created = await q.insertInto('partners').values(row).returning('id').executeTakeFirstOrThrow();
  return created.id;
}

export function findPartner(q: DbOrTrx, id: number) {
  return q.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A partner not revoked, by the hash of its API token. */
export async function findLivePartnerByTokenHash(q: DbOrTrx, tokenHash: string) {
  // Every TAXII request asks this first: a named statement, so PostgreSQL parses and plans it once per connection.
  const query = q
    .selectFrom('partners')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null);
  return (await q.executeQuery(prepared(query))).rows[0];
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
    .select([
      'id',
      'name',
      'sectors',
      'tlp',
      'can_submit',
      'username',
      'webhook_url',
      'created_at',
      'revoked_at',
    ])
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** Live partners with a webhook, to push newly published objects to. */
export async function partnerIdsWithWebhooks(q: DbOrTrx): Promise<number[]> {
  const rows = await q
    .selectFrom('partners')
    .select('id')
    .where('webhook_url', 'is not', null)
    .where('revoked_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

export function findWebhookOf(q: DbOrTrx, id: number) {
  return q
    .selectFrom('partners')
    .select(['webhook_url', 'webhook_secret', 'revoked_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function partnersWithWebhookSecrets(q: DbOrTrx) {
  return q
    .selectFrom('partners')
    .select(['id', 'webhook_secret'])
    .where('webhook_secret', 'is not', null)
    .execute();
}

/** Replaces the secret only if it is still `was`: true when it did. */
export async function replaceWebhookSecret(
  q: DbOrTrx,
  id: number,
  was: string,
  secret: string,
): Promise<boolean> {
  const result = await q
    .updateTable('partners')
    .set({ webhook_secret: secret })
    .where('id', '=', id)
    .where('webhook_secret', '=', was)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
