import type { Insertable, Selectable, Updateable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { CategoryChangesTable, ReportsTable, ReportUpdatesTable } from '../schema.ts';

export type ReportRow = Selectable<ReportsTable>;
export type NewReportRow = Insertable<ReportsTable>;

/** Inserts a report unless its reference is taken; returns the new id, or null on a reference collision. */
export async function insertReport(db: DbOrTrx, row: NewReportRow): Promise<number | null> {
  const inserted = await db
    .insertInto('reports')
    .values(row)
    .onConflict((oc) => oc.column('reference').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id ?? null;
}

export async function findReportByReference(db: DbOrTrx, reference: string): Promise<ReportRow | undefined> {
  return db.selectFrom('reports').selectAll().where('reference', '=', reference).executeTakeFirst();
}

export async function insertReportEvidence(
  db: DbOrTrx,
  reportId: number,
  items: { sha256: string; fileName: string; contentType: string; size: number }[],
  now: Date,
): Promise<void> {
  if (items.length === 0) return;
  await db
    .insertInto('report_evidence')
    .values(
      items.map((item) => ({
        report_id: reportId,
        sha256: item.sha256,
        file_name: item.fileName,
        content_type: item.contentType,
        size: item.size,
        created_at: now.toISOString(),
      })),
    )
    .execute();
}

export async function insertReportUpdate(db: DbOrTrx, update: Insertable<ReportUpdatesTable>): Promise<void> {
  await db.insertInto('report_updates').values(update).execute();
}

export async function insertCategoryChange(
  db: DbOrTrx,
  change: Insertable<CategoryChangesTable>,
): Promise<void> {
  await db.insertInto('category_changes').values(change).execute();
}

export async function listVictimUpdates(
  db: DbOrTrx,
  reportId: number,
): Promise<Selectable<ReportUpdatesTable>[]> {
  return db
    .selectFrom('report_updates')
    .selectAll()
    .where('report_id', '=', reportId)
    .where('visible_to_victim', '=', 1)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Changes a report's own columns (status, allocation, unit, TLP…). */
export async function updateReport(db: DbOrTrx, id: number, change: Updateable<ReportsTable>): Promise<void> {
  await db.updateTable('reports').set(change).where('id', '=', id).execute();
}

/** One page of a unit's queue with how many reports match: urgent, then vulnerable, then oldest, unless sorted. */
export async function unitQueue(
  db: DbOrTrx,
  unitId: string,
  filters: {
    status?: string;
    category?: string;
    urgent?: boolean;
    vulnerable?: boolean;
    sort?: 'priority' | 'oldest' | 'newest';
  },
  page: { offset: number; limit: number },
) {
  let query = db.selectFrom('reports').where('unit_id', '=', unitId);
  if (filters.status) query = query.where('status', '=', filters.status);
  if (filters.category) query = query.where('category', '=', filters.category);
  if (filters.urgent) query = query.where('urgent', '=', 1);
  if (filters.vulnerable) query = query.where('vulnerable', '=', 1);
  const total = (await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  const rows = await query
    .select([
      'reference',
      'status',
      'category',
      'urgent',
      'vulnerable',
      'created_at',
      'allocated_to',
      'force_id',
      'loss_pence',
    ])
    .$call((q) =>
      filters.sort === 'newest'
        ? q.orderBy('created_at', 'desc')
        : filters.sort === 'oldest'
          ? q.orderBy('created_at', 'asc')
          : q.orderBy('urgent', 'desc').orderBy('vulnerable', 'desc').orderBy('created_at', 'asc'),
    )
    .orderBy('reference')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total };
}

/** A report's category changes, oldest first. */
export function categoryChangesOf(q: DbOrTrx, reportId: number) {
  return q
    .selectFrom('category_changes')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('id')
    .execute();
}

/** A report's updates (notes and messages to the victim), oldest first. */
export function reportUpdatesOf(q: DbOrTrx, reportId: number) {
  return q.selectFrom('report_updates').selectAll().where('report_id', '=', reportId).orderBy('id').execute();
}
