/**
 * One indicator as staff see it: the reports naming it (references only where they may read them), the partners
 * who submitted it and what they called it, partners' sightings and false positives, and its life in the feed
 * (shared or not, valid until, score and why). Reading it is a read of intelligence across forces: audited in the
 * same transaction as the read.
 */
import type { Db } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { canReadReport, canSeeIndicator, type StaffMember } from '../domain/access/access-policy.ts';
import { stixId } from '../domain/sharing/stix.ts';
import type { Sharing } from './sharing.ts';

export function createIndicatorView(
  db: Db,
  clock: () => Date,
  sharing: Sharing,
  repos: Repositories = repositories,
) {
  return {
    /** The indicator for this person, or null when it does not exist for them. */
    async read(staff: StaffMember, id: number, reason = '') {
      const read = await db.transaction().execute(async (trx) => {
        const indicator = await repos.partnerSubmissions.findIndicatorById(trx, id);
        if (indicator === undefined) return null;
        const holders = await repos.partnerSubmissions.holdersOfIndicator(trx, id);
        if (!canSeeIndicator(staff, holders.map((h) => h.unit_id))) return null;
        const submissions = await repos.partnerSubmissions.submissionsOf(trx, [id]);
        const verdicts = await repos.partnerSubmissions.verdictsOn(trx, [
          stixId('indicator', `${indicator.type}:${indicator.value}`),
        ]);
        await repos.audit.writeAudit(trx, {
          at: clock(),
          actor: staff.email,
          action: 'read-indicator',
          forceId: staff.forceId,
          detail: `${indicator.type} ${indicator.value}${reason === '' ? '' : `; reason: ${reason}`}`.slice(0, 4000),
        });
        return { indicator, holders, submissions, verdicts };
      });
      if (read === null) return null;
      const { indicator, holders, submissions, verdicts } = read;
      const [feed] = await sharing.feedStates([id]);
      const visible = holders.filter((h) => canReadReport(staff, { unitId: h.unit_id, forceId: h.force_id }));
      return {
        id: indicator.id,
        type: indicator.type,
        value: indicator.value,
        firstSeen: indicator.first_seen,
        lastSeen: indicator.last_seen,
        warningList: indicator.warning_list,
        campaignId: indicator.campaign_id,
        heldBack: indicator.held_back === 1,
        reports: holders.length,
        forces: new Set(holders.flatMap((h) => (h.force_id === null ? [] : [h.force_id]))).size,
        yourReports: visible.map((h) => ({ reference: h.reference, source: h.source })),
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
        verdicts: verdicts.map((v) => ({ kind: v.kind, partner: v.partner_name, at: v.created_at })),
        feed: feed ?? null,
      };
    },
  };
}

export type IndicatorView = ReturnType<typeof createIndicatorView>;
