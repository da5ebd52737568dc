import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// Working groups (issue 21): the asking unit links a partner's answer to one of its cases or reports. One link per
// answer and case or report (nulls are distinct in both dialects, so each constraint binds one kind).
export async function up(db: Kysely<unknown>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('group_answer_links'))
    .addColumn('answer_id', 'integer', (col) => col.notNull().references('group_answers.id'))
    .addColumn('case_id', 'integer', (col) => col.references('cases.id'))
    .addColumn('report_id', 'integer', (col) => col.references('reports.id'))
    .addColumn('linked_by', 'varchar(320)', (col) => col.notNull())
    .addColumn('linked_at', 'varchar(30)', (col) => col.notNull())
    .addUniqueConstraint('group_answer_links_case', ['answer_id', 'case_id'])
    .addUniqueConstraint('group_answer_links_report', ['answer_id', 'report_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('group_answer_links').execute();
}
