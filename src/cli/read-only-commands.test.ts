/**
 * The commands that only read or check (custody verify, audit verify, case export, token list) never migrate: a
 * verifier must not change the database it verifies. On a database this release has not migrated they refuse,
 * saying so, and leave it exactly as it was.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  TEST_AUDIT_SIGNING_KEY,
  TEST_DATA_KEY,
  testConfig,
  testDialect,
  testReference,
  type TestDatabase,
} from '../../test/support/test-services.ts';
import { openDatabase } from '../db/database.ts';
import { migrateTo } from '../db/migrate.ts';
import { migrations } from '../db/migrations/index.ts';
import { services as buildServices } from '../services/index.ts';
import type { CliIo } from './cli-io.ts';
import { runCli } from './main.ts';

const READERS = [
  ['custody', 'verify', 'CASE-2026-0001'],
  ['audit', 'verify'],
  ['case', 'export', 'CASE-2026-0001', 'bundle'],
  ['token', 'list'],
];

describe(`read-only commands never migrate the database they read (${testDialect})`, () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(() => database.drop());

  async function cli(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      stdin: Readable.from([]),
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        SESSION_SECRET: 'cli-test-secret-cli-test-secret-cli-test',
        AUDIT_SIGNING_KEY: TEST_AUDIT_SIGNING_KEY,
        DATA_KEY: TEST_DATA_KEY,
        DATABASE_URL: database.url,
      },
      cwd: mkdtempSync(join(tmpdir(), 'bluelight-readers-')),
    };
    const code = await runCli(args, io);
    return { code, out: out.join(''), err: err.join(''), cwd: io.cwd };
  }

  /** The tables of the test's database (its own schema on PostgreSQL), Kysely's bookkeeping included. */
  async function tables(): Promise<string[]> {
    const handle = openDatabase(testConfig(database.url).database);
    try {
      const schema =
        testDialect === 'postgres'
          ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(handle.db)).rows[0]
              ?.schema
          : undefined;
      const found = await handle.db.introspection.getTables({ withInternalKyselyTables: true });
      return found
        .filter((t) => schema === undefined || t.schema === schema)
        .map((t) => t.name)
        .sort();
    } finally {
      await handle.close();
    }
  }

  async function migrateFirstOnly(): Promise<void> {
    const handle = openDatabase(testConfig(database.url).database);
    try {
      await migrateTo(handle.db, Object.keys(migrations)[0] ?? '');
    } finally {
      await handle.close();
    }
  }

  it('refuses on an empty database with a message and exit 2, and creates no table', async () => {
    for (const args of READERS) {
      const result = await cli(args);
      expect({ args, code: result.code, out: result.out }).toEqual({ args, code: 2, out: '' });
      expect(result.err).toMatch(/the database holds no Bluelight tables: .*run `bluelight migrate`/);
      expect(existsSync(join(result.cwd, 'bundle')), 'case export wrote no bundle').toBe(false);
      expect(await tables(), `${args.join(' ')} changed the database`).toEqual([]);
    }
  });

  it('refuses on a database an older release migrated, naming what is pending, and migrates nothing', async () => {
    await migrateFirstOnly();
    const before = await tables();
    expect(before.length).toBeGreaterThan(0);
    for (const args of READERS) {
      const result = await cli(args);
      expect({ args, code: result.code, out: result.out }).toEqual({ args, code: 2, out: '' });
      expect(result.err).toMatch(
        new RegExp(
          `not migrated to this release \\(${Object.keys(migrations).length - 1} migration\\(s\\) pending, the first ${Object.keys(migrations)[1] ?? ''}\\): run \`bluelight migrate\``,
        ),
      );
      expect(await tables(), `${args.join(' ')} changed the database`).toEqual(before);
    }
  });

  it('works on a migrated database, and audit verify writes nothing to the log it checks', async () => {
    // `bluelight migrate` alone makes the tables; the service's start begins the signed chain. Until then the
    // verifier, which starts nothing, says it cannot tell that from a deleted log.
    expect((await cli(['migrate'])).code).toBe(0);
    const unstarted = await cli(['audit', 'verify']);
    expect(unstarted.code).toBe(1);
    expect(unstarted.err).toMatch(/no head and no signed row: the service has not started on this database/);

    const started = buildServices(testConfig(database.url), { reference: testReference() });
    try {
      await started.migrate();
      const log = () =>
        started.database.db.selectFrom('audit_log').select(['id', 'hash']).orderBy('id').execute();
      const before = await log();
      const verified = await cli(['audit', 'verify']);
      expect(verified.code).toBe(0);
      expect(JSON.parse(verified.out)).toMatchObject({ ok: true });
      expect(await log()).toEqual(before);
    } finally {
      await started.close();
    }
    const tokens = await cli(['token', 'list']);
    expect(tokens.code).toBe(0);
    expect(tokens.out).toMatch(/^ID\tNAME\t/);
    const noCase = await cli(['custody', 'verify', 'CASE-2026-0001']);
    expect({ code: noCase.code, err: noCase.err }).toEqual({
      code: 2,
      err: 'bluelight: no case CASE-2026-0001\n',
    });
  });
});
