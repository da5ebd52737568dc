import { captureCli } from '../../test/support/cli-capture.ts';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSubmission } from '../../test/support/submissions.ts';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import { runCli } from './main.ts';

const capture = (env: Record<string, string>) => captureCli(env, 'bluelight-backup-');

const referencesIn = (file: string): Set<string> => {
  const db = new SQLite(file, { readonly: true });
  try {
    return new Set(db.prepare('select reference from reports').pluck().all() as string[]);
  } finally {
    db.close();
  }
};

describe.runIf(testDialect === 'sqlite')('bluelight backup and restore (SQLite)', () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let databaseFile: string;
  const dir = mkdtempSync(join(tmpdir(), 'bluelight-backups-'));
  beforeAll(async () => {
    services = await createTestServices();
    databaseFile = services.databaseUrl.slice('sqlite:'.length);
  });
  afterAll(() => services.cleanup());

  it('backs up while reports are being written; a restore holds every report acknowledged before the backup', async () => {
    const acknowledged: string[] = [];
    const run = { writing: true };
    const writer = (async () => {
      while (run.writing) {
        acknowledged.push((await services.reportIntake.submit(makeSubmission())).reference);
        // Reports arrive as requests do, each on its own turn of the event loop, so the backup runs between them.
        await new Promise((next) => setImmediate(next));
      }
    })();
    await expect.poll(() => acknowledged.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(5);
    const before = [...acknowledged];
    const file = join(dir, 'during-writes.db');
    const backup = capture({ DATABASE_URL: services.databaseUrl });
    expect(await runCli(['backup', file], backup.io), backup.err()).toBe(0);
    const summary = JSON.parse(backup.out()) as { backup: string; reports: number; bytes: number };
    expect(summary.backup).toBe(file);
    expect(summary.bytes).toBeGreaterThan(0);
    // Writing went on after the copy: those reports are in the live database, not the backup.
    const countAtBackup = acknowledged.length;
    await expect.poll(() => acknowledged.length, { timeout: 60_000 }).toBeGreaterThan(countAtBackup + 3);
    run.writing = false;
    await writer;

    const inBackup = referencesIn(file);
    for (const reference of before) expect(inBackup.has(reference), reference).toBe(true);
    expect(inBackup.size).toBe(summary.reports);
    expect(inBackup.size).toBeLessThan(acknowledged.length);

    // Restore with the service stopped, as docs/operations.md says.
    const all = new Set(acknowledged);
    await services.close();
    const restore = capture({ DATABASE_URL: services.databaseUrl });
    expect(await runCli(['restore', file], restore.io), restore.err()).toBe(0);
    const restored = referencesIn(databaseFile);
    expect(restored).toEqual(inBackup);
    // The database it replaced is kept aside, whole.
    const kept = JSON.parse(restore.out()) as { previous: string };
    expect(referencesIn(kept.previous)).toEqual(all);
    // The restored copy is a consistent database: its signed audit chain still verifies end to end.
    const verify = capture({ DATABASE_URL: services.databaseUrl });
    expect(await runCli(['audit', 'verify'], verify.io), verify.out() + verify.err()).toBe(0);
  });

  it('refuses to overwrite a file, and refuses to restore something that is not a Bluelight database', async () => {
    const existing = join(dir, 'existing.db');
    writeFileSync(existing, 'x');
    const overwrite = capture({ DATABASE_URL: services.databaseUrl });
    expect(await runCli(['backup', existing], overwrite.io)).toBe(1);
    expect(overwrite.err()).toContain('already exists');

    const before = readdirSync(dirname(databaseFile)).length;
    const notDb = capture({ DATABASE_URL: services.databaseUrl });
    expect(await runCli(['restore', existing], notDb.io)).toBe(1);
    expect(notDb.err()).toMatch(/not a Bluelight database|cannot be opened|damaged/);
    // Nothing was touched: no copy set aside, the database file still there.
    expect(readdirSync(dirname(databaseFile)).length).toBe(before);
    expect(existsSync(databaseFile)).toBe(true);

    // A backup with something added behind the migrations' back (a trigger that would outlive the restore).
    const tampered = join(dir, 'tampered.db');
    const copy = capture({ DATABASE_URL: services.databaseUrl });
    expect(await runCli(['backup', tampered], copy.io), copy.err()).toBe(0);
    const edit = new SQLite(tampered);
    edit.exec("create trigger backdoor after update on sessions begin update users set role = 'admin'; end;");
    edit.close();
    const trigger = capture({ DATABASE_URL: services.databaseUrl });
    expect(await runCli(['restore', tampered], trigger.io)).toBe(1);
    expect(trigger.err()).toContain('trigger backdoor');
    // A SQLite file that only looks like one of ours.
    const foreign = join(dir, 'foreign.db');
    const fake = new SQLite(foreign);
    fake.exec('create table kysely_migration (name text); create table reports (x);');
    fake.close();
    const lookalike = capture({ DATABASE_URL: services.databaseUrl });
    expect(await runCli(['restore', foreign], lookalike.io)).toBe(1);
    expect(lookalike.err()).toContain('not a Bluelight database');

    const missing = capture({ DATABASE_URL: services.databaseUrl });
    expect(await runCli(['restore', join(dir, 'nope.db')], missing.io)).toBe(1);
    expect(missing.err()).toContain('does not exist');

    const usage = capture({ DATABASE_URL: services.databaseUrl });
    expect(await runCli(['backup'], usage.io)).toBe(2);
    expect(usage.err()).toContain('usage: bluelight backup <file>');
  });
});

describe.runIf(testDialect === 'sqlite')('bluelight restore while the service runs', () => {
  it('refuses while DATA_DIR/server.pid names a live process', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bluelight-running-'));
    writeFileSync(join(dataDir, 'server.pid'), `${process.pid}\n`);
    const running = capture({ DATA_DIR: dataDir });
    writeFileSync(join(dataDir, 'backup.db'), 'x');
    expect(await runCli(['restore', join(dataDir, 'backup.db')], running.io)).toBe(1);
    expect(running.err()).toContain('the service is running');
  });
});

describe('bluelight backup and restore on PostgreSQL', () => {
  const env = {
    DATABASE_URL:
      "postgres://bluelight:s3cret-pass@db.internal:5432/bluelight?password=q-s3cret&application_name=x'$(id)'",
  };

  it('backup prints the pg_dump command, without the password', async () => {
    const c = capture(env);
    expect(await runCli(['backup', 'nightly.dump'], c.io)).toBe(0);
    expect(c.out()).toMatch(
      /^pg_dump --format=custom --no-owner --file '.*nightly\.dump' 'postgres:\/\/bluelight@db\.internal:5432\/bluelight\?application_name=/,
    );
    // The quote in the URL cannot end the shell word: it is written '\'' (or percent-encoded by URL).
    expect(c.out()).not.toMatch(/x'\$\(id\)'/);
    expect(c.out() + c.err()).not.toContain('s3cret');
  });

  it('restore is refused with the pg_restore command to use', async () => {
    const c = capture(env);
    expect(await runCli(['restore', 'nightly.dump'], c.io)).toBe(2);
    expect(c.err()).toContain('pg_restore');
    expect(c.err()).not.toContain('s3cret');
  });
});
