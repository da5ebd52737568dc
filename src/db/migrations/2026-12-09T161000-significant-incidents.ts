import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// Significant incidents (issue 24): declared by the NCCU or a regional unit, with rules that link matching reports
// across forces; what was told to partners and to victims is kept after the incident is closed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('incidents'))
    .addColumn('unit_id', 'varchar(60)', (col) => col.notNull())
    .addColumn('name', 'varchar(200)', (col) => col.notNull())
    .addColumn('name_cy', 'varchar(200)', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('description_cy', 'text', (col) => col.notNull())
    // JSON array of {type, value}: the normalised indicators that match.
    .addColumn('indicators', 'text', (col) => col.notNull())
    .addColumn('category', 'varchar(60)')
    .addColumn('sector', 'varchar(40)')
    .addColumn('window_from', 'varchar(32)', (col) => col.notNull())
    .addColumn('window_to', 'varchar(32)')
    .addColumn('status', 'varchar(10)', (col) => col.notNull())
    .addColumn('declared_by', 'varchar(320)', (col) => col.notNull())
    .addColumn('declared_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('closed_by', 'varchar(320)')
    .addColumn('closed_at', 'varchar(32)')
    .addColumn('closing_note', 'text')
    .execute();
  await db.schema.createIndex('incidents_status').on('incidents').columns(['status']).execute();
  await db.schema
    .createTable('incident_reports')
    .addColumn('incident_id', 'integer', (col) => col.notNull().references('incidents.id'))
    .addColumn('report_id', 'integer', (col) => col.notNull().references('reports.id'))
    // 'matched' (its rules) or 'reported' (the victim said they were affected).
    .addColumn('how', 'varchar(10)', (col) => col.notNull())
    .addColumn('linked_at', 'varchar(32)', (col) => col.notNull())
    .addPrimaryKeyConstraint('incident_reports_pk', ['incident_id', 'report_id'])
    .execute();
  await db.schema
    .createIndex('incident_reports_report')
    .on('incident_reports')
    .columns(['report_id'])
    .execute();
  await withIdColumn(db, db.schema.createTable('incident_partners'))
    .addColumn('incident_id', 'integer', (col) => col.notNull().references('incidents.id'))
    .addColumn('partner', 'varchar(200)', (col) => col.notNull())
    .addColumn('note', 'varchar(500)', (col) => col.notNull())
    .addColumn('recorded_by', 'varchar(320)', (col) => col.notNull())
    .addColumn('told_at', 'varchar(32)', (col) => col.notNull())
    .execute();
  await withIdColumn(db, db.schema.createTable('incident_updates'))
    .addColumn('incident_id', 'integer', (col) => col.notNull().references('incidents.id'))
    .addColumn('message', 'text', (col) => col.notNull())
    .addColumn('message_cy', 'text', (col) => col.notNull())
    .addColumn('recipients', 'integer', (col) => col.notNull())
    .addColumn('sent_by', 'varchar(320)', (col) => col.notNull())
    .addColumn('sent_at', 'varchar(32)', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['incident_updates', 'incident_partners', 'incident_reports', 'incidents'])
    await db.schema.dropTable(table).execute();
}
