/** Versions of the Protect advice pages: drafts, the published page and those they replaced. */
import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { AdviceVersionsTable } from '../schema.ts';

type Status = 'draft' | 'published';
type Lng = AdviceVersionsTable['lng'];

/** The latest version of a page in this status, or undefined. */
export function latestAdviceVersion(q: DbOrTrx, category: string, lng: Lng, status: Status) {
  return q
    .selectFrom('advice_versions')
    .selectAll()
    .where('category', '=', category)
    .where('lng', '=', lng)
    .where('status', '=', status)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Every draft and published version of every page (the editors' overview). */
export function currentAdviceVersions(q: DbOrTrx) {
  return q
    .selectFrom('advice_versions')
    .select(['category', 'lng', 'version', 'status', 'author', 'created_at', 'published_by', 'published_at'])
    .where('status', 'in', ['draft', 'published'])
    .execute();
}

/** The highest version number a page has had (0 for none). */
export async function highestAdviceVersion(q: DbOrTrx, category: string, lng: Lng): Promise<number> {
  const latest = await q
    .selectFrom('advice_versions')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('category', '=', category)
    .where('lng', '=', lng)
    .executeTakeFirst();
  return latest?.version ?? 0;
}

/** Inserts a version; false when that version number was taken meanwhile (the unique index). */
export async function insertAdviceVersion(
  q: DbOrTrx,
  row: Insertable<AdviceVersionsTable>,
): Promise<boolean> {
  const inserted = await q
    .insertInto('advice_versions')
    .values(row)
    .onConflict((oc) => oc.columns(['category', 'lng', 'version']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Marks a page's versions in `status` (below `belowVersion`, if given) superseded. */
export async function supersedeAdvice(
  q: DbOrTrx,
  page: { category: string; lng: Lng },
  status: Status,
  belowVersion?: number,
): Promise<void> {
  let query = q
    .updateTable('advice_versions')
    .set({ status: 'superseded' })
    .where('category', '=', page.category)
    .where('lng', '=', page.lng)
    .where('status', '=', status);
  if (belowVersion !== undefined) query = query.where('version', '<', belowVersion);
  await query.execute();
}

/** Publishes a draft; false when it is no longer a draft (published or replaced meanwhile). */
export async function publishAdviceDraft(
  q: DbOrTrx,
  id: number,
  by: { email: string; at: string },
): Promise<boolean> {
  const result = await q
    .updateTable('advice_versions')
    .set({ status: 'published', published_by: by.email, published_at: by.at })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
