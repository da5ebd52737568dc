import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffMember } from '../domain/access/access-policy.ts';
import { makeSubmission } from '../../test/support/submissions.ts';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import { ServiceError } from './service-error.ts';

describe(`category override (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let reference = '';
  let reportId = 0;
  let officer: StaffMember;
  const now = new Date('2026-11-10T09:00:00Z');
  const supervisor: StaffMember = {
    email: 'sup@cumbria.police.uk',
    role: 'force-supervisor',
    forceId: 'cumbria',
    unitId: 'cumbria-cyber',
  };
  const kent: StaffMember = {
    email: 'officer@kent.police.uk',
    role: 'force-officer',
    forceId: 'kent',
    unitId: 'kent-cyber',
  };
  const analyst: StaffMember = { email: 'analyst@x.example', role: 'analyst', forceId: null, unitId: null };

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
    const row = await services.database.db
      .selectFrom('reports')
      .select(['id', 'unit_id'])
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    reportId = row.id;
    // An officer of the unit the report was routed to.
    officer = {
      email: 'officer@cumbria.police.uk',
      role: 'force-officer',
      forceId: 'cumbria',
      unitId: row.unit_id,
    };
  });
  afterAll(() => services.cleanup());

  const byCategory = async () =>
    (await services.statistics.query({ from: '2026-11-01', to: '2026-11-30', groupBy: ['category'] })).rows;
  const history = () =>
    services.database.db.selectFrom('category_changes').selectAll().orderBy('id').execute();
  const auditRows = (action: string) =>
    services.database.db
      .selectFrom('audit_log')
      .select(['actor', 'reference', 'detail'])
      .where('action', '=', action)
      .orderBy('id')
      .execute();
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => {
        if (!(error instanceof ServiceError)) throw error;
        return { kind: error.kind, code: error.code, field: error.field };
      },
    );

  it('was classified from the narrative at intake, with the classifier’s reasons in its history', async () => {
    expect(await byCategory()).toEqual([{ category: 'online-shopping-fraud', reports: 1, lossPence: 30000 }]);
    const rows = await history();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      category: 'online-shopping-fraud',
      previous_category: null,
      changed_by: 'classifier',
    });
    expect(rows[0]?.reason).not.toBe('');
  });

  it('refuses anyone outside the report’s unit as if it did not exist, and changes nothing', async () => {
    for (const who of [kent, analyst])
      expect(
        await refusal(
          services.recategorise.recategorise(who, reference, {
            category: 'card-account-fraud',
            reason: 'Not theirs to change',
          }),
        ),
        who.email,
      ).toEqual({ kind: 'not-found', code: 'report-not-found', field: undefined });
    expect(await history()).toHaveLength(1);
    expect(await auditRows('recategorise')).toEqual([]);
  });

  it('checks the category and the reason itself, for the form and the command line alike', async () => {
    expect(
      await refusal(
        services.recategorise.recategorise(officer, reference, { category: 'nope', reason: 'Good reason' }),
      ),
    ).toEqual({ kind: 'invalid', code: 'category', field: 'category' });
    for (const reason of ['', '  why ', 'x'.repeat(2001)])
      expect(
        await refusal(services.recategorise.recategorise(officer, reference, { category: 'other', reason })),
      ).toEqual({ kind: 'invalid', code: 'category-reason', field: 'reason' });
    expect(await history()).toHaveLength(1);
  });

  it('moves the report and its figures to the new category, keeps who, why and when, and audits it at once', async () => {
    const result = await services.recategorise.recategorise(officer, reference.toLowerCase(), {
      category: 'card-account-fraud',
      reason: '  Card used on a cloned site: bank confirmed ',
    });
    expect(result).toEqual({ kind: 'changed', previous: 'online-shopping-fraud' });
    expect(await byCategory()).toEqual([{ category: 'card-account-fraud', reports: 1, lossPence: 30000 }]);
    const row = await services.database.db
      .selectFrom('reports')
      .selectAll()
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ category: 'card-account-fraud', cyber: 'enabled', recording_code: 'NFIB5A' });
    const rows = await history();
    expect(rows.map((h) => [h.category, h.previous_category, h.changed_by])).toEqual([
      ['online-shopping-fraud', null, 'classifier'],
      ['card-account-fraud', 'online-shopping-fraud', officer.email],
    ]);
    expect(rows[1]).toMatchObject({
      reason: 'Card used on a cloned site: bank confirmed',
      changed_at: now.toISOString(),
    });
    expect(await auditRows('recategorise')).toEqual([
      {
        actor: officer.email,
        reference,
        detail: 'online-shopping-fraud → card-account-fraud: Card used on a cloned site: bank confirmed',
      },
    ]);
    const jobs = await services.database.db
      .selectFrom('outbox')
      .select('dedupe_key')
      .where('kind', '=', 'publish-stix')
      .where('dedupe_key', 'like', `publish-stix:${reference}:category:%`)
      .execute();
    expect(jobs).toHaveLength(1);
  });

  it('says when nothing changes, and refuses a report that does not exist', async () => {
    expect(
      await services.recategorise.recategorise(officer, reference, {
        category: 'card-account-fraud',
        reason: 'again',
      }),
    ).toEqual({ kind: 'unchanged' });
    for (const missing of ['CYB-0000-0000-0', 'nonsense'])
      expect(
        await refusal(
          services.recategorise.recategorise(officer, missing, { category: 'other', reason: 'a reason' }),
        ),
      ).toMatchObject({ kind: 'not-found' });
  });

  it('from the command line acts on any report, naming the account that ran it and the person it was for', async () => {
    await services.recategorise.recategorise({ cli: 'cli:ops', by: 'sup@cumbria.police.uk' }, reference, {
      category: 'online-shopping-fraud',
      reason: 'Back as it was: the card was never used',
    });
    expect((await history()).at(-1)).toMatchObject({
      category: 'online-shopping-fraud',
      changed_by: 'sup@cumbria.police.uk',
    });
    expect((await auditRows('recategorise')).at(-1)).toMatchObject({
      actor: 'cli:ops',
      detail: expect.stringContaining('for sup@cumbria.police.uk') as unknown,
    });
  });

  it('a review’s correction is the same change: it shows in the history staff read with the report', async () => {
    await services.classificationReview.decide(supervisor, 'report', reportId, {
      category: 'card-account-fraud',
      online: 'website-app',
      reason: 'The card was cloned on the site',
    });
    const read = await services.staff.readReport(officer, reference, 'test');
    expect(read?.category).toBe('card-account-fraud');
    expect(read?.history.filter((h) => h.kind === 'category').at(-1)).toMatchObject({
      by: supervisor.email,
      category: 'card-account-fraud',
      previous: 'online-shopping-fraud',
      reason: 'The card was cloned on the site',
    });
    expect(await byCategory()).toEqual([{ category: 'card-account-fraud', reports: 1, lossPence: 30000 }]);
  });

  it('gives the same figures after a rebuild from the records', async () => {
    const before = await byCategory();
    await services.statistics.rebuild();
    expect(await byCategory()).toEqual(before);
  });
});
