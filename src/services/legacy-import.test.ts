import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMigratedTestDatabase,
  testDialect,
  type TestDatabase,
} from '../../test/support/test-services.ts';
import { createTestServices } from '../../test/support/test-services.ts';
import { runCli } from '../cli/main.ts';
import { loadConfig } from '../config/config.ts';
import { services as buildServices } from './index.ts';
import type { Reject } from './legacy-import.ts';
import { makeSubmission } from '../../test/support/submissions.ts';

const CSV = `Crime Reference,Date Recorded,Offence,MO,Postcode,Loss Amount
CUM/001,01/10/2026,FRAUD BY FALSE REPRESENTATION,IP STATES PAID £450 FOR PUPPY ON GUMTREE. NEVER ARRIVED,ca1 1aa,£450.00
CUM/002,2026-10-02,COMPUTER MISUSE,IP REPORTS UNAUTH ACCESS TO FACEBOOK ACCT. SUSP UNKNOWN. NO LOSS,CA2 4AA,
CUM/003,31/02/2026,FRAUD,bad date row,,
CUM/004,2026-10-03,,,,
CUM/005,2026-10-04,BLACKMAIL,male threatened to share intimate video unless paid £500,not-a-postcode,N/A
CUM/006,2026-10-05,FRAUD,paid deposit for holiday villa,LA9 4AA,twelve pounds
CUM/001,2026-10-09,FRAUD,the same record id again,,1
`;

const EXTRA_VALUES = (values: number, columns: number) =>
  `the record has ${String(values)} values but the header ${String(columns)} columns (a value holding a comma must be in double quotes; a file whose lines end in more than one way runs them together)`;

const NUL_REASON =
  'the record holds a NUL character (byte 0), which cannot be stored (a file saved as UTF-16 has them throughout: save it as UTF-8)';

