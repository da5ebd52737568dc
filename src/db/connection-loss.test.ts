/**
 * A connection to PostgreSQL lost in the middle of a query (a proxy or a network cutting it, with no word from the
 * server) fails that query; it must not end the process, and the pool must go on with fresh connections. Found by
 * an adversary: the pool listened for errors on idle connections only, so a busy one's was an unhandled 'error'.
 */
import { createServer, connect, type Socket } from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMigratedTestDatabase,
  testDialect,
  type TestDatabase,
} from '../../test/support/test-services.ts';
import { openDatabase, type DatabaseHandle } from './database.ts';

describe.runIf(testDialect === 'postgres')('a connection cut mid-query (postgres)', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const sockets = new Set<Socket>();
  // A TCP proxy in front of PostgreSQL whose connections the test can cut.
  const proxy = createServer((client) => {
    const server = connect(5432, '127.0.0.1');
    client.pipe(server).pipe(client);
    for (const s of [client, server]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        server.destroy();
      });
    }
  });
  beforeAll(async () => {
    database = await createMigratedTestDatabase();
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const address = proxy.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const url = database.url.replace('127.0.0.1:5432', `127.0.0.1:${String(port)}`);
    handle = openDatabase({ dialect: 'postgres', url, connectionString: url });
  });
  afterAll(async () => {
    await handle.close();
    proxy.close();
    await database.drop();
  });

  it('fails the query, keeps the process, and answers the next query on a fresh connection', async () => {
    // Caught at once, so its failure is never an unhandled rejection of the test's own making.
    const outcome = sql`select pg_sleep(30)`.execute(handle.db).then(
      () => 'finished',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    // Wait until the server is running it (seen from a connection of our own, not through the proxy).
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await expect
        .poll(
          async () =>
            Number(
              (
                await admin.query<{ n: number | string }>(
                  "select count(*) as n from pg_stat_activity where query = 'select pg_sleep(30)' and state = 'active'",
                )
              ).rows[0]?.n ?? 0,
            ),
          { timeout: 10_000, interval: 20 },
        )
        .toBe(1);
    } finally {
      await admin.end();
    }
    // Cut every proxied connection, with no word from the server.
    for (const s of sockets) s.destroy();
    expect(await outcome).toMatch(/terminated|closed|ended/i);
    const next = await sql<{ one: number }>`select 1 as one`.execute(handle.db);
    expect(next.rows[0]?.one).toBe(1);
  });
});
