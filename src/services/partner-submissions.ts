/**
 * Partners contribute: STIX 2.1 indicators and observables POSTed to the partner-submissions collection. One POST is
 * one transaction: each object is read and checked on its own (schema, one value, suspect-side only, not on a
 * warning list), stored as partner intelligence with its partner, matched at once against the reports naming the
 * value (each report's history says who reported it as what, and the unit holding it is told through the outbox),
 * its publication queued (re-shared only as decideSharing allows), the TAXII status resource written and the POST
 * audited.
 *
 * What a partner reads back never depends on what police hold: an accepted object's message depends only on the
 * object itself, so submissions cannot be used to learn whether a value, or a person, was ever reported.
 */
import { randomUUID } from 'node:crypto';
import type { Db, DbOrTrx } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { normaliseIndicator } from '../domain/indicators/extract.ts';
import type { WarningLists } from '../domain/indicators/warning-lists.ts';
import { hasQuery, urlNamesPerson, withoutQuery } from '../domain/sharing/personal-urls.ts';
import { readSubmittedObject, type Refusal, type SubmittedValue } from '../domain/sharing/stix-submission.ts';
import { RESHARE_TLPS } from '../domain/sharing/tlp.ts';
import type { Partner } from './partners.ts';
import { ServiceError } from './service-error.ts';
import { PUBLISH_INDICATORS_JOB } from './sharing.ts';
import { notifyUnit, reportNotice } from './unit-notifications.ts';

interface StatusDetail {
  id: string;
  version: string;
  message: string;
}

/** The TAXII 2.1 status resource of one POST: every object's result, with a message. */
export interface SubmissionStatus {
  id: string;
  status: 'complete';
  request_timestamp: string;
  total_count: number;
  success_count: number;
  successes: StatusDetail[];
  failure_count: number;
  failures: StatusDetail[];
  pending_count: 0;
  pendings: [];
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  url: 'URL',
  domain: 'domain',
  ipv4: 'IP address',
  ipv6: 'IP address',
  email: 'email address',
  phone: 'phone number',
  'uk-bank-account': 'account',
  iban: 'account (IBAN)',
  'btc-address': 'Bitcoin wallet',
  'eth-address': 'Ethereum wallet',
  md5: 'file',
  sha1: 'file',
  sha256: 'file',
};

/** What the partner is told an accepted object becomes: from the object alone, never from what police hold. */
function acceptedMessage(submitted: SubmittedValue, trimmedQuery: boolean): string {
  const stored = trimmedQuery
    ? 'stored as partner intelligence without its query string or fragment'
    : 'stored as partner intelligence';
  if (!RESHARE_TLPS.has(submitted.tlp))
    return `${stored}; TLP:${submitted.tlp.toUpperCase()}: never shared with other partners`;
  if (!submitted.reshare)
    return `${stored}; not shared with other partners (x_bluelight_reshare is not true)`;
  return `${stored}; may be shared with other partners at TLP:${submitted.tlp.toUpperCase()} once a report or a second partner corroborates it`;
}

/** The line in a report's history: who reported which value as what (the partner's own labels). */
function historyLine(
  partner: Partner,
  submitted: { type: string; value: string; labels: string[] },
  campaign: number | null,
) {
  const as = submitted.labels.length > 0 ? `as: ${submitted.labels.join(', ')}` : 'as malicious';
  const where = campaign === null ? '' : ` (campaign ${String(campaign)})`;
  return `${partner.name} reported this ${TYPE_NAMES[submitted.type] ?? submitted.type} ${submitted.value} ${as}${where}`;
}

