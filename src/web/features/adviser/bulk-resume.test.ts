/**
 * An adviser's bulk upload stopped half way (the process killed, the database gone at row 2) resumes when its form
 * is posted again with the same file: each row is keyed `ws:<key hash>:<line>` in the transaction that records
 * it, so the re-post records only the rows missing, never one twice; another file under the key is refused.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repositories } from '../../../db/repositories/index.ts';
import { createReportIntake } from '../../../services/report-intake.ts';
import { createUploadKeys } from '../../../services/upload-keys.ts';
import { addStaff } from '../../../../test/support/staff-fixtures.ts';
import { onePerRole, signInAs } from '../../../../test/support/admin-fixtures.ts';
import { Killed, killedAt } from '../../../../test/support/killed-repositories.ts';
import { createTestApp } from '../../../../test/support/test-app.ts';
import { testDialect } from '../../../../test/support/test-services.ts';
import { canonical, readReportCsv } from '../api/report-csv.ts';
import { uploadBulk } from './bulk-upload.ts';

const REFERENCE = /CYB-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]/g;
const HEADER =
  'reporter.type,reporter.name,reporter.email,reporter.postcode,incident.narrative,incident.losses.amount_pence,incident.losses.method,reporter.organisation.name';
const GOOD_ROW = (n: number) =>
  `organisation,Shop Ltd,accounts@shop.example,CA1 1AA,Invoice ${String(n)}: our supplier's bank details were changed by email and we paid,125000,bank-transfer,Shop Ltd`;
/** Two good rows around a refused one (line 3): lines 2 and 4 are recorded. */
const fileOf = (n: number) => `${HEADER}\n${GOOD_ROW(n)}\nindividual,,,CA1 1AA,x,,,\n${GOOD_ROW(n + 1)}\n`;

