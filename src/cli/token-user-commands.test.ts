import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const DAY_MS = 86_400_000;

describe(`bluelight token list / revoke / --expires and user disable (${testDialect})`, () => {
  let db: TestDatabase;
  let container: ReturnType<typeof buildServices>;

  beforeAll(async () => {
    db = await createMigratedTestDatabase();
    container = buildServices(testConfig(db.url), { reference: testReference() });
    await container.migrate();
  });
  afterAll(async () => {
    await container.close();
    await db.drop();
  });

  async function run(args: string[], stdin = '') {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      stdin: Readable.from(stdin === '' ? [] : [stdin]),
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      env: {
        SESSION_SECRET: 'cli-test-secret-cli-test-secret-cli-test',
        DATA_KEY: TEST_DATA_KEY,
        AUDIT_SIGNING_KEY: TEST_AUDIT_SIGNING_KEY,
        DATABASE_URL: db.url,
        USER: 'opsadmin',
      },
      cwd: mkdtempSync(join(tmpdir(), 'bluelight-cli-')),
    };
    const code = await runCli(args, io);
    return { code, out: out.join(''), err: err.join('') };
  }
  const tokenRow = (id: number) =>
    container.database.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const idOf = (stderr: string) => Number(/Token (\d+) /.exec(stderr)?.[1]);

  it('gives a new token 90 days unless --expires says otherwise (days or a date)', async () => {
    const before = Date.now();
    const plain = await run(['token', 'create', '--name', 'Bank A', '--scope', 'reports:write']);
    expect(plain.code).toBe(0);
    const expires = Date.parse((await tokenRow(idOf(plain.err))).expires_at ?? '');
    expect(expires - before).toBeGreaterThanOrEqual(90 * DAY_MS);
    expect(expires - Date.now()).toBeLessThanOrEqual(90 * DAY_MS);

    const days = await run([
      'token',
      'create',
      '--name',
      'Bank B',
      '--scope',
      'reports:write',
      '--expires',
      '7',
    ]);
    expect(days.code).toBe(0);
    expect(Date.parse((await tokenRow(idOf(days.err))).expires_at ?? '') - Date.now()).toBeLessThanOrEqual(
      7 * DAY_MS,
    );

    const date = new Date(Date.now() + 30 * DAY_MS).toISOString().slice(0, 10);
    const dated = await run([
      'token',
      'create',
      '--name',
      'Bank C',
      '--scope',
      'reports:write',
      '--expires',
      date,
    ]);
    expect(dated.code).toBe(0);
    expect((await tokenRow(idOf(dated.err))).expires_at).toBe(`${date}T00:00:00.000Z`);
  });

  it.each([
    ['0', 'whole number of days from 1 to 366'],
    ['400', 'whole number of days from 1 to 366'],
    ['soon', 'is not a number of days or a date'],
    ['2027-02-30', 'is not a number of days or a date'],
    ['2020-01-01', 'is not in the future'],
    ['2099-01-01', 'too far away'],
  ])('refuses --expires %s with a message and exit 2, creating nothing', async (value, message) => {
    const before = await container.database.db.selectFrom('api_tokens').select('id').execute();
    const res = await run(['token', 'create', '--name', 'X', '--scope', 'reports:write', '--expires', value]);
    expect(res.code).toBe(2);
    expect(res.err).toContain(message);
    expect(res.out).toBe('');
    expect(await container.database.db.selectFrom('api_tokens').select('id').execute()).toHaveLength(
      before.length,
    );
  });

  it('lists tokens with their dates and status, never a secret or its hash', async () => {
    const created = await run(['token', 'create', '--name', 'Listed Bank', '--scope', 'statistics:read']);
    const token = created.out.trim();
    const row = await tokenRow(idOf(created.err));
    const list = await run(['token', 'list']);
    expect(list.code).toBe(0);
    const [header, ...lines] = list.out.trim().split('\n');
    expect(header?.split('\t')).toEqual([
      'ID',
      'NAME',
      'SCOPES',
      'USER',
      'CREATED',
      'EXPIRES',
      'LAST USED',
      'STATUS',
    ]);
    expect(lines).toContainEqual(
      [
        String(row.id),
        'Listed Bank',
        'statistics:read',
        '-',
        row.created_at,
        row.expires_at,
        'never',
        'active',
      ].join('\t'),
    );
    expect(list.out).not.toContain(token);
    expect(list.out).not.toContain(token.slice(4, 20));
    expect(list.out).not.toContain(row.token_hash);
  });

  it('revokes a token at once, audited; unknown or bad ids are clear errors', async () => {
    const created = await run(['token', 'create', '--name', 'Revoked Bank', '--scope', 'reports:write']);
    const token = created.out.trim();
    const id = idOf(created.err);
    expect(await container.tokens.verify(token)).not.toBeNull();
    const revoked = await run(['token', 'revoke', String(id)]);
    expect(revoked).toMatchObject({ code: 0, out: `token ${id} revoked\n` });
    expect(await container.tokens.verify(token)).toBeNull();
    expect((await run(['token', 'list'])).out).toMatch(
      new RegExp(`^${id}\\tRevoked Bank\\t.*\\trevoked \\S+$`, 'm'),
    );
    expect((await run(['token', 'revoke', String(id)])).out).toContain('already revoked');
    const audit = await container.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'token-revoked')
      .execute();
    expect(audit).toMatchObject([{ actor: 'cli:opsadmin', detail: `token ${id} "Revoked Bank"` }]);

    const unknown = await run(['token', 'revoke', '99999']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no token 99999');
    expect((await run(['token', 'revoke', 'abc'])).code).toBe(2);
    expect((await run(['token', 'revoke'])).code).toBe(2);
  });

  it('disables a user: no sign-in, sessions ended, tokens revoked, audited', async () => {
    const email = 'leaver@cumbria.example';
    const added = await run(
      ['user', 'add', '--email', email, '--role', 'force-officer', '--force', 'cumbria', '--password-stdin'],
      'a very long password\n',
    );
    expect(added.code).toBe(0);
    const created = await run(['token', 'create', '--user', email, '--name', 'laptop']);
    const token = created.out.trim();
    const user = await container.staff.userIdByEmail(email);
    await container.sessions.create('session-of-leaver', { staffUserId: user?.id });
    expect(await container.sessions.load('session-of-leaver')).not.toBeNull();

    const disabled = await run(['user', 'disable', email]);
    expect(disabled).toMatchObject({
      code: 0,
      out: `${email} disabled: 1 session(s) ended, 1 token(s) revoked\n`,
    });
    expect(await container.sessions.load('session-of-leaver')).toBeNull();
    expect(await container.tokens.verify(token)).toBeNull();
    expect(await container.staff.byId(user?.id ?? 0)).toBeNull();
    const audit = await container.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'user-disabled')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor: 'cli:opsadmin', force_id: 'cumbria' });

    expect((await run(['token', 'create', '--user', email, '--name', 'again'])).err).toContain('is disabled');
    expect((await run(['user', 'disable', email])).out).toContain('already disabled');
    const nobody = await run(['user', 'disable', 'nobody@x.example']);
    expect(nobody.code).toBe(1);
    expect(nobody.err).toContain('no staff account');
    expect((await run(['user', 'disable'])).code).toBe(2);
  });
});
