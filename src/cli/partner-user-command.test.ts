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

describe(`bluelight partner user add (${testDialect})`, () => {
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

  async function run(args: string[]) {
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
      },
      cwd: mkdtempSync(join(tmpdir(), 'bluelight-cli-')),
    };
    const code = await runCli(args, io);
    return { code, out: out.join(''), err: err.join('') };
  }

  it('makes a partner’s first admin, printing the one-time password and enrolment once, audited', async () => {
    const partner = await container.partners.add({ name: 'CLI Bank', sectors: ['finance'], tlp: 'green' });
    const made = await run([
      'partner',
      'user',
      'add',
      '--partner',
      String(partner.id),
      '--email',
      'Lead@Bank.example',
    ]);
    expect(made.code).toBe(0);
    const printed = JSON.parse(made.out) as { email: string; password: string; otpauth: string };
    expect(printed.email).toBe('lead@bank.example');
    expect(printed.otpauth).toMatch(/^otpauth:\/\/totp\//);
    const row = await container.database.db
      .selectFrom('users')
      .select(['role', 'partner_id', 'password_change_due'])
      .where('email', '=', 'lead@bank.example')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ role: 'partner-admin', partner_id: partner.id, password_change_due: 1 });
    const audit = await container.database.db
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('action', '=', 'partner-user-added')
      .executeTakeFirstOrThrow();
    expect(audit.detail).not.toContain(printed.password);
    // Never a staff account: the staff list and staff sign-in do not see it.
    expect((await container.staffAccounts.list()).map((u) => u.email)).not.toContain('lead@bank.example');
    // An unknown partner or a bad role is refused with a message.
    expect(
      (await run(['partner', 'user', 'add', '--partner', '999', '--email', 'x@bank.example'])).code,
    ).toBe(2);
    // Past the id column's range: a clear refusal, not a database error (PostgreSQL).
    for (const id of ['2147483648', '999999999999']) {
      const far = await run(['partner', 'user', 'add', '--partner', id, '--email', 'x@bank.example']);
      expect(far.code, id).toBe(2);
      expect(far.err, id).toContain('--partner must be a partner id');
      const hook = await run(['partner', 'webhook', '--id', id, '--remove']);
      expect(hook.code, id).toBe(2);
      expect(hook.err, id).toContain('--id must be a partner id');
    }
    const role = await run([
      'partner',
      'user',
      'add',
      '--partner',
      String(partner.id),
      '--email',
      'y@bank.example',
      '--role',
      'admin',
    ]);
    expect([role.code, role.err]).toEqual([
      2,
      expect.stringContaining('role must be partner-user or partner-admin'),
    ]);
  });
});
