import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// "Ask the unit": public Q&A events a unit announces, questions from the public, moderation and answers.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('ask_events'))
    .addColumn('unit_id', 'varchar(60)', (col) => col.notNull())
    .addColumn('title', 'varchar(200)', (col) => col.notNull())
    .addColumn('title_cy', 'varchar(200)', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('description_cy', 'text', (col) => col.notNull())
    .addColumn('starts_at', 'varchar(30)', (col) => col.notNull())
    .addColumn('ends_at', 'varchar(30)', (col) => col.notNull())
    .addColumn('created_by', 'varchar(320)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(30)', (col) => col.notNull())
    .execute();
  await withIdColumn(db, db.schema.createTable('ask_questions'))
    .addColumn('event_id', 'integer', (col) => col.notNull().references('ask_events.id'))
    .addColumn('name', 'varchar(100)')
    .addColumn('question', 'text', (col) => col.notNull())
    .addColumn('lng', 'varchar(2)', (col) => col.notNull())
    .addColumn('status', 'varchar(20)', (col) => col.notNull())
    .addColumn('merged_into', 'integer')
    .addColumn('reject_reason', 'varchar(500)')
    .addColumn('answer', 'text')
    .addColumn('answered_by', 'varchar(320)')
    .addColumn('answered_at', 'varchar(30)')
    .addColumn('created_at', 'varchar(30)', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('ask_questions_event')
    .on('ask_questions')
    .columns(['event_id', 'status'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ask_questions').execute();
  await db.schema.dropTable('ask_events').execute();
}
