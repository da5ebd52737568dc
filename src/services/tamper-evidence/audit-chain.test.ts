import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestServices,
  TEST_AUDIT_SIGNING_KEY,
  TEST_DATA_KEY,
  testConfig,
  testDialect,
  testReference,
} from '../../../test/support/test-services.ts';
import type { CliIo } from '../../cli/cli-io.ts';
import { runCli } from '../../cli/main.ts';
import type { Db } from '../../db/database.ts';
import { down, up } from '../../db/migrations/2026-12-04T110000-tamper-evidence.ts';
import { writeAudit, writeAuditAlone, type AuditEntry } from '../../db/repositories/audit-repository.ts';
import { services as buildServices } from '../index.ts';

/** The forger's view: the documented rule, worked out with SHA-256 and no key. */
const rowHash = (r: AuditRow, prevHash: string) =>
  createHash('sha256')
    .update(JSON.stringify([r.seq, r.at, r.actor, r.action, r.reference, r.force_id, r.detail, prevHash]))
    .digest('hex');

const withoutId = (row: AuditRow): Omit<AuditRow, 'id'> =>
  Object.fromEntries(Object.entries(row).filter(([key]) => key !== 'id')) as Omit<AuditRow, 'id'>;

interface AuditRow {
  id: number;
  seq: number | null;
  at: string;
  actor: string;
  action: string;
  reference: string | null;
  force_id: string | null;
  detail: string;
  prev_hash: string | null;
  hash: string | null;
  signature: string | null;
  key_id: string | null;
}

const entry = (detail: string): AuditEntry => ({
  at: '2026-12-01T10:00:00.000Z',
  actor: 'a@police.example',
  action: 'lookup-indicator',
  detail,
});

/**
 * A TCP proxy in front of the test PostgreSQL: `decide` sees each chunk the application sends on a connection (with
 * that connection's own notes) and may let the database's next answer be lost (the connection then drops), or
 * `refuse` drops every connection at once.
 */
async function tcpProxy(
  databaseUrl: string,
  decide: (fromClient: Buffer, notes: Set<string>) => 'pass' | 'drop-reply' | 'refuse',
  onConnection: () => void = () => undefined,
): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    onConnection();
    sockets.add(client);
    const notes = new Set<string>();
    if (decide(Buffer.alloc(0), notes) === 'refuse') {
      client.destroy();
      return;
    }
    const server = connect(Number(target.port || 5432), target.hostname);
    sockets.add(server);
    let dropReply = false;
    client.on('data', (chunk: Buffer) => {
      if (decide(chunk, notes) === 'drop-reply') dropReply = true;
      server.write(chunk);
    });
    server.on('data', (chunk: Buffer) => {
      if (!dropReply) client.write(chunk);
      else {
        client.destroy();
        server.destroy();
      }
    });
    for (const [a, b] of [
      [client, server],
      [server, client],
    ] as const) {
      a.on('error', () => undefined);
      a.on('close', () => b.destroy());
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((proxy.address() as AddressInfo).port);
  return {
    url: url.toString(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => {
          resolve();
        });
      }),
  };
}

