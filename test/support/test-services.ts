import { randomBytes } from 'node:crypto';
import { accessSync, constants, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hash, verify } from '@node-rs/argon2';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { loadReferenceData } from '../../src/reference-data/load-reference-data.ts';
import type { ReferenceData } from '../../src/reference-data/reference-data.ts';
import { services, type Services } from '../../src/services/index.ts';
import type { PasswordHasher } from '../../src/services/staff-sign-in.ts';

let reference: ReferenceData | undefined;
/** Reference data is read once per test file and shared. */
export function testReference(): ReferenceData {
  reference ??= loadReferenceData();
  return reference;
}

/** The dialect under test: PostgreSQL when DATABASE_URL says so (CI runs the suite on both), SQLite otherwise. */
export const testDialect: 'sqlite' | 'postgres' = process.env.DATABASE_URL?.startsWith('postgres')
  ? 'postgres'
  : 'sqlite';

/**
 * For files that touch no database (classifier accuracy, the build): CI runs the suite once per database, and a
 * second run of these would only repeat the first, so they run on SQLite (the README's default) only.
 */
export const withoutDatabase = testDialect === 'postgres';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Where global setup leaves the migrated template: a SQLite file, or a PostgreSQL database name. */
export const TEMPLATE_ENV = 'BLUELIGHT_TEST_TEMPLATE';

let tempDir: string | undefined;
/**
 * Test databases live in memory when the machine offers it (/dev/shm): SQLite's fsync on every commit
 * (synchronous=FULL, as in production) then costs nothing, and the code under test is unchanged.
 */
export function testTempDir(): string {
  if (tempDir === undefined) {
    try {
      accessSync('/dev/shm', constants.W_OK);
      tempDir = '/dev/shm';
    } catch {
      tempDir = tmpdir();
    }
  }
  return tempDir;
}

/** DATABASE_URL pointing at another database on the same PostgreSQL server. */
export function postgresDatabaseUrl(database: string): string {
  const url = new URL(process.env.DATABASE_URL ?? '');
  url.pathname = `/${database}`;
  return url.toString();
}

async function onPostgres<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL ?? '' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function sqliteFile(fill: (file: string) => void = () => undefined): TestDatabase {
  const dir = mkdtempSync(join(testTempDir(), 'bluelight-test-'));
  const file = join(dir, 'test.db');
  fill(file);
  return {
    url: `sqlite:${file}`,
    drop: () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

/**
 * A fresh, empty database for one test file: a temporary SQLite file, or a private PostgreSQL schema. `keepSchema`
 * (PostgreSQL, benches): a named schema, made if missing and kept by `drop`, to be used again by the next run.
 */
export async function createTestDatabase(options: { keepSchema?: string } = {}): Promise<TestDatabase> {
  const kept = options.keepSchema;
  if (testDialect === 'sqlite') return sqliteFile();
  if (kept !== undefined && !/^[a-z][a-z0-9_]{0,40}$/.test(kept))
    throw new Error('keepSchema: a lower-case schema name');
  const base = process.env.DATABASE_URL ?? '';
  const schema = kept ?? `t_${randomBytes(6).toString('hex')}`;
  await onPostgres((client) =>
    client.query(`create schema ${kept === undefined ? '' : 'if not exists '}${schema}`),
  );
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: () =>
      kept !== undefined
        ? Promise.resolve()
        : onPostgres((client) => client.query(`drop schema ${schema} cascade`)).then(() => undefined),
  };
}

/**
 * A migrated database for one test file: a copy of the template global setup migrated once for the run (a file
 * copy, or a PostgreSQL database made from the template one), or, outside Vitest, an empty one to migrate.
 */
export async function createMigratedTestDatabase(): Promise<TestDatabase> {
  const template = process.env[TEMPLATE_ENV];
  if (template === undefined || template === '') return createTestDatabase();
  if (testDialect === 'sqlite')
    return sqliteFile((file) => {
      copyFileSync(template, file);
    });
  const name = `bl_test_${randomBytes(6).toString('hex')}`;
  // Several workers may copy the one template at once: PostgreSQL allows that while nobody is connected to it.
  await onPostgres((client) => client.query(`create database ${name} template ${template}`));
  return {
    url: postgresDatabaseUrl(name),
    drop: () =>
      onPostgres((client) => client.query(`drop database if exists ${name} with (force)`)).then(
        () => undefined,
      ),
  };
}

/**
 * argon2id at the lowest cost argon2 allows, for tests only: the suite signs staff in hundreds of times. Production
 * keeps ARGON2_PARAMETERS (tested in staff-sign-in.test.ts); verify reads the cost from each hash.
 */
export const TEST_PASSWORD_HASHER: PasswordHasher = {
  hash: (password) => hash(password, { memoryCost: 8, timeCost: 1, parallelism: 1 }),
  verify: (h, password) => verify(h, password),
};

/** A fixed DATA_KEY for tests (32 bytes, hex), so no test writes a key file and production-mode tests start. */
export const TEST_DATA_KEY = '0f'.repeat(32);

/**
 * A fixed AUDIT_SIGNING_KEY for tests (Ed25519, PKCS#8 DER in base64, seed 0x0f × 32), so production-mode tests
 * start and the CLI signs with the key the app under test signs with.
 */
export const TEST_AUDIT_SIGNING_KEY = 'MC4CAQAwBQYDK2VwBCIEIA8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8P';

export function testConfig(databaseUrl: string, overrides: Record<string, string> = {}): Config {
  return loadConfig(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
      DATA_KEY: TEST_DATA_KEY,
      AUDIT_SIGNING_KEY: TEST_AUDIT_SIGNING_KEY,
      DATABASE_URL: databaseUrl,
      ...overrides,
    },
    tmpdir(),
  );
}

/** Services on a fresh migrated database; call `cleanup` in afterAll. */
export async function createTestServices(
  overrides: Record<string, string> = {},
  options: { clock?: () => Date; passwords?: PasswordHasher; alertBatchSize?: number } = {},
): Promise<Services & { databaseUrl: string; cleanup(): Promise<void> }> {
  const database = await createMigratedTestDatabase();
  const container = services(testConfig(database.url, overrides), {
    reference: testReference(),
    passwords: TEST_PASSWORD_HASHER,
    ...options,
  });
  // Nothing to apply on a copy of the template; this still runs what start-up runs after migrating.
  await container.migrate();
  return {
    ...container,
    /** For running the CLI against the same database. */
    databaseUrl: database.url,
    async cleanup() {
      await container.close();
      await database.drop();
    },
  };
}
