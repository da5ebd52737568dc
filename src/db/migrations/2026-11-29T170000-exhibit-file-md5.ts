import type { Kysely } from 'kysely';

// The MD5 of each exhibit file, worked out once when it is added, so matching against hash lists (many give only
// MD5) does not re-read every file on every view of a case.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('exhibit_file_md5')
    .addColumn('sha256', 'varchar(64)', (col) => col.primaryKey())
    .addColumn('md5', 'varchar(32)', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('exhibit_file_md5_md5').on('exhibit_file_md5').column('md5').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('exhibit_file_md5').execute();
}