describe(`audit log: chained and signed with a key the database does not hold (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  // A broken log stays broken: every test starts from its own database.
  beforeEach(async () => {
    services = await createTestServices();
  });
  afterEach(() => services.cleanup());

  const db = (): Db => services.database.db;
  const rows = () => db().selectFrom('audit_log').selectAll().orderBy('id').execute() as Promise<AuditRow[]>;
  const head = () => db().selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
  /** One audit row in a transaction of its own (the writer takes nothing else). */
  const writeRow = (entry: AuditEntry, on: Db = db()) =>
    on.transaction().execute((trx) => writeAudit(trx, entry));

  /** Five rows, one a day from 1 to 5 December. */
  async function fiveRows(): Promise<AuditRow[]> {
    for (let day = 1; day <= 5; day++)
      await writeRow({
        at: `2026-12-0${day}T10:00:00.000Z`,
        actor: 'officer@police.example',
        action: 'read-case',
        reference: 'CASE-TEST',
        forceId: 'cumbria',
        detail: `row ${day}`,
      });
    return rows();
  }

  async function cli(args: string[], env: Record<string, string> = {}) {
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
        DATABASE_URL: services.databaseUrl,
        ...env,
      },
      cwd: mkdtempSync(join(tmpdir(), 'bluelight-audit-')),
    };
    const code = await runCli(args, io);
    return { code, out: out.join(''), err: err.join('') };
  }

  /** Re-hashes rows from `from` (a seq) to the end with SHA-256, as someone without the key would. */
  async function rehashFrom(from: number) {
    let previous = from === 1 ? '0'.repeat(64) : ((await rows()).find((r) => r.seq === from - 1)?.hash ?? '');
    for (const row of (await rows()).filter((r) => (r.seq ?? 0) >= from)) {
      const hash = rowHash(row, previous);
      await db()
        .updateTable('audit_log')
        .set({ prev_hash: previous, hash })
        .where('id', '=', row.id)
        .execute();
      previous = hash;
    }
    await db().updateTable('audit_head').set({ hash: previous }).execute();
  }

  it('verifies an untouched log, whole and by date range, and says how many rows it checked', async () => {
    await fiveRows();
    const whole = await cli(['audit', 'verify']);
    expect(whole.code).toBe(0);
    expect(JSON.parse(whole.out)).toMatchObject({ ok: true, rows: 5, first: 1, last: 5, head: { count: 5 } });
    const range = await cli(['audit', 'verify', '--from', '2026-12-02', '--to', '2026-12-03']);
    expect(range.code).toBe(0);
    expect(JSON.parse(range.out)).toMatchObject({ ok: true, rows: 2, first: 2, last: 3, from: '2026-12-02' });
    const instant = await cli(['audit', 'verify', '--from', '2026-12-04T10:00:00Z']);
    expect(JSON.parse(instant.out)).toMatchObject({ ok: true, rows: 2, first: 4, last: 5 });
    const none = await cli(['audit', 'verify', '--to', '2026-11-30']);
    expect(JSON.parse(none.out)).toMatchObject({ ok: true, rows: 0 });
  });

  it.each([
    [
      'an edited row',
      async (r: AuditRow[]) => {
        await db()
          .updateTable('audit_log')
          .set({ detail: 'nothing to see' })
          .where('id', '=', r[2]?.id ?? 0)
          .execute();
      },
      /row 3 \(id \d+\) has been changed/,
    ],
    [
      'an edited row re-hashed with SHA-256, and every row after it and the head, without the key',
      async (r: AuditRow[]) => {
        await db()
          .updateTable('audit_log')
          .set({ actor: 'someone-else@police.example' })
          .where('id', '=', r[2]?.id ?? 0)
          .execute();
        await rehashFrom(3);
      },
      /row 3 \(id \d+\) does not carry a valid signature: it was written or re-hashed without the signing key/,
    ],
    [
      'the whole log forged from the first row, and the head re-pointed',
      async (r: AuditRow[]) => {
        await db()
          .updateTable('audit_log')
          .set({ detail: 'forged' })
          .where('id', '=', r[0]?.id ?? 0)
          .execute();
        await rehashFrom(1);
      },
      /row 1 \(id \d+\) does not carry a valid signature/,
    ],
    [
      'a deleted row',
      async (r: AuditRow[]) => {
        await db()
          .deleteFrom('audit_log')
          .where('id', '=', r[2]?.id ?? 0)
          .execute();
      },
      /row 3 is missing or out of order \(found row 4/,
    ],
    [
      'a row inserted with no number',
      async (r: AuditRow[]) => {
        await db()
          .insertInto('audit_log')
          .values({
            ...withoutId(r[1] as AuditRow),
            seq: null,
            prev_hash: null,
            hash: null,
            signature: null,
            key_id: null,
          })
          .execute();
      },
      /the row with id \d+ is not chained/,
    ],
    [
      'a row added at the end, chained with SHA-256 and signed with a key of the forger’s own',
      async (r: AuditRow[]) => {
        const last = r.at(-1) as AuditRow;
        const forged = { ...last, seq: 6, detail: 'planted' };
        const hash = rowHash(forged, last.hash ?? '');
        const { privateKey } = generateKeyPairSync('ed25519');
        await db()
          .insertInto('audit_log')
          .values({
            ...withoutId(forged),
            prev_hash: last.hash,
            hash,
            signature: sign(
              null,
              Buffer.from(JSON.stringify(['bluelight audit row', 6, hash])),
              privateKey,
            ).toString('base64'),
            key_id: 'f0f0f0f0f0f0f0f0',
          })
          .execute();
        await db().updateTable('audit_head').set({ count: 6, hash }).execute();
      },
      /row 6 \(id \d+\) is signed by key f0f0f0f0f0f0f0f0, which is not a trusted key/,
    ],
    [
      'two rows reordered (everything but their ids swapped)',
      async (r: AuditRow[]) => {
        const { id: secondId, ...second } = r[1] as AuditRow;
        const { id: thirdId, ...third } = r[2] as AuditRow;
        await db().updateTable('audit_log').set({ seq: -2 }).where('id', '=', secondId).execute();
        await db().updateTable('audit_log').set(second).where('id', '=', thirdId).execute();
        await db().updateTable('audit_log').set(third).where('id', '=', secondId).execute();
      },
      /row 2 is missing or out of order \(found row 3/,
    ],
    [
      'the last row deleted',
      async (r: AuditRow[]) => {
        await db()
          .deleteFrom('audit_log')
          .where('id', '=', r[4]?.id ?? 0)
          .execute();
      },
      /the signed head names 5 rows but the log ends at row 4: rows were removed from the end/,
    ],
    [
      'the last row deleted and the head moved back to the row before',
      async (r: AuditRow[]) => {
        await db()
          .deleteFrom('audit_log')
          .where('id', '=', r[4]?.id ?? 0)
          .execute();
        await db()
          .updateTable('audit_head')
          .set({ count: 4, hash: r[3]?.hash ?? '' })
          .execute();
      },
      /the audit head \(4 rows\) does not carry a valid signature/,
    ],
    [
      'the head deleted',
      async () => {
        await db().deleteFrom('audit_head').execute();
      },
      /the audit log has no head/,
    ],
  ] as const)('catches %s behind the application’s back', async (_name, tamper, message) => {
    await tamper(await fiveRows());
    const result = await cli(['audit', 'verify']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(message);
    expect(JSON.parse(result.out)).toMatchObject({
      ok: false,
      broken: expect.stringMatching(message) as unknown,
    });
  });

  it('does not let a later write cover up a deleted last row: the writer records the break first', async () => {
    const before = await fiveRows();
    await db()
      .deleteFrom('audit_log')
      .where('id', '=', before[4]?.id ?? 0)
      .execute();
    await db()
      .updateTable('audit_head')
      .set({ count: 4, hash: before[3]?.hash ?? '' })
      .execute();
    await writeRow({
      at: '2026-12-06T10:00:00.000Z',
      actor: 'officer@police.example',
      action: 'read-case',
      detail: 'row 6',
    });
    const after = await rows();
    expect(after.map((r) => r.action).slice(-2)).toEqual(['audit-chain-altered', 'read-case']);
    expect(after.at(-2)?.detail).toMatch(/the audit head \(4 rows\) does not carry a valid signature/);
    const result = await cli(['audit', 'verify']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /row 5 \(id \d+\) records that the log had been altered before it was written/,
    );
    // Rows written after the break still verify on their own.
    expect((await cli(['audit', 'verify', '--from', '2026-12-06'])).code).toBe(1);
    await writeRow({
      at: '2026-12-07T10:00:00.000Z',
      actor: 'officer@police.example',
      action: 'read-case',
      detail: 'row 8',
    });
    expect((await cli(['audit', 'verify', '--from', '2026-12-07'])).code).toBe(0);
  });

  it('records a head put back to an earlier signed state while the application runs (a rollback)', async () => {
    const write = (day: number) =>
      writeRow({
        at: `2026-12-0${day}T10:00:00.000Z`,
        actor: 'officer@police.example',
        action: 'read-case',
        detail: `row ${day}`,
      });
    for (const day of [1, 2, 3]) await write(day);
    // What someone with the database keeps (a backup): the head as signed after row 3.
    const saved = await head();
    for (const day of [4, 5]) await write(day);
    await db().deleteFrom('audit_log').where('seq', '>', 3).execute();
    await db().updateTable('audit_head').set(saved).execute();
    // From the database alone an earlier signed state cannot be told from the present one…
    expect((await cli(['audit', 'verify'])).code).toBe(0);
    // …but the writer that had seen 5 rows writes the rollback down before it carries on.
    await write(6);
    const result = await cli(['audit', 'verify']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /row 4 \(id \d+\) records that the log had been altered .* went back to 3 rows/,
    );
  });

  it('writes only inside a transaction: given the database itself, the writer refuses and writes nothing', async () => {
    const before = await rows();
    const entry = {
      at: '2026-12-01T10:00:00.000Z',
      actor: 'a@police.example',
      action: 'read-case',
      detail: '',
    };
    await expect(
      writeAudit(
        // @ts-expect-error -- the writer's type takes a transaction, never the database
        db(), // eslint-disable-line @typescript-eslint/no-unsafe-class-instance-assignment -- the attack
        entry,
      ),
    ).rejects.toThrow(/transaction/);
    expect(await rows()).toEqual(before);
    expect((await cli(['audit', 'verify'])).code).toBe(0);
  });

  it('numbers and chains concurrent writers one at a time (no number twice, no fork)', async () => {
    const writers = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0
        ? writeRow({
            at: '2026-12-01T10:00:00.000Z',
            actor: 'a@police.example',
            action: 'read-case',
            detail: `w${i}`,
          })
        : db()
            .transaction()
            .execute(async (trx) => {
              await trx.selectFrom('cases').select('id').execute();
              await writeAudit(trx, {
                at: '2026-12-01T10:00:00.000Z',
                actor: 'b@police.example',
                action: 'read-case',
                detail: `w${i}`,
              });
            }),
    );
    await Promise.all(writers);
    const all = await rows();
    expect(all.map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(new Set(all.map((r) => r.prev_hash)).size).toBe(40);
    expect((await cli(['audit', 'verify'])).code).toBe(0);
  });

  it('chains a read’s row written alone with locked writers and another instance at once (no number twice, no fork)', async () => {
    // On SQLite one process writes at a time (a second one in this thread would wait on its own lock).
    const other =
      testDialect === 'postgres'
        ? buildServices(testConfig(services.databaseUrl), { reference: testReference() })
        : { database: services.database, close: () => Promise.resolve() };
    try {
      const entry = (i: number): AuditEntry => ({
        at: '2026-12-01T10:00:00.000Z',
        actor: 'a@police.example',
        action: 'lookup-indicator',
        detail: `w${i}`,
      });
      // Each instance's last signed head goes stale as the others write: its statement must then miss.
      await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          i % 3 === 0
            ? writeRow(entry(i))
            : writeAuditAlone(i % 3 === 1 ? db() : other.database.db, entry(i)),
        ),
      );
      for (let i = 60; i < 66; i++) await writeAuditAlone(i % 2 === 0 ? db() : other.database.db, entry(i));
    } finally {
      await other.close();
    }
    const all = await rows();
    expect(all.map((r) => r.seq)).toEqual(Array.from({ length: 66 }, (_, i) => i + 1));
    expect(new Set(all.map((r) => r.detail)).size).toBe(66);
    expect(all.map((r) => r.action)).not.toContain('audit-chain-altered');
    expect((await cli(['audit', 'verify'])).code).toBe(0);
  });

  it('a row written alone records a break first too: a head put back, a deleted last row', async () => {
    const write = (detail: string) =>
      writeAuditAlone(db(), {
        at: '2026-12-01T10:00:00.000Z',
        actor: 'officer@police.example',
        action: 'lookup-indicator',
        detail,
      });
    for (const n of [1, 2, 3]) await write(`row ${n}`);
    const saved = await head();
    for (const n of [4, 5]) await write(`row ${n}`);
    await db().deleteFrom('audit_log').where('seq', '>', 3).execute();
    await db().updateTable('audit_head').set(saved).execute();
    await write('row 6');
    expect((await rows()).at(-2)).toMatchObject({ seq: 4, action: 'audit-chain-altered' });
    expect((await rows()).at(-2)?.detail).toMatch(/went back to 3 rows/);
    const last = (await rows()).at(-1);
    await db()
      .deleteFrom('audit_log')
      .where('id', '=', last?.id ?? 0)
      .execute();
    await db()
      .updateTable('audit_head')
      .set({ count: 4, hash: (await rows()).at(-1)?.hash ?? '' })
      .execute();
    await write('row 7');
    expect((await rows()).at(-2)?.detail).toMatch(
      /the audit head \(4 rows\) does not carry a valid signature/,
    );
    expect((await cli(['audit', 'verify'])).code).toBe(1);
  });

  it.each(['in a transaction', 'alone'])(
    'records a second rollback, to an older signed state than the first, after the first was recorded (%s)',
    async (how) => {
      const write = (detail: string) => {
        const row = { ...entry(detail), action: 'read-case' };
        return how === 'alone' ? writeAuditAlone(db(), row) : writeRow(row);
      };
      for (const n of [1, 2, 3]) await write(`row ${n}`);
      const atThree = await head();
      for (const n of [4, 5]) await write(`row ${n}`);
      const atFive = await head();
      const fourAndFive = (await rows()).filter((r) => (r.seq ?? 0) > 3).map(withoutId);
      for (const n of [6, 7, 8, 9]) await write(`row ${n}`);
      // First put back to three rows: recorded.
      await db().deleteFrom('audit_log').where('seq', '>', 3).execute();
      await db().updateTable('audit_head').set(atThree).execute();
      await write('row 10');
      expect((await rows()).map((r) => r.action)).toContain('audit-chain-altered');
      // Then to five rows of the original history, which removes that record too.
      await db().deleteFrom('audit_log').where('seq', '>', 3).execute();
      await db().insertInto('audit_log').values(fourAndFive).execute();
      await db().updateTable('audit_head').set(atFive).execute();
      await write('row 11');
      const after = await rows();
      expect(after.at(-2)).toMatchObject({ seq: 6, action: 'audit-chain-altered' });
      expect(after.at(-2)?.detail).toMatch(/went back to 5 rows/);
      expect((await cli(['audit', 'verify'])).code).toBe(1);
    },
  );

  it('records the original history put back, as long as the log was, after a rollback was recorded (rows written alone)', async () => {
    for (const n of [1, 2, 3]) await writeAuditAlone(db(), entry(`row ${n}`));
    const atThree = await head();
    for (const n of [4, 5]) await writeAuditAlone(db(), entry(`row ${n}`));
    const atFive = await head();
    const fourAndFive = (await rows()).filter((r) => (r.seq ?? 0) > 3).map(withoutId);
    await db().deleteFrom('audit_log').where('seq', '>', 3).execute();
    await db().updateTable('audit_head').set(atThree).execute();
    await writeAuditAlone(db(), entry('a look-up answered after the rollback'));
    expect((await rows()).at(-2)?.action).toBe('audit-chain-altered');
    // The rows 4 and 5 from before, and their head: as many rows as this process saw, another history.
    await db().deleteFrom('audit_log').where('seq', '>', 3).execute();
    await db().insertInto('audit_log').values(fourAndFive).execute();
    await db().updateTable('audit_head').set(atFive).execute();
    await writeAuditAlone(db(), entry('row 6'));
    expect((await rows()).at(-2)).toMatchObject({ seq: 6, action: 'audit-chain-altered' });
    expect((await rows()).at(-2)?.detail).toMatch(
      /audit row 5, which this process committed, is no longer in the log/,
    );
    expect((await cli(['audit', 'verify'])).code).toBe(1);
  });

  it.each(['in a transaction', 'alone'])(
    'stores and hashes a detail cut inside an emoji alike, so the log still verifies (%s)',
    async (how) => {
      const detail = `${'a'.repeat(3999)}🙂`.slice(0, 4000);
      const row = { ...entry(detail), actor: 'b\ud83d@police.example' };
      await (how === 'alone' ? writeAuditAlone(db(), row) : writeRow(row));
      await writeAuditAlone(db(), entry('next'));
      expect((await rows())[0]?.detail.endsWith('\ufffd')).toBe(true);
      expect((await cli(['audit', 'verify'])).code).toBe(0);
    },
  );

  it('records a rollback of the rows a read’s writer committed last', async () => {
    for (const n of [1, 2, 3]) await writeAuditAlone(db(), entry(`row ${n}`));
    const saved = await head();
    await writeAuditAlone(db(), entry('row 4'));
    await db().deleteFrom('audit_log').where('seq', '>', 3).execute();
    await db().updateTable('audit_head').set(saved).execute();
    await writeAuditAlone(db(), entry('row 5'));
    expect((await rows()).at(-2)).toMatchObject({ seq: 4, action: 'audit-chain-altered' });
    expect((await rows()).at(-2)?.detail).toMatch(/went back to 3 rows/);
  });

  it.runIf(testDialect === 'postgres')(
    'does not write a batch of reads’ rows again when its commit may have been stored (the reply lost)',
    async () => {
      const proxy = await tcpProxy(services.databaseUrl, (fromClient, notes) => {
        const text = fromClient.toString('latin1');
        if (text.includes('batched-3')) notes.add('batch');
        // The batch's commit reaches PostgreSQL; its answer never reaches the application.
        return notes.has('batch') && /commit/i.test(text) ? 'drop-reply' : 'pass';
      });
      const viaProxy = buildServices(testConfig(proxy.url), { reference: testReference() });
      const details = ['alone-1', 'alone-2', 'batched-3', 'batched-4', 'batched-5'];
      try {
        // The first two take the two writers; the other three wait and go in one transaction.
        const results = await Promise.allSettled(
          details.map((detail) => writeAuditAlone(viaProxy.database.db, entry(detail))),
        );
        expect(results.map((r) => r.status)).toEqual([
          'fulfilled',
          'fulfilled',
          'rejected',
          'rejected',
          'rejected',
        ]);
      } finally {
        await viaProxy.close();
        await proxy.close();
      }
      const written = (await rows()).map((r) => r.detail);
      expect(written.sort()).toEqual(details);
      expect((await cli(['audit', 'verify'])).code).toBe(0);
    },
  );

  it.runIf(testDialect === 'postgres')(
    'fails a batch of reads’ rows at once when the database cannot be reached, not a row at a time',
    async () => {
      let connections = 0;
      const proxy = await tcpProxy(
        services.databaseUrl,
        () => 'refuse',
        () => {
          connections++;
        },
      );
      const viaProxy = buildServices(testConfig(proxy.url), { reference: testReference() });
      try {
        const details = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8'];
        const results = await Promise.allSettled(
          details.map((detail) => writeAuditAlone(viaProxy.database.db, entry(detail))),
        );
        expect(results.map((r) => r.status)).toEqual(details.map(() => 'rejected'));
        // Two writers' first tries and one batch: eight tries if each row were tried again.
        expect(connections).toBeLessThan(details.length);
      } finally {
        await viaProxy.close();
        await proxy.close();
      }
      expect(await rows()).toEqual([]);
    },
  );

  it.runIf(testDialect === 'postgres').each(['statement_timeout', 'lock_timeout'])(
    'fails a batch of reads’ rows at once when its statement times out, not once a row (the head held elsewhere; %s)',
    async (setting) => {
      let headLocks = 0;
      const proxy = await tcpProxy(services.databaseUrl, (fromClient) => {
        if (fromClient.toString('latin1').includes('update "audit_head"')) headLocks++;
        return 'pass';
      });
      const url = new URL(proxy.url);
      url.searchParams.set('options', `-c ${setting}=300`);
      const viaProxy = buildServices(testConfig(url.toString()), { reference: testReference() });
      // Someone else holds the audit head (a long transaction), so every writer's lock times out.
      let release: () => void = () => undefined;
      let locked: () => void = () => undefined;
      const isLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      const held = db()
        .transaction()
        .execute(async (trx) => {
          await sql`select id from audit_head for update`.execute(trx);
          await new Promise<void>((resolve) => {
            release = resolve;
            locked();
          });
        });
      await isLocked;
      try {
        const details = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
        const results = await Promise.allSettled(
          details.map((detail) => writeAuditAlone(viaProxy.database.db, entry(detail))),
        );
        expect(results.map((r) => r.status)).toEqual(details.map(() => 'rejected'));
        // The two writers' first rows and one batch of four: seven if the batch were tried again row by row.
        expect(headLocks).toBe(3);
      } finally {
        release();
        await held;
        await viaProxy.close();
        await proxy.close();
      }
    },
  );

  it.runIf(testDialect === 'postgres')(
    'stops writing a refused batch row by row when the database is lost, instead of trying each row in turn',
    async () => {
      await sql`create function refuse_poison() returns trigger language plpgsql as
        $$ begin if new.detail = 'poison' then raise exception 'refused'; end if; return new; end $$`.execute(
        db(),
      );
      await sql`create trigger refuse_poison before insert on audit_log for each row
        execute function refuse_poison()`.execute(db());
      let down = false;
      let refused = false;
      let triesAfterLoss = 0;
      const proxy = await tcpProxy(
        services.databaseUrl,
        (fromClient) => {
          if (down) return 'refuse';
          const text = fromClient.toString('latin1');
          if (text.includes('poison')) refused = true;
          // The first row written again after the refused batch: the database goes away.
          else if (refused && /begin/i.test(text)) {
            down = true;
            return 'drop-reply';
          }
          return 'pass';
        },
        () => {
          if (down) triesAfterLoss++;
        },
      );
      const viaProxy = buildServices(testConfig(proxy.url), { reference: testReference() });
      try {
        const details = ['r1', 'r2', 'poison', ...Array.from({ length: 12 }, (_, i) => `b${String(i)}`)];
        const results = await Promise.allSettled(
          details.map((detail) => writeAuditAlone(viaProxy.database.db, entry(detail))),
        );
        expect(results.slice(2).every((r) => r.status === 'rejected')).toBe(true);
        expect(triesAfterLoss).toBeLessThan(3);
      } finally {
        await viaProxy.close();
        await proxy.close();
      }
    },
  );

  it('a read’s row the database refuses fails alone: the rows waiting with it are written', async () => {
    const postgres = testDialect === 'postgres';
    if (postgres) {
      await sql`create function refuse_poison() returns trigger language plpgsql as
        $$ begin if new.detail = 'poison' then raise exception 'refused'; end if; return new; end $$`.execute(
        db(),
      );
      await sql`create trigger refuse_poison before insert on audit_log for each row
        execute function refuse_poison()`.execute(db());
    } else
      await sql`create trigger refuse_poison before insert on audit_log when new.detail = 'poison'
        begin select raise(abort, 'refused'); end`.execute(db());
    const entry = (detail: string): AuditEntry => ({
      at: '2026-12-01T10:00:00.000Z',
      actor: 'a@police.example',
      action: 'lookup-indicator',
      detail,
    });
    // Started together: the later ones wait for a writer and then go in one transaction.
    const details = ['r1', 'r2', 'poison', 'r3', 'r4', 'r5'];
    const results = await Promise.allSettled(details.map((detail) => writeAuditAlone(db(), entry(detail))));
    expect(results.map((r) => r.status)).toEqual(
      details.map((d) => (d === 'poison' ? 'rejected' : 'fulfilled')),
    );
    const written = await rows();
    expect(written.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(written.map((r) => r.detail).sort()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect((await cli(['audit', 'verify'])).code).toBe(0);
  });

  it('a head signed in a transaction that rolled back is not taken for a rollback of the database', async () => {
    const entry = (detail: string): AuditEntry => ({
      at: '2026-12-01T10:00:00.000Z',
      actor: 'officer@police.example',
      action: 'read-case',
      detail,
    });
    await writeRow(entry('row 1'));
    // The use case fails after its audit row: the head this process signed is never committed.
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await writeAudit(trx, entry('never'));
          throw new Error('the use case failed');
        }),
    ).rejects.toThrow('the use case failed');
    await writeAuditAlone(db(), entry('row 2'));
    await writeRow(entry('row 3'));
    expect((await rows()).map((r) => [r.seq, r.detail])).toEqual([
      [1, 'row 1'],
      [2, 'row 2'],
      [3, 'row 3'],
    ]);
    expect((await cli(['audit', 'verify'])).code).toBe(0);
  });

  it('checks only the rows of a range, but always that the signed head names the real last row', async () => {
    const r = await fiveRows();
    await db()
      .updateTable('audit_log')
      .set({ detail: 'changed' })
      .where('id', '=', r[1]?.id ?? 0)
      .execute();
    expect((await cli(['audit', 'verify', '--from', '2026-12-03'])).code).toBe(0);
    const inside = await cli(['audit', 'verify', '--from', '2026-12-02', '--to', '2026-12-02']);
    expect(inside.code).toBe(1);
    expect(inside.err).toMatch(/row 2 \(id \d+\) has been changed/);
    await db()
      .deleteFrom('audit_log')
      .where('id', '=', r[4]?.id ?? 0)
      .execute();
    const tail = await cli(['audit', 'verify', '--from', '2026-12-03', '--to', '2026-12-03']);
    expect(tail.code).toBe(1);
    expect(tail.err).toMatch(/the signed head names 5 rows but the log ends at row 4/);
  });

  it('chains and signs a log from before signing at the first start, and says so in the log', async () => {
    // The database as the previous version left it: rows and a custody head with no signature.
    const raw = db() as unknown as Kysely<unknown>;
    await fiveRows();
    await down(raw);
    await up(raw);
    expect((await rows()).every((r) => r.seq === null && r.signature === null)).toBe(true);
    const upgraded = buildServices(testConfig(services.databaseUrl), { reference: testReference() });
    try {
      await upgraded.migrate();
      const after = await rows();
      expect(after.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(after.at(-1)).toMatchObject({ action: 'audit-chain-started', actor: 'system' });
      expect(after.at(-1)?.detail).toMatch(/5 earlier audit rows/);
      expect((await upgraded.tamperEvidence.verifyAudit()).ok).toBe(true);
      // A second start changes nothing.
      await upgraded.migrate();
      expect(await rows()).toEqual(after);
    } finally {
      await upgraded.close();
    }
    expect((await cli(['audit', 'verify'])).code).toBe(0);
  });

  it('keeps verifying after a key rotation while the old public key is trusted, and not otherwise', async () => {
    await fiveRows();
    const oldPublic = createPublicKey(
      createPrivateKey({ key: Buffer.from(TEST_AUDIT_SIGNING_KEY, 'base64'), format: 'der', type: 'pkcs8' }),
    )
      .export({ format: 'der', type: 'spki' })
      .toString('base64');
    const newKey = generateKeyPairSync('ed25519')
      .privateKey.export({ format: 'der', type: 'pkcs8' })
      .toString('base64');
    const rotated = { AUDIT_SIGNING_KEY: newKey, AUDIT_TRUSTED_PUBLIC_KEYS: oldPublic };
    const after = buildServices(testConfig(services.databaseUrl, rotated), { reference: testReference() });
    try {
      await writeRow(
        {
          at: '2026-12-06T10:00:00.000Z',
          actor: 'officer@police.example',
          action: 'read-case',
          detail: 'row 6',
        },
        after.database.db,
      );
    } finally {
      await after.close();
    }
    expect((await rows()).map((r) => r.action)).not.toContain('audit-chain-altered');
    expect((await cli(['audit', 'verify'], rotated)).code).toBe(0);
    // Without the old key trusted, its rows are not believed.
    const forgotten = await cli(['audit', 'verify'], { AUDIT_SIGNING_KEY: newKey });
    expect(forgotten.code).toBe(1);
    expect(forgotten.err).toMatch(
      /row 1 \(id \d+\) is signed by key [0-9a-f]{16}, which is not a trusted key/,
    );
    // And the old key alone does not believe the new one's head: an instance left on it records the break.
    await writeRow({
      at: '2026-12-07T10:00:00.000Z',
      actor: 'officer@police.example',
      action: 'read-case',
      detail: 'row 7',
    });
    expect((await rows()).at(-2)?.action).toBe('audit-chain-altered');
    expect((await rows()).at(-2)?.detail).toMatch(
      /the audit head \(6 rows\) is signed by key [0-9a-f]{16}, which is not a trusted key/,
    );
  });

  it('refuses bad arguments with a message and exit 2, before opening the database', async () => {
    const cases: [string[], RegExp][] = [
      [['audit', 'verify', '--from', 'yesterday'], /--from must be an ISO date/],
      [['audit', 'verify', '--to', '2026-12-01T09:00'], /--to must be an ISO date .* with its zone/],
      [['audit', 'verify', '--from', '2026-02-30'], /--from must be an ISO date/],
      [['audit', 'verify', '--from', '2026-12-05', '--to', '2026-12-01'], /--from must be before --to/],
      [['audit', 'verify', '--since', '2026-12-01'], /usage: bluelight audit verify/],
      [['audit', 'verify', 'everything'], /usage: bluelight audit verify/],
      [['audit'], /unknown audit command/],
      [['keys', 'show', '--private'], /keys show takes no arguments/],
      [['keys'], /unknown keys command/],
    ];
    for (const [args, message] of cases) {
      const result = await cli(args, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
      expect({ args, code: result.code, out: result.out }).toEqual({ args, code: 2, out: '' });
      expect(result.err).toMatch(message);
    }
  });

  it('keys show prints the public key and its fingerprint, and that key checks what the application signed', async () => {
    await fiveRows();
    const shown = await cli(['keys', 'show']);
    expect(shown.code).toBe(0);
    const pem = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----\n/.exec(shown.out)?.[0] ?? '';
    const key = createPublicKey(pem);
    const fingerprint = createHash('sha256')
      .update(key.export({ format: 'der', type: 'spki' }))
      .digest('hex');
    expect(shown.out).toContain(`fingerprint (SHA-256): ${fingerprint}\n`);
    expect(shown.out).toContain('source: AUDIT_SIGNING_KEY');
    expect(shown.out).not.toMatch(/PRIVATE/);
    const current = await head();
    expect(current.key_id).toBe(fingerprint.slice(0, 16));
    const message = JSON.stringify(['bluelight audit head', current.count, current.hash]);
    expect(verify(null, Buffer.from(message), key, Buffer.from(current.signature, 'base64'))).toBe(true);
    // Outside production, with no key set, the key comes from SESSION_SECRET: the same on every run.
    const dev = { NODE_ENV: 'development', AUDIT_SIGNING_KEY: '' };
    const first = await cli(['keys', 'show'], dev);
    expect(first.out).toMatch(/source: derived from SESSION_SECRET/);
    expect((await cli(['keys', 'show'], dev)).out).toBe(first.out);
    expect(first.out).not.toContain(fingerprint);
  });
});
