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

describe(`bluelight supplier add|change|list|budget (${testDialect})`, () => {
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

  it('puts a partner on the framework with rates, accreditations and vetted staff, and lists it', async () => {
    const partner = await container.partners.add({
      name: 'CLI Forensics',
      sectors: ['all-sectors'],
      tlp: 'green',
    });
    const added = await run([
      'supplier',
      'add',
      '--partner',
      String(partner.id),
      '--rate',
      'device-forensics=850',
      '--rate',
      'expert-witness=1200.50',
      '--accreditation',
      'ISO 17025:2027-03-31',
      '--staff',
      'Dana Examiner:NPPV3:2028-01-01',
    ]);
    expect(added).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(added.out)).toEqual({
      id: partner.id,
      name: 'CLI Forensics',
      capabilities: ['device-forensics', 'expert-witness'],
    });
    const listed = await run(['supplier', 'list']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out.trim())).toMatchObject({
      name: 'CLI Forensics',
      rates: [
        { capability: 'device-forensics', dayRatePence: 85_000 },
        { capability: 'expert-witness', dayRatePence: 120_050 },
      ],
      accreditations: [{ name: 'ISO 17025', expiresOn: '2027-03-31' }],
      staff: [{ name: 'Dana Examiner', vettingLevel: 'nppv3', vettingExpiresOn: '2028-01-01' }],
    });
    const audit = await container.database.db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'supplier-added')
      .executeTakeFirstOrThrow();
    expect(audit.actor).toContain('opsadmin');
  });

  it('changes a supplier’s framework entry: rates, accreditations and staff, audited; bad input stores nothing', async () => {
    const supplier = (await container.suppliers.list()).find((s) => s.name === 'CLI Forensics');
    if (supplier === undefined) throw new Error('no supplier from the test before');
    const id = String(supplier.id);
    const listed = async () => (await container.suppliers.list()).find((s) => s.id === supplier.id);
    const before = await listed();
    // Refused: each says what is wrong, exits non-zero and changes nothing.
    const refusals: [string[], RegExp][] = [
      [['--partner', id], /give at least one --rate/],
      [['--partner', id, '--rate', 'device-forensics=0'], /day rate for device-forensics must be a positive/],
      [['--partner', id, '--rate', 'osint=100', '--rate', 'osint=200'], /osint is given twice/],
      // A decimal comma is refused, never read as a hundred times the rate.
      [['--partner', id, '--rate', 'osint=8,50'], /--rate "osint=8,50" must be/],
      [['--partner', id, '--rate', 'osint=100', '--staff', 'Al:nppv3:2028-02-30'], /a member of staff is/],
      [['--partner', id, '--rate', 'osint=100', '--colour', 'red'], /Unknown option '--colour'/],
      [['--partner', '99999', '--rate', 'osint=100'], /not a current supplier/],
      // Past the id column's range: a clear refusal, not a database error (PostgreSQL).
      [['--partner', '999999999999', '--rate', 'osint=100'], /--partner must be a partner id/],
      [['--partner', '2147483648', '--rate', 'osint=100'], /--partner must be a partner id/],
      [['--partner', '2147483647', '--rate', 'osint=100'], /not a current supplier/],
      [['--partner', '0', '--rate', 'osint=100'], /not a current supplier/],
      [['--partner', '-1', '--rate', 'osint=100'], /Option '--partner' argument/],
      [['--partner', '1e3', '--rate', 'osint=100'], /--partner must be a partner id/],
    ];
    const bank = await container.partners.add({ name: 'Just A Bank', sectors: ['finance'], tlp: 'green' });
    refusals.push([['--partner', String(bank.id), '--rate', 'osint=100'], /not a current supplier/]);
    for (const [args, message] of refusals) {
      const result = await run(['supplier', 'change', ...args]);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.err, args.join(' ')).toMatch(message);
      expect(result.err, args.join(' ')).toContain('usage: bluelight supplier');
    }
    expect(await listed()).toEqual(before);
    expect((await container.partners.byId(bank.id))?.supplier).toBe(false);

    const changed = await run([
      'supplier',
      'change',
      '--partner',
      id,
      '--rate',
      'device-forensics=900',
      '--rate',
      'osint=600',
      '--accreditation',
      'ISO 17025:2028-03-31',
      '--staff',
      'Dana Examiner:sc:2029-01-01',
      '--staff',
      'Lee Analyst:nppv2:2027-06-30',
    ]);
    expect(changed).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(changed.out)).toEqual({
      id: supplier.id,
      name: 'CLI Forensics',
      changes: [
        'device-forensics 85000 → 90000 pence',
        'osint added at 60000 pence',
        'expert-witness removed',
      ],
    });
    expect(await listed()).toMatchObject({
      rates: [
        { capability: 'device-forensics', dayRatePence: 90_000 },
        { capability: 'osint', dayRatePence: 60_000 },
      ],
      accreditations: [{ name: 'ISO 17025', expiresOn: '2028-03-31' }],
      staff: [
        { name: 'Dana Examiner', vettingLevel: 'sc', vettingExpiresOn: '2029-01-01' },
        { name: 'Lee Analyst', vettingLevel: 'nppv2', vettingExpiresOn: '2027-06-30' },
      ],
    });
    const audit = await container.database.db
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('action', '=', 'supplier-changed')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor).toContain('opsadmin');
    expect(audit[0]?.detail).toContain('expert-witness removed; 1 → 1 accreditation(s), 1 → 2 staff');
  });

  it('sets a unit’s budget for a financial year, and changes it', async () => {
    const set = await run([
      'supplier',
      'budget',
      '--unit',
      'cumbria-cyber',
      '--year',
      '2026-27',
      '--amount',
      '50000',
    ]);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.out)).toMatchObject({ budget_pence: 5_000_000, done: 'added' });
    const changed = await run([
      'supplier',
      'budget',
      '--unit',
      'cumbria-cyber',
      '--year',
      '2026-27',
      '--amount',
      '60000',
    ]);
    expect(JSON.parse(changed.out)).toMatchObject({ done: 'changed' });
    expect((await container.suppliers.budgetOf('cumbria-cyber', '2026-27')).budgetPence).toBe(6_000_000);
  });

  it('refuses bad input with a message and a non-zero exit, storing nothing', async () => {
    const bank = await container.partners.add({ name: 'Not Yet', sectors: ['finance'], tlp: 'green' });
    const cases: [string[], RegExp][] = [
      [['supplier', 'add', '--partner', 'x', '--rate', 'osint=1'], /--partner must be a partner id/],
      [['supplier', 'add', '--partner', String(bank.id)], /at least one --rate/],
      [
        ['supplier', 'add', '--partner', String(bank.id), '--rate', 'osint=lots'],
        /must be <capability>=<pounds/,
      ],
      [['supplier', 'add', '--partner', String(bank.id), '--rate', 'tarot=100'], /capability must be one of/],
      [
        [
          'supplier',
          'add',
          '--partner',
          String(bank.id),
          '--rate',
          'osint=100',
          '--staff',
          'Al:top:2028-01-01',
        ],
        /a member of staff is/,
      ],
      [
        [
          'supplier',
          'add',
          '--partner',
          String(bank.id),
          '--rate',
          'osint=100',
          '--accreditation',
          'ISO 17025',
        ],
        /an accreditation is/,
      ],
      [['supplier', 'add', '--partner', '99999', '--rate', 'osint=100'], /not a current partner/],
      [
        ['supplier', 'budget', '--unit', 'nowhere', '--year', '2026-27', '--amount', '1'],
        /unit must be a unit id/,
      ],
      [
        ['supplier', 'budget', '--unit', 'cumbria-cyber', '--year', '2026-28', '--amount', '1'],
        /financial year/,
      ],
      [
        ['supplier', 'budget', '--unit', 'cumbria-cyber', '--year', '2026-27', '--amount', '5.555'],
        /--amount must be/,
      ],
      [['supplier', 'list', '--all'], /Unknown option/],
      [['supplier', 'remove'], /unknown supplier command/],
    ];
    for (const [args, message] of cases) {
      const result = await run(args);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.err, args.join(' ')).toMatch(message);
    }
    expect((await container.partners.byId(bank.id))?.supplier).toBe(false);
    expect((await container.suppliers.budgetOf('cumbria-cyber', '2026-28')).budgetPence).toBeNull();
  });
});
