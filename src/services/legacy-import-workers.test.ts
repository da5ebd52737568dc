import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import { benchRow } from '../../bench/import-rows.ts';
import { createLegacyImport, type Reject } from './legacy-import.ts';
import { repositories } from '../db/repositories/index.ts';
import { ServiceError } from './service-error.ts';
import { runCli } from '../cli/main.ts';
import { defaultImportWorkers } from '../cli/commands/import-legacy.ts';

/** Records of many kinds (online and offline, shorthand, ages, Welsh, typing errors), bad rows among them. */
const TEXTS = [
  ['Threats to kill', 'DA. Ex shouted he would kill IP and burn the house down. DASH high.'],
  ['Burglary – residential', 'House entered; safe with investment certificates taken.'],
  ['Harassment', 'Ex keeps sending IP abusive messages on Facebook Messenger.'],
  ['Fraud by false representation', 'IP gave a man cash in the street for a share in a horse.'],
  ['BLACKMAIL', 'male threatened to share intimate video unless paid £500'],
  ['Computer Misuse Act', 'IP (84) cold called, allowed remote access to laptop, £2,400 taken from acct'],
  ['', 'wnes i ddim talu, neges ar-lein am barsel'],
  ['FRAUD', 'IP paid deposit for holiday vila via websit, never heard from them agian'],
];

