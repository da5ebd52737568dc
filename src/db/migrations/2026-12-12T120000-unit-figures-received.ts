import { sql, type Kysely } from 'kysely';

// Unit figures (issue 24) count each record for the unit that received it, kept once when the row is written, so
// a later transfer never changes an ended month's cell (watching a cell before and after a transfer would show a
// small count exactly). Existing rows are filled from the history that is kept:
// - cases: opened by the unit they have now unless transferred since; then the unit of the officer who opened it;
// - case decisions: the unit holding the case then (the last transfer before the decision, else the opening unit);
// - examinations: the unit holding the case when they were requested (open ones move with a transferred case);
// - reports: routed there unless transferred since; then the unit told of it as urgent at intake, else the unit of
//   whoever first transferred it (they had to hold it), else the unit it has now.
const COLUMNS = [
  { table: 'reports', column: 'received_unit' },
  { table: 'cases', column: 'opened_unit' },
  { table: 'case_decisions', column: 'unit_id' },
  { table: 'forensic_requests', column: 'requested_unit' },
] as const;

const INDEXES = [
  { name: 'reports_received_unit_created', table: 'reports', columns: ['received_unit', 'created_at'] },
  { name: 'cases_opened_unit_created', table: 'cases', columns: ['opened_unit', 'created_at'] },
  { name: 'case_decisions_unit_code_at', table: 'case_decisions', columns: ['unit_id', 'code', 'at'] },
  {
    name: 'forensic_requests_requested_unit_requested',
    table: 'forensic_requests',
    columns: ['requested_unit', 'requested_at'],
  },
  {
    name: 'forensic_requests_requested_unit_completed',
    table: 'forensic_requests',
    columns: ['requested_unit', 'completed_at'],
  },
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const { table, column } of COLUMNS)
    await db.schema.alterTable(table).addColumn(column, 'varchar(60)').execute();
  await backfill(db);
  for (const index of INDEXES)
    await db.schema
      .createIndex(index.name)
      .on(index.table)
      .columns([...index.columns])
      .execute();
}

/** Fills the columns where they are empty (so running it again changes nothing). */
export async function backfill(db: Kysely<unknown>): Promise<void> {
  await sql`update cases set opened_unit = coalesce(
      case when exists (select 1 from case_decisions d where d.case_id = cases.id and d.code = 'transferred')
        then (select u.unit_id from users u where u.email = cases.created_by) end,
      unit_id)
    where opened_unit is null`.execute(db);
  const unitOfCaseAt = (at: string) =>
    sql.raw(`coalesce((select t.subject from case_decisions t where t.case_id = c.id and t.code = 'transferred'
      and t.at <= ${at} order by t.at desc, t.id desc limit 1), c.opened_unit)`);
  await sql`update case_decisions set unit_id = (select ${unitOfCaseAt('case_decisions.at')}
      from cases c where c.id = case_decisions.case_id)
    where unit_id is null`.execute(db);
  await sql`update forensic_requests set requested_unit = coalesce((select ${unitOfCaseAt('forensic_requests.requested_at')}
      from cases c where c.id = forensic_requests.case_id), unit_id)
    where requested_unit is null`.execute(db);
  await sql`update reports set received_unit = case when routing_rule <> 'transferred' then unit_id else coalesce(
      (select n.unit_id from unit_notifications n where n.reference = reports.reference and n.reason = 'urgent-report'
        and not exists (select 1 from audit_log a where a.reference = reports.reference and a.action = 'transfer'
          and a.at < n.created_at)
        order by n.created_at, n.id limit 1),
      (select u.unit_id from audit_log a join users u on u.email = a.actor
        where a.reference = reports.reference and a.action = 'transfer' order by a.at, a.id limit 1),
      unit_id) end
    where received_unit is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of INDEXES) await db.schema.dropIndex(index.name).execute();
  for (const { table, column } of COLUMNS) await db.schema.alterTable(table).dropColumn(column).execute();
}