export function createPartnerSubmissions(
  db: Db,
  clock: () => Date,
  warningLists: WarningLists,
  repos: Repositories = repositories,
) {
  /** Tells the reports naming the value, and their units once per partner and value. */
  async function match(
    trx: DbOrTrx,
    partner: Partner,
    submission: { id: number; isNew: boolean },
    indicator: { id: number; campaign_id: number | null },
    submitted: { type: string; value: string; labels: string[] },
    now: Date,
  ): Promise<number> {
    if (!submission.isNew) return 0;
    const reports = await repos.partnerSubmissions.reportsNamingIndicator(trx, indicator.id);
    const told = new Set<string>();
    for (const report of reports) {
      await repos.reports.insertReportUpdate(trx, {
        report_id: report.id,
        kind: 'partner-intelligence',
        message: historyLine(partner, submitted, indicator.campaign_id),
        visible_to_victim: 0,
        created_at: now.toISOString(),
      });
      if (report.unit_id === null || told.has(report.unit_id)) continue;
      told.add(report.unit_id);
      await notifyUnit(
        trx,
        reportNotice(report, 'partner-intelligence'),
        `${report.unit_id}:${String(submission.id)}`,
        now,
        repos,
      );
    }
    return reports.length;
  }

  /** Takes one POSTed envelope's objects (see `accept`), with each refusal's code. */
  async function acceptWithRefusals(
    partner: Partner,
    objects: readonly unknown[],
    /** The partner's person submitting from the portal (the audit row names them); the TAXII machine: none. */
    person?: string,
  ): Promise<{ status: SubmissionStatus; refusals: Map<string, Refusal> }> {
    if (!partner.canSubmit)
      throw new ServiceError('forbidden', 'partner-submit', 'This partner may not submit indicators');
    const now = clock();
    const at = now.toISOString();
    const readings = objects.map(readSubmittedObject);
    return db.transaction().execute(async (trx) => {
      const statusId = randomUUID();
      const successes: StatusDetail[] = [];
      const failures: StatusDetail[] = [];
      const refusals = new Map<string, Refusal>();
      const touched = new Set<number>();
      let matched = 0;
      for (const reading of readings) {
        if (!reading.ok) {
          failures.push({ id: reading.id, version: reading.version, message: reading.message });
          refusals.set(reading.id, reading.refusal);
          continue;
        }
        const { submitted } = reading;
        const fail = (message: string, refusal: Refusal) => {
          failures.push({ id: submitted.stixId, version: submitted.version, message });
          refusals.set(submitted.stixId, refusal);
        };
        // Personalised links carry their victim in the query: only the scheme, host and path are kept.
        const trimmedQuery = submitted.type === 'url' && hasQuery(submitted.value);
        const value = trimmedQuery
          ? normaliseIndicator('url', withoutQuery(submitted.value))
          : submitted.value;
        if (value === null) {
          fail('not a valid url value', { code: 'invalid-value', params: { type: 'url' } });
          continue;
        }
        if (submitted.type === 'url' && urlNamesPerson(value, [])) {
          fail('refused: the URL’s path names a person (an email address, phone number or account)', {
            code: 'url-names-person',
            params: {},
          });
          continue;
        }
        const listed = warningLists.match({ type: submitted.type, value });
        if (listed !== null) {
          fail(`refused: on a warning list (${listed}): too common to be an indicator`, {
            code: 'warning-list',
            params: { list: listed },
          });
          continue;
        }
        // A reporter's own address is the victim's: kept for police, matched to nothing, never shared, and
        // answered like any other so the partner cannot learn that someone reported a crime.
        const withheld =
          submitted.type === 'email' && (await repos.partnerSubmissions.isReporterEmail(trx, value))
            ? 'reporter-contact'
            : null;
        const indicator = await repos.partnerSubmissions.upsertSubmittedIndicator(trx, {
          type: submitted.type,
          value,
          warning_list: null,
          at,
        });
        const row = await repos.partnerSubmissions.upsertSubmission(trx, {
          partner_id: partner.id,
          indicator_id: indicator.id,
          status_id: statusId,
          stix_id: submitted.stixId,
          stix_type: submitted.stixType,
          tlp: submitted.tlp,
          reshare: submitted.reshare ? 1 : 0,
          labels: submitted.labels.join(','),
          withheld,
          valid_until: submitted.validUntil,
          created_at: at,
          updated_at: at,
        });
        if (withheld === null)
          matched += await match(
            trx,
            partner,
            { id: row.id, isNew: row.created_at === at },
            indicator,
            { ...submitted, value },
            now,
          );
        touched.add(indicator.id);
        successes.push({
          id: submitted.stixId,
          version: submitted.version,
          message: acceptedMessage(submitted, trimmedQuery),
        });
      }
      const status: SubmissionStatus = {
        id: statusId,
        status: 'complete',
        request_timestamp: at,
        total_count: objects.length,
        success_count: successes.length,
        successes,
        failure_count: failures.length,
        failures,
        pending_count: 0,
        pendings: [],
      };
      await repos.taxiiFeedback.insertStatus(trx, {
        id: statusId,
        partner_id: partner.id,
        body: JSON.stringify(status),
        created_at: at,
      });
      // Re-shared (or withdrawn) from the outbox once this commits, as decideSharing allows.
      if (touched.size > 0)
        await repos.outbox.enqueueJob(
          trx,
          {
            kind: PUBLISH_INDICATORS_JOB,
            dedupeKey: `${PUBLISH_INDICATORS_JOB}:submission:${statusId}`,
            payload: { indicatorIds: [...touched].sort((a, b) => a - b) },
          },
          now,
        );
      // Last: the audit writer holds the signed chain's head until commit. Counts only, never values.
      await repos.audit.writeAudit(trx, {
        at: now,
        actor: person ?? `partner:${String(partner.id)}`,
        action: 'partner-submission',
        detail: `partner ${String(partner.id)} "${partner.name}": ${String(objects.length)} object(s), ${String(successes.length)} stored, ${String(failures.length)} refused, ${String(matched)} report match(es); status ${statusId}`,
      });
      return { status, refusals };
    });
  }

  return {
    /**
     * Takes one POSTed envelope's objects from a partner allowed to submit; each succeeds or fails on its own.
     * Returns the stored status resource.
     */
    async accept(partner: Partner, objects: readonly unknown[], person?: string): Promise<SubmissionStatus> {
      return (await acceptWithRefusals(partner, objects, person)).status;
    },

    /** As `accept`, with each refused object's reason as a code pages translate (by STIX id). */
    acceptWithRefusals,
  };
}

export type PartnerSubmissions = ReturnType<typeof createPartnerSubmissions>;
