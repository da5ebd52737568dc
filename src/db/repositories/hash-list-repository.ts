/** Imported hash lists, and matching the files in a case's chain of custody against them. */
import type { DbOrTrx } from '../database.ts';

/** Rows per statement: well inside both dialects' limits on bound parameters. */
const BATCH = 500;

export function findHashlistByName(q: DbOrTrx, name: string) {
  return q.selectFrom('hashlists').select(['id', 'entries']).where('name', '=', name).executeTakeFirst();
}

export async function deleteHashlist(q: DbOrTrx, id: number): Promise<void> {
  await q.deleteFrom('hashlist_entries').where('hashlist_id', '=', id).execute();
  await q.deleteFrom('hashlists').where('id', '=', id).execute();
}

export async function insertHashlist(
  q: DbOrTrx,
  list: { name: string; hashes: readonly string[]; at: string },
): Promise<number> {
  const created = await q
    .insertInto('hashlists')
    .values({ name: list.name, entries: list.hashes.length, imported_at: list.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let i = 0; i < list.hashes.length; i += BATCH)
    await q
      .insertInto('hashlist_entries')
      .values(list.hashes.slice(i, i + BATCH).map((hash) => ({ hashlist_id: created.id, hash })))
      .execute();
  return created.id;
}

/** In one query, the files of the case's chain found on any list, by SHA-256 or by the MD5 kept beside it. */
export function hashMatchesOfCase(q: DbOrTrx, caseId: number) {
  return q
    .selectFrom('custody_entries')
    .innerJoin('exhibits', 'exhibits.id', 'custody_entries.exhibit_id')
    .leftJoin('exhibit_file_md5', 'exhibit_file_md5.sha256', 'custody_entries.file_sha256')
    .innerJoin('hashlist_entries', (join) =>
      join.on((eb) =>
        eb.or([
          eb('hashlist_entries.hash', '=', eb.ref('custody_entries.file_sha256')),
          eb('hashlist_entries.hash', '=', eb.ref('exhibit_file_md5.md5')),
        ]),
      ),
    )
    .innerJoin('hashlists', 'hashlists.id', 'hashlist_entries.hashlist_id')
    .select([
      'exhibits.exhibit_ref as exhibit',
      'custody_entries.file_name',
      'custody_entries.file_sha256',
      'hashlists.name as list',
      'hashlist_entries.hash',
    ])
    .where('custody_entries.case_id', '=', caseId)
    .where('custody_entries.file_sha256', 'is not', null)
    .orderBy('custody_entries.id')
    .orderBy('hashlists.id')
    .orderBy('hashlist_entries.hash')
    .execute();
}
