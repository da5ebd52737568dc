import { captureCli } from '../../test/support/cli-capture.ts';
import { Readable } from 'node:stream';
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMigratedTestDatabase,
  createTestDatabase,
  testConfig,
  testDialect,
  type TestDatabase,
} from '../../test/support/test-services.ts';
import { openDatabase } from '../db/database.ts';
import { runCli } from './main.ts';
import { migrations } from '../db/migrations/index.ts';

const capture = (env: Record<string, string> = {}) =>
  captureCli({ SESSION_SECRET: 'cli-test-secret-cli-test-secret-cli-test', ...env });

describe('bluelight force-for-postcode', () => {
  it.each([
    ['CA1 1AA', 'CA1 1AA', ['cumbria']],
    ['ca11aa', 'CA1 1AA', ['cumbria']],
    ['M1 1AE', 'M1 1AE', ['greater-manchester']],
    ['CF10 1AA', 'CF10 1AA', ['south-wales']],
    ['EH1 1YZ', 'EH1 1YZ', ['police-scotland']],
    ['BT1 5GS', 'BT1 5GS', ['psni']],
  ])('prints the force for %s', async (input, postcode, forces) => {
    const c = capture();
    expect(await runCli(['force-for-postcode', input], c.io)).toBe(0);
    expect(JSON.parse(c.out())).toEqual({ postcode, forces });
    expect(c.err()).toBe('');
  });

  it('accepts the postcode split over two arguments', async () => {
    const c = capture();
    expect(await runCli(['force-for-postcode', 'CA1', '1AA'], c.io)).toBe(0);
    expect(JSON.parse(c.out())).toEqual({ postcode: 'CA1 1AA', forces: ['cumbria'] });
  });

  it.each(['hello', '12345', 'QQ1 1AA', 'CA1 1CA'])(
    'prints an error to stderr and exits 2 for %j',
    async (input) => {
      const c = capture();
      expect(await runCli(['force-for-postcode', input], c.io)).toBe(2);
      expect(c.out()).toBe('');
      expect(c.err()).toMatch(/not (a UK postcode|in a UK postcode area)/);
    },
  );

  it('exits 2 with usage help when no postcode is given', async () => {
    const c = capture();
    expect(await runCli(['force-for-postcode'], c.io)).toBe(2);
    expect(c.err()).toContain('give a postcode');
  });

  it('answers Crown Dependencies clearly, with no force and exit 3', async () => {
    const c = capture();
    expect(await runCli(['force-for-postcode', 'JE2 3AB'], c.io)).toBe(3);
    expect(JSON.parse(c.out())).toEqual({ postcode: 'JE2 3AB', forces: [], outside: 'jersey' });
    expect(c.err()).toContain('Crown Dependency');
  });
});

describe('bluelight reference check and unknown commands', () => {
  it('validates the shipped reference data', async () => {
    const c = capture();
    expect(await runCli(['reference', 'check'], c.io)).toBe(0);
    expect(c.out()).toMatch(/^reference data is valid: 46 forces, 12 regions/);
  });

  it('rejects an unknown command with exit 2', async () => {
    const c = capture();
    expect(await runCli(['frobnicate'], c.io)).toBe(2);
    expect(c.err()).toContain('unknown command "frobnicate"');
  });
});

