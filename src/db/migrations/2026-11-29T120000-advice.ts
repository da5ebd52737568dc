import { sql, type Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// Reviewed, versioned Protect advice: one row per saved version of a category's page in one language.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('advice_versions'))
    .addColumn('category', 'varchar(60)', (col) => col.notNull())
    .addColumn('lng', 'varchar(2)', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('title', 'varchar(200)', (col) => col.notNull())
    .addColumn('body_json', 'text', (col) => col.notNull())
    .addColumn('status', 'varchar(20)', (col) => col.notNull())
    .addColumn('author', 'varchar(320)', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('published_by', 'varchar(320)')
    .addColumn('published_at', 'varchar(32)')
    .execute();
  // Two editors saving at once cannot both take the same version number.
  await db.schema
    .createIndex('advice_versions_version')
    .on('advice_versions')
    .columns(['category', 'lng', 'version'])
    .unique()
    .execute();
  // At most one published version of a page, whatever races between two publishers.
  await db.schema
    .createIndex('advice_versions_published')
    .on('advice_versions')
    .columns(['category', 'lng'])
    .unique()
    .where(sql.ref('status'), '=', 'published')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('advice_versions').execute();
}
