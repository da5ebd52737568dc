import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerJson, switchableServer } from '../../test/support/feed-servers.ts';
import {
  createMigratedTestDatabase,
  TEST_AUDIT_SIGNING_KEY,
  TEST_DATA_KEY,
  testConfig,
  testDialect,
  testReference,
  type TestDatabase,
} from '../../test/support/test-services.ts';
import { services as buildServices } from '../services/index.ts';
import type { CliIo } from './cli-io.ts';
import { runCli } from './main.ts';

const SECRET = 'feed-token-that-must-never-be-printed-0123456789';
const FIXTURE = join(import.meta.dirname, '../../test/fixtures/misp-feed');

describe(`bluelight feed add / list / pull / disable (${testDialect})`, () => {
  let db: TestDatabase;
  let container: ReturnType<typeof buildServices>;
  let server: Awaited<ReturnType<typeof switchableServer>>;
  const authorizations: (string | undefined)[] = [];

  beforeAll(async () => {
    db = await createMigratedTestDatabase();
    container = buildServices(testConfig(db.url), { reference: testReference() });
    await container.migrate();
    // The recorded MISP feed, behind a bearer token.
    server = await switchableServer((request, response) => {
      authorizations.push(request.headers.authorization);
      if (request.headers.authorization !== `Bearer ${SECRET}`) return answerJson(401, {})(request, response);
      const name = /^\/feed\/([\w.-]+)$/.exec(request.url ?? '')?.[1] ?? 'missing';
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(readFileSync(join(FIXTURE, name)));
    });
  });
  afterAll(async () => {
    await server.close();
    await container.close();
    await db.drop();
  });

  async function run(args: string[], env: Record<string, string> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      stdin: Readable.from([]),
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      env: {
        SESSION_SECRET: 'cli-test-secret-cli-test-secret-cli-test',
        DATA_KEY: TEST_DATA_KEY,
        AUDIT_SIGNING_KEY: TEST_AUDIT_SIGNING_KEY,
        DATABASE_URL: db.url,
        USER: 'opsadmin',
        ...env,
      },
      cwd: mkdtempSync(join(tmpdir(), 'bluelight-cli-')),
    };
    const code = await runCli(args, io);
    return { code, out: out.join(''), err: err.join('') };
  }

  it('adds a feed naming only the variable that holds its secret, audited with the operator', async () => {
    const added = await run([
      'feed',
      'add',
      '--name',
      'NW ROCU MISP',
      '--kind',
      'misp',
      '--url',
      `${server.url}/feed/`,
      '--auth',
      'bearer',
      '--secret-env',
      'FEED_SECRET_NWROCU',
      '--tlp',
      'green',
    ]);
    expect(added).toMatchObject({ code: 0, out: '{"id":1,"name":"NW ROCU MISP"}\n' });
    const audit = await container.database.db
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('action', '=', 'feed-added')
      .execute();
    expect(audit).toEqual([
      {
        actor: 'cli:opsadmin',
        detail: expect.stringContaining(
          `feed 1 "NW ROCU MISP": misp ${server.url}/feed/, auth bearer from FEED_SECRET_NWROCU`,
        ) as unknown,
      },
    ]);
  });

  it.each([
    [['--url', 'https://user:pass@feeds.example/misp/'], '--url may not carry credentials'],
    [['--url', 'https://feeds.example/misp/?key=abc'], '--url may not carry credentials, a query'],
    [['--url', 'ftp://feeds.example/'], '--url must be https:// or http://'],
    [
      ['--url', 'https://feeds.example/', '--auth', 'basic', '--secret-env', 'FEED_SECRET_X'],
      '--username is needed',
    ],
    [
      ['--url', 'https://feeds.example/', '--auth', 'bearer', '--secret-env', 'PATH'],
      '--secret-env must name',
    ],
    [['--url', 'https://feeds.example/', '--kind', 'rss'], '--kind must be one of: taxii, misp'],
    [
      ['--url', 'https://feeds.example/', '--page-size', '5000'],
      '--page-size must be a whole number from 1 to 1000',
    ],
  ])('refuses %j', async (options, message) => {
    const result = await run(['feed', 'add', '--name', `Refused ${message}`, '--kind', 'taxii', ...options]);
    expect(result.code).not.toBe(0);
    expect(result.err).toContain(message);
  });

  it('pulls with the secret from the environment, exits 1 naming the cause without it, and never prints it', async () => {
    const without = await run(['feed', 'pull', '--id', '1']);
    expect(without.code).toBe(1);
    expect(without.out).toContain('FEED_SECRET_NWROCU is not set');
    expect(authorizations).toEqual([]);

    const pulled = await run(['feed', 'pull', '--due'], { FEED_SECRET_NWROCU: SECRET });
    // Not due: the failure backed it off (nothing is pulled, exit 0); --id pulls it regardless.
    expect(pulled).toMatchObject({ code: 0, out: '' });
    const byId = await run(['feed', 'pull', '--id', '1'], { FEED_SECRET_NWROCU: SECRET });
    expect(byId.code).toBe(0);
    expect(JSON.parse(byId.out)).toMatchObject({ outcome: 'pulled', stored: 12 });
    expect(authorizations.every((a) => a === `Bearer ${SECRET}`)).toBe(true);

    const list = await run(['feed', 'list'], { FEED_SECRET_NWROCU: SECRET });
    expect(JSON.parse(list.out)).toMatchObject({
      name: 'NW ROCU MISP',
      state: 'ok',
      secretEnv: 'FEED_SECRET_NWROCU',
    });
    const audit = await container.database.db.selectFrom('audit_log').select('detail').execute();
    for (const text of [without.out, without.err, pulled.out, byId.out, list.out, JSON.stringify(audit)])
      expect(text).not.toContain(SECRET);
  });

  it('disables a feed: not pulled when due, its values no longer mark anything; audited', async () => {
    expect((await run(['feed', 'disable', '--id', '1'])).code).toBe(0);
    const known = await container.feeds.knownTo([
      { type: 'domain', value: 'royalmail-redelivery-fee.co.uk' },
    ]);
    expect(known.size).toBe(0);
    await container.database.db
      .updateTable('feeds')
      .set({ next_pull_at: '2000-01-01T00:00:00.000Z' })
      .execute();
    expect(await container.feeds.pullDue()).toEqual([]);
    expect((await run(['feed', 'enable', '--id', '1'])).code).toBe(0);
    const actions = await container.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'feed-%')
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['feed-added', 'feed-disabled', 'feed-enabled']);
    expect((await run(['feed', 'disable', '--id', '99'])).err).toContain('there is no feed 99');
    // Past the id column's range: a clear refusal, not a database error (PostgreSQL).
    const far = await run(['feed', 'disable', '--id', '2147483648']);
    expect(far.code).toBe(2);
    expect(far.err).toContain('--id must be a feed id');
  });
});
