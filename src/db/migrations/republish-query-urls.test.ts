import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSubmission } from '../../../test/support/submissions.ts';
import { createTestServices, testDialect } from '../../../test/support/test-services.ts';
import { up } from './2026-12-03T170000-republish-query-urls.ts';

describe(`migration: republish reports naming URLs with a query (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    services = await createTestServices();
  });
  afterAll(() => services.cleanup());

  it('queues one republication per report naming such a URL, and none for other reports, once', async () => {
    const withQuery = await services.reportIntake.submit(makeSubmission({}));
    const plain = await services.reportIntake.submit(makeSubmission({}));
    await services.intelligence.linkPending();
    const ids = {
      withQuery: (await services.intelligence.reportIdOf(withQuery.reference)) ?? 0,
      plain: (await services.intelligence.reportIdOf(plain.reference)) ?? 0,
    };
    // As stored before this change: a narrative link with a query, and a plain one.
    const db = services.database.db;
    const at = '2026-11-30T10:00:00.000Z';
    for (const [reportId, value] of [
      [ids.withQuery, 'https://refund-scam.example/claim?ref=ann.victim'],
      [ids.plain, 'https://other-scam.example/start'],
    ] as const) {
      const indicator = await db
        .insertInto('indicators')
        .values({ type: 'url', value, warning_list: null, campaign_id: null, first_seen: at, last_seen: at })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('report_indicators')
        .values({
          report_id: reportId,
          indicator_id: indicator.id,
          source: 'narrative',
          found_in: 'narrative',
          created_at: at,
        })
        .execute();
    }
    const queued = async () =>
      (
        await services.database.db
          .selectFrom('outbox')
          .select('payload')
          .where('dedupe_key', 'like', 'publish-stix:republish-query-urls:%')
          .execute()
      ).map((r) => (JSON.parse(r.payload) as { reportId: number }).reportId);
    await up(services.database.db as unknown as Kysely<unknown>);
    await up(services.database.db as unknown as Kysely<unknown>);
    expect(await queued()).toEqual([ids.withQuery]);
  });
});
