import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { loadReferenceData } from '../../src/reference-data/load-reference-data.ts';
import type { ReferenceData } from '../../src/reference-data/reference-data.ts';
import { services, type Services } from '../../src/services/index.ts';

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

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database for one test file: a temporary SQLite file, or a private PostgreSQL schema. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'bluelight-test-'));
    return {
      url: `sqlite:${join(dir, 'test.db')}`,
      drop: () => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    };
  }
  const base = process.env.DATABASE_URL ?? '';
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    },
  };
}

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
  options: { clock?: () => Date } = {},
): Promise<Services & { databaseUrl: string; cleanup(): Promise<void> }> {
  const database = await createTestDatabase();
  const container = services(testConfig(database.url, overrides), { reference: testReference(), ...options });
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
