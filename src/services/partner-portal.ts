/**
 * What a partner portal user reads: the collections their organisation reads (searchable by value and type), their
 * organisation's own feedback and its outcome, their own submissions and the results of their uploads. Nothing
 * here reads another partner's submissions or feedback: a value another partner gave is seen only as it was shared
 * (published to a collection this partner reads). Submitting goes through partner-submissions.ts, the TAXII
 * collection's use case; groups through working-groups.ts. Each read of collections, feedback or submissions writes
 * an audit row naming the person and the organisation (partner-reads.ts) in the read's own transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Db, DbOrTrx } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { PartnerUser } from '../domain/access/access-policy.ts';
import type { IndicatorType } from '../domain/indicators/indicator.ts';
import { patternFor } from '../domain/sharing/stix.ts';
import { valueOfPattern } from '../domain/sharing/stix-submission.ts';
import { submissionObject, type SubmissionRow } from '../domain/sharing/submission-rows.ts';
import type { PartnerSubmissions, SubmissionStatus } from './partner-submissions.ts';
import type { Partner } from './partners.ts';
import { auditPartnerRead } from './partner-reads.ts';
import { ServiceError } from './service-error.ts';
import { canRead, COLLECTIONS, type Collection } from './taxii.ts';

export const SEARCH_PAGE = 50;

interface StoredIndicator {
  id?: string;
  pattern?: string;
  labels?: string[];
  confidence?: number;
  valid_until?: string;
  modified?: string;
  revoked?: boolean;
}

interface SearchItem {
  stixId: string;
  indicator: { type: IndicatorType; value: string } | null;
  labels: string[];
  confidence: number | null;
  validUntil: string | null;
  modified: string;
}

const parse = (body: string): StoredIndicator => JSON.parse(body) as StoredIndicator;

/** The one value an indicator we published names, from its pattern. */
function valueOf(body: StoredIndicator): { type: IndicatorType; value: string } | null {
  const found = body.pattern === undefined ? null : valueOfPattern(body.pattern);
  return found === null ? null : { type: found.type, value: found.raw };
}

