/**
 * Reports that arrive together: on PostgreSQL they are written in batches (group commit, one statement for many);
 * on SQLite one at a time. Either way each must be stored whole, with its own history, jobs and counts, and a
 * report's acknowledgement must mean it is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { makeSubmission, suspect } from '../../test/support/submissions.ts';
import { createTestServices, testDialect } from '../../test/support/test-services.ts';
import { createReportIntake, type SubmittedReport } from './report-intake.ts';
import { INCIDENT_MATCH_JOB } from './incidents.ts';

/** The repositories with the batched writer's calls recorded (how many reports each was given). */
function recordingBatches(): { repos: Repositories; batches: number[] } {
  const batches: number[] = [];
  const reports = {
    ...repositories.reports,
    insertReportsWithFirstRows: (
      ...args: Parameters<typeof repositories.reports.insertReportsWithFirstRows>
    ) => {
      batches.push(args[1].length);
      return repositories.reports.insertReportsWithFirstRows(...args);
    },
  };
  return { repos: { ...repositories, reports }, batches };
}

describe(`reports arriving together are each stored whole (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  beforeAll(async () => {
    services = await createTestServices();
  });
  afterAll(() => services.cleanup());

  const intake = (repos: Repositories, random?: (size: number) => Uint8Array) =>
    createReportIntake(
      services.database.db,
      services.clock,
      services.reference,
      services.intelligence,
      services.referrals,
      'k'.repeat(40),
      0.9,
      testDialect,
      random,
      repos,
    );

  /** Every row a report starts with, by reference. */
  async function storedRows(references: readonly string[]) {
    const db = services.database.db;
    const reports = await db
      .selectFrom('reports')
      .select(['id', 'reference', 'category', 'loss_pence', 'force_id'])
      .where('reference', 'in', references)
      .execute();
    const ids = reports.map((r) => r.id);
    const updates = await db
      .selectFrom('report_updates')
      .select(['report_id', 'kind'])
      .where('report_id', 'in', ids)
      .execute();
    const changes = await db
      .selectFrom('category_changes')
      .select(['report_id', 'category'])
      .where('report_id', 'in', ids)
      .execute();
    const jobs = await db
      .selectFrom('outbox')
      .select(['kind', 'dedupe_key'])
      .where(
        'dedupe_key',
        'in',
        references.flatMap((r) => [
          `confirmation-email:${r}`,
          `link-report:${r}`,
          `${INCIDENT_MATCH_JOB}:${r}`,
        ]),
      )
      .execute();
    return { reports, updates, changes, jobs };
  }

  async function reportCounts(): Promise<{ daily: number; monthly: number; loss: number }> {
    const db = services.database.db;
    const daily = await db
      .selectFrom('stats_daily')
      .select([
        (eb) => eb.fn.sum<number | string | null>('reports').as('n'),
        (eb) => eb.fn.sum<number | string | null>('loss_pence').as('loss'),
      ])
      .where('source', '=', 'report')
      .executeTakeFirstOrThrow();
    const monthly = await db
      .selectFrom('stats_monthly')
      .select((eb) => eb.fn.sum<number | string | null>('reports').as('n'))
      .where('source', '=', 'report')
      .executeTakeFirstOrThrow();
    return { daily: Number(daily.n ?? 0), monthly: Number(monthly.n ?? 0), loss: Number(daily.loss ?? 0) };
  }

  it('stores forty concurrent reports with their history, jobs and counts (batched on PostgreSQL)', async () => {
    const { repos, batches } = recordingBatches();
    const submit = intake(repos);
    const before = await reportCounts();
    const narratives = [
      'I paid for tickets on a website and they never arrived',
      'someone hacked my facebook and messaged my friends asking for money',
      'a man on the bus stole my purse',
    ];
    const results: SubmittedReport[] = await Promise.all(
      Array.from({ length: 40 }, (_, n) =>
        submit.submit(
          makeSubmission({
            narrative: narratives[n % 3] ?? '',
            reporter: {
              name: `Person ${String(n)}`,
              victimName: null,
              email: n % 2 === 0 ? `person${String(n)}@example.org` : null,
              phone: null,
              preferredContact: null,
            },
            losses: [{ amountPence: 1000 + n, method: 'bank-transfer' }],
            suspect:
              n % 4 === 0
                ? suspect({ emails: [`seller${String(n)}@fake-shop-${String(n)}.co.uk`] })
                : suspect({}),
          }),
        ),
      ),
    );
    const references = results.map((r) => r.reference);
    expect(new Set(references).size).toBe(40);
    const { reports, updates, changes, jobs } = await storedRows(references);
    expect(reports).toHaveLength(40);
    for (const result of results) {
      const row = reports.find((r) => r.reference === result.reference);
      // The id and category each caller was answered are its own report's.
      expect(row?.id).toBe(result.id);
      expect(row?.category).toBe(result.category);
      expect(updates.filter((u) => u.report_id === result.id).map((u) => u.kind)).toEqual(['received']);
      expect(changes.filter((c) => c.report_id === result.id).map((c) => c.category)).toEqual([
        result.category,
      ]);
    }
    // A confirmation for each reporter who gave an email (every other one), a linking job for each with a suspect
    // (every fourth), and no incident job while none is open.
    expect(jobs.filter((j) => j.kind === 'confirmation-email')).toHaveLength(20);
    expect(jobs.filter((j) => j.kind === 'link-report')).toHaveLength(10);
    expect(jobs.filter((j) => j.kind === INCIDENT_MATCH_JOB)).toHaveLength(0);
    const after = await reportCounts();
    expect(after.daily - before.daily).toBe(40);
    expect(after.monthly - before.monthly).toBe(40);
    expect(after.loss - before.loss).toBe(40 * 1000 + (39 * 40) / 2);
    if (testDialect === 'postgres') expect(Math.max(0, ...batches)).toBeGreaterThan(1);
    else expect(batches).toEqual([]);
  });

  it('queues the incident job for every report of a batch while an incident is open', async () => {
    const { repos, batches } = recordingBatches();
    const submit = intake(repos);
    const at = services.clock().toISOString();
    await repositories.incidents.insertIncident(services.database.db, {
      unit_id: 'nccu',
      name: 'Open incident',
      name_cy: 'Digwyddiad',
      description: 'd',
      description_cy: 'd',
      indicators: '[]',
      category: null,
      sector: null,
      window_from: at,
      window_to: null,
      status: 'open',
      declared_by: 'nccu@example.org',
      declared_at: at,
    });
    const results = await Promise.all(Array.from({ length: 12 }, () => submit.submit(makeSubmission())));
    const { jobs } = await storedRows(results.map((r) => r.reference));
    expect(jobs.filter((j) => j.kind === INCIDENT_MATCH_JOB)).toHaveLength(12);
    if (testDialect === 'postgres') expect(Math.max(0, ...batches)).toBeGreaterThan(1);
  });

  it('gives each report its own reference when two reports of a batch draw the same one', async () => {
    const { repos } = recordingBatches();
    // The third and fourth draws are the same bytes. On PostgreSQL the first two reports take the two batch slots
    // alone, so the third and fourth meet in one batch with the same new reference; on SQLite the fourth collides
    // with the stored third. Either way only one may have it.
    let draws = 0;
    const random = (size: number) => {
      draws += 1;
      return draws === 3 || draws === 4
        ? new Uint8Array(size).fill(7)
        : crypto.getRandomValues(new Uint8Array(size));
    };
    const submit = intake(repos, random);
    const results = await Promise.all(Array.from({ length: 6 }, () => submit.submit(makeSubmission())));
    const references = results.map((r) => r.reference);
    expect(new Set(references).size).toBe(6);
    const { reports, updates, changes } = await storedRows(references);
    expect(reports).toHaveLength(6);
    for (const result of results) {
      expect(reports.find((r) => r.reference === result.reference)?.id).toBe(result.id);
      expect(updates.filter((u) => u.report_id === result.id)).toHaveLength(1);
      expect(changes.filter((c) => c.report_id === result.id)).toHaveLength(1);
    }
  });

  it.runIf(testDialect === 'postgres')(
    'refuses only the report that breaks its batch: the others are stored and acknowledged',
    async () => {
      const { repos, batches } = recordingBatches();
      const submit = intake(repos);
      const before = await reportCounts();
      // A postcode longer than its column: PostgreSQL refuses the statement holding it.
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, n) =>
          submit.submit(makeSubmission(n === 5 ? { postcode: 'X'.repeat(40) } : {})).then(
            (report) => ({ report }),
            (error: unknown) => ({ error }),
          ),
        ),
      );
      expect(outcomes.filter((o) => 'error' in o)).toHaveLength(1);
      expect('error' in (outcomes[5] ?? {})).toBe(true);
      const stored = outcomes.flatMap((o) => ('report' in o ? [o.report.reference] : []));
      expect((await storedRows(stored)).reports).toHaveLength(9);
      expect((await reportCounts()).daily - before.daily).toBe(9);
      expect(Math.max(0, ...batches)).toBeGreaterThan(1);
    },
  );

  // Found by an adversary with a proxy that cut PostgreSQL's connection as the batch's answer arrived: writing the
  // batch's reports again alone stored each twice (a new reference each), and told the victims only the second.
  it.runIf(testDialect === 'postgres')(
    'never writes a batch again whose commit may have happened: its callers get the error, each report is stored once',
    async () => {
      let cut = false;
      const base = recordingBatches();
      const reports = {
        ...base.repos.reports,
        insertReportsWithFirstRows: async (
          ...args: Parameters<typeof repositories.reports.insertReportsWithFirstRows>
        ) => {
          const ids = await base.repos.reports.insertReportsWithFirstRows(...args);
          // A report written alone takes the same statement: the cut falls on a batch of several.
          if (cut || args[1].length < 2) return ids;
          cut = true;
          // The statement ran and committed; its answer is lost with the connection (no SQLSTATE).
          throw new Error('Connection terminated unexpectedly');
        },
      };
      const submit = intake({ ...base.repos, reports });
      const tag = `ambiguous-${String(Date.now())}`;
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, n) =>
          submit.submit(
            makeSubmission({
              narrative: `I paid for tickets on a website and they never arrived ${tag} ${String(n)}`,
              reporter: {
                name: `Person ${String(n)}`,
                victimName: null,
                email: `${tag}-${String(n)}@example.org`,
                phone: null,
                preferredContact: null,
              },
            }),
          ),
        ),
      );
      expect(cut).toBe(true);
      const refused = outcomes.filter((o) => o.status === 'rejected');
      expect(refused.length).toBeGreaterThan(1);
      const stored = await services.database.db
        .selectFrom('reports')
        .select(['reference', 'contact_email'])
        .where('contact_email', 'like', `${tag}-%`)
        .execute();
      // Each person's report is stored once at most; every acknowledged one is stored.
      expect(new Set(stored.map((r) => r.contact_email)).size).toBe(stored.length);
      for (const o of outcomes)
        if (o.status === 'fulfilled') expect(stored.map((r) => r.reference)).toContain(o.value.reference);
      const confirmations = await services.database.db
        .selectFrom('outbox')
        .select('dedupe_key')
        .where(
          'dedupe_key',
          'in',
          stored.map((r) => `confirmation-email:${r.reference}`),
        )
        .execute();
      expect(confirmations).toHaveLength(stored.length);
    },
  );

  it('stores a report with broken Unicode as a report written alone would, and refuses one with a NUL alone', async () => {
    const { repos } = recordingBatches();
    const submit = intake(repos);
    const broken = 'bought a phone online \ud800 never came \udfff';
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, n) =>
        submit.submit(
          makeSubmission({
            narrative:
              n === 3
                ? 'a text with a NUL \u0000 in it'
                : n % 2 === 0
                  ? broken
                  : 'I paid for tickets on a website',
          }),
        ),
      ),
    );
    const refused = outcomes.flatMap((o, n) => (o.status === 'rejected' ? [n] : []));
    expect(refused).toEqual(testDialect === 'postgres' ? [3] : []);
    const references = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.reference] : []));
    const stored = await services.database.db
      .selectFrom('reports')
      .select(['reference', 'narrative'])
      .where('reference', 'in', references)
      .execute();
    expect(stored).toHaveLength(references.length);
    // What the same narrative becomes when its report is written alone (on PostgreSQL: U+FFFD for each).
    const alone = await submit.submit(makeSubmission({ narrative: broken }));
    const expected = (
      await services.database.db
        .selectFrom('reports')
        .select('narrative')
        .where('reference', '=', alone.reference)
        .executeTakeFirstOrThrow()
    ).narrative;
    if (testDialect === 'postgres') expect(expected).toBe('bought a phone online \ufffd never came \ufffd');
    expect(stored.filter((r) => r.narrative.startsWith('bought')).map((r) => r.narrative)).toEqual(
      Array.from({ length: 6 }, () => expected),
    );
  });
});
