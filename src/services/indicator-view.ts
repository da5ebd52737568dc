/**
 * One indicator as staff see it: the reports naming it (links only to those the viewer may open, the others by the
 * unit holding them), the partners who submitted it and what they called it, partners' feedback (sightings, false
 * positives, takedowns, notes), the external feeds that know it, and its life in the feed (shared or not, valid
 * until, score and why). Its value is shown only as canSeeIndicatorValue allows. Reading it is a read of
 * intelligence across forces: audited in the same transaction as the read.
 */
import type { Db } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import {
  canReadReport,
  canSeeIndicator,
  canSeeIndicatorValue,
  type StaffMember,
} from '../domain/access/access-policy.ts';
import { stixId } from '../domain/sharing/stix.ts';
import { valueKey, type FeedKnowledge } from './feeds/index.ts';
import type { Sharing } from './sharing.ts';

/** The feeds' look-up (services.feeds.knownTo): which live feed values name these indicators. */
type FeedsKnowing = (
  values: readonly { type: string; value: string }[],
) => Promise<Map<string, FeedKnowledge[]>>;

export function createIndicatorView(
  db: Db,
  clock: () => Date,
  sharing: Sharing,
  feedsKnowing: FeedsKnowing,
  repos: Repositories = repositories,
) {
  return {
    /** The indicator for this person, or null when it does not exist for them. */
    async read(staff: StaffMember, id: number, reason = '') {
      const read = await db.transaction().execute(async (trx) => {
        const indicator = await repos.partnerSubmissions.findIndicatorById(trx, id);
        if (indicator === undefined) return null;
        const holders = await repos.partnerSubmissions.holdersOfIndicator(trx, id);
        if (
          !canSeeIndicator(
            staff,
            holders.map((h) => h.unit_id),
          )
        )
          return null;
        const submissions = await repos.partnerSubmissions.submissionsOf(trx, [id]);
        const feedback = await repos.partnerSubmissions.feedbackOn(
          trx,
          stixId('indicator', `${indicator.type}:${indicator.value}`),
        );
        const showValue = canSeeIndicatorValue(staff, {
          type: indicator.type,
          holders: holders.map((h) => ({ unitId: h.unit_id, source: h.source })),
          submittedByPartner: submissions.some((s) => s.withheld === null),
        });
        // The audit names the value read; a value withheld from the reader was not read.
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor: staff.email,
          action: 'read-indicator',
          forceId: staff.forceId,
          detail:
            `${indicator.type} ${showValue ? indicator.value : `#${String(indicator.id)} (value withheld)`}${reason === '' ? '' : `; reason: ${reason}`}`.slice(
              0,
              4000,
            ),
        });
        return { indicator, holders, submissions, feedback, showValue };
      });
      if (read === null) return null;
      const { indicator, holders, submissions, feedback, showValue } = read;
      const [feed] = await sharing.feedStates([id]);
      const feeds = (await feedsKnowing([indicator])).get(valueKey(indicator)) ?? [];
      const mayOpen = (h: (typeof holders)[number]) =>
        canReadReport(staff, { unitId: h.unit_id, forceId: h.force_id });
      const elsewhere = new Map<string, { unit: string | null; force: string | null; reports: number }>();
      for (const h of holders) {
        if (mayOpen(h)) continue;
        const key = `${h.unit_id ?? ''}|${h.force_id ?? ''}`;
        const entry = elsewhere.get(key) ?? { unit: h.unit_id, force: h.force_id, reports: 0 };
        entry.reports += 1;
        elsewhere.set(key, entry);
      }
      return {
        id: indicator.id,
        type: indicator.type,
        /** Null when this person may not see the value (canSeeIndicatorValue). */
        value: showValue ? indicator.value : null,
        firstSeen: indicator.first_seen,
        lastSeen: indicator.last_seen,
        warningList: indicator.warning_list,
        campaignId: indicator.campaign_id,
        heldBack: indicator.held_back === 1,
        reports: holders.length,
        forces: new Set(holders.flatMap((h) => (h.force_id === null ? [] : [h.force_id]))).size,
        yourReports: holders.filter(mayOpen).map((h) => ({
          reference: h.reference,
          source: h.source,
          category: h.category,
          receivedAt: h.created_at,
        })),
        otherReports: [...elsewhere.values()].sort((a, b) => b.reports - a.reports),
        submissions: submissions.map((s) => ({
          partner: s.partner_name,
          labels: s.labels === '' ? [] : s.labels.split(','),
          tlp: s.tlp,
          reshare: s.reshare === 1,
          withheld: s.withheld,
          validUntil: s.valid_until,
          firstSubmitted: s.created_at,
          lastSubmitted: s.updated_at,
        })),
        verdicts: feedback.map((v) => ({ kind: v.kind, partner: v.partner_name, at: v.created_at })),
        knownToFeeds: feeds,
        feed: feed ?? null,
      };
    },
  };
}

export type IndicatorView = ReturnType<typeof createIndicatorView>;
