import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeSubmission, suspect } from '../../test/support/submissions.ts';
import { createTestServices, testDialect, testReference } from '../../test/support/test-services.ts';
import { repositories } from '../db/repositories/index.ts';
import { enqueueJob } from '../db/repositories/outbox-repository.ts';
import { createIntelligence, LINK_GATHER_MS, LINK_REPORT_JOB, type LinkReportJob } from './intelligence.ts';

describe(`indicators, links and campaigns (${testDialect})`, () => {
  let services: Awaited<ReturnType<typeof createTestServices>>;
  let now = new Date('2026-11-20T09:00:00Z');
  beforeAll(async () => {
    services = await createTestServices({}, { clock: () => now });
  });
  afterAll(() => services.cleanup());

  const db = () => services.database.db;
  const submit = async (...args: Parameters<typeof makeSubmission>) => {
    now = new Date(now.getTime() + 60_000);
    const report = await services.reportIntake.submit(makeSubmission(...args));
    // Linking runs from the outbox after the acknowledgement; run what is waiting.
    await services.intelligence.linkPending();
    const row = await db()
      .selectFrom('reports')
      .select(['id', 'campaign_id'])
      .where('reference', '=', report.reference)
      .executeTakeFirstOrThrow();
    return { ...report, id: row.id };
  };
  const campaignOf = async (id: number) =>
    (await db().selectFrom('reports').select('campaign_id').where('id', '=', id).executeTakeFirstOrThrow())
      .campaign_id;

  it('links reports from different forces that share a suspect phone number, once the link job has run', async () => {
    const cumbria = await submit({ suspect: suspect({ phones: ['07700 900461'] }) });
    expect(await campaignOf(cumbria.id)).toBeNull();
    const kent = await submit({
      postcode: 'ME1 1AA',
      force: { id: 'kent', candidates: ['kent'] },
      narrative: 'A man rang me from +44 7700 900461 saying he was from my bank and I moved £2,000',
      losses: [{ amountPence: 200_000, method: 'bank-transfer' }],
    });
    const campaign = await campaignOf(kent.id);
    expect(campaign).not.toBeNull();
    expect(await campaignOf(cumbria.id)).toBe(campaign);

    const analyst = { email: 'a@analysts.example', role: 'analyst' as const, forceId: null, unitId: null };
    const summary = await services.intelligence.lookup(analyst, 'phone', '+447700900461');
    expect(summary).toMatchObject({ type: 'phone', reports: 2, forces: 2, campaign, warningList: null });
    const [details] = await services.intelligence.campaignSummaries([campaign ?? 0]);
    expect(details).toMatchObject({ reports: 2, forces: ['cumbria', 'kent'], totalLossPence: 200_000 });
    expect(details?.topIndicators[0]).toEqual({ type: 'phone', value: '+447700900461', reports: 2 });
    const mine = await services.intelligence.forReport(kent.id);
    expect(mine.find((i) => i.type === 'phone')).toMatchObject({ otherReports: 1, otherForces: 1 });
  });

  it('does not link reports on warning-listed values: free mail, shortener home pages, public DNS, the service’s own numbers', async () => {
    const text =
      'They used a gmail.com address, sent https://bit.ly/ and said check 8.8.8.8; I called 0300 123 2040 and www.gov.uk/report';
    const first = await submit({ narrative: text });
    const second = await submit({
      narrative: text,
      postcode: 'ME1 1AA',
      force: { id: 'kent', candidates: ['kent'] },
    });
    expect(await campaignOf(first.id)).toBeNull();
    expect(await campaignOf(second.id)).toBeNull();
    const listed = await db().selectFrom('indicators').select(['type', 'value', 'warning_list']).execute();
    const listOf = (value: string) => listed.find((i) => i.value === value)?.warning_list;
    expect(listOf('gmail.com')).toBe('free-mail');
    expect(listOf('https://bit.ly/')).toBe('url-shorteners');
    expect(listOf('8.8.8.8')).toBe('reserved-ip-ranges');
    expect(listOf('+443001232040')).toBe('service-contacts');
    expect(listOf('http://www.gov.uk/report')).toBe('government');
  });

  it('joins two campaigns when a report bridges them, keeping the older one', async () => {
    const a = await submit({ suspect: suspect({ emails: ['bridge.one@scam-shop-one.com'] }) });
    const b = await submit({ narrative: 'emailed bridge.one@scam-shop-one.com about the order' });
    const c = await submit({ suspect: suspect({ bankAccounts: ['309950-44556677'] }) });
    const d = await submit({ narrative: 'paid sort code 30-99-50 account 44556677 for a puppy' });
    const first = await campaignOf(a.id);
    const second = await campaignOf(c.id);
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(first).not.toBe(second);
    expect(await campaignOf(b.id)).toBe(first);
    expect(await campaignOf(d.id)).toBe(second);

    const bridge = await submit({
      narrative: 'Seller bridge.one@scam-shop-one.com told me to pay sort code 309950 account 44556677',
    });
    const joined = await campaignOf(bridge.id);
    expect(joined).toBe(Math.min(first ?? 0, second ?? 0));
    for (const report of [a, b, c, d]) expect(await campaignOf(report.id)).toBe(joined);
    const absorbed = Math.max(first ?? 0, second ?? 0);
    expect(await services.intelligence.liveCampaign(absorbed)).toBe(joined);
    const [summary] = await services.intelligence.campaignSummaries([joined ?? 0]);
    expect(summary?.reports).toBe(5);
  });

  it('never keeps the reporter’s own email, phone or organisation domain as an indicator', async () => {
    const report = await submit({
      reporterType: 'organisation',
      reporter: {
        name: 'IT manager',
        victimName: null,
        email: 'it@acme-widgets.co.uk',
        phone: '+447700900999',
        preferredContact: 'email',
      },
      narrative:
        'Our mailbox it@acme-widgets.co.uk (call me on 07700 900999) got an invoice from billing@acme-w1dgets.co.uk; our site https://www.acme-widgets.co.uk/login was cloned',
    });
    const values = (await services.intelligence.forReport(report.id)).map((i) => i.value);
    expect(values).toContain('billing@acme-w1dgets.co.uk');
    expect(values).toContain('acme-w1dgets.co.uk');
    expect(values.filter((v) => v.includes('acme-widgets') || v.includes('900999'))).toEqual([]);
  });

  it('reads indicators from evidence emails, with where each was found', async () => {
    const eml = await new MailComposer({
      from: 'Parcel Team <notice@parcel-redeliver-uk.com>',
      to: 'victim@example.org',
      subject: 'Missed delivery',
      text: 'Pay the £1.99 fee at https://parcel-redeliver-uk.com/fee?x=1',
    })
      .compile()
      .build();
    const stored = await services.evidence.store('delivery.eml', eml);
    const report = await submit({ evidence: [stored] });
    const found = await services.intelligence.forReport(report.id);
    expect(found.find((i) => i.value === 'notice@parcel-redeliver-uk.com')).toMatchObject({
      source: 'sender',
      foundIn: ['evidence:delivery.eml:header:from'],
    });
    expect(found.some((i) => i.value === 'https://parcel-redeliver-uk.com/fee?x=1')).toBe(true);
  });

  it('links reports submitted at the same moment that share an indicator', async () => {
    const reports = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        services.reportIntake.submit(
          makeSubmission({
            narrative: `report ${i}: paid bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq for "bitcoin mining"`,
          }),
        ),
      ),
    );
    // Two linkers at once, as with two app instances: still one campaign.
    await Promise.all([services.intelligence.linkPending(), services.intelligence.linkPending()]);
    const rows = await db()
      .selectFrom('reports')
      .select('campaign_id')
      .where(
        'reference',
        'in',
        reports.map((r) => r.reference),
      )
      .execute();
    const campaigns = new Set(rows.map((r) => r.campaign_id));
    expect(campaigns.size).toBe(1);
    expect([...campaigns][0]).not.toBeNull();
  });

  it('links interleaved with new reports, from several linkers, into one campaign per shared indicator', async () => {
    const wallet = '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy';
    const phone = '07700 900733';
    const references = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const report = await services.reportIntake.submit(
          makeSubmission({
            narrative:
              i % 2 === 0
                ? `sent bitcoin to ${wallet} for a fake exchange`
                : `rang me from ${phone} about my bank`,
          }),
        );
        await services.intelligence.linkPending();
        return { i, reference: report.reference };
      }),
    );
    await services.intelligence.linkPending();
    const rows = await db()
      .selectFrom('reports')
      .select(['reference', 'campaign_id'])
      .where(
        'reference',
        'in',
        references.map((r) => r.reference),
      )
      .execute();
    const campaignOfRef = new Map(rows.map((r) => [r.reference, r.campaign_id]));
    const byKind = (even: boolean) =>
      new Set(references.filter((r) => (r.i % 2 === 0) === even).map((r) => campaignOfRef.get(r.reference)));
    expect(byKind(true).size).toBe(1);
    expect(byKind(false).size).toBe(1);
    expect([...byKind(true)][0]).not.toBeNull();
    expect([...byKind(false)][0]).not.toBeNull();
    expect([...byKind(true)][0]).not.toBe([...byKind(false)][0]);
    const pending = await db()
      .selectFrom('outbox')
      .select('id')
      .where('kind', '=', 'link-report')
      .where('status', '=', 'pending')
      .execute();
    expect(pending).toEqual([]);
  });

  it('links in the background soon after the acknowledgement, and queues industry sharing after linking', async () => {
    const linker = services.intelligence.startLinking(20);
    try {
      const first = await submit({
        narrative: 'bought a puppy from puppies-for-you-uk.com/pay that never came',
      });
      const second = await services.reportIntake.submit(
        makeSubmission({ narrative: 'puppies-for-you-uk.com/pay took £400 from me as well' }),
      );
      await vi.waitFor(
        async () => {
          const row = await db()
            .selectFrom('reports')
            .select(['id', 'campaign_id'])
            .where('reference', '=', second.reference)
            .executeTakeFirstOrThrow();
          expect(row.campaign_id).not.toBeNull();
          expect(row.campaign_id).toBe(await campaignOf(first.id));
        },
        { timeout: 30_000, interval: 20 },
      );
      const publish = await db()
        .selectFrom('outbox')
        .select('dedupe_key')
        .where('dedupe_key', '=', `publish-stix:${second.reference}`)
        .executeTakeFirst();
      expect(publish).toBeDefined();
    } finally {
      await linker.stop();
    }
  });

  /** A linker of its own whose look-up of pending link jobs (once per run) is `pending`. */
  type PendingJobs = typeof repositories.outbox.pendingJobsOfKind;
  const linkerWith = (pending: PendingJobs) =>
    createIntelligence(db(), testReference().warningLists, () => now, testDialect, {
      ...repositories,
      outbox: { ...repositories.outbox, pendingJobsOfKind: pending },
    });

  it('under a stream of reports, gathers what arrives during a linking run into the next run, not one run each', async () => {
    // Each run is about ten statements; back to back, a burst of reports cost one run per report or two.
    let runs = 0;
    const linker = linkerWith((...args) => {
      runs++;
      return repositories.outbox.pendingJobsOfKind(...args);
    });
    // Forty asks, one every 10 ms: a run starts at once, and each later run waits LINK_GATHER_MS after the one
    // before, so at most one per LINK_GATHER_MS of the time the asks took, plus the first and the last.
    const started = performance.now();
    for (let i = 0; i < 40; i++) {
      linker.linkSoon();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const elapsed = performance.now() - started;
    await linker.startLinking(60_000).stop();
    expect(runs).toBeLessThanOrEqual(2 + Math.ceil(elapsed / LINK_GATHER_MS));
  });

  it('reports a failed linking run to the background linker, whoever asked for the run', async () => {
    const linker = linkerWith(() => Promise.reject(new Error('database gone')));
    const errors: unknown[] = [];
    const background = linker.startLinking(60_000, (error) => errors.push(error));
    // As intake does after a report: no handler of its own.
    linker.linkSoon();
    await background.stop();
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('database gone');
  });

  it('links a batch exactly as it links the same reports one at a time (campaigns formed, bridged and merged)', async () => {
    // Two copies of one random history of reports and later additions, each naming a few values of a small pool
    // (so reports link, bridge campaigns and merge them); the values of the copies differ only by a prefix.
    // One copy is linked one job per transaction (the order of submission), the other in batches.
    let seed = 18;
    const random = (n: number) => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed % n;
    };
    const history = Array.from({ length: 60 }, (_, i) => ({
      // After the first reports, some jobs are additions to an earlier report.
      report: i > 10 && random(4) === 0 ? random(i) : i,
      values: Array.from({ length: 1 + random(2) }, () => random(70)),
      // One of the pool's values is warning-listed (free mail): never links.
    }));
    const run = async (prefix: string, batch: number | undefined, phases: number[]) => {
      const ids: number[] = [];
      const references: string[] = [];
      let step = 0;
      for (const [n, entry] of history.entries()) {
        if (entry.report === n) {
          const report = await services.reportIntake.submit(makeSubmission());
          references.push(report.reference);
          ids.push(
            (
              await db()
                .selectFrom('reports')
                .select('id')
                .where('reference', '=', report.reference)
                .executeTakeFirstOrThrow()
            ).id,
          );
        } else {
          references.push(references[entry.report] ?? '');
          ids.push(ids[entry.report] ?? 0);
        }
        const job: LinkReportJob = {
          reference: references[n] ?? '',
          indicators: entry.values.map((v) => ({
            type: 'email',
            value: v === 0 ? `${prefix}@gmail.com` : `${prefix}.${v}@scam-${prefix}.example`,
            source: 'suspect',
            foundIn: ['suspect:emails'],
          })),
          ...(entry.report === n ? {} : { addition: `extra-${n}` }),
        };
        await enqueueJob(
          db(),
          { kind: LINK_REPORT_JOB, dedupeKey: `${LINK_REPORT_JOB}:${job.reference}:${n}`, payload: job },
          now,
        );
        if (phases.includes(n) || n === history.length - 1) {
          step++;
          await services.intelligence.linkPending(batch);
        }
      }
      expect(step).toBeGreaterThan(0);
      const rows = await db()
        .selectFrom('reports')
        .select(['id', 'campaign_id'])
        .where('id', 'in', ids)
        .execute();
      const campaign = new Map(rows.map((r) => [r.id, r.campaign_id]));
      // The grouping, as each report's first fellow member by position (campaign ids differ between copies).
      const grouping = ids.map((id) => {
        const c = campaign.get(id) ?? null;
        return c === null ? -1 : ids.findIndex((other) => campaign.get(other) === c);
      });
      const indicators = await db()
        .selectFrom('indicators')
        .select(['value', 'campaign_id'])
        .where('value', 'like', `%${prefix}%`)
        .execute();
      const indicatorGroups = indicators
        .map((i) => {
          const member = ids.findIndex((id) => campaign.get(id) === i.campaign_id);
          return `${i.value.replaceAll(prefix, '*')}=${i.campaign_id === null ? 'none' : member}`;
        })
        .sort();
      const links = await db()
        .selectFrom('report_indicators')
        .innerJoin('indicators', 'indicators.id', 'report_indicators.indicator_id')
        .select(['report_indicators.report_id', 'indicators.value'])
        .where('indicators.value', 'like', `%${prefix}%`)
        .execute();
      const named = links.map((l) => `${ids.indexOf(l.report_id)}:${l.value.replaceAll(prefix, '*')}`).sort();
      return { grouping, indicatorGroups, named };
    };
    const merged = async () =>
      (await db().selectFrom('campaigns').select('id').where('merged_into', 'is not', null).execute()).length;
    const mergedBefore = await merged();
    const oneByOne = await run('seq', 1, []);
    // The history bridges campaigns: some are merged.
    expect(await merged()).toBeGreaterThan(mergedBefore);
    const batched = await run('bat', undefined, [20, 41]);
    expect(new Set(oneByOne.grouping.filter((g) => g >= 0)).size).toBeGreaterThan(1);
    expect(oneByOne.grouping).toContain(-1);
    expect(batched).toEqual(oneByOne);
    const pending = await db()
      .selectFrom('outbox')
      .select('id')
      .where('kind', '=', LINK_REPORT_JOB)
      .where('status', '=', 'pending')
      .execute();
    expect(pending).toEqual([]);
  });
});