function csv(rows: number, special: Record<number, string> = {}): string {
  const lines = ['Crime Ref,Date Recorded,Offence Type,MO Summary,Postcode,Loss'];
  for (let i = 0; i < rows; i++) {
    const bench = benchRow(i);
    const [offence, text] =
      i % 3 === 0 ? (TEXTS[i % TEXTS.length] ?? ['', '']) : [bench.crimeType, bench.summary];
    const summary = special[i] ?? text;
    // A bad date every 997 rows: rejected, with its line number, whichever thread classifies.
    const date = i % 997 === 5 ? '31/02/2026' : bench.date;
    lines.push(`W${String(i)},${date},${offence},"${summary}",CA1 1AA,${bench.loss}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The rows a file of csv(rows) stores, by number, in order. */
const accepted = (rows: number) => Array.from({ length: rows }, (_, i) => i).filter((i) => i % 997 !== 5);
const ids = (rows: { record_id: string }[]) =>
  rows.map((r) => Number(r.record_id.slice(1))).sort((a, b) => a - b);

const FIXTURE = new URL('../../test/support/classify-worker-fixture.ts', import.meta.url);

describe(`legacy import on classifier threads (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    services = await createTestServices();
  });
  afterAll(() => services.cleanup());

  const run = async (text: string, force: string, options: { workers?: number; workerScript?: URL } = {}) => {
    const rejects: Reject[] = [];
    const summary = await services.legacyImport.import(
      Readable.from([text]),
      force,
      { onReject: (r) => rejects.push(r) },
      options,
    );
    return { summary, rejects };
  };

  const stored = async (force: string) =>
    await services.database.db
      .selectFrom('legacy_records')
      // Every column but the row id, the force and the time of import.
      .select([
        'record_id',
        'recorded_on',
        'original_type',
        'summary',
        'postcode',
        'loss_pence',
        'category',
        'cyber',
        'recording_code',
        'confidence',
        'extortion',
        'vulnerable',
        'reasons',
        'online',
        'online_evidence',
        'review',
      ])
      .where('force_id', '=', force)
      .orderBy('record_id')
      .execute();

  const counts = async (force: string) =>
    (
      await services.database.db
        .selectFrom('stats_daily')
        .select(['day', 'category', 'cyber', 'source', 'reports', 'loss_pence'])
        .where('force_id', '=', force)
        .orderBy('day')
        .orderBy('category')
        .orderBy('cyber')
        .execute()
    ).map((r) => ({ ...r, reports: Number(String(r.reports)), loss_pence: Number(String(r.loss_pence)) }));

  it('stores exactly what the main thread stores, counts the same, and rejects the same lines', async () => {
    const file = csv(2600);
    const here = await run(file, 'cumbria', { workers: 0 });
    const threads = await run(file, 'lancashire', { workers: 2 });
    expect(threads.summary).toEqual(here.summary);
    expect(threads.summary).toEqual({ rows: 2600, imported: 2597, alreadyPresent: 0, rejected: 3 });
    expect(threads.rejects.map((r) => [r.line, r.reason])).toEqual(
      here.rejects.map((r) => [r.line, r.reason]),
    );
    // Line 1 is the header: record i is on line i + 2.
    expect(threads.rejects.map((r) => r.line)).toEqual([7, 1004, 2001]);
    const [mine, theirs] = [await stored('cumbria'), await stored('lancashire')];
    expect(theirs).toHaveLength(2597);
    expect(theirs).toEqual(mine);
    expect(new Set(theirs.map((r) => r.online)).size).toBeGreaterThan(2);
    expect(await counts('lancashire')).toEqual(await counts('cumbria'));
    // Again on threads: nothing new.
    expect((await run(file, 'lancashire', { workers: 1 })).summary).toEqual({
      rows: 2600,
      imported: 0,
      alreadyPresent: 2597,
      rejected: 3,
    });
  });

  it('names the line of a record the classifier fails on, having stored only whole batches before it', async () => {
    const error = await run(csv(3500, { 2400: 'FAIL-RECORD' }), 'durham', {
      workers: 1,
      workerScript: FIXTURE,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).code).toBe('import-classify');
    expect((error as ServiceError).message).toMatch(/^could not classify the record on line 2402: /);
    // The two batches before the record's are stored whole (their bad-date rows rejected), nothing after.
    expect(ids(await stored('durham'))).toEqual(accepted(3500).slice(0, 2000));
  });

  /** An import whose database fails the second batch's insert once, with `error`. */
  const secondBatchFails = (error: Error) => {
    let calls = 0;
    return createLegacyImport(services.database.db, () => new Date(), 0.9, {
      ...repositories,
      legacy: {
        ...repositories.legacy,
        insertLegacyRecords: (...args: Parameters<typeof repositories.legacy.insertLegacyRecords>) =>
          ++calls === 2 ? Promise.reject(error) : repositories.legacy.insertLegacyRecords(...args),
      },
    });
  };

  it('stores a batch PostgreSQL rolled back to break a deadlock on its next try, counted once', async () => {
    const importer = secondBatchFails(Object.assign(new Error('deadlock detected'), { code: '40P01' }));
    const summary = await importer.import(
      Readable.from([csv(2500)]),
      'gwent',
      { onReject: () => undefined },
      { workers: 1 },
    );
    expect(summary.imported).toBe(accepted(2500).length);
    expect(ids(await stored('gwent'))).toEqual(accepted(2500));
    expect((await counts('gwent')).reduce((n, r) => n + r.reports, 0)).toBe(accepted(2500).length);
  });

  it('names the first line not stored when the database fails a batch, having stored the batches before it', async () => {
    const importer = secondBatchFails(new Error('Connection terminated unexpectedly'));
    const error = await importer
      .import(Readable.from([csv(2500)]), 'dyfed-powys', { onReject: () => undefined }, { workers: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).code).toBe('import-store');
    // The second batch's first record is the 1,001st accepted one; a record's line is its index + 2.
    const line = (accepted(2500)[1000] ?? 0) + 2;
    expect((error as ServiceError).message).toBe(
      `could not store the records from line ${String(line)}: Connection terminated unexpectedly; the records before line ${String(line)} are stored (whole batches of 1000), import the file again to finish (records already imported are skipped)`,
    );
    expect(ids(await stored('dyfed-powys'))).toEqual(accepted(2500).slice(0, 1000));
    expect((await counts('dyfed-powys')).reduce((n, r) => n + r.reports, 0)).toBe(1000);
  });

  it.each([
    ['ends', 'CRASH-EXIT'],
    ['throws', 'CRASH-THROW'],
  ])(
    'fails cleanly when a classifier thread %s: whole batches only, and importing again finishes',
    async (_, how) => {
      const force = how === 'CRASH-EXIT' ? 'cleveland' : 'cheshire';
      const file = csv(5200, { 2100: how });
      const error = await run(file, force, { workers: 2, workerScript: FIXTURE }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceError);
      expect((error as ServiceError).code).toBe('import-classifier-stopped');
      const rows = await stored(force);
      // Whole batches from the start of the file, and none from the crash on (the third batch).
      expect([0, 1000, 2000]).toContain(rows.length);
      expect(ids(rows)).toEqual(accepted(5200).slice(0, rows.length));
      const stats = await counts(force);
      expect(stats.reduce((n, r) => n + r.reports, 0)).toBe(rows.length);
      // The file imported again (real threads) stores the rest, once.
      const again = await run(file.replace(how, 'paid for a phone on ebay, never came'), force, {
        workers: 2,
      });
      expect(again.summary.imported + again.summary.alreadyPresent).toBe(5194);
      expect(again.summary.alreadyPresent).toBe(rows.length);
      expect(ids(await stored(force))).toEqual(accepted(5200));
    },
  );

  it('bluelight import legacy takes --workers (0: the main thread), one per core less one by default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bluelight-workers-'));
    const file = join(dir, 'records.csv');
    writeFileSync(file, csv(1200));
    const cli = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(['import', 'legacy', file, '--force', 'essex', ...args], {
        stdin: Readable.from([]),
        stdout: (t) => out.push(t),
        stderr: (t) => err.push(t),
        env: { DATABASE_URL: services.databaseUrl, SESSION_SECRET: 'x'.repeat(40) },
        cwd: dir,
      });
      return { code, out: out.join(''), err: err.join('') };
    };
    const refused = await cli('--workers', 'two');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/--workers takes/);
    expect((await cli('--workers', '0')).out).toMatch(/1200 rows read in [\d.]+ s: 1198 imported, 0 already/);
    expect((await cli('--workers', '2')).out).toMatch(/1200 rows read in [\d.]+ s: 0 imported, 1198 already/);
    expect([1, 2, 4, 16].map((cores) => defaultImportWorkers(cores))).toEqual([1, 1, 2, 2]);
  });
});
