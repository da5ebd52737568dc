import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/main.ts';
import { captureCli } from '../../test/support/cli-capture.ts';
import {
  TEST_PASSWORD_HASHER,
  createTestServices,
  testConfig,
  testDialect,
  testReference,
} from '../../test/support/test-services.ts';
import { findEvidenceBlob } from '../db/repositories/evidence-repository.ts';
import { services } from './index.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const MARKER = 'victim bank account 12345678 sort code 11-22-33';

describe(`evidence is sealed at rest (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    ctx = await createTestServices();
  });
  afterAll(() => ctx.cleanup());

  const raw = (hash: string) =>
    ctx.database.db
      .selectFrom('evidence_blobs')
      .select(['content', 'sealed', 'size'])
      .where('sha256', '=', hash)
      .executeTakeFirstOrThrow();

  it('stores a file so that the database holds none of its bytes in the clear, and reads it back exactly', async () => {
    const content = Buffer.from(`Messages from the scammer.\n${MARKER}\n`);
    const item = await ctx.evidence.store('messages.txt', content);
    const stored = await raw(item.sha256);
    expect(stored.sealed).toBe(1);
    expect(stored.size).toBe(content.byteLength);
    expect(Buffer.from(stored.content).includes(Buffer.from('12345678'))).toBe(false);
    expect(Buffer.from(stored.content).equals(content)).toBe(false);
    const read = await findEvidenceBlob(ctx.database.db, item.sha256);
    expect(Buffer.from(read ?? []).equals(content)).toBe(true);
  });

  it('does not open with another DATA_KEY, nor when sealed bytes are moved onto another file', async () => {
    const first = await ctx.evidence.store('first.txt', Buffer.from(`first ${MARKER}`));
    const second = await ctx.evidence.store('second.txt', Buffer.from('second file'));
    const other = services(testConfig(ctx.databaseUrl, { DATA_KEY: '1e'.repeat(32) }), {
      reference: testReference(),
      passwords: TEST_PASSWORD_HASHER,
    });
    try {
      const read = await findEvidenceBlob(other.database.db, first.sha256);
      // What a reader gets is not the file: every reader's SHA-256 check refuses it.
      expect(sha256(read ?? new Uint8Array())).not.toBe(first.sha256);
    } finally {
      await other.close();
    }
    // Sealed bytes copied onto another row (a swap behind the application's back) do not open there.
    const moved = (await raw(first.sha256)).content;
    await ctx.database.db
      .updateTable('evidence_blobs')
      .set({ content: moved })
      .where('sha256', '=', second.sha256)
      .execute();
    const read = await findEvidenceBlob(ctx.database.db, second.sha256);
    expect(sha256(read ?? new Uint8Array())).not.toBe(second.sha256);
    expect(Buffer.from(read ?? []).includes(Buffer.from(MARKER))).toBe(false);
  });

  it('`bluelight evidence seal` seals files stored before sealing began, audited; a changed one is left and exit 1', async () => {
    const db = ctx.database.db;
    const plain = Buffer.from(`An older upload. ${MARKER}`);
    const changed = Buffer.from('changed after it was stored');
    const now = new Date().toISOString();
    await db
      .insertInto('evidence_blobs')
      .values([
        { sha256: sha256(plain), size: plain.byteLength, content: plain, created_at: now },
        { sha256: sha256(Buffer.from('the original')), size: 12, content: changed, created_at: now },
      ])
      .execute();
    // Read as they are until sealed.
    expect(Buffer.from((await findEvidenceBlob(db, sha256(plain))) ?? []).equals(plain)).toBe(true);

    const cli = captureCli({ DATABASE_URL: ctx.databaseUrl });
    expect(await runCli(['evidence', 'seal'], cli.io)).toBe(1);
    expect(JSON.parse(cli.out())).toEqual({ sealed: 1, mismatched: [sha256(Buffer.from('the original'))] });
    expect(cli.err()).toMatch(/1 stored file\(s\) no longer match their SHA-256/);

    const sealed = await raw(sha256(plain));
    expect(sealed.sealed).toBe(1);
    expect(Buffer.from(sealed.content).includes(Buffer.from(MARKER))).toBe(false);
    expect(Buffer.from((await findEvidenceBlob(db, sha256(plain))) ?? []).equals(plain)).toBe(true);
    expect((await raw(sha256(Buffer.from('the original')))).sealed).toBe(0);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'evidence-sealed')
      .execute();
    expect(audit).toEqual([
      { action: 'evidence-sealed', detail: '1 stored evidence file(s) sealed at rest' },
    ]);

    // Run again: nothing left to seal but the changed file.
    const again = captureCli({ DATABASE_URL: ctx.databaseUrl });
    expect(await runCli(['evidence', 'seal'], again.io)).toBe(1);
    expect(JSON.parse(again.out())).toMatchObject({ sealed: 0 });
  });

  it('refuses a wrong use of the command with its usage and exit 2', async () => {
    const cli = captureCli({ DATABASE_URL: ctx.databaseUrl });
    expect(await runCli(['evidence', 'seal', '--all'], cli.io)).toBe(2);
    expect(cli.err()).toMatch(/usage: bluelight evidence seal/);
  });
});
