/**
 * Vitest global setup: migrates one template database per run, which `createTestServices` copies for each test
 * file (a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL), so 25 migrations run once, not once
 * per file. Tests of the migrations themselves start from `createTestDatabase()`, which stays empty.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { services } from '../../src/services/index.ts';
import {
  TEMPLATE_ENV,
  postgresDatabaseUrl,
  testConfig,
  testDialect,
  testReference,
  testTempDir,
} from './test-services.ts';

export default async function setup(): Promise<() => Promise<void>> {
  if (testDialect === 'sqlite') {
    const dir = mkdtempSync(join(testTempDir(), 'bluelight-template-'));
    const build = join(dir, 'build.db');
    const container = services(testConfig(`sqlite:${build}`), { reference: testReference() });
    await container.migrate();
    await container.close();
    // One self-contained file (no -wal or -shm beside it) that a plain file copy reproduces exactly.
    const template = join(dir, 'template.db');
    const sqlite = new SQLite(build);
    sqlite.prepare('vacuum into ?').run(template);
    sqlite.close();
    // Workers are started after global setup, with this process's environment.
    process.env[TEMPLATE_ENV] = template;
    return () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    };
  }
  const base = process.env.DATABASE_URL ?? '';
  const name = `bl_template_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
    const container = services(testConfig(postgresDatabaseUrl(name)), { reference: testReference() });
    try {
      await container.migrate();
    } finally {
      // CREATE DATABASE … TEMPLATE needs the template to have no connections.
      await container.close();
    }
  } finally {
    await admin.end();
  }
  process.env[TEMPLATE_ENV] = name;
  return async () => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    try {
      await client.query(`drop database if exists ${name} with (force)`);
    } finally {
      await client.end();
    }
  };
}
