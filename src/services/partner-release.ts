/**
 * Release to partners: a value that only intelligence-only or anonymous reports name (a suspicious message, a
 * website someone says is fake) is not shared until a staff member has checked it, or until enough independent
 * reporters name it (see src/domain/sharing/share-decision.ts). Analysts see what is waiting and release it here;
 * officers release from a report of their own unit (casework). Each release is audited and republished from the
 * outbox in one transaction.
 */
import { ServiceError } from './service-error.ts';
import type { Db } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { canReleaseToPartners, type StaffMember } from '../domain/access/access-policy.ts';
import { ASSESSED_STATUSES } from '../domain/sharing/reporter-identity.ts';
import type { Sharing } from './sharing.ts';

const CANDIDATES = 500;

export interface AwaitingIndicator {
  id: number;
  type: string;
  value: string;
  reports: number;
  lastSeen: string;
}

export function createPartnerRelease(
  db: Db,
  clock: () => Date,
  sharing: Sharing,
  repos: Repositories = repositories,
) {
  return {
    /** The most recently seen values waiting for a release, for analysts (empty for anyone else). */
    async awaiting(staff: StaffMember, limit = 50): Promise<AwaitingIndicator[]> {
      if (!canReleaseToPartners(staff)) return [];
      // Only values some intelligence-only, anonymous or unassessed public report names can be waiting.
      const candidates = await repos.indicators.releaseCandidates(db, ASSESSED_STATUSES, CANDIDATES);
      const waiting = await sharing.awaitingRelease(candidates.map((c) => c.id));
      return candidates
        .filter((c) => waiting.has(c.id))
        .slice(0, limit)
        .map((c) => ({
          id: c.id,
          type: c.type,
          value: c.value,
          reports: Number(c.reports),
          lastSeen: c.last_seen,
        }));
    },

    /** Releases one value to partners; returns the indicator id. */
    async release(staff: StaffMember, indicator: { type: string; value: string }): Promise<number> {
      if (!canReleaseToPartners(staff))
        throw new ServiceError('forbidden', 'release-analyst', 'Only analysts release values to partners');
      const now = clock();
      const at = now.toISOString();
      // One transaction: the report read is the one republished, whatever else happens meanwhile.
      return db.transaction().execute(async (trx) => {
        const row = await repos.indicators.latestReportNaming(trx, indicator.type, indicator.value);
        if (row === undefined)
          throw new ServiceError(
            'invalid',
            'release-indicator',
            'No report names an indicator of that type and value waiting for a release',
            { field: 'value' },
          );
        await repos.indicators.updateIndicatorSharing(trx, row.id, {
          released_at: at,
          released_by: staff.email,
        });
        // Publishing the latest report naming it republishes the value and its campaign.
        await repos.outbox.enqueueJob(
          trx,
          {
            kind: 'publish-stix',
            dedupeKey: `publish-stix:release:${row.id}:${at}`,
            payload: { reportId: row.report_id },
          },
          now,
        );
        // Last: the audit writer holds the signed chain's head until commit.
        await repos.audit.writeAudit(trx, {
          at,
          actor: staff.email,
          action: 'indicator-release-to-partners',
          detail: `${indicator.type} ${indicator.value}`,
        });
        return row.id;
      });
    },
  };
}

export type PartnerRelease = ReturnType<typeof createPartnerRelease>;
