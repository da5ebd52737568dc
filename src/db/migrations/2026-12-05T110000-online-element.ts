import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// Issue 17: the classifier decides the online element (and its medium) before the category, every result has a
// calibrated confidence, and doubtful ones wait for a person. Records classified before this change have
// online 'unknown': their cyber flag stays what it was until they are re-classified or reviewed.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['reports', 'legacy_records'] as const) {
    await db.schema
      .alterTable(table)
      .addColumn('online', 'varchar(32)', (col) => col.notNull().defaultTo('unknown'))
      .execute();
    await db.schema
      .alterTable(table)
      .addColumn('online_evidence', 'text', (col) => col.notNull().defaultTo('[]'))
      .execute();
    // 'none' (not doubtful), 'pending' (below the threshold, waiting), 'confirmed' or 'corrected' by a person.
    await db.schema
      .alterTable(table)
      .addColumn('review', 'varchar(16)', (col) => col.notNull().defaultTo('none'))
      .execute();
    await db.schema.createIndex(`${table}_review_idx`).on(table).column('review').execute();
  }
  await db.schema
    .alterTable('reports')
    .addColumn('confidence', 'real', (col) => col.notNull().defaultTo(1))
    .execute();
  // Every person's decision on a doubtful classification, kept: who, what it was, what it became, and why.
  await db.schema
    .createTable('classification_reviews')
    .$call((t) => withIdColumn(db, t))
    .addColumn('subject', 'varchar(16)', (col) => col.notNull())
    .addColumn('subject_id', 'integer', (col) => col.notNull())
    .addColumn('force_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('decision', 'varchar(16)', (col) => col.notNull())
    .addColumn('previous_category', 'varchar(64)', (col) => col.notNull())
    .addColumn('previous_online', 'varchar(32)', (col) => col.notNull())
    .addColumn('category', 'varchar(64)', (col) => col.notNull())
    .addColumn('online', 'varchar(32)', (col) => col.notNull())
    .addColumn('reason', 'text', (col) => col.notNull())
    .addColumn('reviewed_by', 'varchar(200)', (col) => col.notNull())
    .addColumn('reviewed_at', 'varchar(40)', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('classification_reviews_subject_idx')
    .on('classification_reviews')
    .columns(['subject', 'subject_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('classification_reviews').execute();
  await db.schema.alterTable('reports').dropColumn('confidence').execute();
  for (const table of ['reports', 'legacy_records'] as const) {
    await db.schema.dropIndex(`${table}_review_idx`).execute();
    await db.schema.alterTable(table).dropColumn('review').execute();
    await db.schema.alterTable(table).dropColumn('online_evidence').execute();
    await db.schema.alterTable(table).dropColumn('online').execute();
  }
}
