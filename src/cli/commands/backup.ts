import { chmodSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { loadConfig, type DatabaseConfig } from '../../config/config.ts';
import { openDatabase } from '../../db/database.ts';
import { migrateTo } from '../../db/migrate.ts';
import { migrations } from '../../db/migrations/index.ts';
import { CliError, type CliIo } from '../cli-io.ts';

/** better-sqlite3 takes the page count for each step after the first (an empty one); this is all of them. */
const ALL_PAGES = 0x7fffffff;

type PostgresConfig = Extract<DatabaseConfig, { dialect: 'postgres' }>;

/** The connection URL without any password, for a command a person will copy (pg_dump reads PGPASSWORD). */
function withoutPassword(database: PostgresConfig): string {
  const url = new URL(database.connectionString);
  url.password = '';
  for (const secret of ['password', 'sslpassword']) url.searchParams.delete(secret);
  return url.toString();
}

/** One shell word, whatever it holds: a pasted command never runs part of a file name or URL. */
const shellWord = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

type Schema = Map<string, string>;

/** Tables, indexes, triggers and views, by type and name, with the SQL that made them. */
function schemaOf(db: SQLite.Database): Schema {
  const rows = db
    .prepare("select type, name, sql from sqlite_schema where name not like 'sqlite_%' order by type, name")
    .all() as { type: string; name: string; sql: string | null }[];
  return new Map(rows.map((row) => [`${row.type} ${row.name}`, (row.sql ?? '').replace(/\s+/g, ' ')]));
}

/** The schema this release's migrations make, up to the last one the backup recorded, built in a scratch file. */
async function expectedSchema(dir: string, last: string): Promise<Schema> {
  const file = join(dir, `.schema-check-${process.pid}.db`);
  const scratch = openDatabase({ dialect: 'sqlite', url: `sqlite:${file}`, filename: file });
  try {
    await migrateTo(scratch.db, last);
  } finally {
    await scratch.close();
  }
  const db = new SQLite(file, { readonly: true });
  try {
    return schemaOf(db);
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
}

/** While the service runs, its pid is in DATA_DIR/server.pid: a restore under it would be lost or half-seen. */
function runningServer(dataDir: string): number | null {
  const file = join(dataDir, 'server.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

function targetFile(args: string[], command: 'backup' | 'restore', io: CliIo): string {
  if (args.length !== 1 || args[0] === undefined || args[0] === '' || args[0].startsWith('--'))
    throw new CliError(`usage: bluelight ${command} <file>`);
  return resolve(io.cwd, args[0]);
}

/**
 * Opens a backup and checks it is a whole Bluelight database: SQLite, intact, migrated by this or an earlier release,
 * and holding exactly the schema those migrations make (no extra trigger, view or table: a restored trigger would
 * outlive the restore and the signed audit log would not show it).
 */
async function checkBackup(
  file: string,
  scratchDir: string,
): Promise<{ reports: number; migrations: number }> {
  let db: SQLite.Database;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new CliError(`${file} cannot be opened as a SQLite database: ${(error as Error).message}`, 1);
  }
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    if (integrity !== 'ok') throw new CliError(`${file} is damaged (integrity check: ${integrity})`, 1);
    const applied = (db.prepare('select name from kysely_migration').pluck().all() as string[]).sort();
    const unknown = applied.filter((name) => !(name in migrations));
    if (unknown.length > 0)
      throw new CliError(
        `${file} was written by a newer release (migration ${unknown[0] ?? ''}); upgrade first`,
        1,
      );
    const known = Object.keys(migrations).sort();
    const last = applied.at(-1);
    // Migrations are applied in order: a backup holds the first N of them, never a gap.
    if (last === undefined || applied.some((name, i) => name !== known[i]))
      throw new CliError(
        `${file} is not a Bluelight database: its migrations are not this release's, in order`,
        1,
      );
    const expected = await expectedSchema(scratchDir, last);
    const actual = schemaOf(db);
    const differs = [...new Set([...expected.keys(), ...actual.keys()])].filter(
      (key) => expected.get(key) !== actual.get(key),
    );
    if (differs.length > 0)
      throw new CliError(
        `${file} does not hold the schema its migrations make (${differs.slice(0, 3).join(', ')}); not restored`,
        1,
      );
    const reports = db.prepare('select count(*) from reports').pluck().get() as number;
    return { reports, migrations: applied.length };
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${file} is not a Bluelight database: ${(error as Error).message}`, 1);
  } finally {
    db.close();
  }
}

/**
 * bluelight backup <file>: on SQLite, SQLite's online backup API copies a consistent snapshot while the service
 * keeps running (every report acknowledged before the copy began is in it); the copy is then checked. On
 * PostgreSQL it prints the pg_dump command to use: the force's own PostgreSQL backups are the real ones.
 */
export async function backupCommand(args: string[], io: CliIo): Promise<number> {
  const file = targetFile(args, 'backup', io);
  const config = loadConfig(io.env, io.cwd);
  if (config.database.dialect === 'postgres') {
    io.stdout(
      `pg_dump --format=custom --no-owner --file ${shellWord(file)} ${shellWord(withoutPassword(config.database))}\n`,
    );
    io.stderr(
      'bluelight: on PostgreSQL use pg_dump (above; the password from PGPASSWORD or ~/.pgpass) or your point-in-time recovery; docs/operations.md\n',
    );
    return 0;
  }
  if (existsSync(file)) throw new CliError(`${file} already exists; give a new file name`, 1);
  if (!existsSync(config.database.filename))
    throw new CliError(`there is no database at ${config.database.filename} to back up`, 1);
  const source = new SQLite(config.database.filename, { readonly: true, fileMustExist: true });
  try {
    // One step copies every page under one read snapshot. Copied in small steps, each write by the running service
    // would restart the copy, which then might never finish. In WAL mode the read does not hold up writers.
    await source.backup(file, { progress: () => ALL_PAGES });
  } catch (error) {
    throw new CliError(`backup failed: ${(error as Error).message}`, 1);
  } finally {
    source.close();
  }
  // Personal data: readable by the service's account only.
  chmodSync(file, 0o600);
  const checked = await checkBackup(file, config.dataDir);
  io.stdout(JSON.stringify({ backup: file, bytes: statSync(file).size, ...checked }) + '\n');
  return 0;
}

/**
 * bluelight restore <file>: SQLite only, with the service stopped. The database in use is first copied to
 * `<database>.before-restore-<time>`, then the backup is written over it through SQLite (so its WAL stays
 * consistent). Migrations newer than the backup run at the next start.
 */
export async function restoreCommand(args: string[], io: CliIo): Promise<number> {
  const file = targetFile(args, 'restore', io);
  const config = loadConfig(io.env, io.cwd);
  if (config.database.dialect === 'postgres')
    throw new CliError(
      `restore is for SQLite; on PostgreSQL use: pg_restore --clean --if-exists --no-owner --dbname ${shellWord(withoutPassword(config.database))} ${shellWord(file)}`,
      2,
    );
  if (!existsSync(file)) throw new CliError(`${file} does not exist`, 1);
  const running = runningServer(config.dataDir);
  if (running !== null)
    throw new CliError(
      `the service is running (pid ${running}, ${join(config.dataDir, 'server.pid')}); stop it first`,
      1,
    );
  const checked = await checkBackup(file, config.dataDir);
  const target = config.database.filename;
  let kept: string | null = null;
  if (existsSync(target)) {
    kept = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const current = new SQLite(target, { fileMustExist: true });
    try {
      await current.backup(kept, { progress: () => ALL_PAGES });
      chmodSync(kept, 0o600);
    } finally {
      current.close();
    }
  }
  const backup = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    await backup.backup(target, { progress: () => ALL_PAGES });
  } catch (error) {
    throw new CliError(
      `restore failed: ${(error as Error).message}; the database is unchanged or in ${kept ?? target}`,
      1,
    );
  } finally {
    backup.close();
  }
  io.stdout(JSON.stringify({ restored: file, database: target, previous: kept, ...checked }) + '\n');
  return 0;
}
