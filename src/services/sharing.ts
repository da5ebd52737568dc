/**
 * Industry sharing: turns stored indicators and campaigns into STIX 2.1 objects and appends them to the TAXII
 * object store (every version kept, in the order added). Runs from the outbox a moment after a report is stored.
 *
 * What may be shared is decided by `decideSharing` (src/domain/sharing/share-decision.ts): never personal data
 * (phone numbers, emails, bank details and wallets only from the suspect answers or an evidence email's sender
 * headers; URLs with a query string only from the suspect answers; no URL naming a person), never a warning-listed, held-back or TLP:RED-only value, and a value named only by intelligence-only or
 * anonymous reports only once staff release it or enough independent reporters name it.
 */
import type { Db, DbOrTrx, Dialect } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { IndicatorType } from '../domain/indicators/indicator.ts';
import {
  campaignObject,
  campaignReport,
  confidenceFor,
  identityObject,
  indicatesRelationship,
  indicatorObject,
  stixId,
  TLP_MARKINGS,
  type StixObject,
  withdrawnIndicatorObject,
} from '../domain/sharing/stix.ts';
import { isSharingTlp, SHARING_TLPS, tlpRank, type SharingTlp } from '../domain/sharing/tlp.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import { enqueueWebhooks } from './webhooks.ts';
import {
  SECTOR_OF_CATEGORY,
  SECTOR_OF_TYPE,
  SECTOR_OF_VICTIM,
  type Sector,
} from '../domain/sharing/sectors.ts';
import { decideSharing } from '../domain/sharing/share-decision.ts';
import { latestOf, lifecycleOf } from '../domain/sharing/indicator-lifecycle.ts';
import { isSubmissionTlp } from '../domain/sharing/tlp.ts';
import { SECTORS } from '../domain/sharing/sectors.ts';

// Reports set aside as not crimes do not count towards a campaign.
const NOT_COUNTED = ['duplicate', 'no-crime'];

