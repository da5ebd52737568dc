/** Exhibits: what was seized in a case, numbered by the seizing officer's initials. */
import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { ExhibitsTable } from '../schema.ts';

export function findExhibitById(q: DbOrTrx, id: number) {
  return q.selectFrom('exhibits').selectAll().where('id', '=', id).executeTakeFirst();
}

export type ExhibitRow = NonNullable<Awaited<ReturnType<typeof findExhibitById>>>;

/** The case's exhibits, in the order they were added. */
export function exhibitsOfCase(q: DbOrTrx, caseId: number): Promise<ExhibitRow[]> {
  return q.selectFrom('exhibits').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

/** How many of the case's exhibits carry these initials (`JS/1`, `JS/2`…): the next is one more. */
export async function countExhibitsWithInitials(
  q: DbOrTrx,
  caseId: number,
  initials: string,
): Promise<number> {
  const rows = await q
    .selectFrom('exhibits')
    .select('exhibit_ref')
    .where('case_id', '=', caseId)
    .where('exhibit_ref', 'like', `${initials}/%`)
    .execute();
  return rows.length;
}

export async function insertExhibit(q: DbOrTrx, row: Insertable<ExhibitsTable>): Promise<number> {
  const created = await q.insertInto('exhibits').values(row).returning('id').executeTakeFirstOrThrow();
  return created.id;
}