describe(`bluelight migrate (${testDialect})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('applies migrations, then says the database is up to date', async () => {
    const first = capture({ DATABASE_URL: db.url });
    expect(await runCli(['migrate'], first.io)).toBe(0);
    expect(first.out()).toContain(`applied ${Object.keys(migrations).length} migration(s)`);
    const second = capture({ DATABASE_URL: db.url });
    expect(await runCli(['migrate'], second.io)).toBe(0);
    expect(second.out()).toContain('up to date');
  });

  it('names the variable when configuration is wrong', async () => {
    const c = capture({ DATABASE_URL: 'mysql://nope' });
    expect(await runCli(['migrate'], c.io)).toBe(1);
    expect(c.err()).toMatch(/^bluelight: DATABASE_URL: /);
  });
});

// Real `npm run` processes load TypeScript: slow on a busy machine, so a longer timeout.
describe('npm run bluelight (real process)', { timeout: 120_000 }, () => {
  it('prints JSON on stdout and exits 0 for a real postcode', () => {
    const out = execFileSync(
      'npm',
      ['run', '--silent', 'bluelight', '--', 'force-for-postcode', 'LL11 1AA'],
      {
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(out)).toEqual({ postcode: 'LL11 1AA', forces: ['north-wales'] });
  });

  it('exits 2 with a message on stderr for a bad postcode', () => {
    const run = spawnSync(
      'npm',
      ['run', '--silent', 'bluelight', '--', 'force-for-postcode', 'not-a-postcode'],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('is not a UK postcode');
  });
});

describe(`bluelight token create (${testDialect})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createMigratedTestDatabase();
  });
  afterAll(() => db.drop());

  it('prints the new token alone on stdout, and stores only its hash', async () => {
    const c = capture({ DATABASE_URL: db.url });
    expect(
      await runCli(['token', 'create', '--name', 'Example Bank', '--scope', 'reports:write'], c.io),
    ).toBe(0);
    const token = c.out().trim();
    expect(c.out()).toBe(`${token}\n`);
    expect(token).toMatch(/^blt_[A-Za-z0-9_-]{43}$/);
    expect(c.err()).toContain('shown only once');
    const handle = openDatabase(testConfig(db.url).database);
    const rows = await handle.db.selectFrom('api_tokens').selectAll().execute();
    await handle.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'Example Bank', scopes: 'reports:write' });
    expect(rows[0]?.token_hash).not.toContain(token);
  });

  it.each([
    [['--scope', 'reports:write'], '--name is required'],
    [['--name', 'X', '--scope', 'everything'], '--scope must be one or more of'],
    [['--name', 'X', '--bogus'], 'usage: bluelight token create'],
  ])('rejects %j with a message and exit 2', async (args, message) => {
    const c = capture({ DATABASE_URL: db.url });
    expect(await runCli(['token', 'create', ...args], c.io)).toBe(2);
    expect(c.err()).toContain(message);
    expect(c.out()).toBe('');
  });
});

describe(`bluelight user add and staff tokens (${testDialect})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createMigratedTestDatabase();
  });
  afterAll(() => db.drop());

  const withStdin = (text: string) => {
    const c = capture({ DATABASE_URL: db.url });
    c.io.stdin = Readable.from([text]);
    return c;
  };

  it('creates an account from a password on stdin and prints its otpauth:// URI', async () => {
    const c = withStdin('a very long password\n');
    expect(
      await runCli(
        [
          'user',
          'add',
          '--email',
          'Sam@Cumbria.example',
          '--role',
          'force-officer',
          '--force',
          'cumbria',
          '--password-stdin',
        ],
        c.io,
      ),
    ).toBe(0);
    expect(c.out()).toMatch(/^otpauth:\/\/totp\/Bluelight:sam%40cumbria\.example\?.*secret=[A-Z2-7]+/);
    const token = capture({ DATABASE_URL: db.url });
    expect(
      await runCli(['token', 'create', '--user', 'sam@cumbria.example', '--name', 'laptop'], token.io),
    ).toBe(0);
    expect(token.out()).toMatch(/^blt_/);
    expect(token.err()).toContain('staff, statistics:read');
  });

  it.each([
    [['--email', 'x@y.example', '--role', 'chief', '--password-stdin'], '--role must be one of'],
    [['--email', 'x@y.example', '--role', 'force-officer', '--password-stdin'], 'needs --force'],
    [['--email', 'x@y.example', '--role', 'analyst'], '--password-stdin'],
  ])('rejects %j with exit 2', async (args, message) => {
    const c = withStdin('a very long password');
    expect(await runCli(['user', 'add', ...args], c.io)).toBe(2);
    expect(c.err()).toContain(message);
  });

  it('refuses a staff token for someone without an account', async () => {
    const c = capture({ DATABASE_URL: db.url });
    expect(await runCli(['token', 'create', '--user', 'nobody@x.example', '--name', 'n'], c.io)).toBe(2);
    expect(c.err()).toContain('no staff account');
  });
});
