import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSubmission } from '../../test/support/submissions.ts';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';

describe(`category override (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let reference = '';
  const now = new Date('2026-11-10T09:00:00Z');
  beforeAll(async () => {
    services = await createTestServices({}, { clock: () => now });
    const report = await services.reportIntake.submit(
      makeSubmission({
        reporter: { name: 'A', victimName: null, email: null, phone: null, preferredContact: null },
        narrative: 'I paid £300 for concert tickets on a website and they never arrived',
        losses: [{ amountPence: 30000, method: 'card' }],
      }),
    );
    reference = report.reference;
  });
  afterAll(() => services.cleanup());

  const byCategory = async () =>
    (await services.statistics.query({ from: '2026-11-01', to: '2026-11-30', groupBy: ['category'] })).rows;

  it('was classified from the narrative at intake, with the classifier’s reasons in its history', async () => {
    expect(await byCategory()).toEqual([{ category: 'online-shopping-fraud', reports: 1, lossPence: 30000 }]);
    const history = await services.database.db.selectFrom('category_changes').selectAll().execute();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      category: 'online-shopping-fraud',
      previous_category: null,
      changed_by: 'classifier',
    });
    expect(history[0]?.reason).not.toBe('');
  });

  it('moves the report and its figures to the new category and keeps who, why and when', async () => {
    const result = await services.recategorise(
      reference.toLowerCase(),
      'card-account-fraud',
      'Card used on a cloned site: bank confirmed',
      'officer@cumbria.police.uk',
    );
    expect(result).toEqual({ kind: 'changed', previous: 'online-shopping-fraud' });
    expect(await byCategory()).toEqual([{ category: 'card-account-fraud', reports: 1, lossPence: 30000 }]);
    const row = await services.database.db
      .selectFrom('reports')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ category: 'card-account-fraud', cyber: 'enabled', recording_code: 'NFIB5A' });
    const history = await services.database.db
      .selectFrom('category_changes')
      .selectAll()
      .orderBy('id')
      .execute();
    expect(history.map((h) => [h.category, h.previous_category, h.changed_by])).toEqual([
      ['online-shopping-fraud', null, 'classifier'],
      ['card-account-fraud', 'online-shopping-fraud', 'officer@cumbria.police.uk'],
    ]);
    expect(history[1]).toMatchObject({
      reason: 'Card used on a cloned site: bank confirmed',
      changed_at: now.toISOString(),
    });
  });

  it('says when nothing changes or the report does not exist', async () => {
    expect(await services.recategorise(reference, 'card-account-fraud', 'again', 'a@b.c')).toEqual({
      kind: 'unchanged',
    });
    expect(await services.recategorise('CYB-0000-0000-0', 'other', 'x', 'a@b.c')).toEqual({
      kind: 'not-found',
    });
    expect(await services.recategorise('nonsense', 'other', 'x', 'a@b.c')).toEqual({ kind: 'not-found' });
  });

  it('gives the same figures after a rebuild from the records', async () => {
    const before = await byCategory();
    await services.statistics.rebuild();
    expect(await byCategory()).toEqual(before);
  });
});
