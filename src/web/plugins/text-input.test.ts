import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, signInStaff } from '../../../test/support/staff-fixtures.ts';
import { createTestApp } from '../../../test/support/test-app.ts';
import { testDialect } from '../../../test/support/test-services.ts';
import { nulPath } from './text-input.ts';

describe(`text holding a NUL character (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;
  const now = new Date('2026-11-10T09:00:00Z');
  let totp: Awaited<ReturnType<typeof addStaff>>;
  beforeAll(async () => {
    ctx = await createTestApp({ CLASSIFY_REVIEW_BELOW: '1' }, { clock: () => now });
    totp = await addStaff(ctx.services, {
      email: 'sup@cumbria.example',
      role: 'force-supervisor',
      forceId: 'cumbria',
    });
    await ctx.services.legacyImport.import(
      Readable.from([
        'crime_ref,recorded_date,offence,summary\nNUL/1,2026-11-03,Harassment,Ex keeps sending IP abusive messages on Facebook.\n',
      ]),
      'cumbria',
      { onReject: () => undefined },
    );
  });
  afterAll(() => ctx.close());

  it('finds the first such string in a parsed body, by its path, and looks into nothing but text', () => {
    expect(nulPath({ a: 'x', b: [{ c: 'y' }, { d: 'z\0' }] })).toBe('b.1.d');
    expect(nulPath({ a: 'x', b: Buffer.from([0]), n: 0 })).toBeNull();
    expect(nulPath('\0')).toBe('');
  });

  it('a reviewer’s reason: refused with the bad-request page before the decision, on either database', async () => {
    // On PostgreSQL this was a 500 (it cannot store a NUL in text); on SQLite the NUL was stored.
    const db = ctx.services.database.db;
    const record = await db.selectFrom('legacy_records').select(['id', 'category']).executeTakeFirstOrThrow();
    const client = await signInStaff(ctx.app, 'sup@cumbria.example', totp, now);
    const res = await client.post(
      `/staff/classification-review/legacy/${String(record.id)}`,
      { category: 'other', online: 'none', reason: 'abc\0def' },
      { follow: false },
    );
    expect(res.statusCode).toBe(422);
    expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
    const after = await db
      .selectFrom('legacy_records')
      .select(['category', 'review'])
      .where('id', '=', record.id)
      .executeTakeFirstOrThrow();
    expect(after.category).toBe(record.category);
    expect(after.review).not.toBe('corrected');
    expect(await db.selectFrom('classification_reviews').select('id').execute()).toEqual([]);
  });

  it('an API body: 422 problem+json naming the field, nothing stored', async () => {
    const token = (await ctx.services.tokens.create('Bank', ['reports:write'])).token;
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        reporter: { type: 'individual', name: 'A\u0000B', postcode: 'CA1 1AA' },
        incident: { narrative: 'paid for a sofa on eBay that never arrived', losses: [] },
        consents: { victim_support: false },
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      status: 422,
      errors: [{ name: 'reporter.name', message: 'must not contain a NUL character' }],
    });
    expect(await ctx.services.database.db.selectFrom('reports').select('id').execute()).toEqual([]);
  });

  it('leaves a raw body (a CSV file sent as text) to its route, which reads it row by row', async () => {
    const token = (await ctx.services.tokens.create('Bank bulk', ['reports:write'])).token;
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/reports/bulk',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      payload:
        'reporter.type,reporter.name,reporter.email,reporter.postcode,incident.narrative,incident.losses.amount_pence,incident.losses.method,reporter.organisation.name\n' +
        'organisation,Shop\u0000 Ltd,accounts@shop.example,CA1 1AA,Invoice 1: a supplier changed their bank details by email and we paid,125000,bank-transfer,Shop Ltd\n',
    });
    expect(res.statusCode).toBeLessThan(500);
    expect(res.body).not.toContain('must not contain a NUL character');
  });
});
