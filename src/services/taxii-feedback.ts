/**
 * Partners' feedback on what was shared with them, POSTed to the partner-feedback collection: a `sighting` of one
 * of our indicators, or a `note` naming them (labelled "takedown" when the site or account was taken down).
 *
 * A partner may give feedback only on an indicator it can read now: in a collection of its sectors up to its TLP,
 * the latest version, not revoked. Every other id — published to other sectors or at a higher TLP, revoked, or
 * never published — is answered exactly like an unknown id and stores nothing, so feedback can neither tell a
 * partner whether a value was ever reported to police nor put a takedown note in front of a victim it does not
 * concern. The feedback and the status resource are written in one transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Db, DbOrTrx } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { REVOKE_MIN_PARTNERS } from '../domain/sharing/indicator-lifecycle.ts';
import { valueOfPattern } from '../domain/sharing/stix-submission.ts';
import type { Partner } from './partners.ts';
import { PUBLISH_INDICATORS_JOB } from './sharing.ts';
import { visibleTo } from './taxii.ts';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const STIX_ID = /^([a-z0-9][a-z0-9-]{0,62})--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// The same words whether an id is unknown or only not this partner's to see.
const SIGHTING_REF = 'sighting_of_ref must name an indicator published here';
const NOTE_REFS = 'a note needs content and object_refs naming an indicator published here';

interface StatusDetail {
  id: string;
  version: string;
  message?: string;
}

export interface FeedbackStatus {
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

/** 'false-positive': a sighting (or note) saying the indicator is wrong (labels, or OpenCTI's x_opencti_negative). */
type Kind = 'sighting' | 'false-positive' | 'takedown' | 'note';

const labelled = (object: Record<string, unknown>, label: string) =>
  Array.isArray(object.labels) &&
  object.labels.some((l) => typeof l === 'string' && l.toLowerCase() === label);

/**
 * The indicators among these ids that this partner can read now (latest version, not revoked), each with its
 * pattern (which names the value, so the indicator row can be found to publish again).
 */
async function readableIndicators(
  repos: Repositories,
  trx: DbOrTrx,
  partner: Partner,
  ids: string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await repos.taxiiFeedback.latestIndicatorObjects(trx, [...new Set(ids)]);
  const readable = new Map<string, string>();
  for (const row of rows) {
    const body = JSON.parse(row.body) as { revoked?: unknown; pattern?: unknown };
    if (visibleTo(partner, row) && body.revoked !== true && typeof body.pattern === 'string')
      readable.set(row.stix_id, body.pattern);
  }
  return readable;
}

