import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { loadConfig, type DatabaseConfig } from '../../config/config.ts';
import { migrations } from '../../db/migrations/index.ts';
import { CliError, type CliIo } from '../cli-io.ts';

/** better-sqlite3 takes the page count for each step after the first (an empty one); this is all of them. */
const ALL_PAGES = 0x7fffffff;

type PostgresConfig = Extract<DatabaseConfig, { dialect: 'postgres' }>;

/** The connection URL without its password, for a command a person will copy (pg_dump reads PGPASSWORD). */
function withoutPassword(database: PostgresConfig): string {
  const url = new URL(database.connectionString);
  url.password = '';
  return url.toString();
}

function targetFile(args: string[], command: 'backup' | 'restore', io: CliIo): string {
  if (args.length !== 1 || args[0] === undefined || args[0] === '' || args[0].startsWith('--'))
    throw new CliError(`usage: bluelight ${command} <file>`);
  return resolve(io.cwd, args[0]);
}

/** Opens a backup and checks it is a whole Bluelight database: SQLite, intact, migrated by this or an earlier release. */
function checkBackup(file: string): { reports: number; migrations: number } {
  let db: SQLite.Database;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new CliError(`${file} cannot be opened as a SQLite database: ${(error as Error).message}`, 1);
  }
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    if (integrity !== 'ok') throw new CliError(`${file} is damaged (integrity check: ${integrity})`, 1);
    const applied = db.prepare('select name from kysely_migration').pluck().all() as string[];
    const unknown = applied.filter((name) => !(name in migrations));
    if (unknown.length > 0)
      throw new CliError(
        `${file} was written by a newer release (migration ${unknown[0] ?? ''}); upgrade first`,
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
    io.stdout(`pg_dump --format=custom --no-owner --file '${file}' '${withoutPassword(config.database)}'\n`);
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
  const checked = checkBackup(file);
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
      `restore is for SQLite; on PostgreSQL use: pg_restore --clean --if-exists --no-owner --dbname '${withoutPassword(config.database)}' '${file}'`,
      2,
    );
  if (!existsSync(file)) throw new CliError(`${file} does not exist`, 1);
  const checked = checkBackup(file);
  const target = config.database.filename;
  let kept: string | null = null;
  if (existsSync(target)) {
    kept = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const current = new SQLite(target, { fileMustExist: true });
    try {
      await current.backup(kept, { progress: () => ALL_PAGES });
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
