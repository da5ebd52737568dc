/** Significant incidents: the incident, the reports linked to it, partners told and updates sent to victims. */
import { sql, type Insertable, type Selectable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { IncidentPartnersTable, IncidentsTable, IncidentUpdatesTable } from '../schema.ts';

export type IncidentRow = Selectable<IncidentsTable>;

export async function insertIncident(q: DbOrTrx, row: Insertable<IncidentsTable>): Promise<number> {
  const created = await q.insertInto('incidents').values(row).returning('id').executeTakeFirstOrThrow();
  return created.id;
}

export function findIncident(q: DbOrTrx, id: number) {
  return q.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Open ones first, newest first. */
export function listIncidents(q: DbOrTrx, limit: number) {
  return q
    .selectFrom('incidents')
    .selectAll()
    .orderBy(sql`case when status = 'open' then 0 else 1 end`)
    .orderBy('declared_at', 'desc')
    .limit(limit)
    .execute();
}

export function openIncidents(q: DbOrTrx) {
  return q.selectFrom('incidents').selectAll().where('status', '=', 'open').orderBy('id').execute();
}

export async function anyOpenIncident(q: DbOrTrx): Promise<boolean> {
  const row = await q
    .selectFrom('incidents')
    .select('id')
    .where('status', '=', 'open')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function closeIncident(
  q: DbOrTrx,
  id: number,
  closedBy: string,
  note: string,
  at: string,
): Promise<boolean> {
  const result = await q
    .updateTable('incidents')
    .set({ status: 'closed', closed_by: closedBy, closed_at: at, closing_note: note })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Links reports to an incident; a report already linked stays as it was. Returns how many were new. */
export async function linkReports(
  q: DbOrTrx,
  incidentId: number,
  reportIds: readonly number[],
  how: 'matched' | 'reported',
  at: string,
): Promise<number> {
  if (reportIds.length === 0) return 0;
  const result = await q
    .insertInto('incident_reports')
    .values(reportIds.map((report_id) => ({ incident_id: incidentId, report_id, how, linked_at: at })))
    .onConflict((oc) => oc.columns(['incident_id', 'report_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/**
 * Reports received in the window (and of the category, when given), after `afterId`, that name one of the values
 * (when any are given): candidates for the rules, whose sector the service checks. One query per batch.
 */
export function candidateReports(
  q: DbOrTrx,
  rules: { from: string; to: string | null; category: string | null; values: readonly string[] },
  afterId: number,
  limit: number,
) {
  let query = q
    .selectFrom('reports as r')
    .select(['r.id', 'r.category', 'r.answers', 'r.created_at'])
    .where('r.id', '>', afterId)
    .where('r.created_at', '>=', rules.from);
  if (rules.to !== null) query = query.where('r.created_at', '<', rules.to);
  if (rules.category !== null) query = query.where('r.category', '=', rules.category);
  if (rules.values.length > 0) {
    const values = [...rules.values];
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('report_indicators as ri')
          .innerJoin('indicators as i', 'i.id', 'ri.indicator_id')
          .select('ri.report_id')
          .whereRef('ri.report_id', '=', 'r.id')
          .where('i.value', 'in', values),
      ),
    );
  }
  return query.orderBy('r.id').limit(limit).execute();
}

/** The incident's reports by day, force and victim sector (from the stored answers), for its page. */
export function linkedReportRows(q: DbOrTrx, incidentId: number) {
  return q
    .selectFrom('incident_reports as ir')
    .innerJoin('reports as r', 'r.id', 'ir.report_id')
    .select(['r.id', 'r.force_id', 'r.answers', 'r.created_at', 'r.category', 'ir.how'])
    .where('ir.incident_id', '=', incidentId)
    .orderBy('r.created_at')
    .execute();
}

/** The indicators the incident's reports name, most reports first. */
export function indicatorsOfIncident(q: DbOrTrx, incidentId: number, limit: number) {
  return q
    .selectFrom('incident_reports as ir')
    .innerJoin('report_indicators as ri', 'ri.report_id', 'ir.report_id')
    .innerJoin('indicators as i', 'i.id', 'ri.indicator_id')
    .select([
      'i.type',
      'i.value',
      (eb) => eb.fn.count<string | number>('ri.report_id').distinct().as('reports'),
    ])
    .where('ir.incident_id', '=', incidentId)
    .where('i.warning_list', 'is', null)
    .groupBy(['i.type', 'i.value'])
    .orderBy('reports', 'desc')
    .orderBy('i.value')
    .limit(limit)
    .execute();
}

/** The linked reports whose victim can still be told (contact email held, personal data not removed). */
export function victimsOfIncident(q: DbOrTrx, incidentId: number) {
  return q
    .selectFrom('incident_reports as ir')
    .innerJoin('reports as r', 'r.id', 'ir.report_id')
    .select(['r.id', 'r.reference', 'r.contact_email', 'r.lng'])
    .where('ir.incident_id', '=', incidentId)
    .where('r.anonymised_at', 'is', null)
    .orderBy('r.id')
    .execute();
}

export async function insertIncidentPartner(
  q: DbOrTrx,
  row: Insertable<IncidentPartnersTable>,
): Promise<void> {
  await q.insertInto('incident_partners').values(row).execute();
}

export function partnersOfIncident(q: DbOrTrx, incidentId: number) {
  return q
    .selectFrom('incident_partners')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('told_at')
    .execute();
}

export async function insertIncidentUpdate(
  q: DbOrTrx,
  row: Insertable<IncidentUpdatesTable>,
): Promise<number> {
  const created = await q
    .insertInto('incident_updates')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return created.id;
}

export function updatesOfIncident(q: DbOrTrx, incidentId: number) {
  return q
    .selectFrom('incident_updates')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('sent_at')
    .execute();
}