export function createPartnerPortal(
  db: Db,
  clock: () => Date,
  submissions: PartnerSubmissions,
  repos: Repositories = repositories,
) {
  /** A collection the partner reads, or not-found (one outside its scope answers as one that does not exist). */
  const readable = (partner: Partner, id: string): Collection => {
    const collection = COLLECTIONS.find((c) => c.id === id);
    if (collection === undefined || !canRead(partner, collection))
      throw new ServiceError('not-found', 'collection-not-found', 'No such collection');
    return collection;
  };

  /** The user's own organisation, or not-found (a portal page passes the session's pair). */
  const own = (user: PartnerUser, partner: Partner) => {
    if (user.partnerId !== partner.id)
      throw new ServiceError('not-found', 'partner-not-found', 'No such partner');
  };
  const collections = (partner: Partner): Collection[] => COLLECTIONS.filter((c) => canRead(partner, c));

  /** One page of a collection's live indicators (the search's read, inside its transaction). */
  async function searchIn(
    q: DbOrTrx,
    partner: Partner,
    collection: Collection,
    query: { text?: string; type?: IndicatorType; before?: number },
  ) {
    if (collection.sector === null || collection.tlp === null)
      return { collection, items: [] as SearchItem[], next: null as number | null };
    const prefix =
      query.type === undefined
        ? undefined
        : patternFor(query.type, 'x').slice(0, patternFor(query.type, 'x').lastIndexOf("'x'"));
    const rows = await repos.sharing.searchLatestIndicators(
      q,
      { tlp: collection.tlp, sector: collection.sector },
      {
        ...(query.text === undefined ? {} : { text: query.text.slice(0, 200) }),
        ...(prefix === undefined ? {} : { patternPrefix: prefix }),
      },
      query.before ?? 0,
      SEARCH_PAGE + 1,
    );
    const items = rows.slice(0, SEARCH_PAGE).map((row) => {
      const body = parse(row.body);
      return {
        stixId: body.id ?? '',
        indicator: valueOf(body),
        labels: body.labels ?? [],
        confidence: body.confidence ?? null,
        validUntil: body.valid_until ?? null,
        modified: body.modified ?? row.dateAdded,
      };
    });
    const last = rows[SEARCH_PAGE - 1];
    return { collection, items, next: rows.length > SEARCH_PAGE && last !== undefined ? last.id : null };
  }

  return {
    /** The collections the partner reads (their number on the home page: nothing in them is read). */
    collections,

    /** The collections the partner reads, for the user's list page (audited: `partner-read-collections`). */
    async listCollections(user: PartnerUser, partner: Partner): Promise<Collection[]> {
      own(user, partner);
      const list = collections(partner);
      await db.transaction().execute(async (trx) => {
        await auditPartnerRead(
          trx,
          {
            at: clock(),
            partner,
            person: user.email,
            action: 'partner-read-collections',
            what: `${String(list.length)} collection(s)`,
          },
          repos,
        );
      });
      return list;
    },

    /**
     * One collection's live indicators, newest first, optionally of one type and containing some text (a value or
     * part of one); `before` pages on (the last row's position).
     */
    async search(
      user: PartnerUser,
      partner: Partner,
      collectionId: string,
      query: { text?: string; type?: IndicatorType; before?: number },
    ) {
      own(user, partner);
      const collection = readable(partner, collectionId);
      return db.transaction().execute(async (trx) => {
        const found = await searchIn(trx, partner, collection, query);
        // What was asked is kept to its shape: the text typed may name anything.
        await auditPartnerRead(
          trx,
          {
            at: clock(),
            partner,
            person: user.email,
            action: 'partner-read-collection',
            what: `collection ${collection.id}: ${String(found.items.length)} indicator(s)${query.type === undefined ? '' : ` of type ${query.type}`}${query.text === undefined ? '' : ', searched by text'}${query.before === undefined ? '' : ', a later page'}`,
          },
          repos,
        );
        return found;
      });
    },
    /**
     * The organisation's own feedback, newest first, with its outcome: the indicator still in the feed, revoked
     * (false positives from partners) or withdrawn by police. The value is shown only while the partner reads it.
     */
    async feedback(user: PartnerUser, partner: Partner) {
      own(user, partner);
      const { rows, latest } = await db.transaction().execute(async (trx) => {
        const rows = await repos.taxiiFeedback.feedbackOfPartner(trx, partner.id, 200);
        const latest = await repos.taxiiFeedback.latestIndicatorObjects(trx, [
          ...new Set(rows.map((r) => r.indicator_stix_id)),
        ]);
        await auditPartnerRead(
          trx,
          {
            at: clock(),
            partner,
            person: user.email,
            action: 'partner-read-feedback',
            what: `${String(rows.length)} feedback item(s)`,
          },
          repos,
        );
        return { rows, latest };
      });
      return rows.map((r) => {
        const object = latest.find((o) => o.stix_id === r.indicator_stix_id);
        const body = object === undefined ? null : parse(object.body);
        const revoked = body?.revoked === true;
        return {
          kind: r.kind,
          indicatorId: r.indicator_stix_id,
          indicator: body === null || revoked ? null : valueOf(body),
          observedAt: r.observed_at,
          receivedAt: r.created_at,
          outcome: body === null ? 'unknown' : revoked ? 'revoked' : 'active',
        };
      });
    },

    /** The organisation's own submissions (never another partner's) and the results of its recent uploads. */
    async submissions(user: PartnerUser, partner: Partner) {
      own(user, partner);
      const { rows, statuses } = await db.transaction().execute(async (trx) => {
        const rows = await repos.partnerSubmissions.submissionsOfPartner(trx, partner.id, 200);
        const statuses = await repos.sharing.statusesOfPartner(trx, partner.id, 20);
        await auditPartnerRead(
          trx,
          {
            at: clock(),
            partner,
            person: user.email,
            action: 'partner-read-submissions',
            what: `${String(rows.length)} submitted value(s), ${String(statuses.length)} upload result(s)`,
          },
          repos,
        );
        return { rows, statuses };
      });
      const now = clock().toISOString();
      return {
        values: rows.map((r) => ({
          type: r.type,
          value: r.value,
          tlp: r.tlp,
          reshare: r.reshare === 1,
          labels: r.labels === '' ? [] : r.labels.split(','),
          validUntil: r.valid_until,
          expired: r.valid_until !== null && r.valid_until < now,
          submittedAt: r.created_at,
          updatedAt: r.updated_at,
        })),
        uploads: statuses.map((s) => {
          const status = JSON.parse(s.body) as SubmissionStatus;
          return {
            id: s.id,
            at: s.created_at,
            total: status.total_count,
            stored: status.success_count,
            refused: status.failure_count,
          };
        }),
      };
    },

    /**
     * Values typed or uploaded in the portal, as STIX indicators through the TAXII collection's use case (one
     * transaction, its audit row naming the person). Answers each row's result: its line, and the refusal if any.
     */
    async submit(user: PartnerUser, partner: Partner, rows: readonly SubmissionRow[]) {
      own(user, partner);
      const now = clock();
      const objects = rows.map((row) => ({ row, object: submissionObject(row, now, randomUUID()) }));
      const { status, refusals } = await submissions.acceptWithRefusals(
        partner,
        objects.map((o) => o.object),
        user.email,
      );
      return {
        statusId: status.id,
        stored: status.success_count,
        refused: status.failure_count,
        results: objects.map(({ row, object }) => ({
          line: row.line,
          type: row.type,
          value: row.value,
          /** A code and its parameters: the page says it in its own language. */
          refusal: refusals.get(object.id) ?? null,
        })),
      };
    },
  };
}

export type PartnerPortal = ReturnType<typeof createPartnerPortal>;