export function createTaxiiFeedback(db: Db, clock: () => Date, repos: Repositories = repositories) {
  return {
    /** Takes one POSTed envelope's objects; each succeeds or fails on its own. Returns the stored status. */
    async accept(partner: Partner, objects: readonly unknown[]): Promise<FeedbackStatus> {
      const now = clock();
      const candidates = objects.map((o) =>
        o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : null,
      );
      const refsOf = (o: Record<string, unknown>): unknown[] =>
        Array.isArray(o.object_refs) ? o.object_refs : [];
      return db.transaction().execute(async (trx) => {
        const refs = candidates.flatMap((o) => (o === null ? [] : [o.sighting_of_ref, ...refsOf(o)]));
        const readable = await readableIndicators(
          repos,
          trx,
          partner,
          refs.filter((r): r is string => typeof r === 'string' && STIX_ID.test(r)),
        );
        const save = async (object: object, indicators: string[], kind: Kind, observedAt: string) => {
          kinds[kind]++;
          for (const indicator of indicators) {
            if (kind === 'sighting' || kind === 'false-positive') verdictOn.add(indicator);
            await repos.taxiiFeedback.insertFeedback(trx, {
              partner_id: partner.id,
              stix_id: (object as { id: string }).id,
              stix_type: (object as { type: string }).type,
              indicator_stix_id: indicator,
              kind,
              observed_at: observedAt,
              body: JSON.stringify(object),
              created_at: now.toISOString(),
            });
          }
        };
        const successes: StatusDetail[] = [];
        const failures: StatusDetail[] = [];
        const kinds: Record<Kind, number> = { sighting: 0, 'false-positive': 0, takedown: 0, note: 0 };
        const verdictOn = new Set<string>();
        for (const object of candidates) {
          const id = typeof object?.id === 'string' ? object.id : '';
          const stamp = object?.modified ?? object?.created;
          const version = typeof stamp === 'string' ? stamp : '';
          const fail = (message: string) => failures.push({ id, version, message });
          if (object === null) {
            fail('not a STIX object');
            continue;
          }
          const type = object.type;
          if (object.spec_version !== '2.1' || typeof type !== 'string' || STIX_ID.exec(id)?.[1] !== type) {
            fail('needs spec_version 2.1 and an id of its type');
            continue;
          }
          const created = object.created;
          if (typeof created !== 'string' || !TIMESTAMP.test(created)) {
            fail('needs a created timestamp');
            continue;
          }
          const posted = { ...object, id, type };
          if (type === 'sighting') {
            const ref = object.sighting_of_ref;
            if (typeof ref !== 'string' || !readable.has(ref)) {
              fail(SIGHTING_REF);
              continue;
            }
            const seen =
              [object.last_seen, object.first_seen].find((v): v is string => typeof v === 'string') ??
              created;
            const negative = object.x_opencti_negative === true || labelled(object, 'false-positive');
            await save(posted, [ref], negative ? 'false-positive' : 'sighting', seen);
          } else if (type === 'note') {
            const targets = refsOf(object).filter(
              (r): r is string => typeof r === 'string' && readable.has(r),
            );
            if (targets.length === 0 || typeof object.content !== 'string') {
              fail(NOTE_REFS);
              continue;
            }
            const kind = labelled(object, 'takedown')
              ? 'takedown'
              : labelled(object, 'false-positive')
                ? 'false-positive'
                : 'note';
            await save(posted, [...new Set(targets)], kind, created);
          } else {
            fail('only sighting and note objects are accepted here');
            continue;
          }
          successes.push({ id, version });
        }
        const status: FeedbackStatus = {
          id: randomUUID(),
          status: 'complete',
          request_timestamp: now.toISOString(),
          total_count: objects.length,
          success_count: successes.length,
          successes,
          failure_count: failures.length,
          failures,
          pending_count: 0,
          pendings: [],
        };
        await repos.taxiiFeedback.insertStatus(trx, {
          id: status.id,
          partner_id: partner.id,
          body: JSON.stringify(status),
          created_at: now.toISOString(),
        });
        // A re-sighting refreshes the indicator; false positives lower its score and may revoke it: publish again.
        const indicatorIds: number[] = [];
        for (const stixId of verdictOn) {
          const named = valueOfPattern(readable.get(stixId) ?? '');
          const row =
            named === null ? undefined : await repos.intelligence.findIndicator(trx, named.type, named.raw);
          if (row !== undefined) indicatorIds.push(row.id);
        }
        if (indicatorIds.length > 0)
          await repos.outbox.enqueueJob(
            trx,
            {
              kind: PUBLISH_INDICATORS_JOB,
              dedupeKey: `${PUBLISH_INDICATORS_JOB}:feedback:${status.id}`,
              payload: { indicatorIds: indicatorIds.sort((a, b) => a - b) },
            },
            now,
          );
        const verdicts =
          verdictOn.size === 0 ? [] : await repos.partnerSubmissions.verdictsOn(trx, [...verdictOn]);
        const revoking = [...verdictOn].filter(
          (id) =>
            new Set(
              verdicts
                .filter((v) => v.indicator_stix_id === id && v.kind === 'false-positive')
                .map((v) => v.partner_id),
            ).size >= REVOKE_MIN_PARTNERS,
        );
        // Last: the audit writer holds the signed chain's head until commit.
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: `partner:${String(partner.id)}`,
          action: 'partner-feedback',
          detail: `partner ${String(partner.id)} "${partner.name}": ${String(objects.length)} object(s), ${String(successes.length)} stored (${Object.entries(
            kinds,
          )
            .map(([k, n]) => `${String(n)} ${k}`)
            .join(
              ', ',
            )}), ${String(failures.length)} refused; status ${status.id}${revoking.length > 0 ? `; false positives from ${String(REVOKE_MIN_PARTNERS)} or more partners: ${revoking.join(', ')}` : ''}`,
        });
        return status;
      });
    },
  };
}

export type TaxiiFeedback = ReturnType<typeof createTaxiiFeedback>;
