import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services as buildServices } from '../src/services/index.ts';
import {
  createMigratedTestDatabase,
  testConfig,
  testDialect,
  testReference,
  type TestDatabase,
} from './support/test-services.ts';

const root = fileURLToPath(new URL('../', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });
}

const report = (n: number) => ({
  reporter: { type: 'individual', name: `Victim ${n}`, postcode: 'CA1 1AA' },
  incident: { narrative: `a fake parcel text from 07700 900123 took my card details (${n})` },
  suspect: { phones: ['07700 900123'] },
  consents: { victim_support: false },
});

// A real server process killed with SIGKILL while reports arrive: what it acknowledged must be stored.
describe(
  `no acknowledged report is lost when the server is killed (${testDialect})`,
  { timeout: 180_000 },
  () => {
    let db: TestDatabase | undefined;
    beforeAll(async () => {
      const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--if-stale'], {
        encoding: 'utf8',
      });
      expect(build.status, build.stderr).toBe(0);
      db = await createMigratedTestDatabase();
      // A build on a busy machine can take more than a minute.
    }, 180_000);
    afterAll(() => db?.drop());

    it('finds every reference answered 201 after SIGKILL mid-burst', async () => {
      if (db === undefined) throw new Error('no database');
      const url = db.url;
      const setup = buildServices(testConfig(url), { reference: testReference() });
      await setup.migrate();
      const { token } = await setup.tokens.create('durability partner', ['reports:write']);
      await setup.close();

      const port = await freePort();
      const server = spawn(process.execPath, [join(root, 'dist/server.js')], {
        env: {
          ...process.env,
          PORT: String(port),
          BASE_URL: `http://127.0.0.1:${port}`,
          DATABASE_URL: url,
          DATA_DIR: mkdtempSync(join(tmpdir(), 'bl-durable-')),
          SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
          NODE_ENV: 'development',
          LOG_LEVEL: 'warn',
        },
      });
      const exited = new Promise<void>((resolve) =>
        server.on('exit', () => {
          resolve();
        }),
      );
      await expect
        .poll(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status, {
          timeout: 60_000,
          interval: 200,
        })
        .toBe(200);

      const acknowledged: string[] = [];
      let sent = 0;
      let killed = false;
      // Eight clients send until the server dies; the kill comes once some reports are in.
      const client = async () => {
        while (!killed) {
          const n = sent++;
          try {
            const res = await fetch(`http://127.0.0.1:${port}/api/v1/reports`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify(report(n)),
            });
            if (res.status === 201)
              acknowledged.push(((await res.json()) as { reference: string }).reference);
          } catch {
            // The connection died with the server: not acknowledged.
          }
        }
      };
      const clients = Array.from({ length: 8 }, client);
      await expect
        .poll(() => acknowledged.length, { timeout: 60_000, interval: 20 })
        .toBeGreaterThanOrEqual(40);
      server.kill('SIGKILL');
      killed = true;
      await exited;
      await Promise.all(clients);

      const check = buildServices(testConfig(url), { reference: testReference() });
      try {
        const stored = await check.database.db.selectFrom('reports').select('reference').execute();
        const references = new Set(stored.map((row) => row.reference));
        const lost = acknowledged.filter((reference) => !references.has(reference));
        expect(lost).toEqual([]);
        expect(acknowledged.length).toBeGreaterThanOrEqual(40);
      } finally {
        await check.close();
      }
    });
  },
);
