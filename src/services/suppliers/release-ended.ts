/** Ending a tasking's release of exhibits before delivery (declined or cancelled): one custody entry each. */
import type { Trx } from '../../db/database.ts';
import type { TaskingRow } from '../../db/repositories/supplier-repository.ts';
import { taskingNotFound, type SuppliersContext } from './context.ts';

/**
 * Appends a `release-ended` entry, by `actor`, to each exhibit the tasking released, back with the unit; returns
 * their references. Call it with the tasking held, only when the release was made (approved, not yet delivered).
 */
export async function endRelease(
  { repos, custody, reference, dialect }: SuppliersContext,
  trx: Trx,
  row: TaskingRow,
  actor: string,
  note: string,
  now: Date,
): Promise<string[]> {
  const exhibits = await repos.suppliers.exhibitsOfTasking(trx, row.id);
  if (exhibits.length === 0) return [];
  // The case row is held while its chain grows (as every custody append does).
  const caseRow = await repos.cases.findCaseById(trx, row.case_id, dialect === 'postgres');
  if (caseRow === undefined) throw taskingNotFound();
  for (const exhibit of exhibits)
    await custody.append(trx, caseRow, {
      exhibitId: exhibit.id,
      exhibitRef: exhibit.exhibit_ref,
      event: 'release-ended',
      actor,
      at: now.toISOString(),
      location: reference.unit(row.unit_id)?.name ?? row.unit_id,
      note,
    });
  return exhibits.map((e) => e.exhibit_ref);
}
