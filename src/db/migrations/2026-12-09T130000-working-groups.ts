import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// Sector working groups (issue 21): police units and partner organisations in one group, a police group admin,
// and the group's messages: alerts, and requests for information (with a deadline) that partners answer.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('working_groups'))
    .addColumn('name', 'varchar(200)', (col) => col.notNull())
    .addColumn('sector', 'varchar(40)', (col) => col.notNull())
    .addColumn('admin_email', 'varchar(320)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(30)', (col) => col.notNull())
    .execute();
  await withIdColumn(db, db.schema.createTable('working_group_members'))
    .addColumn('group_id', 'integer', (col) => col.notNull().references('working_groups.id'))
    .addColumn('partner_id', 'integer', (col) => col.references('partners.id'))
    .addColumn('unit_id', 'varchar(80)')
    .addColumn('added_by', 'varchar(320)', (col) => col.notNull())
    .addColumn('added_at', 'varchar(30)', (col) => col.notNull())
    .addUniqueConstraint('working_group_members_partner', ['group_id', 'partner_id'])
    .addUniqueConstraint('working_group_members_unit', ['group_id', 'unit_id'])
    .execute();
  await withIdColumn(db, db.schema.createTable('group_messages'))
    .addColumn('group_id', 'integer', (col) => col.notNull().references('working_groups.id'))
    .addColumn('kind', 'varchar(10)', (col) => col.notNull())
    .addColumn('unit_id', 'varchar(80)', (col) => col.notNull())
    .addColumn('author', 'varchar(320)', (col) => col.notNull())
    .addColumn('text', 'varchar(2000)', (col) => col.notNull())
    .addColumn('indicator_type', 'varchar(40)')
    .addColumn('indicator_value', 'varchar(2100)')
    .addColumn('tlp', 'varchar(12)', (col) => col.notNull())
    .addColumn('deadline', 'varchar(30)')
    .addColumn('created_at', 'varchar(30)', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('group_messages_group')
    .on('group_messages')
    .columns(['group_id', 'id'])
    .execute();
  await withIdColumn(db, db.schema.createTable('group_answers'))
    .addColumn('message_id', 'integer', (col) => col.notNull().references('group_messages.id'))
    .addColumn('partner_id', 'integer', (col) => col.notNull().references('partners.id'))
    .addColumn('seen', 'integer', (col) => col.notNull())
    .addColumn('comment', 'varchar(2000)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(30)', (col) => col.notNull())
    .addUniqueConstraint('group_answers_partner', ['message_id', 'partner_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('group_answers').execute();
  await db.schema.dropTable('group_messages').execute();
  await db.schema.dropTable('working_group_members').execute();
  await db.schema.dropTable('working_groups').execute();
}