describe(`a workspace bulk upload stopped half way resumes without recording a row twice (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  let people: Awaited<ReturnType<typeof onePerRole>>;
  let adviser: { userId: number; name: string };
  const db = () => ctx.services.database.db;
  const reportCount = async () =>
    Number(
      (
        await db()
          .selectFrom('reports')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  /** How many reports each reference names (1 each, or a row was recorded twice or not at all). */
  const stored = async (references: string[]) =>
    (await db().selectFrom('reports').select('reference').where('reference', 'in', references).execute())
      .length;
  const readOf = (csv: string) => {
    const read = readReportCsv(csv, ctx.services);
    if (!read.ok) throw new Error('the test file does not read');
    return read;
  };

  beforeAll(async () => {
    ctx = await createTestApp();
    people = await onePerRole(ctx.services);
    const email = people.get('call-handler')?.email ?? '';
    adviser = { userId: (await ctx.services.staff.userIdByEmail(email))?.id ?? 0, name: email };
  });
  afterAll(() => ctx.close());

  /** The upload's services with these repositories: the intake and the form keys, as production wires them. */
  const servicesWith = (repos: Repositories) => ({
    uploadKeys: createUploadKeys(db(), ctx.services.clock, repos),
    reportIntake: createReportIntake(
      db(),
      ctx.services.clock,
      ctx.services.reference,
      ctx.services.intelligence,
      ctx.services.referrals,
      ctx.services.config.sessionSecret,
      ctx.services.config.classificationReviewThreshold,
      ctx.services.database.dialect,
      undefined,
      repos,
    ),
  });

  /** The intake failing from its `from`th row on, as when the database drops half way through a file. */
  const droppingAt = (from: number) => {
    let rows = 0;
    const intake = ctx.services.reportIntake;
    return {
      uploadKeys: ctx.services.uploadKeys,
      reportIntake: {
        ...intake,
        submitIdempotent: (...args: Parameters<typeof intake.submitIdempotent>) =>
          ++rows >= from ? Promise.reject(new Error('database gone')) : intake.submitIdempotent(...args),
      },
    };
  };

  it('killed at every repository call, posted again: each row recorded exactly once', async () => {
    let at = 1;
    for (; at < 200; at++) {
      const key = ctx.services.uploadKeys.issue();
      const csv = fileOf(1000 + at * 10);
      const before = await reportCount();
      let killed = false;
      try {
        await uploadBulk(servicesWith(killedAt(at).repos), adviser, key, Buffer.from(csv), readOf(csv));
      } catch (error) {
        if (!(error instanceof Killed)) throw error;
        killed = true;
      }
      // The same form with the same file again (a refresh of the error page resends both).
      const again = await uploadBulk(ctx.services, adviser, key, Buffer.from(csv), readOf(csv));
      if (again.kind !== 'done') throw new Error(`killed at ${String(at)}: ${again.kind}`);
      const references = again.result.created.map((c) => c.reference);
      expect(
        again.result.created.map((c) => c.line),
        `killed at ${String(at)}`,
      ).toEqual([2, 4]);
      expect(again.result.rejects.map((r) => r.line)).toEqual([3]);
      expect(new Set(references).size).toBe(2);
      expect(await stored(references), `killed at ${String(at)}`).toBe(2);
      expect(await reportCount(), `killed at ${String(at)}`).toBe(before + 2);
      if (!killed) {
        expect(again.recorded).toBe(0);
        break;
      }
    }
    // Two rows, each several statements: the kill went through both.
    expect(at).toBeGreaterThan(10);
  });

  it('posted again through the form after the database dropped at row 2: only the missing rows are recorded', async () => {
    const client = await signInAs(ctx.app, people, 'call-handler');
    const form = {
      formKey:
        /name="formKey" value="([^"]+)"/.exec((await client.get('/staff/adviser/bulk')).body)?.[1] ?? '',
    };
    const csv = fileOf(2000);
    const before = await reportCount();
    await expect(
      uploadBulk(droppingAt(2), adviser, form.formKey, Buffer.from(csv), readOf(csv)),
    ).rejects.toThrow('database gone');
    expect(await reportCount()).toBe(before + 1);
    // Without the row keys the re-post said "not finished" and a new form recorded row 1 again.
    const res = await client.upload('/staff/adviser/bulk', [{ name: 'i.csv', content: csv }], 'file', {
      fields: form,
    });
    expect(client.path).toBe('/staff/adviser/bulk/result');
    const shown = res.body.match(REFERENCE) ?? [];
    expect(shown).toHaveLength(2);
    expect(await stored(shown)).toBe(2);
    expect(await reportCount()).toBe(before + 2);
    // Row 1's reference is the one recorded before the drop.
    const first = await db()
      .selectFrom('staff_idempotency_keys')
      .select(['key', 'reference'])
      .where('key', 'like', `ws:${ctx.services.uploadKeys.hashOf(form.formKey)}:%`)
      .orderBy('key')
      .execute();
    expect(first.map((r) => r.reference).sort()).toEqual([...shown].sort());
    // Posted once more: nothing recorded, the same result.
    const third = await client.upload('/staff/adviser/bulk', [{ name: 'i.csv', content: csv }], 'file', {
      fields: form,
    });
    expect(third.body.match(REFERENCE)).toEqual(shown);
    expect(await reportCount()).toBe(before + 2);
  });

  it('records each missing row once when a stopped upload is posted again twice at once', async () => {
    const client = await signInAs(ctx.app, people, 'call-handler');
    const form = { formKey: ctx.services.uploadKeys.issue() };
    const csv = `${HEADER}\n${GOOD_ROW(3000)}\n${GOOD_ROW(3001)}\n${GOOD_ROW(3002)}\n${GOOD_ROW(3003)}\n`;
    const before = await reportCount();
    await expect(
      uploadBulk(droppingAt(2), adviser, form.formKey, Buffer.from(csv), readOf(csv)),
    ).rejects.toThrow();
    const posts = await Promise.all(
      [1, 2].map(() =>
        client.upload('/staff/adviser/bulk', [{ name: 'i.csv', content: csv }], 'file', {
          fields: form,
          follow: false,
        }),
      ),
    );
    expect(posts.map((p) => [p.statusCode, p.headers.location])).toEqual([
      [303, '/staff/adviser/bulk/result'],
      [303, '/staff/adviser/bulk/result'],
    ]);
    expect(await reportCount()).toBe(before + 4);
    const shown = (await client.get('/staff/adviser/bulk/result')).body.match(REFERENCE) ?? [];
    expect(shown).toHaveLength(4);
    expect(await stored(shown)).toBe(4);
  });

  it('refuses another file under the form of a stopped upload (English and Welsh), then resumes with the first', async () => {
    const client = await signInAs(ctx.app, people, 'call-handler');
    const form = { formKey: ctx.services.uploadKeys.issue() };
    const csv = fileOf(4000);
    const before = await reportCount();
    await expect(
      uploadBulk(droppingAt(2), adviser, form.formKey, Buffer.from(csv), readOf(csv)),
    ).rejects.toThrow();
    const other = (content: string) =>
      client.upload('/staff/adviser/bulk', [{ name: 'other.csv', content }], 'file', { fields: form });
    const refused = await other(fileOf(4100));
    expect(client.path).toBe('/staff/adviser/bulk');
    expect(refused.body).toContain('govuk-error-summary');
    expect(refused.body).toContain('This form was already used to upload a different file');
    expect(refused.body).not.toContain(`name="formKey" value="${form.formKey}"`);
    expect(await reportCount()).toBe(before + 1);
    await client.get('/staff/adviser/bulk?lng=cy');
    const welsh = await other(fileOf(4200));
    expect(welsh.body).toContain('Defnyddiwyd y ffurflen hon eisoes i uwchlwytho ffeil wahanol');
    expect(await reportCount()).toBe(before + 1);
    await client.get('/staff/adviser/bulk?lng=en');
    // The first file again: its missing row only.
    const resumed = await other(csv);
    expect(client.path).toBe('/staff/adviser/bulk/result');
    expect(resumed.body.match(REFERENCE)).toHaveLength(2);
    expect(await reportCount()).toBe(before + 2);
    // And once finished, another file under the key is still refused, not shown the first's result.
    const late = await other(fileOf(4300));
    expect(client.path).toBe('/staff/adviser/bulk');
    expect(late.body).toContain('This form was already used to upload a different file');
    expect(await reportCount()).toBe(before + 2);
  });
  it('lets no other adviser run, or replay, a stopped upload under its form key; the owner resumes it', async () => {
    await addStaff(ctx.services, { email: 'other.adviser@nfib.example', role: 'call-handler' });
    const other = {
      userId: (await ctx.services.staff.userIdByEmail('other.adviser@nfib.example'))?.id ?? 0,
      name: 'other.adviser@nfib.example',
    };
    expect(other.userId).not.toBe(adviser.userId);
    const formKey = ctx.services.uploadKeys.issue();
    const csv = fileOf(5000);
    const before = await reportCount();
    await expect(
      uploadBulk(droppingAt(2), adviser, formKey, Buffer.from(csv), readOf(csv)),
    ).rejects.toThrow();
    expect(await reportCount()).toBe(before + 1);
    // The same form key and the same file, posted by someone else: refused, nothing recorded or shown.
    const stolen = await uploadBulk(ctx.services, other, formKey, Buffer.from(csv), readOf(csv));
    expect(stolen).toEqual({ kind: 'taken' });
    expect(await reportCount()).toBe(before + 1);
    // Row keys are the owner's: the other adviser's "ws:<hash>:2" is a key of their own, not a replay of line 2.
    const keyHash = ctx.services.uploadKeys.hashOf(formKey);
    expect(
      await ctx.services.database.db
        .selectFrom('staff_idempotency_keys')
        .select('user_id')
        .where('key', 'like', `ws:${keyHash}:%`)
        .execute(),
    ).toEqual([{ user_id: adviser.userId }]);
    const resumed = await uploadBulk(ctx.services, adviser, formKey, Buffer.from(csv), readOf(csv));
    expect(resumed).toMatchObject({ kind: 'done', recorded: 1 });
    expect(await reportCount()).toBe(before + 2);
  });

  it('keeps a partner token’s idempotency keys apart from an adviser’s row keys, even spelled the same', async () => {
    const formKey = ctx.services.uploadKeys.issue();
    const keyHash = ctx.services.uploadKeys.hashOf(formKey);
    const csv = fileOf(6000);
    const read = readOf(csv);
    const row = read.rows[0];
    if (row === undefined) throw new Error('no row');
    // A partner token sends line 2's very report under the adviser's row key (its id may equal the user's).
    const token = await ctx.services.tokens.create('collider', ['reports:write']);
    const requestHash = createHash('sha256').update(canonical(row.body)).digest('hex');
    const partner = await ctx.services.reportIntake.submitIdempotent(
      row.submission,
      { owner: { tokenId: token.id }, key: `ws:${keyHash}:${String(row.line)}`, requestHash },
      { partnerTokenId: token.id },
    );
    if (partner.kind !== 'created') throw new Error(partner.kind);
    const before = await reportCount();
    // The adviser's upload records its own line 2: not the partner's report as a replay, and not refused.
    const done = await uploadBulk(ctx.services, adviser, formKey, Buffer.from(csv), read);
    if (done.kind !== 'done') throw new Error(done.kind);
    expect(done.recorded).toBe(2);
    expect(done.result.created.map((c) => c.reference)).not.toContain(partner.report.reference);
    expect(await reportCount()).toBe(before + 2);
    // And the partner's retry still finds its own report.
    const retry = await ctx.services.reportIntake.submitIdempotent(
      row.submission,
      { owner: { tokenId: token.id }, key: `ws:${keyHash}:${String(row.line)}`, requestHash },
      { partnerTokenId: token.id },
    );
    expect(retry).toEqual({ kind: 'replay', reference: partner.report.reference });
  });
});
