import { sql, type Kysely } from 'kysely';

// Entries the service writes into a case's decision log (closed, shared, transferred, a campaign linked, the team
// changed) get a code and a subject, so each page can say them in its own language; the English text stays as the
// record. Rows written before this are coded from their text.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('case_decisions').addColumn('code', 'varchar(30)').execute();
  await db.schema.alterTable('case_decisions').addColumn('subject', 'varchar(320)').execute();
  for (const [code, prefix] of [
    ['closed', 'closed: '],
    ['shared', 'shared with '],
    ['transferred', 'transferred to '],
    ['campaign', 'linked campaign '],
  ] as const)
    await sql`update case_decisions set code = ${code}, subject = substr(decision, ${prefix.length + 1})
              where decision like ${`${prefix}%`}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('case_decisions').dropColumn('subject').execute();
  await db.schema.alterTable('case_decisions').dropColumn('code').execute();
}
