import type { Kysely } from 'kysely';
import { withIdColumn } from './column-types.ts';

// External feeds in (issue 21): other forces' Bluelight, OpenCTI or MISP servers Bluelight pulls indicators from
// over TAXII 2.1 or as a MISP feed. Kept apart from Bluelight's own indicators and its published objects: a feed's
// values mark matching report indicators ("known to <feed> since …") and are never published as they came.
export async function up(db: Kysely<unknown>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('feeds'))
    .addColumn('name', 'varchar(200)', (col) => col.notNull().unique())
    // 'taxii' (a TAXII 2.1 discovery or API root URL) or 'misp' (a MISP feed: manifest.json plus event files).
    .addColumn('kind', 'varchar(10)', (col) => col.notNull())
    .addColumn('url', 'varchar(2048)', (col) => col.notNull())
    // Comma-separated TAXII collection ids to read; empty: every collection the server lets us read.
    .addColumn('collections', 'varchar(2000)', (col) => col.notNull())
    // 'none', 'basic' or 'bearer'; the secret itself is never stored, only the environment variable naming it.
    .addColumn('auth', 'varchar(10)', (col) => col.notNull())
    .addColumn('username', 'varchar(200)')
    .addColumn('secret_env', 'varchar(100)')
    // The marking assumed for what the feed sends unmarked.
    .addColumn('tlp', 'varchar(10)', (col) => col.notNull())
    // Lifetime of a value that carries no valid_until of its own, from its last change.
    .addColumn('valid_days', 'integer', (col) => col.notNull())
    // 1: a live value of this feed counts as corroboration for sharing Bluelight's own indicator.
    .addColumn('corroborates', 'integer', (col) => col.notNull())
    .addColumn('interval_minutes', 'integer', (col) => col.notNull())
    // Objects asked for per TAXII page (servers may answer fewer).
    .addColumn('page_size', 'integer', (col) => col.notNull())
    .addColumn('enabled', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('created_by', 'varchar(200)', (col) => col.notNull())
    // Pull state: due time, the lease a puller holds, back-off after failures, what the last pull did.
    .addColumn('next_pull_at', 'varchar(32)', (col) => col.notNull())
    .addColumn('lease_until', 'varchar(32)')
    .addColumn('last_attempt_at', 'varchar(32)')
    .addColumn('last_success_at', 'varchar(32)')
    .addColumn('failures', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_error', 'varchar(1000)')
    .addColumn('last_result', 'varchar(1000)')
    .execute();

  // Where each pull resumes: per TAXII collection the X-TAXII-Date-Added-Last of the last stored page; for a MISP
  // feed (collection '') the manifest timestamp and uuid of the last stored event.
  await db.schema
    .createTable('feed_cursors')
    .addColumn('feed_id', 'integer', (col) => col.notNull().references('feeds.id'))
    .addColumn('collection', 'varchar(200)', (col) => col.notNull())
    .addColumn('title', 'varchar(300)', (col) => col.notNull())
    .addColumn('cursor', 'varchar(200)')
    .addColumn('stored', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('updated_at', 'varchar(32)', (col) => col.notNull())
    .addPrimaryKeyConstraint('feed_cursors_pk', ['feed_id', 'collection'])
    .execute();

  await withIdColumn(db, db.schema.createTable('feed_indicators'))
    .addColumn('feed_id', 'integer', (col) => col.notNull().references('feeds.id'))
    // The TAXII collection, or the MISP event, it came in.
    .addColumn('origin', 'varchar(200)', (col) => col.notNull())
    // The STIX indicator id, or the MISP attribute uuid.
    .addColumn('external_id', 'varchar(200)', (col) => col.notNull())
    .addColumn('version', 'varchar(40)', (col) => col.notNull())
    .addColumn('type', 'varchar(20)', (col) => col.notNull())
    .addColumn('value', 'varchar(2048)', (col) => col.notNull())
    .addColumn('known_since', 'varchar(32)', (col) => col.notNull())
    .addColumn('valid_until', 'varchar(32)', (col) => col.notNull())
    .addColumn('revoked', 'integer', (col) => col.notNull())
    .addColumn('tlp', 'varchar(10)', (col) => col.notNull())
    .addColumn('confidence', 'integer')
    .addColumn('updated_at', 'varchar(32)', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('feed_indicators_value')
    .on('feed_indicators')
    .columns(['type', 'value'])
    .execute();
  await db.schema
    .createIndex('feed_indicators_external')
    .on('feed_indicators')
    .columns(['feed_id', 'external_id'])
    .execute();
  await db.schema
    .createIndex('feed_indicators_origin')
    .on('feed_indicators')
    .columns(['feed_id', 'origin'])
    .execute();
  await db.schema.createIndex('feed_indicators_valid').on('feed_indicators').column('valid_until').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('feed_indicators').execute();
  await db.schema.dropTable('feed_cursors').execute();
  await db.schema.dropTable('feeds').execute();
}
