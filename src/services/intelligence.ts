/**
 * Intelligence: the indicators of each report (from its answers, narrative and evidence), the links between
 * reports that share one, and campaigns — connected groups of linked reports, kept up to date as each report
 * arrives.
 *
 * Invariant: any two reports that share an indicator not on a warning list are in the same campaign, and such an
 * indicator carries that campaign's id. A new report therefore only needs its own indicators' rows to find every
 * campaign it joins; it never scans other reports' indicators.
 */
import { cleanAccessReason } from '../domain/access/access-reason.ts';
import type { Db, DbOrTrx, Dialect } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { camelKeys } from './camel-keys.ts';
import { extractFromEml, isSenderHeader } from '../domain/indicators/eml.ts';
import { extractIndicators, normaliseIndicator, normalisePhone } from '../domain/indicators/extract.ts';
import {
  INDICATOR_TYPES,
  indicatorKey,
  type Indicator,
  type IndicatorType,
} from '../domain/indicators/indicator.ts';
import type { WarningLists } from '../domain/indicators/warning-lists.ts';
import type { IndicatorSource } from '../domain/sharing/share-decision.ts';
import { hasQuery, withoutQuery } from '../domain/sharing/personal-urls.ts';
import { stixId } from '../domain/sharing/stix.ts';
import type { ReportSubmission } from '../domain/report/report-submission.ts';
import type { EvidenceItem } from '../domain/report/report-draft.ts';
import {
  canReadReport,
  canSeeCampaign,
  canSeeIndicator,
  canSeeIndicatorValue,
  type StaffMember,
} from '../domain/access/access-policy.ts';

/** The id the indicator has (or would have) in the STIX feed. */
export function indicatorStixId(type: string, value: string): string {
  return stixId('indicator', `${type}:${value}`);
}

export interface ReportIndicator extends Indicator {
  source: IndicatorSource;
  foundIn: string[];
}

const SOURCE_RANK: Readonly<Record<IndicatorSource, number>> = {
  suspect: 0,
  sender: 1,
  // Above evidence: a value the victim's own forward headers name stays unshared even if a body names it too.
  forwarder: 2,
  evidence: 3,
  narrative: 4,
};
const MAX_TEXT_EVIDENCE_CHARS = 2 * 1024 * 1024;
const MAX_FOUND_IN_CHARS = 500;
const MAX_INDICATOR_CHARS = 2048;

class IndicatorSet {
  private readonly byKey = new Map<string, ReportIndicator>();

  add(indicators: readonly Indicator[], source: IndicatorSource, where: string): void {
    for (const { type, value } of withQuerylessUrls(indicators, source)) {
      if (value.length > MAX_INDICATOR_CHARS) continue;
      const key = indicatorKey({ type, value });
      const existing = this.byKey.get(key);
      if (existing === undefined) {
        this.byKey.set(key, { type, value, source, foundIn: [where] });
        continue;
      }
      if (SOURCE_RANK[source] < SOURCE_RANK[existing.source]) existing.source = source;
      if (!existing.foundIn.includes(where)) existing.foundIn.push(where);
    }
  }

  values(): ReportIndicator[] {
    return [...this.byKey.values()];
  }
}

/**
 * Adds the scheme+host+path form of each URL with a query string or fragment not from the suspect answers: the
 * full URL stays for police but is never shared (personalised links carry the victim's details), the shorter form
 * is what partners get, and it links the reports of one campaign's personalised links.
 */
function withQuerylessUrls(indicators: readonly Indicator[], source: IndicatorSource): Indicator[] {
  if (source === 'suspect') return [...indicators];
  return indicators.flatMap((indicator) => {
    if (indicator.type !== 'url' || !hasQuery(indicator.value)) return [indicator];
    const bare = normaliseIndicator('url', withoutQuery(indicator.value));
    return bare === null ? [indicator] : [indicator, { type: 'url', value: bare }];
  });
}

/** The reporter's own contact details, which are the victim's, not the offender's. */
export interface ReporterContact {
  email: string | null;
  phone: string | null;
}

