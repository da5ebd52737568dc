import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAudit, type AuditEntry } from '../../src/db/repositories/audit-repository.ts';
import type { Db } from '../../src/db/database.ts';
import { services as buildServices } from '../../src/services/index.ts';
import { createTestServices, testConfig, testDialect, testReference } from '../support/test-services.ts';

describe(`the audit writer under attack (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let other: ReturnType<typeof buildServices>;
  beforeEach(async () => {
    services = await createTestServices();
    // A second instance (its own pool and signer) on the same database, as two app processes (PostgreSQL only:
    // SQLite is one process's database).
    other =
      testDialect === 'postgres'
        ? buildServices(testConfig(services.databaseUrl), { reference: testReference() })
        : services;
  });
  afterEach(async () => {
    if (other !== services) await other.close();
    await services.cleanup();
  });
  const db = (): Db => services.database.db;
  const rows = () =>
    db()
      .selectFrom('audit_log')
      .select(['id', 'seq', 'action', 'prev_hash', 'hash'])
      .orderBy('seq')
      .execute();
  /** Every row numbered from 1 without a gap, each chained to the one before, and the head on the last. */
  const expectUnbroken = async (all: Awaited<ReturnType<typeof rows>>) => {
    expect(all.map((r) => r.seq)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    for (let i = 1; i < all.length; i++) expect(all[i]?.prev_hash).toBe(all[i - 1]?.hash);
    const head = await db().selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    expect(head.count).toBe(all.length);
    expect(head.hash).toBe(all.at(-1)?.hash);
  };
  const entry = (i: number): AuditEntry => ({
    at: '2026-12-01T10:00:00.000Z',
    actor: 'a@police.example',
    action: 'read-case',
    detail: `w${i}`,
  });

  it('chains 200 writers from two instances into one unbroken, verified chain', async () => {
    const before = (await rows()).length;
    const dbs = [db(), other.database.db];
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (dbs[i % 2] as Db).transaction().execute(async (trx) => {
          await trx.selectFrom('reports').select('id').limit(1).execute();
          await writeAudit(trx, entry(i));
        }),
      ),
    );
    const all = await rows();
    expect(all.length).toBe(before + 200);
    await expectUnbroken(all);
    expect(all.filter((r) => r.action === 'audit-chain-altered')).toEqual([]);
    const result = await services.tamperEvidence.verifyAudit();
    expect(result.ok).toBe(true);
  });

  it('writes the break and the row together (two rows in one statement) once, under concurrent writers', async () => {
    await db()
      .transaction()
      .execute((trx) => writeAudit(trx, entry(-1)));
    // The head's signature broken behind the application's back.
    await db().updateTable('audit_head').set({ signature: 'AAAA' }).execute();
    const before = (await rows()).length;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 === 0 ? db() : other.database.db).transaction().execute((trx) => writeAudit(trx, entry(i))),
      ),
    );
    const all = await rows();
    expect(all.length).toBe(before + 41);
    await expectUnbroken(all);
    const altered = all.filter((r) => r.action === 'audit-chain-altered');
    expect(altered.length).toBe(1);
    expect(altered[0]?.seq).toBe(before + 1);
    const result = await services.tamperEvidence.verifyAudit();
    expect(result.ok).toBe(false);
  });

  it('rolls back the rows and the head together when the insert fails', async () => {
    await db()
      .transaction()
      .execute((trx) => writeAudit(trx, entry(0)));
    const head = await db().selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    // A row squatting on the next number: the writer's insert must fail, and the head must not move.
    await db()
      .insertInto('audit_log')
      .values({ at: '2026-12-01T10:00:00.000Z', actor: 'x', action: 'x', detail: 'x', seq: head.count + 1 })
      .execute();
    const before = await rows();
    await expect(
      db()
        .transaction()
        .execute((trx) => writeAudit(trx, entry(1))),
    ).rejects.toThrow();
    expect(await rows()).toEqual(before);
    expect(await db().selectFrom('audit_head').selectAll().executeTakeFirstOrThrow()).toEqual(head);
    // A failure after the writer (in the same transaction) takes its rows and head back too.
    await db().deleteFrom('audit_log').where('actor', '=', 'x').execute();
    const clean = await rows();
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await writeAudit(trx, entry(2));
          throw new Error('later step failed');
        }),
    ).rejects.toThrow('later step failed');
    expect(await rows()).toEqual(clean);
    expect(await db().selectFrom('audit_head').selectAll().executeTakeFirstOrThrow()).toEqual(head);
    await db()
      .transaction()
      .execute((trx) => writeAudit(trx, entry(3)));
    expect((await services.tamperEvidence.verifyAudit()).ok).toBe(true);
  });
});
