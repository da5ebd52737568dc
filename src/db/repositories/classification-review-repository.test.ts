import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitPartnerReport } from '../../../test/support/staff-fixtures.ts';
import { createTestApp } from '../../../test/support/test-app.ts';
import { testDialect } from '../../../test/support/test-services.ts';
import {
  findReviewItem,
  listPendingReviews,
  type ReviewSubject,
} from './classification-review-repository.ts';

// The queue is one query over reports and imported records: its order and pages must match both tables merged.
describe(`the classification review queue over reports and imported records (${testDialect})`, () => {
  let ctx: Awaited<ReturnType<typeof createTestApp>>;

  beforeAll(async () => {
    // Every classification waits for review.
    ctx = await createTestApp({ CLASSIFY_REVIEW_BELOW: '1' });
    const csv = (force: string, n: number) =>
      'crime_ref,recorded_date,offence,summary\n' +
      Array.from(
        { length: n },
        (_, i) => `${force}/${String(i)},2026-11-03,Fraud,Paid for a phone online ${String(i)}.\n`,
      ).join('');
    await ctx.services.legacyImport.import(Readable.from([csv('CU', 60)]), 'cumbria', {
      onReject: () => undefined,
    });
    await ctx.services.legacyImport.import(Readable.from([csv('KE', 5)]), 'kent', {
      onReject: () => undefined,
    });
    for (const narrative of ['my email was hacked', 'bought a puppy online, never came', 'fake bank text'])
      await submitPartnerReport(ctx.app, ctx.services, {
        reporter: { type: 'individual', name: 'V', postcode: 'CA1 1AA' },
        incident: { narrative },
        consents: { victim_support: false },
      });
    // Confidences that interleave the two tables, with ties across them (order then falls to subject, then id).
    const db = ctx.services.database.db;
    const legacy = await db.selectFrom('legacy_records').select('id').orderBy('id').execute();
    for (const [i, r] of legacy.entries())
      await db
        .updateTable('legacy_records')
        .set({ confidence: (i % 7) / 10 })
        .where('id', '=', r.id)
        .execute();
    const reports = await db.selectFrom('reports').select('id').orderBy('id').execute();
    for (const [i, r] of reports.entries())
      await db
        .updateTable('reports')
        .set({ confidence: i / 10, review: 'pending' })
        .where('id', '=', r.id)
        .execute();
    // One record already reviewed: never listed.
    await db
      .updateTable('legacy_records')
      .set({ review: 'confirmed' })
      .where('id', '=', legacy[0]?.id ?? 0)
      .execute();
  });
  afterAll(() => ctx.close());

  /** Both tables read plainly and merged in memory: what the queue should show. */
  async function expected(forceId: string | null, subject: ReviewSubject | null) {
    const db = ctx.services.database.db;
    const rows: { subject: ReviewSubject; id: number; confidence: number; forceId: string }[] = [];
    if (subject !== 'legacy')
      for (const r of await db
        .selectFrom('reports')
        .select(['id', 'confidence', 'force_id'])
        .where('review', '=', 'pending')
        .execute())
        rows.push({ subject: 'report', id: r.id, confidence: r.confidence, forceId: r.force_id ?? '' });
    if (subject !== 'report')
      for (const r of await db
        .selectFrom('legacy_records')
        .select(['id', 'confidence', 'force_id'])
        .where('review', '=', 'pending')
        .execute())
        rows.push({ subject: 'legacy', id: r.id, confidence: r.confidence, forceId: r.force_id });
    return rows
      .filter((r) => forceId === null || r.forceId === forceId)
      .sort((a, b) => a.confidence - b.confidence || a.subject.localeCompare(b.subject) || a.id - b.id)
      .map((r) => `${r.subject}:${String(r.id)}`);
  }

  async function allPages(forceId: string | null, subject: ReviewSubject | null) {
    const seen: string[] = [];
    for (let page = 1; ; page++) {
      const { items, more } = await listPendingReviews(ctx.services.database.db, { forceId, subject, page });
      seen.push(...items.map((i) => `${i.subject}:${String(i.id)}`));
      if (!more) return { seen, pages: page };
    }
  }

  it('pages through both tables in one order, least confident first, nothing twice or missed', async () => {
    const want = await expected(null, null);
    expect(want.length).toBe(59 + 5 + 3);
    const { seen, pages } = await allPages(null, null);
    expect(pages).toBe(2);
    expect(seen).toEqual(want);
  });

  it('keeps to one force, and to one kind of record', async () => {
    for (const [forceId, subject] of [
      ['cumbria', null],
      ['kent', null],
      [null, 'report'],
      [null, 'legacy'],
      ['cumbria', 'report'],
    ] as const) {
      const want = await expected(forceId, subject);
      expect(want.length, `${String(forceId)} ${String(subject)}`).toBeGreaterThan(0);
      expect((await allPages(forceId, subject)).seen, `${String(forceId)} ${String(subject)}`).toEqual(want);
    }
  });

  it('reads one record in the same shape, reviewed or not', async () => {
    const { items } = await listPendingReviews(ctx.services.database.db, {
      forceId: null,
      subject: 'report',
      page: 1,
    });
    const first = items[0];
    expect(first?.label).toMatch(/^CYB-/);
    expect(JSON.parse(first?.reasons ?? 'null')).toBeInstanceOf(Array);
    const [kent] = await expected('kent', 'legacy');
    const record = await findReviewItem(ctx.services.database.db, 'legacy', Number(kent?.split(':')[1]));
    expect(record).toMatchObject({ subject: 'legacy', forceId: 'kent', offence: 'Fraud', status: null });
  });
});