/** Microsecond timestamps: date_added must order every object, even several added in one millisecond. */
function micros(date: Date, extra = 0): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 23)}${String(extra).padStart(3, '0')}Z`;
}

function nextTimestamp(now: Date, after: string | undefined): string {
  const candidate = micros(now);
  if (after === undefined || candidate > after) return candidate;
  // One microsecond after the last one.
  const base = new Date(`${after.slice(0, 23)}Z`);
  const us = Number(after.slice(23, 26)) + 1;
  return us > 999 ? micros(new Date(base.getTime() + 1)) : micros(base, us);
}

interface ToPublish {
  object: StixObject;
  tlp: SharingTlp | '*';
  sectors: readonly Sector[] | '*';
}

/** The least restrictive TLP and all the sectors any of these stored versions (or the new one) went to. */
function widest(
  history: { tlp: string; sectors: string }[],
  tlp: SharingTlp | '*',
  sectors: readonly Sector[] | '*',
): { tlp: SharingTlp | '*'; sectors: readonly Sector[] | '*' } {
  const tlps = [tlp, ...history.map((h) => h.tlp as SharingTlp | '*')];
  const widestTlp = tlps.includes('*') ? '*' : (tlps.sort((a, b) => tlpRank(a) - tlpRank(b))[0] ?? tlp);
  if (sectors === '*' || history.some((h) => h.sectors === '*')) return { tlp: widestTlp, sectors: '*' };
  const all = new Set<Sector>(sectors);
  for (const h of history) for (const s of h.sectors.split(',')) if (s !== '') all.add(s as Sector);
  return { tlp: widestTlp, sectors: [...all].sort() };
}

/** Same content apart from the version stamp: nothing to publish. */
function sameContent(a: StixObject, b: StixObject): boolean {
  const strip = (o: StixObject) => JSON.stringify({ ...o, modified: undefined, published: undefined });
  return strip(a) === strip(b);
}

export function createSharing(
  db: Db,
  dialect: Dialect,
  clock: () => Date,
  reference: ReferenceData,
  minIndependentReports: number,
  repos: Repositories = repositories,
) {
  const store = repos.sharing;
  function unitIdentity(unitId: string | null): StixObject {
    const unit = unitId === null ? undefined : reference.unit(unitId);
    return identityObject(
      unit === undefined ? { id: 'bluelight', name: 'Bluelight, UK police cybercrime reporting' } : unit,
      '2026-01-01T00:00:00.000Z',
    );
  }

  /** Appends new versions of objects whose content changed; serialised so ids and date_added stay in order. */
  async function append(trx: DbOrTrx, items: ToPublish[]): Promise<number> {
    await store.lockObjectStore(trx, dialect);
    let last = (await store.lastObject(trx))?.date_added;
    let added = 0;
    for (const item of items) {
      const { object } = item;
      let { tlp, sectors } = item;
      const previous = await store.latestVersionOf(trx, object.id);
      const withdrawn = object.type === 'indicator' && object.revoked === true;
      let earlier: number[] = [];
      if (withdrawn) {
        // Reach every partner that had any earlier version, whatever the indicator's TLP and sectors are now.
        const history = await store.versionsOf(trx, object.id);
        ({ tlp, sectors } = widest(history, tlp, sectors));
        if (tlp !== '*') object.object_marking_refs = [TLP_MARKINGS[tlp].id];
        earlier = history.map((h) => h.id);
      }
      if (previous !== undefined && sameContent(JSON.parse(previous.body) as StixObject, object)) continue;
      let version = String(object.modified ?? object.created);
      // A new version must be later than the one it replaces.
      if (previous !== undefined && version <= previous.version) {
        version = new Date(new Date(previous.version).getTime() + 1).toISOString();
        object.modified = version;
        if ('published' in object) object.published = version;
      }
      const dateAdded = nextTimestamp(clock(), last);
      last = dateAdded;
      // A revocation replaces every earlier version, so no version, manifest entry or pending webhook push
      // (they read rows at send time) ever gives the value again; ids and date_added of the rest still only grow.
      if (earlier.length > 0) await store.deleteObjectVersions(trx, earlier);
      else if (previous !== undefined) await store.markNotLatest(trx, previous.id);
      await store.insertObjectVersion(trx, {
        stix_id: object.id,
        stix_type: object.type,
        version,
        date_added: dateAdded,
        tlp,
        sectors: sectors === '*' ? '*' : `,${sectors.join(',')},`,
        latest: 1,
        first: previous === undefined || earlier.length > 0 ? 1 : 0,
        body: JSON.stringify(object),
      });
      added++;
    }
    return added;
  }

  /**
   * The least restrictive marking of live values of corroborating external feeds naming each indicator (TLP:RED
   * values never corroborate: nothing may follow from them outside the police), by type and value.
   */
  async function feedCorroboration(indicators: readonly { type: string; value: string }[]) {
    const byKey = new Map<string, SharingTlp>();
    const now = clock().toISOString();
    for (let i = 0; i < indicators.length; i += 100) {
      const rows = await repos.feeds.liveFeedValues(db, indicators.slice(i, i + 100), now);
      for (const row of rows) {
        if (row.corroborates !== 1 || !isSharingTlp(row.tlp)) continue;
        const key = `${row.type}\u0000${row.value}`;
        const held = byKey.get(key);
        if (held === undefined || tlpRank(row.tlp) < tlpRank(held)) byKey.set(key, row.tlp);
      }
    }
    return byKey;
  }

  /** Partners' submissions that still count, and their verdicts on what was published, for these indicators. */
  async function partnerFacts(indicators: readonly { id: number; type: string; value: string }[]) {
    const now = clock().toISOString();
    const ids = indicators.map((i) => i.id);
    const submissions = (await repos.partnerSubmissions.submissionsOf(db, ids)).filter(
      (s) => s.withheld === null && (s.valid_until === null || s.valid_until > now),
    );
    const stixIds = indicators.map((i) => stixId('indicator', `${i.type}:${i.value}`));
    const verdicts = stixIds.length === 0 ? [] : await repos.partnerSubmissions.verdictsOn(db, stixIds);
    return { submissions, verdicts };
  }

  /** What is known about indicators, and the decision whether and how to share each. */
  async function facts(indicatorIds: number[]) {
    if (indicatorIds.length === 0) return [];
    const indicators = await store.indicatorsByIds(db, indicatorIds);
    const sightings = await store.sightingsOf(db, indicatorIds);
    const corroboration = await feedCorroboration(indicators);
    const partnerKnown = await partnerFacts(indicators);
    const now = clock();
    return indicators.map((indicator) => {
      const mine = sightings.filter((s) => s.indicator_id === indicator.id);
      const seen = mine.filter((s) => !NOT_COUNTED.includes(s.status));
      const submitted = partnerKnown.submissions.filter((s) => s.indicator_id === indicator.id);
      const objectId = stixId('indicator', `${indicator.type}:${indicator.value}`);
      const verdicts = partnerKnown.verdicts.filter((v) => v.indicator_stix_id === objectId);
      const answers = mine.map(
        (s) =>
          JSON.parse(s.answers) as {
            organisation?: { sector?: string } | null;
            reporter?: { phone?: string | null };
          },
      );
      const decision = decideSharing(
        {
          type: indicator.type,
          value: indicator.value,
          warningList: indicator.warning_list,
          heldBack: indicator.held_back === 1,
          released: indicator.released_at !== null,
          feedCorroboration: corroboration.get(`${indicator.type}\u0000${indicator.value}`) ?? null,
        },
        mine.map((s, i) => ({
          source: s.source,
          tlp: s.tlp,
          forceId: s.force_id,
          category: s.category,
          status: s.status,
          reporter: {
            partnerTokenId: s.partner_token_id,
            email: s.contact_email,
            phone: answers[i]?.reporter?.phone ?? null,
            client: s.reporter_client,
          },
        })),
        minIndependentReports,
        submitted.map((s) => ({
          partnerId: s.partner_id,
          tlp: isSubmissionTlp(s.tlp) ? s.tlp : 'red',
          reshare: s.reshare === 1,
        })),
      );
      const lifecycle = lifecycleOf(
        {
          confidence: confidenceFor(decision.reporters + decision.partners, decision.forces),
          refreshedAt: latestOf(
            indicator.last_seen,
            ...verdicts.filter((v) => v.kind === 'sighting').map((v) => v.created_at),
            ...submitted.map((s) => s.updated_at),
          ),
          falsePositivePartners: verdicts
            .filter((v) => v.kind === 'false-positive')
            .map((v) => v.partner_name),
        },
        now,
      );
      const sectors = new Set<Sector>();
      const typeSector = SECTOR_OF_TYPE[indicator.type as IndicatorType];
      if (typeSector !== undefined) sectors.add(typeSector);
      mine.forEach((s, i) => {
        if (NOT_COUNTED.includes(s.status)) return;
        const bySector = SECTOR_OF_CATEGORY[s.category];
        if (bySector !== undefined) sectors.add(bySector);
        const victimSector = answers[i]?.organisation?.sector;
        const byVictim = victimSector === undefined ? undefined : SECTOR_OF_VICTIM[victimSector];
        if (byVictim !== undefined) sectors.add(byVictim);
      });
      // The contributing partners' own sectors hear of what they and others submitted.
      for (const s of submitted)
        for (const sector of s.partner_sectors.split(','))
          if ((SECTORS as readonly string[]).includes(sector)) sectors.add(sector as Sector);
      return {
        indicator,
        shareable: decision.shareable,
        awaitingRelease: decision.awaitingRelease,
        // Retracted as wrong, or taken down at a partner's hands (a disruption request): no longer live.
        revoked: indicator.retracted === 1 || indicator.taken_down_at !== null || lifecycle.revoked,
        tlp: decision.tlp,
        sectors: [...sectors].sort(),
        reporters: decision.reporters,
        forces: decision.forces,
        partners: decision.partners,
        lifecycle,
        categories: [...new Set(seen.map((s) => s.category))].sort(),
        unitId: seen[0]?.unit_id ?? null,
        campaignId: indicator.campaign_id,
      };
    });
  }

  async function indicatorObjects(
    indicatorIds: number[],
  ): Promise<{ items: ToPublish[]; shared: typeof decided }> {
    const decided = await facts(indicatorIds);
    const now = clock().toISOString();
    const built = decided.map((d) => {
      const identity = unitIdentity(d.unitId);
      const common = {
        type: d.indicator.type as IndicatorType,
        value: d.indicator.value,
        firstSeen: d.indicator.first_seen,
        modified: now,
        tlp: d.tlp,
        identityId: identity.id,
      };
      // Held back, retracted or no longer shareable after being published: revoke what partners already have,
      // with a revocation that does not carry the value (append then removes every earlier version).
      const object =
        d.shareable && !d.revoked
          ? indicatorObject({
              ...common,
              reports: d.reporters,
              forces: d.forces,
              partners: d.partners,
              categories: d.categories,
              revoked: false,
              confidence: d.lifecycle.evidenceScore,
              validUntil: d.lifecycle.validUntil,
            })
          : withdrawnIndicatorObject(common);
      return { d, identity, object };
    });
    const published = await store.publishedIds(
      db,
      built.map((b) => b.object.id),
    );
    const items: ToPublish[] = [];
    const shared: typeof decided = [];
    for (const { d, identity, object } of built) {
      const live = d.shareable && !d.revoked;
      // Never published and not shareable: nothing goes out at all.
      if (!live && !published.has(object.id)) continue;
      items.push({ object: identity, tlp: '*', sectors: '*' });
      items.push({ object, tlp: d.tlp, sectors: d.sectors });
      if (live) shared.push(d);
    }
    return { items, shared };
  }

  async function campaignObjects(campaignId: number): Promise<ToPublish[]> {
    const { shared } = await indicatorObjects(await store.indicatorIdsOfCampaign(db, campaignId));
    if (shared.length === 0) return [];
    const reports = await store.countedReportsOfCampaign(db, campaignId, NOT_COUNTED);
    const campaignRow = await store.findCampaign(db, campaignId);
    if (campaignRow === undefined || reports.length === 0) return [];
    // The campaign is as restricted as the most restricted indicator shared in it.
    const tlp = shared.map((s) => s.tlp).sort((a, b) => tlpRank(b) - tlpRank(a))[0] ?? 'amber';
    const identity = unitIdentity(reports[0]?.unit_id ?? null);
    const now = clock().toISOString();
    const campaign = campaignObject({
      id: campaignId,
      created: campaignRow.created_at,
      modified: now,
      firstSeen: reports[0]?.created_at ?? now,
      lastSeen: reports.at(-1)?.created_at ?? now,
      reports: reports.length,
      forces: new Set(reports.flatMap((r) => (r.force_id === null ? [] : [r.force_id]))).size,
      categories: [...new Set(reports.map((r) => r.category))].sort(),
      tlp,
      identityId: identity.id,
    });
    const sectors = [...new Set(shared.flatMap((s) => s.sectors))].sort();
    const relationships = shared.map((s) =>
      indicatesRelationship(
        indicatorObject({
          type: s.indicator.type as IndicatorType,
          value: s.indicator.value,
          firstSeen: s.indicator.first_seen,
          modified: now,
          reports: 0,
          forces: 0,
          categories: [],
          tlp: s.tlp,
          identityId: identity.id,
          revoked: false,
        }).id,
        campaign.id,
        campaignRow.created_at,
        tlp,
        identity.id,
      ),
    );
    const report = campaignReport(
      campaign,
      relationships.flatMap((r) => [String(r.source_ref), r.id]),
      now,
      tlp,
      identity.id,
    );
    return [
      { object: identity, tlp: '*', sectors: '*' },
      { object: campaign, tlp, sectors },
      ...relationships.map((object) => ({ object, tlp, sectors })),
      { object: report, tlp, sectors },
    ];
  }

  async function publishAll(items: ToPublish[]): Promise<number> {
    const markings: ToPublish[] = SHARING_TLPS.map((tlp) => ({
      object: TLP_MARKINGS[tlp],
      tlp: '*',
      sectors: '*',
    }));
    return db.transaction().execute(async (trx) => {
      const lastId = async () => (await store.lastObject(trx))?.id ?? 0;
      const before = await lastId();
      const added = await append(trx, [...markings, ...items]);
      // Partners with a webhook get the new objects pushed, from the outbox written in this same transaction.
      if (added > 0) await enqueueWebhooks(trx, before, await lastId(), clock());
      return added;
    });
  }

  return {
    /** Publishes (new versions of) a report's indicators and its campaign. Idempotent: unchanged objects are skipped. */
    async publishReport(reportId: number): Promise<number> {
      const report = await store.reportIndicators(db, reportId);
      if (report === undefined) return 0;
      const { items } = await indicatorObjects(report.indicatorIds);
      const campaign = report.campaignId === null ? [] : await campaignObjects(report.campaignId);
      return publishAll([...items, ...campaign]);
    },

    async publishIndicators(indicatorIds: number[]): Promise<number> {
      const { items } = await indicatorObjects(indicatorIds);
      const campaigns = await store.campaignIdsOfIndicators(db, indicatorIds);
      const campaignItems = (await Promise.all(campaigns.map(campaignObjects))).flat();
      return publishAll([...items, ...campaignItems]);
    },

    /**
     * Where each of these indicators stands in the feed, for staff: shared or not, revoked, its TLP, how many
     * partners submitted it, and its lifecycle (valid until, score and why).
     */
    async feedStates(indicatorIds: number[]) {
      const decided = await facts(indicatorIds);
      return decided.map((d) => ({
        indicatorId: d.indicator.id,
        shared: d.shareable && !d.revoked,
        retracted: d.indicator.retracted === 1,
        revokedByPartners: d.lifecycle.revoked,
        tlp: d.tlp,
        reporters: d.reporters,
        partners: d.partners,
        lifecycle: d.lifecycle,
      }));
    },

    /** Those of these indicators that wait for a staff release (or more independent reporters) to be shared. */
    async awaitingRelease(indicatorIds: number[]): Promise<Set<number>> {
      const decided = await facts(indicatorIds);
      return new Set(
        decided.filter((d) => d.awaitingRelease && d.indicator.retracted === 0).map((d) => d.indicator.id),
      );
    },
  };
}

export type Sharing = ReturnType<typeof createSharing>;

/** The outbox job partner feedback and submissions queue: publish (new versions of) these indicators. */
export const PUBLISH_INDICATORS_JOB = 'publish-indicators';

export function publishIndicatorsHandler(sharing: Sharing) {
  return async (payload: unknown): Promise<void> => {
    const ids = (payload as { indicatorIds?: unknown }).indicatorIds;
    if (!Array.isArray(ids)) return;
    await sharing.publishIndicators(ids.filter((id): id is number => Number.isInteger(id)));
  };
}

/** The outbox job a stored report queues: publish its indicators and campaign. */
export function publishStixHandler(sharing: Sharing) {
  return async (payload: unknown): Promise<void> => {
    await sharing.publishReport((payload as { reportId: number }).reportId);
  };
}