describe(`legacy import (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    services = await createTestServices();
  });
  afterAll(() => services.cleanup());

  const run = async (text: string, force = 'cumbria') => {
    const rejects: Reject[] = [];
    const summary = await services.legacyImport.import(Readable.from([text]), force, {
      onReject: (r) => rejects.push(r),
    });
    return { summary, rejects };
  };

  it('classifies and stores each good row, lists every bad one with its line number, and counts them', async () => {
    const { summary, rejects } = await run(CSV);
    expect(summary).toEqual({ rows: 7, imported: 3, alreadyPresent: 1, rejected: 3 });
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [4, 'recorded date "31/02/2026" is not a date (use YYYY-MM-DD or DD/MM/YYYY)'],
      [5, 'summary is empty'],
      [
        7,
        'loss "twelve pounds" is not an amount of money (such as 1250.50 or £1,250.50, at most £9,999,999,999.99)',
      ],
    ]);
    const rows = await services.database.db
      .selectFrom('legacy_records')
      .selectAll()
      .orderBy('record_id')
      .execute();
    expect(
      rows.map((r) => [r.record_id, r.recorded_on, r.category, r.cyber, r.postcode, r.loss_pence]),
    ).toEqual([
      ['CUM/001', '2026-10-01', 'online-shopping-fraud', 'enabled', 'CA1 1AA', 45000],
      ['CUM/002', '2026-10-02', 'hacking-social-email', 'dependent', 'CA2 4AA', 0],
      ['CUM/005', '2026-10-04', 'sextortion', 'enabled', null, 0],
    ]);
    expect(rows[2]?.extortion).toBe(1);
    expect(JSON.parse(rows[0]?.reasons ?? '[]')).not.toEqual([]);
    const stats = await services.statistics.query({
      from: '2026-10-01',
      to: '2026-10-31',
      groupBy: ['category'],
    });
    expect(stats.total).toEqual({ reports: 3, lossPence: 45000 });
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await services.statistics.query({
      from: '2026-01-01',
      to: '2026-12-31',
      groupBy: ['category'],
    });
    const { summary } = await run(CSV);
    expect(summary).toEqual({ rows: 7, imported: 0, alreadyPresent: 4, rejected: 3 });
    const after = await services.statistics.query({
      from: '2026-01-01',
      to: '2026-12-31',
      groupBy: ['category'],
    });
    expect(after).toEqual(before);
    const count = await services.database.db
      .selectFrom('legacy_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(3);
  });

  it('decides the online element first: offline records are other, not cyber, whatever their words; doubtful ones wait for review', async () => {
    const { summary } = await run(`crime_ref,recorded_date,offence,summary,loss
ONL/1,2026-11-01,Threats to kill,DA. Ex shouted he would kill IP and burn the house down. DASH high.,
ONL/2,2026-11-01,Burglary – residential,House entered; safe with investment certificates taken.,£3000
ONL/3,2026-11-02,Harassment,Ex keeps sending IP abusive messages on Facebook Messenger.,
ONL/4,2026-11-02,Fraud by false representation,IP gave a man cash in the street for a share in a horse.,£50
`);
    expect(summary.imported).toBe(4);
    const rows = await services.database.db
      .selectFrom('legacy_records')
      .select(['record_id', 'category', 'cyber', 'online', 'online_evidence', 'confidence', 'review'])
      .where('record_id', 'like', 'ONL/%')
      .where('force_id', '=', 'cumbria')
      .orderBy('record_id')
      .execute();
    expect(rows.map((r) => [r.record_id, r.category, r.cyber, r.online])).toEqual([
      ['ONL/1', 'other', 'none', 'none'],
      ['ONL/2', 'other', 'none', 'none'],
      ['ONL/3', 'online-harassment', 'enabled', 'social-media'],
      ['ONL/4', 'other', 'none', 'none'],
    ]);
    expect(JSON.parse(rows[2]?.online_evidence ?? '[]')).toContainEqual({ id: 'social', words: 'facebook' });
    for (const r of rows) expect(r.review).toBe(r.confidence < 0.9 ? 'pending' : 'none');
    const stats = await services.statistics.query({
      from: '2026-11-01',
      to: '2026-11-30',
      groupBy: ['cyber'],
    });
    expect(stats.rows.find((r) => r.cyber === 'enabled')?.reports).toBe(1);
    expect(stats.rows.some((r) => r.cyber === 'dependent')).toBe(false);
  });

  it('keeps the same record id apart for different forces', async () => {
    const { summary } = await run(CSV, 'lancashire');
    expect(summary.imported).toBe(3);
  });

  it('rejects broken CSV lines and carries on', async () => {
    const { summary, rejects } = await run(
      'record_id,recorded_date,summary\nA1,2026-01-01,"unclosed quote\nA2,2026-01-02,fine\n',
    );
    expect(summary.rejected).toBeGreaterThanOrEqual(1);
    expect(rejects[0]?.reason).toMatch(/^not valid CSV/);
  });

  it('rejects a record with more values than the header rather than cut it, and keeps a stray CR in its field', async () => {
    const { summary, rejects } = await run(
      'record_id,recorded_date,loss,summary\n' +
        'MIX/1,2026-04-01,100,hacked email\n' +
        'MIX/2,2026-04-01,450,paid for a puppy on Gumtree\rby bank transfer\n' +
        'MIX/3,2026-04-02,100,Victim paid 100 pounds on eBay, then the seller blocked them\n' +
        'MIX/4,2026-04-02,,"paid on ebay, never came",,\n',
      'suffolk',
    );
    expect(summary).toEqual({ rows: 4, imported: 3, alreadyPresent: 0, rejected: 1 });
    // csv-parse counts the stray CR as a line of its own.
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([[5, EXTRA_VALUES(5, 4)]]);
    const stored = await services.database.db
      .selectFrom('legacy_records')
      .select(['record_id', 'summary', 'loss_pence'])
      .where('force_id', '=', 'suffolk')
      .orderBy('record_id')
      .execute();
    expect(stored).toEqual([
      { record_id: 'MIX/1', summary: 'hacked email', loss_pence: 10000 },
      { record_id: 'MIX/2', summary: 'paid for a puppy on Gumtree\rby bank transfer', loss_pence: 45000 },
      { record_id: 'MIX/4', summary: 'paid on ebay, never came', loss_pence: 0 },
    ]);
  });

  it('stores nothing from a file whose header ends in CRLF above rows ending in LF, and says why', async () => {
    // The rows run together into one record (its lines end unlike the header's): once stored as one summary.
    const { summary, rejects } = await run(
      'record_id,recorded_date,loss,summary\r\nLF/1,2026-04-01,1,hacked email\nLF/2,2026-04-01,2,hacked again\n',
      'bedfordshire',
    );
    expect(summary).toEqual({ rows: 1, imported: 0, alreadyPresent: 0, rejected: 1 });
    expect(rejects[0]?.reason).toBe(EXTRA_VALUES(7, 4));
  });

  it('rejects a record whose bytes are not UTF-8 rather than store it mangled (two ids once became one)', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('record_id,recorded_date,summary,loss\n'),
      Buffer.from('R\xe9/1,2026-05-01,caf\xe9 wifi hacked,\xa3500\n', 'latin1'),
      Buffer.from('R\xe8/1,2026-05-01,paid online,0\n', 'latin1'),
      Buffer.from('R/3,2026-05-01,caf\u00e9 wifi hacked,\u00a3500\n'),
    ]);
    const rejects: Reject[] = [];
    const summary = await services.legacyImport.import(Readable.from([latin1]), 'norfolk', {
      onReject: (r) => rejects.push(r),
    });
    expect(summary).toEqual({ rows: 3, imported: 1, alreadyPresent: 0, rejected: 2 });
    expect(rejects.map((r) => r.line)).toEqual([2, 3]);
    expect(rejects[0]?.reason).toMatch(
      /^the record holds bytes that are not UTF-8 text.*save the file as UTF-8/,
    );
    const stored = await services.database.db
      .selectFrom('legacy_records')
      .select(['record_id', 'summary', 'loss_pence'])
      .where('force_id', '=', 'norfolk')
      .execute();
    expect(stored).toEqual([{ record_id: 'R/3', summary: 'caf\u00e9 wifi hacked', loss_pence: 50000 }]);
  });

  it('rejects a record holding a NUL character with its line, and stores the records around it', async () => {
    // On PostgreSQL the NUL once failed the whole batch (and the import) with the database's own message.
    const { summary, rejects } = await run(
      'record_id,recorded_date,offence,summary\n' +
        'NUL/1,2026-03-01,FRAUD,paid on ebay never came\n' +
        'NUL/2,2026-03-01,FRAUD,paid on ebay \0 never came\n' +
        'NUL/3,2026-03-01,FRAUD\0,someone hacked my facebook\n' +
        'NUL/4,2026-03-02,FRAUD,paid for a puppy online never arrived\n',
      'cleveland',
    );
    expect(summary).toEqual({ rows: 4, imported: 2, alreadyPresent: 0, rejected: 2 });
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [3, NUL_REASON],
      [4, NUL_REASON],
    ]);
    const stored = await services.database.db
      .selectFrom('legacy_records')
      .select('record_id')
      .where('force_id', '=', 'cleveland')
      .orderBy('record_id')
      .execute();
    expect(stored.map((r) => r.record_id)).toEqual(['NUL/1', 'NUL/4']);
  });
  it('refuses a file without the required columns', async () => {
    await expect(run('id,when\n1,2\n')).rejects.toThrow(
      /header row has no record_id, recorded_date, summary column/,
    );
    await expect(run('')).rejects.toThrow(/empty/);
  });
});

describe(`bluelight import legacy (${testDialect})`, () => {
  let db: TestDatabase;
  let dir = '';
  beforeAll(async () => {
    db = await createMigratedTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'bluelight-import-'));
    writeFileSync(join(dir, 'records.csv'), CSV);
  });
  afterAll(() => db.drop());

  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return {
      io: {
        stdin: Readable.from([]),
        stdout: (t: string) => out.push(t),
        stderr: (t: string) => err.push(t),
        env: { DATABASE_URL: db.url, SESSION_SECRET: 'x'.repeat(40) },
        cwd: dir,
      },
      out: () => out.join(''),
      err: () => err.join(''),
    };
  };

  it('prints a summary, writes the rejects file and exits 0', async () => {
    const c = io();
    expect(await runCli(['import', 'legacy', join(dir, 'records.csv'), '--force', 'cumbria'], c.io)).toBe(0);
    expect(c.out()).toMatch(
      /^7 rows read in [\d.]+ s: 3 imported, 1 already imported, 3 rejected \(listed with line numbers in .*records\.csv\.rejects\.csv\)\n$/,
    );
    const rejects = readFileSync(join(dir, 'records.csv.rejects.csv'), 'utf8').trim().split('\n');
    expect(rejects[0]).toBe('line,reason,record');
    expect(rejects).toHaveLength(4);
  });

  it('--rejects lists the rejected rows elsewhere (an export on a read-only share has no file beside it)', async () => {
    const file = join(dir, 'elsewhere.csv');
    writeFileSync(
      file,
      'record_id,recorded_date,summary,loss\nELS/1,2025-03-01,paid on ebay never came,10\nELS/2,2025-03-31,,\nELS/3,31/02/2025,x,\nELS/4,2025-03-02,hacked,twelve\n',
    );
    const list = join(mkdtempSync(join(tmpdir(), 'bluelight-rejects-')), 'my-rejects.csv');
    const c = io();
    expect(await runCli(['import', 'legacy', file, '--force', 'merseyside', '--rejects', list], c.io)).toBe(
      0,
    );
    expect(c.out()).toContain(`3 rejected (listed with line numbers in ${list})`);
    expect(readFileSync(list, 'utf8').trim().split('\n')).toHaveLength(4);
    expect(existsSync(`${file}.rejects.csv`)).toBe(false);
    const empty = io();
    expect(await runCli(['import', 'legacy', file, '--force', 'merseyside', '--rejects', ''], empty.io)).toBe(
      2,
    );
    expect(empty.err()).toMatch(/--rejects takes a file name/);
  });

  it('refuses a rejects file it cannot write before storing anything (it once crashed half-way)', async () => {
    const file = join(dir, 'blocked.csv');
    writeFileSync(file, CSV.replaceAll('CUM/', 'BLK/'));
    mkdirSync(`${file}.rejects.csv`);
    const c = io();
    expect(await runCli(['import', 'legacy', file, '--force', 'cumbria'], c.io)).toBe(1);
    expect(c.err()).toMatch(/cannot write the rejects file .*blocked\.csv\.rejects\.csv: it is not a file/);
    const container = buildServices(loadConfig(c.io.env, dir));
    const stored = await container.database.db
      .selectFrom('legacy_records')
      .select('record_id')
      .where('record_id', 'like', 'BLK/%')
      .execute();
    await container.close();
    expect(stored).toEqual([]);
  });

  it.each([
    [['import', 'legacy', 'missing.csv', '--force', 'cumbria'], 1, /cannot read missing\.csv/],
    [['import', 'legacy', 'records.csv', '--force', 'atlantis'], 2, /--force must be a police force id/],
    [['import', 'legacy', '--force', 'cumbria'], 2, /give one CSV file/],
  ])('%j exits %i with a message', async (args, code, message) => {
    const c = io();
    expect(await runCli(args, c.io)).toBe(code);
    expect(c.err()).toMatch(message);
  });

  it('recategorises an imported record by force and record id, with who and why kept, and the figures moved', async () => {
    const c = io();
    expect(
      await runCli(
        [
          'report',
          'recategorise',
          '--force',
          'cumbria',
          '--record',
          'CUM/001',
          '--category',
          'other',
          '--online',
          'none',
          '--reason',
          'Bought in person at a fair',
          '--by',
          'sup@cumbria.example',
        ],
        c.io,
      ),
    ).toBe(0);
    expect(c.out()).toBe('cumbria CUM/001: online-shopping-fraud → other (corrected)\n');
    const container = buildServices(loadConfig(c.io.env, dir));
    const store = container.database.db;
    const row = await store
      .selectFrom('legacy_records')
      .select(['category', 'cyber', 'online', 'review'])
      .where('record_id', '=', 'CUM/001')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ category: 'other', cyber: 'none', online: 'none', review: 'corrected' });
    const history = await store
      .selectFrom('classification_reviews')
      .select(['reviewed_by', 'reason'])
      .execute();
    expect(history).toEqual([{ reviewed_by: 'sup@cumbria.example', reason: 'Bought in person at a fair' }]);
    const cells = await store
      .selectFrom('stats_daily')
      .select(['category', 'cyber', (eb) => eb.fn.sum<number | string>('reports').as('n')])
      .where('day', '=', '2026-10-01')
      .groupBy(['category', 'cyber'])
      .execute();
    expect(cells.map((r) => [r.category, r.cyber, Number(r.n)]).filter(([, , n]) => n !== 0)).toEqual([
      ['other', 'none', 1],
    ]);
  });

  it('recategorises a report by its reference through the same use case as the workspace, audited as the account that ran it', async () => {
    const container = buildServices(loadConfig(io().io.env, dir));
    await container.migrate();
    const { reference } = await container.reportIntake.submit(
      makeSubmission({ narrative: 'I paid for concert tickets on a website and they never arrived' }),
    );
    const run = async (reason: string) => {
      const c = io();
      const code = await runCli(
        [
          'report',
          'recategorise',
          reference,
          '--category',
          'card-account-fraud',
          '--reason',
          reason,
          '--by',
          'sup@cumbria.example',
        ],
        { ...c.io, env: { ...c.io.env, USER: 'ops' } },
      );
      return { code, out: c.out(), err: c.err() };
    };
    // The service's rules: a reason of at least 5 characters.
    expect(await run('why')).toMatchObject({
      code: 2,
      err: expect.stringMatching(
        /^bluelight: --reason: Give the reason for changing the type of crime, in 5 to 2,000 characters\n/,
      ) as unknown,
    });
    expect(await run('The bank confirmed a cloned card')).toEqual({
      code: 0,
      out: `${reference}: online-shopping-fraud → card-account-fraud\n`,
      err: '',
    });
    const store = container.database.db;
    const changes = await store
      .selectFrom('category_changes')
      .innerJoin('reports', 'reports.id', 'category_changes.report_id')
      .select(['category_changes.category', 'changed_by', 'reason'])
      .where('reports.reference', '=', reference)
      .orderBy('category_changes.id')
      .execute();
    expect(changes.at(-1)).toEqual({
      category: 'card-account-fraud',
      changed_by: 'sup@cumbria.example',
      reason: 'The bank confirmed a cloned card',
    });
    const audit = await store
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('action', '=', 'recategorise')
      .where('reference', '=', reference)
      .execute();
    expect(audit).toEqual([
      {
        actor: 'cli:ops',
        detail:
          'online-shopping-fraud → card-account-fraud for sup@cumbria.example: The bank confirmed a cloned card',
      },
    ]);
    await container.close();
    const missing = io();
    expect(
      await runCli(
        [
          'report',
          'recategorise',
          'CYB-0000-0000-0',
          '--category',
          'other',
          '--reason',
          'a reason',
          '--by',
          'a@b.example',
        ],
        missing.io,
      ),
    ).toBe(1);
    expect(missing.err()).toMatch(/no report with reference CYB-0000-0000-0/);
  });

  it.each([
    [
      [
        'report',
        'recategorise',
        '--force',
        'cumbria',
        '--record',
        'NOPE',
        '--category',
        'other',
        '--reason',
        'a reason',
        '--by',
        'a@b.example',
      ],
      1,
      /no imported record NOPE/,
    ],
    [
      [
        'report',
        'recategorise',
        '--force',
        'cumbria',
        '--category',
        'other',
        '--reason',
        'a reason',
        '--by',
        'a@b.example',
      ],
      2,
      /--force and --record together/,
    ],
    [
      [
        'report',
        'recategorise',
        '--force',
        'cumbria',
        '--record',
        'CUM/002',
        '--category',
        'other',
        '--online',
        'fax',
        '--reason',
        'a reason',
        '--by',
        'a@b.example',
      ],
      2,
      /--online must be none or one of/,
    ],
  ])('%j exits %i with a message', async (args, code, message) => {
    const c = io();
    expect(await runCli(args, c.io)).toBe(code);
    expect(c.err()).toMatch(message);
  });

  it('classifies a force’s imported records again, moving the figures, and leaves a person’s decision alone', async () => {
    const container = buildServices(loadConfig(io().io.env, dir));
    const store = container.database.db;
    // As a record classified before the online check: a threat in person counted as online harassment.
    await store
      .updateTable('legacy_records')
      .set({ category: 'online-harassment', cyber: 'enabled', online: 'unknown' })
      .where('record_id', '=', 'CUM/005')
      .execute();
    const c = io();
    expect(await runCli(['import', 'reclassify', '--force', 'cumbria'], c.io)).toBe(0);
    expect(c.out()).toMatch(
      /^cumbria: 2 records classified again, 1 changed category or cyber flag, \d+ waiting for review\n$/,
    );
    const rows = await store
      .selectFrom('legacy_records')
      .select(['record_id', 'category', 'online', 'review'])
      .where('force_id', '=', 'cumbria')
      .orderBy('record_id')
      .execute();
    // CUM/001 was corrected by a person (above) and stays as they decided.
    expect(rows.find((r) => r.record_id === 'CUM/001')).toMatchObject({
      category: 'other',
      review: 'corrected',
    });
    expect(rows.find((r) => r.record_id === 'CUM/005')?.category).toBe('sextortion');
    expect(rows.every((r) => r.online !== 'unknown')).toBe(true);
    const audit = await store
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'legacy-reclassify')
      .execute();
    expect(audit.length).toBeGreaterThan(0);
    await container.close();
    const bad = io();
    expect(await runCli(['import', 'reclassify', '--force', 'atlantis'], bad.io)).toBe(2);
    expect(bad.err()).toMatch(/--force must be a police force id/);
  });

  it('--dry-run prints the columns found, the first classifications with their reasons and the projected counts, and stores nothing', async () => {
    writeFileSync(
      join(dir, 'export.csv'),
      'URN,Date / Time Recorded,Offence Type,MO Text\nDRY/1,01/11/2026 10:00,Threats to kill,Neighbour shouted he would kill IP.\nDRY/2,02/11/2026,Harassment,Ex sends IP abusive messages on Facebook.\n',
    );
    const c = io();
    expect(
      await runCli(
        [
          'import',
          'legacy',
          join(dir, 'export.csv'),
          '--force',
          'cumbria',
          '--map',
          'record_id=URN,summary="MO Text"',
          '--dry-run',
        ],
        c.io,
      ),
    ).toBe(0);
    const out = c.out();
    expect(out).toContain('record_id <- "URN"');
    expect(out).toContain('recorded_date <- "Date / Time Recorded"');
    expect(out).toContain('summary <- "MO Text"');
    expect(out).toMatch(/DRY\/1: other, cyber none, online none/);
    expect(out).toMatch(/DRY\/2: online-harassment, cyber enabled, online social-media \(“facebook”/);
    expect(out).toContain('2 rows read: 2 would be imported, 1 with no online element');
    const container = buildServices(loadConfig(c.io.env, dir));
    const stored = await container.database.db
      .selectFrom('legacy_records')
      .select('record_id')
      .where('record_id', 'like', 'DRY/%')
      .execute();
    await container.close();
    expect(stored).toEqual([]);
    const bad = io();
    expect(
      await runCli(
        ['import', 'legacy', join(dir, 'export.csv'), '--force', 'cumbria', '--map', 'colour=URN'],
        bad.io,
      ),
    ).toBe(2);
    expect(bad.err()).toMatch(/--map takes column=header pairs/);
    // A header the file does not have, or one already read as another column, was once ignored without a word.
    for (const [map, message] of [
      ['summary=Nope', /--map cannot use summary="Nope" \(the header has no such column\)/],
      [
        'summary="MO Text",record_id="MO Text"',
        /--map cannot use record_id="MO Text" \(that column is already read as summary\)/,
      ],
    ] as const) {
      const refused = io();
      expect(
        await runCli(
          ['import', 'legacy', join(dir, 'export.csv'), '--force', 'cumbria', '--dry-run', '--map', map],
          refused.io,
        ),
      ).toBe(1);
      expect(refused.err()).toMatch(message);
    }
  });
});
