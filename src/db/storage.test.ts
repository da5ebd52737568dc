import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  testConfig,
  testDialect,
  type TestDatabase,
} from '../../test/support/test-services.ts';
import { openDatabase, type DatabaseHandle } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { claimDueJobs, enqueueJob, markJobDone, markJobFailed } from './repositories/outbox-repository.ts';

describe(`storage on ${testDialect}`, () => {
  let testDb: TestDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    handle = openDatabase(testConfig(testDb.url).database);
  });
  afterAll(async () => {
    await handle.close();
    await testDb.drop();
  });

  it('applies every migration once, then reports nothing to do', async () => {
    expect(await migrateToLatest(handle.db)).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(handle.db)).toEqual([]);
    const tables = await handle.db.introspection.getTables();
    expect(tables.map((t) => t.name)).toContain('outbox');
  });

  it.runIf(testDialect === 'postgres')(
    'migrates while another schema in the same database changes under it (one schema per tenant or test file)',
    async () => {
      // Kysely's own introspector read every schema's columns, so DDL elsewhere could fail a migration run.
      const other = await createTestDatabase();
      const neighbour = openDatabase(testConfig(other.url).database);
      try {
        await sql`create table churn (id int, gone int)`.execute(neighbour.db);
        const churn = (async () => {
          for (let i = 0; i < 40; i++) {
            await sql`alter table churn drop column if exists gone`.execute(neighbour.db);
            await sql`alter table churn add column gone int`.execute(neighbour.db);
          }
        })();
        for (let i = 0; i < 20; i++) expect(await migrateToLatest(handle.db)).toEqual([]);
        await churn;
        const tables = await handle.db.introspection.getTables();
        expect(tables.map((t) => t.name)).not.toContain('churn');
        expect(new Set(tables.map((t) => t.schema)).size).toBe(1);
        expect(tables.find((t) => t.name === 'outbox')?.columns.map((c) => c.name)).toContain('status');
      } finally {
        await neighbour.close();
        await other.drop();
      }
    },
  );

  it('keeps migration names timestamped and in order', () => {
    const names = Object.keys(migrations);
    for (const name of names) expect(name).toMatch(/^\d{4}-\d{2}-\d{2}T\d{6}-[a-z0-9-]+$/);
    expect([...names].sort()).toEqual(names);
  });

  it('queues a job once per dedupe key, in the same transaction as the change', async () => {
    const now = new Date('2026-11-23T12:00:00.000Z');
    await handle.db.transaction().execute(async (trx) => {
      expect(
        await enqueueJob(trx, { kind: 'email', dedupeKey: 'email:1', payload: { to: 'a@example.org' } }, now),
      ).toBe(true);
      expect(
        await enqueueJob(trx, { kind: 'email', dedupeKey: 'email:1', payload: { to: 'a@example.org' } }, now),
      ).toBe(false);
    });
    // A rolled-back transaction leaves no job behind.
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await enqueueJob(trx, { kind: 'email', dedupeKey: 'email:2', payload: {} }, now);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    const rows = await handle.db.selectFrom('outbox').select(['dedupe_key', 'payload']).execute();
    expect(rows).toEqual([{ dedupe_key: 'email:1', payload: '{"to":"a@example.org"}' }]);
  });

  it('claims due jobs, retries failures later and marks work done', async () => {
    const now = new Date('2026-11-23T12:00:00.000Z');
    const later = new Date('2026-11-23T12:05:00.000Z');
    const claimed = await handle.db
      .transaction()
      .execute((trx) => claimDueJobs(trx, handle.dialect, now, 10));
    expect(claimed).toHaveLength(1);
    const job = claimed[0];
    if (!job) throw new Error('no job');
    await markJobFailed(handle.db, job, 'smtp down', later, now);
    expect(await claimDueJobs(handle.db, handle.dialect, now, 10)).toEqual([]);
    const retried = await claimDueJobs(handle.db, handle.dialect, later, 10);
    expect(retried.map((j) => [j.attempts, j.last_error])).toEqual([[1, 'smtp down']]);
    await markJobDone(handle.db, job.id, later);
    expect(await claimDueJobs(handle.db, handle.dialect, later, 10)).toEqual([]);
  });

  it('answers a ping, and fails one after close', async () => {
    await expect(handle.ping()).resolves.toBeUndefined();
    const other = openDatabase(testConfig(testDb.url).database);
    await other.close();
    await expect(other.ping()).rejects.toThrow();
    const result = await sql<{ one: number }>`select 1 as one`.execute(handle.db);
    expect(Number(result.rows[0]?.one)).toBe(1);
  });
});
