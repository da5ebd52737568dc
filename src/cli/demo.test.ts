import { unitContactsFile } from '../../test/support/unit-contacts-file.ts';
import { captureCli } from '../../test/support/cli-capture.ts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import { ROLES } from '../domain/access/access-policy.ts';
import { runCli } from './main.ts';
import { demoAccountsPresent } from '../services/demo/demo.ts';

const capture = (env: Record<string, string>) =>
  captureCli({ NODE_ENV: 'development', ...env }, 'bluelight-demo-');

describe(`bluelight demo on a database holding only an API token (${testDialect})`, () => {
  it('refuses it', async () => {
    const services = await createTestServices();
    try {
      await services.tokens.create('Example Bank', ['reports:write']);
      const demo = capture({ DATABASE_URL: services.databaseUrl });
      expect(await runCli(['demo', '--reports', '50'], demo.io)).toBe(1);
      expect(demo.err()).toContain('already holds data (api_tokens)');
    } finally {
      await services.cleanup();
    }
  });
});

// Real use cases for a few hundred reports: room on a busy machine.
describe(`bluelight demo (${testDialect})`, { timeout: 240_000 }, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let printed = '';
  beforeAll(async () => {
    services = await createTestServices();
    const demo = capture({ DATABASE_URL: services.databaseUrl });
    expect(await runCli(['demo', '--reports', '150'], demo.io), demo.err()).toBe(0);
    printed = demo.out();
  }, 240_000);
  afterAll(() => services.cleanup());

  const count = async (query: string) =>
    Number((await sql<{ n: number }>`${sql.raw(query)}`.execute(services.database.db)).rows[0]?.n);

  it('prints one account per role that signs in with its password and the code `bluelight totp` gives', async () => {
    for (const role of ROLES) {
      const line = new RegExp(
        `${role} +(\\S+@demo\\.bluelight\\.invalid) +password (\\S+) +TOTP secret ([A-Z2-7]+)`,
      ).exec(printed);
      expect(line, role).not.toBeNull();
      const [, email = '', password = ''] = line ?? [];
      const totp = capture({ DATABASE_URL: services.databaseUrl });
      expect(await runCli(['totp', email], totp.io), totp.err()).toBe(0);
      const code = totp.out().trim();
      expect(code).toMatch(/^\d{6}$/);
      const member = await services.staff.signIn(email, password, code, `demo-test-${role}`);
      expect(member, role).toMatchObject({ email, role });
    }
  });

  it('fills a year of reports across forces, categories and both languages, with campaigns spanning forces', async () => {
    expect(await count('select count(*) as n from reports')).toBeGreaterThanOrEqual(150);
    expect(await count('select count(distinct force_id) as n from reports')).toBeGreaterThanOrEqual(30);
    expect(await count('select count(distinct category) as n from reports')).toBeGreaterThanOrEqual(15);
    expect(await count("select count(*) as n from reports where lng = 'cy'")).toBeGreaterThan(0);
    const oldest = (
      await sql<{ at: string }>`select min(created_at) as at from reports`.execute(services.database.db)
    ).rows[0]?.at;
    expect(Date.now() - Date.parse(oldest ?? '')).toBeGreaterThan(200 * 86_400_000);
    expect(
      await count(
        'select count(*) as n from (select campaign_id from reports where campaign_id is not null group by campaign_id having count(distinct force_id) > 1) spanning',
      ),
    ).toBeGreaterThan(0);
    // A unit worked its queue: not everything is still waiting.
    expect(await count("select count(*) as n from reports where status <> 'received'")).toBeGreaterThan(0);
  });

  it('holds cases with exhibits, custody, an examination and call records; partners, Protect requests and an event', async () => {
    expect(await count('select count(*) as n from cases')).toBeGreaterThanOrEqual(1);
    expect(await count('select count(*) as n from exhibits')).toBeGreaterThanOrEqual(1);
    expect(await count('select count(*) as n from custody_entries')).toBeGreaterThanOrEqual(3);
    expect(await count('select count(*) as n from forensic_requests')).toBeGreaterThanOrEqual(1);
    expect(await count('select count(*) as n from cdr_events')).toBeGreaterThanOrEqual(10);
    expect(await count('select count(*) as n from partners')).toBe(3);
    expect(await count('select count(*) as n from protect_requests')).toBeGreaterThan(0);
    expect(await count('select count(*) as n from ask_questions')).toBeGreaterThan(0);
    // Everything went through the use cases: the signed audit chain verifies end to end.
    const verify = capture({ DATABASE_URL: services.databaseUrl });
    expect(await runCli(['audit', 'verify'], verify.io), verify.out() + verify.err()).toBe(0);
  });

  it('refuses a database that already holds data, and changes nothing', async () => {
    const before = await count('select count(*) as n from reports');
    const again = capture({ DATABASE_URL: services.databaseUrl });
    expect(await runCli(['demo', '--reports', '50'], again.io)).toBe(1);
    expect(again.err()).toContain('already holds data');
    expect(await count('select count(*) as n from reports')).toBe(before);
  });

  it('keeps the demo domain for the demo: no one else can make an account there to read its codes', async () => {
    await expect(
      services.staffAccounts.add({
        email: 'evil@demo.bluelight.invalid',
        role: 'admin',
        password: 'a long enough password',
      }),
    ).rejects.toMatchObject({ code: 'email-demo' });
    // And production refuses a database holding demo accounts (src/server.ts reads this).
    expect(await demoAccountsPresent(services)).toBe(true);
  });

  it('refuses production, and gives codes for demo accounts only', async () => {
    const production = capture({
      DATABASE_URL: services.databaseUrl,
      NODE_ENV: 'production',
      BASE_URL: 'https://bluelight.example',
      SMTP_URL: 'smtp://mail.example:587',
      VICTIM_SUPPORT_URL: 'off',
      UNIT_CONTACTS_FILE: unitContactsFile(),
    });
    expect(await runCli(['demo'], production.io)).toBe(1);
    expect(production.err()).toContain('never runs in production');
    const other = capture({ DATABASE_URL: services.databaseUrl });
    expect(await runCli(['totp', 'sam@cumbria.police.uk'], other.io)).toBe(1);
    expect(other.err()).toContain('demo accounts only');
    expect(other.out()).toBe('');
  });
});