/** Removes the reporter's own details: they are the victim's, not the offender's. */
function withoutVictim(
  indicators: ReportIndicator[],
  reporter: ReporterContact,
  warningLists: WarningLists,
): ReportIndicator[] {
  const email = reporter.email?.toLowerCase() ?? null;
  const phone = reporter.phone === null ? null : normalisePhone(reporter.phone);
  const emailDomain = email === null ? null : email.slice(email.lastIndexOf('@') + 1);
  // An organisation's own domain is the victim's; a free-mail domain is everyone's.
  const ownDomain =
    emailDomain !== null && warningLists.hostList(emailDomain) !== 'free-mail' ? emailDomain : null;
  const onOwnDomain = (host: string) =>
    ownDomain !== null && (host === ownDomain || host.endsWith(`.${ownDomain}`));
  return indicators.filter(({ type, value }) => {
    if (type === 'email') return value !== email && !onOwnDomain(value.slice(value.lastIndexOf('@') + 1));
    if (type === 'phone') return value !== phone;
    if (type === 'domain') return value !== emailDomain && !onOwnDomain(value);
    if (type === 'url') return !onOwnDomain(/^[a-z]+:\/\/(?:[^/@]*@)?([^/:?#]+)/.exec(value)?.[1] ?? '');
    return true;
  });
}

export interface CampaignSummary {
  id: number;
  reports: number;
  forces: string[];
  categories: { category: string; reports: number }[];
  totalLossPence: number;
  firstReport: string;
  lastReport: string;
  topIndicators: { type: string; value: string; reports: number }[];
  /** External feeds whose live values name any of the campaign's linking indicators, and how many each names. */
  knownToFeeds: { feed: string; indicators: number }[];
}

export interface IndicatorSummary {
  type: string;
  value: string;
  firstSeen: string;
  lastSeen: string;
  reports: number;
  forces: number;
  warningList: string | null;
  campaign: number | null;
}

/** The outbox job that links a new report to others sharing its indicators (see linkPending). */
export const LINK_REPORT_JOB = 'link-report';

export interface LinkReportJob {
  reference: string;
  indicators: ReportIndicator[];
  /**
   * Set for what the victim added to the report later (a key naming the addition): the report may already be in a
   * campaign, and its industry sharing is queued again under `publish-stix:<reference>:<addition>`.
   */
  addition?: string;
}

/** Reports linked per transaction when catching up: one commit for many reports during a campaign burst. */
const LINK_BATCH = 200;
/**
 * Linking runs at most once in this long (the first at once): under a stream of reports, those that arrive during a
 * run or just after it are linked together in the next, instead of a run each (a run is about ten statements).
 */
export const LINK_GATHER_MS = 100;
// Any fixed number: one linker at a time on PostgreSQL, so two batches never take indicator locks in two orders.
const LINKER_LOCK = 1_874_018;

export function createIntelligence(
  db: Db,
  warningLists: WarningLists,
  clock: () => Date,
  dialect: Dialect = 'sqlite',
  repos: Repositories = repositories,
) {
  /** The indicators of text and email evidence, each labelled by the file and the part of it it was found in. */
  async function addEvidence(set: IndicatorSet, evidence: readonly EvidenceItem[]): Promise<void> {
    for (const item of evidence) {
      if (item.contentType !== 'message/rfc822' && item.contentType !== 'text/plain') continue;
      const blob = await repos.evidence.findEvidenceBlob(db, item.sha256);
      if (blob === undefined) continue;
      const content = Buffer.from(blob);
      if (item.contentType === 'text/plain') {
        const text = content.toString('utf8', 0, MAX_TEXT_EVIDENCE_CHARS);
        set.add(extractIndicators(text), 'evidence', `evidence:${item.fileName}`);
        continue;
      }
      const email = await extractFromEml(content);
      if (!email.ok) continue;
      for (const found of email.indicators) {
        for (const where of found.foundIn) {
          // Only the sender and relay headers speak for the sender; bodies may name anyone, the victim included.
          // A forward's outer sender and relay headers are the victim's own mailbox and network: kept, never shared.
          const source = !isSenderHeader(where) ? 'evidence' : email.forwarded ? 'forwarder' : 'sender';
          set.add([found], source, `evidence:${item.fileName}:${where}`);
        }
      }
    }
  }

  /**
   * Indicators of what a victim adds to their report later (text, files), read before the addition's transaction:
   * not yet without the reporter's own details, which `withoutReporter` removes in that transaction with the
   * details the report holds then.
   */
  async function gatherAddition(addition: {
    text?: string;
    evidence?: readonly EvidenceItem[];
  }): Promise<ReportIndicator[]> {
    const set = new IndicatorSet();
    // The victim's words, like the narrative: only technical values from them are ever shared.
    if (addition.text !== undefined)
      set.add(extractIndicators(addition.text), 'narrative', 'victim-information');
    await addEvidence(set, addition.evidence ?? []);
    return set.values();
  }

  /** Every indicator of a submission, read before the report's transaction (evidence emails are parsed here). */
  async function gather(submission: ReportSubmission): Promise<ReportIndicator[]> {
    const set = new IndicatorSet();
    const suspect = submission.suspect;
    const answer = (values: readonly string[], where: string) => {
      set.add(extractIndicators(values.join('\n')), 'suspect', `suspect:${where}`);
    };
    answer(suspect.emails, 'emails');
    answer(suspect.phones, 'phones');
    answer(suspect.websites, 'websites');
    answer(suspect.socials, 'socials');
    answer(suspect.wallets, 'wallets');
    // The account paid: a UK sort code and account number, or an IBAN, however it was typed.
    set.add(
      suspect.bankAccounts.flatMap((account) => {
        for (const type of ['uk-bank-account', 'iban'] as const) {
          const value = normaliseIndicator(type, account);
          if (value !== null) return [{ type, value }];
        }
        return [];
      }),
      'suspect',
      'suspect:bank-account',
    );
    set.add(extractIndicators(submission.narrative), 'narrative', 'narrative');
    await addEvidence(set, submission.evidence);
    return withoutVictim(set.values(), submission.reporter, warningLists);
  }

  /**
   * Stores reports' indicators and joins each report to every report it shares a linkable indicator with, merging
   * campaigns it bridges: the same result as linking the reports one after another, in the order given, but in a
   * handful of statements for the whole batch (a campaign burst links hundreds of reports per transaction). Runs
   * in the caller's transaction. Indicator rows are upserted in a fixed order, so concurrent writers of the same
   * indicators never deadlock.
   */
  async function linkBatch(
    trx: DbOrTrx,
    items: readonly {
      reportId: number;
      indicators: readonly ReportIndicator[];
      /** The report was linked before (a later addition): the campaign it is in already counts too. */
      again: boolean;
      /** The report's campaign when the batch started. */
      campaignId: number | null;
    }[],
  ): Promise<(number | null)[]> {
    const at = clock().toISOString();
    const keyOf = (i: { type: string; value: string }) => `${i.type}\u0000${i.value}`;
    const distinct = new Map<string, { type: string; value: string; warning: string | null }>();
    for (const item of items)
      for (const i of item.indicators)
        if (!distinct.has(keyOf(i)))
          distinct.set(keyOf(i), { type: i.type, value: i.value, warning: warningLists.match(i) });
    if (distinct.size === 0) return items.map(() => null);
    const sorted = [...distinct.values()].sort((a, b) =>
      a.type === b.type ? (a.value < b.value ? -1 : a.value > b.value ? 1 : 0) : a.type < b.type ? -1 : 1,
    );
    const rows = await repos.intelligence.upsertIndicators(
      trx,
      sorted.map((i) => ({
        type: i.type,
        value: i.value,
        warning_list: i.warning,
        first_seen: at,
        last_seen: at,
      })),
    );
    const idOf = new Map(rows.map((r) => [keyOf(r), r.id]));
    // The campaigns as linking goes: merged campaigns point to the one that absorbed them.
    const mergedInto = new Map<number, number>();
    const live = (id: number | null): number | null => {
      let current = id;
      while (current !== null && mergedInto.has(current)) current = mergedInto.get(current) ?? null;
      return current;
    };
    const indicatorCampaign = new Map(rows.map((r) => [r.id, r.campaign_id]));
    const reportCampaign = new Map<number, number | null>();
    for (const item of items)
      if (!reportCampaign.has(item.reportId)) reportCampaign.set(item.reportId, item.campaignId);
    // Who named each indicator outside any campaign before this batch (at most one other report, by the
    // invariant); the batch's own reports are added as each is linked.
    const outside = rows.filter((r) => r.campaign_id === null && distinct.get(keyOf(r))?.warning === null);
    const namedBy = new Map<number, number[]>(outside.map((o) => [o.id, []]));
    for (const r of await repos.intelligence.reportsNamingEach(
      trx,
      outside.map((o) => o.id),
    )) {
      namedBy.get(r.indicator_id)?.push(r.report_id);
      if (!reportCampaign.has(r.report_id)) reportCampaign.set(r.report_id, r.campaign_id);
    }
    await repos.intelligence.insertReportIndicators(
      trx,
      items.flatMap((item) =>
        item.indicators.map((i) => ({
          report_id: item.reportId,
          indicator_id: idOf.get(keyOf(i)) ?? 0,
          source: i.source,
          found_in: i.foundIn.join(',').slice(0, MAX_FOUND_IN_CHARS),
          created_at: at,
        })),
      ),
    );

    const indicatorsTo = new Map<number, number>();
    const reportsTo = new Map<number, number>();
    const touched = new Set<number>();
    const results: (number | null)[] = [];
    for (const { reportId, indicators, again } of items) {
      const linkable: { id: number; campaignId: number | null }[] = [];
      for (const i of indicators) {
        const id = idOf.get(keyOf(i)) ?? 0;
        if (distinct.get(keyOf(i))?.warning === null)
          linkable.push({ id, campaignId: live(indicatorCampaign.get(id) ?? null) });
      }
      // Named now: later reports of the batch see this one as the others named it before.
      for (const { id } of linkable) {
        const names = namedBy.get(id);
        if (names !== undefined && !names.includes(reportId)) names.push(reportId);
      }
      if (linkable.length === 0) {
        results.push(null);
        continue;
      }
      const campaigns = new Set(linkable.flatMap((l) => (l.campaignId === null ? [] : [l.campaignId])));
      if (again) {
        const own = live(reportCampaign.get(reportId) ?? null);
        if (own !== null) campaigns.add(own);
      }
      const loneReports: number[] = [];
      for (const l of linkable) {
        if (l.campaignId !== null) continue;
        for (const other of namedBy.get(l.id) ?? []) {
          if (other === reportId) continue;
          loneReports.push(other);
          const theirs = live(reportCampaign.get(other) ?? null);
          if (theirs !== null) campaigns.add(theirs);
        }
      }
      if (campaigns.size === 0 && loneReports.length === 0) {
        results.push(null);
        continue;
      }
      let target: number;
      if (campaigns.size === 0) {
        target = await repos.intelligence.insertCampaign(trx, at);
      } else {
        target = Math.min(...campaigns);
        touched.add(target);
      }
      const merged = [...campaigns].filter((id) => id !== target);
      if (merged.length > 0) {
        // Rows already written move now; those still to be written below are resolved through mergedInto.
        await repos.intelligence.mergeCampaigns(trx, target, merged, at);
        for (const id of merged) mergedInto.set(id, target);
      }
      for (const l of linkable) {
        indicatorCampaign.set(l.id, target);
        indicatorsTo.set(l.id, target);
      }
      for (const id of [reportId, ...loneReports]) {
        reportCampaign.set(id, target);
        reportsTo.set(id, target);
      }
      results.push(target);
    }
    // The campaign assignments, one statement per (live) campaign.
    const byCampaign = (assigned: Map<number, number>) => {
      const groups = new Map<number, number[]>();
      for (const [id, campaign] of assigned) {
        const target = live(campaign) ?? campaign;
        groups.set(target, [...(groups.get(target) ?? []), id]);
      }
      return groups;
    };
    for (const [campaign, ids] of byCampaign(indicatorsTo))
      await repos.intelligence.setIndicatorsCampaign(trx, ids, campaign);
    for (const [campaign, ids] of byCampaign(reportsTo))
      await repos.intelligence.setReportsCampaign(trx, ids, campaign);
    const touch = [...touched].filter((id) => !mergedInto.has(id));
    if (touch.length > 0) await repos.intelligence.touchCampaigns(trx, touch, at);
    return results.map((target) => live(target));
  }

  /** Links one report (see linkBatch); returns its campaign, or null when it joined none. */
  async function link(
    trx: DbOrTrx,
    reportId: number,
    indicators: readonly ReportIndicator[],
    again = false,
  ): Promise<number | null> {
    if (indicators.length === 0) return null;
    const campaignId = again
      ? ((await repos.intelligence.campaignOfReport(trx, reportId))?.campaign_id ?? null)
      : null;
    const [target] = await linkBatch(trx, [{ reportId, indicators, again, campaignId }]);
    return target ?? null;
  }

  /**
   * Links reports whose link job is waiting, in batches, each batch in one transaction that also marks its jobs
   * done and queues each report's industry sharing (after linking, so it shares what was linked). Intake queues
   * the job in the report's own transaction, so no acknowledged report misses its links. Returns how many
   * reports were linked.
   */
  async function linkPending(batch = LINK_BATCH): Promise<number> {
    let total = 0;
    for (;;) {
      const linked = await db.transaction().execute(async (trx) => {
        // One linker at a time (others wait here, then find what is left).
        if (dialect === 'postgres') await repos.intelligence.takeAdvisoryLock(trx, LINKER_LOCK);
        const jobs = await repos.outbox.pendingJobsOfKind(trx, LINK_REPORT_JOB, batch);
        if (jobs.length === 0) return 0;
        const now = clock();
        const payloads = jobs.map((job) => JSON.parse(job.payload) as LinkReportJob);
        const reports = await repos.reports.linkableReportIds(
          trx,
          payloads.map((p) => p.reference),
        );
        // Its personal data removed since (retention): nothing to link, and nothing to share.
        const found = payloads.flatMap((p) => {
          const report = reports.get(p.reference);
          return report === undefined ? [] : [{ ...p, report }];
        });
        await linkBatch(
          trx,
          found.map(({ report, indicators, addition }) => ({
            reportId: report.id,
            indicators,
            again: addition !== undefined,
            campaignId: report.campaignId,
          })),
        );
        // Industry sharing runs a moment later from the outbox, so a slow publish never delays anything here.
        await repos.outbox.enqueueJobs(
          trx,
          found.map(({ reference, addition, report }) => ({
            kind: 'publish-stix',
            dedupeKey: `publish-stix:${reference}${addition === undefined ? '' : `:${addition}`}`,
            payload: { reportId: report.id },
          })),
          now,
        );
        await repos.outbox.markJobsDone(
          trx,
          jobs.map((j) => j.id),
          now,
        );
        return jobs.length;
      });
      total += linked;
      if (linked < batch) return total;
    }
  }

  let linking: Promise<unknown> | null = null;
  let again = false;
  /**
   * Where a failed run is reported: the background linker's handler (startLinking), whoever asked for the run (a
   * run asked for by intake is as much the linker's as one its poll asked for).
   */
  let reportError: (error: unknown) => void = () => undefined;
  /** Runs linkPending now, or once more after the run in progress (see LINK_GATHER_MS). Failures wait for the next poll. */
  function linkSoon(): void {
    if (linking !== null) {
      again = true;
      return;
    }
    // Whatever asked before now is in this run.
    again = false;
    linking = linkPending()
      .catch((error: unknown) => {
        reportError(error);
      })
      // Still "running" for LINK_GATHER_MS after it ends, so whatever asks meanwhile joins the next run.
      .then(() => new Promise((resolve) => setTimeout(resolve, LINK_GATHER_MS)))
      .finally(() => {
        linking = null;
        if (again) linkSoon();
      });
  }

  /** The campaign that absorbed `id` (itself when never merged), or null when there is none. */
  async function liveCampaign(id: number): Promise<number | null> {
    let current = id;
    for (let hops = 0; hops < 100; hops++) {
      const mergedInto = await repos.intelligence.campaignMergedInto(db, current);
      if (mergedInto === undefined) return null;
      if (mergedInto === null) return current;
      current = mergedInto;
    }
    return null;
  }

  async function campaignSummaries(ids: number[]): Promise<CampaignSummary[]> {
    if (ids.length === 0) return [];
    const totals = await repos.intelligence.campaignTotals(db, ids);
    const byCategory = await repos.intelligence.campaignReportCounts(db, ids);
    const top = await repos.intelligence.campaignIndicatorCounts(db, ids);
    const feeds = await repos.feeds.campaignFeedMatches(db, ids, clock().toISOString());
    return totals.map((t) => {
      const id = t.campaign_id ?? 0;
      const rows = byCategory.filter((r) => r.campaign_id === id);
      const categories = new Map<string, number>();
      for (const r of rows) categories.set(r.category, (categories.get(r.category) ?? 0) + Number(r.reports));
      return {
        id,
        reports: Number(t.reports),
        forces: [...new Set(rows.flatMap((r) => (r.force_id === null ? [] : [r.force_id])))].sort(),
        categories: [...categories]
          .map(([category, reports]) => ({ category, reports }))
          .sort((a, b) => b.reports - a.reports || a.category.localeCompare(b.category)),
        totalLossPence: Number(t.loss),
        firstReport: t.first,
        lastReport: t.last,
        topIndicators: top
          .filter((r) => r.campaign_id === id)
          .slice(0, 10)
          .map((r) => ({ type: r.type, value: r.value, reports: Number(r.reports) })),
        knownToFeeds: feeds
          .filter((f) => f.campaign_id === id)
          .map((f) => ({ feed: f.feed_name, indicators: Number(f.indicators) }))
          .sort((a, b) => b.indicators - a.indicators || a.feed.localeCompare(b.feed)),
      };
    });
  }

  /** Partners' sightings and takedown confirmations, by the STIX id of the indicator they refer to. */
  async function feedbackFor(indicators: readonly { type: string; value: string }[]) {
    const ids = indicators.map((i) => indicatorStixId(i.type, i.value));
    const byId = new Map<string, { kind: string; partner: string; observedAt: string }[]>();
    if (ids.length === 0) return byId;
    const rows = await repos.taxiiFeedback.feedbackOnIndicators(db, ids);
    for (const row of rows) {
      const list = byId.get(row.indicator_stix_id) ?? [];
      list.push({ kind: row.kind, partner: row.name, observedAt: row.observed_at });
      byId.set(row.indicator_stix_id, list);
    }
    return byId;
  }

  return {
    gather,
    gatherAddition,
    /** Removes the reporter's own details from indicators (see gatherAddition). */
    withoutReporter: (indicators: ReportIndicator[], reporter: ReporterContact) =>
      withoutVictim(indicators, reporter, warningLists),
    link,
    linkPending,
    linkSoon,

    /**
     * Keeps linking in the background: at once after each report (intake calls linkSoon), and every
     * `intervalMs` for jobs another process queued or a failed run left. `stop()` waits for the run in progress
     * and any run asked for meanwhile.
     */
    startLinking(intervalMs = 250, onError: (error: unknown) => void = () => undefined) {
      reportError = onError;
      const timer = setInterval(() => {
        linkSoon();
      }, intervalMs);
      timer.unref();
      return {
        async stop() {
          clearInterval(timer);
          while (linking !== null) await linking;
        },
      };
    },
    feedbackFor,
    liveCampaign,

    /**
     * "Is this value in any report nationwide?" is a read of personal data across every force: the look-up is
     * written to the audit log (who, what value, why, what it found) and committed before anything is answered.
     * It changes nothing else, so its row is written after the read by the writer that puts concurrent look-ups'
     * rows in one transaction (writeAuditAlone).
     */
    async lookup(
      staff: StaffMember,
      type: IndicatorType,
      value: string,
      reasonInput = '',
    ): Promise<IndicatorSummary | null> {
      // A control character would forge a line of the audit detail, whoever calls.
      const reason = cleanAccessReason(reasonInput);
      const row = await repos.intelligence.findIndicatorWithCounts(db, type, value);
      const found = row === undefined ? 'not reported' : `${Number(row.reports)} report(s)`;
      await repos.audit.writeAuditAlone(db, {
        at: clock(),
        actor: staff.email,
        action: 'lookup-indicator',
        forceId: staff.forceId,
        detail: `${type} ${value}: ${found}${reason === '' ? '' : `; reason: ${reason}`}`.slice(0, 4000),
      });
      if (row === undefined) return null;
      return {
        type: row.type,
        value: row.value,
        firstSeen: row.first_seen,
        lastSeen: row.last_seen,
        reports: Number(row.reports),
        forces: Number(row.forces),
        warningList: row.warning_list,
        // A listed value spans unrelated reports; it belongs to no campaign.
        campaign: row.warning_list === null && row.campaign !== null ? row.campaign : null,
      };
    },

    /** A report's indicators, each with how many other reports and forces have it. */
    async forReport(reportId: number) {
      const rows = await repos.intelligence.indicatorsOfReportWithCounts(db, reportId);
      const order = (type: string) => (INDICATOR_TYPES as readonly string[]).indexOf(type);
      const feedback = await feedbackFor(rows.map((r) => ({ type: r.type, value: r.value })));
      return rows
        .map((r) => {
          const mine = feedback.get(indicatorStixId(r.type, r.value)) ?? [];
          return {
            id: r.id,
            type: r.type,
            value: r.value,
            warningList: r.warning_list,
            campaignId: r.campaign_id,
            heldBack: r.held_back === 1,
            retracted: r.retracted === 1,
            released: r.released_at === null ? null : { at: r.released_at, by: r.released_by ?? '' },
            source: r.source,
            foundIn: r.found_in.split(','),
            otherReports: Number(r.other_reports),
            otherForces: Number(r.other_forces),
            takedowns: mine
              .filter((f) => f.kind === 'takedown')
              .map((f) => ({ partner: f.partner, at: f.observedAt })),
            sightings: mine.filter((f) => f.kind === 'sighting').length,
          };
        })
        .sort((a, b) => order(a.type) - order(b.type) || a.value.localeCompare(b.value));
    },

    /** When something the report named (a website, number or account) was taken down, earliest first. */
    async takedownsOf(reportId: number): Promise<{ type: string; at: string }[]> {
      const indicators = await repos.intelligence.indicatorValuesOfReport(db, reportId);
      const feedback = await feedbackFor(indicators);
      return indicators
        .flatMap((i) =>
          (feedback.get(indicatorStixId(i.type, i.value)) ?? [])
            .filter((f) => f.kind === 'takedown')
            .map((f) => ({ type: i.type, at: f.observedAt })),
        )
        .sort((a, b) => a.at.localeCompare(b.at));
    },

    async reportIdOf(reference: string): Promise<number | null> {
      return (await repos.reports.findReportId(db, reference)) ?? null;
    },

    /** Reports and forces sharing any linkable indicator with this one (its campaign, minus itself). */
    async linkedCounts(
      reportId: number,
    ): Promise<{ reports: number; forces: number; campaign: number | null }> {
      const report = await repos.intelligence.campaignOfReport(db, reportId);
      if (report?.campaign_id == null) return { reports: 0, forces: 0, campaign: null };
      const others = await repos.intelligence.otherReportsOfCampaign(db, report.campaign_id, reportId);
      return { reports: Number(others.reports), forces: Number(others.forces), campaign: report.campaign_id };
    },

    campaignSummaries,

    /** Live campaigns, largest and most recent first, optionally only those holding reports of some units. */
    async campaignIds(options: { units?: string[]; limit: number; offset: number }) {
      if (options.units !== undefined && options.units.length === 0) return { ids: [], total: 0 };
      const bySize = await repos.intelligence.liveCampaignsBySize(db, options.units);
      // Campaign scoring: size first; among campaigns of one size, those whose indicators external feeds also
      // know come first (the more such indicators, the earlier), then the most recently active.
      const known = new Map(
        (await repos.feeds.feedKnownIndicatorsPerCampaign(db, clock().toISOString())).map((r) => [
          r.campaign_id,
          Number(r.indicators),
        ]),
      );
      const rows = bySize
        .map((row, position) => ({ row, position, known: known.get(row.id) ?? 0 }))
        .sort(
          (a, b) =>
            Number(b.row.reports) - Number(a.row.reports) || b.known - a.known || a.position - b.position,
        )
        .map((r) => r.row);
      return {
        ids: rows.slice(options.offset, options.offset + options.limit).map((r) => r.id),
        total: rows.length,
      };
    },

    /** The reports of a campaign with where they are held (for the campaign page and graph). */
    async campaignReports(campaignId: number) {
      const reports = camelKeys(await repos.intelligence.reportsOfCampaign(db, campaignId));
      const links = camelKeys(await repos.intelligence.indicatorLinksOfCampaign(db, campaignId));
      return { reports, links };
    },

    /**
     * A campaign as one member of staff may see it: the summary, the reports they may open (with references), the
     * rest counted by force and unit, and the shared indicators joining them. Null when not theirs to see.
     */
    async campaignFor(staff: StaffMember, requestedId: number) {
      const id = await liveCampaign(requestedId);
      if (id === null) return null;
      const { reports, links } = await this.campaignReports(id);
      if (
        !canSeeCampaign(
          staff,
          reports.map((r) => r.unitId),
        )
      )
        return null;
      const [summary] = await campaignSummaries([id]);
      if (summary === undefined) return null;
      const visible = reports.filter((r) => canReadReport(staff, { unitId: r.unitId, forceId: r.forceId }));
      const visibleIds = new Set(visible.map((r) => r.id));
      const elsewhere = new Map<string, { force: string | null; unit: string | null; reports: number }>();
      for (const r of reports) {
        if (visibleIds.has(r.id)) continue;
        const key = `${r.forceId ?? ''}|${r.unitId ?? ''}`;
        const entry = elsewhere.get(key) ?? { force: r.forceId, unit: r.unitId, reports: 0 };
        entry.reports += 1;
        elsewhere.set(key, entry);
      }
      // Graph nodes are reports (by position, references only where visible) and the indicators shared by 2+.
      const byIndicator = new Map<
        string,
        {
          id: number;
          type: string;
          value: string;
          reports: number[];
          holders: { unitId: string | null; source: string }[];
        }
      >();
      const position = new Map(reports.map((r, i) => [r.id, i]));
      for (const link of links) {
        const key = `${link.type}|${link.value}`;
        const entry = byIndicator.get(key) ?? {
          id: link.indicatorId,
          type: link.type,
          value: link.value,
          reports: [],
          holders: [],
        };
        const at = position.get(link.reportId) ?? -1;
        entry.reports.push(at);
        entry.holders.push({ unitId: reports[at]?.unitId ?? null, source: link.source });
        byIndicator.set(key, entry);
      }
      return {
        requestedId,
        summary,
        reports: reports.map((r, i) => ({
          node: i,
          reference: visibleIds.has(r.id) ? r.reference : null,
          force: r.forceId,
          unit: r.unitId,
          category: r.category,
          receivedAt: r.createdAt,
        })),
        visibleReports: visible.length,
        elsewhere: [...elsewhere.values()].sort((a, b) => b.reports - a.reports),
        // Each with whether this person may open its page (links only to what they may open).
        sharedIndicators: [...byIndicator.values()]
          .filter((i) => i.reports.length > 1)
          .sort((a, b) => b.reports.length - a.reports.length || a.value.localeCompare(b.value))
          .map(({ holders, ...i }) => ({
            ...i,
            // A phone, email or account found only in what victims wrote is not shown to analysts.
            value: canSeeIndicatorValue(staff, { type: i.type, holders, submittedByPartner: false })
              ? i.value
              : null,
            viewable: canSeeIndicator(
              staff,
              holders.map((h) => h.unitId),
            ),
          })),
      };
    },
  };
}

export type Intelligence = ReturnType<typeof createIntelligence>;
