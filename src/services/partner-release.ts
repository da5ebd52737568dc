/**
 * Release to partners: a value that only intelligence-only or anonymous reports name (a suspicious message, a
 * website someone says is fake) is not shared until a staff member has checked it, or until enough independent
 * reporters name it (see src/domain/sharing/share-decision.ts). Analysts see what is waiting and release it here;
 * officers release from a report of their own unit (casework). Each release is audited and republished from the
 * outbox in one transaction.
 */
import { ServiceError } from './service-error.ts';
import { writeAudit } from '../db/repositories/audit-repository.ts';
import type { Db } from '../db/database.ts';
import { enqueueJob } from '../db/repositories/outbox-repository.ts';
import { canReleaseToPartners, type StaffMember } from '../domain/access/access-policy.ts';
import { ASSESSED_STATUSES } from '../domain/sharing/reporter-identity.ts';
import type { Sharing } from './sharing.ts';

const CANDIDATES = 500;

export interface AwaitingIndicator {
  type: string;
  value: string;
  reports: number;
  lastSeen: string;
}

export function createPartnerRelease(db: Db, clock: () => Date, sharing: Sharing) {
  return {
    /** The most recently seen values waiting for a release, for analysts (empty for anyone else). */
    async awaiting(staff: StaffMember, limit = 50): Promise<AwaitingIndicator[]> {
      if (!canReleaseToPartners(staff)) return [];
      const candidates = await db
        .selectFrom('indicators')
        .innerJoin('report_indicators', 'report_indicators.indicator_id', 'indicators.id')
        .innerJoin('reports', 'reports.id', 'report_indicators.report_id')
        .select((eb) => [
          'indicators.id',
          'indicators.type',
          'indicators.value',
          'indicators.last_seen',
          eb.fn.countAll<number | string>().as('reports'),
        ])
        .where('indicators.released_at', 'is', null)
        .where('indicators.held_back', '=', 0)
        .where('indicators.retracted', '=', 0)
        .where('indicators.warning_list', 'is', null)
        // Only values some intelligence-only, anonymous or unassessed public report names can be waiting.
        .where((eb) =>
          eb.or([
            eb('reports.category', '=', 'phishing-attempt'),
            eb('reports.status', '=', 'intelligence'),
            eb.and([
              eb('reports.partner_token_id', 'is', null),
              eb.or([
                eb('reports.contact_email', 'is', null),
                eb('reports.status', 'not in', [...ASSESSED_STATUSES]),
              ]),
            ]),
          ]),
        )
        .groupBy(['indicators.id', 'indicators.type', 'indicators.value', 'indicators.last_seen'])
        .orderBy('indicators.last_seen', 'desc')
        .orderBy('indicators.id', 'desc')
        .limit(CANDIDATES)
        .execute();
      const waiting = await sharing.awaitingRelease(candidates.map((c) => c.id));
      return candidates
        .filter((c) => waiting.has(c.id))
        .slice(0, limit)
        .map((c) => ({ type: c.type, value: c.value, reports: Number(c.reports), lastSeen: c.last_seen }));
    },

    /** Releases one value to partners; returns the indicator id. */
    async release(staff: StaffMember, indicator: { type: string; value: string }): Promise<number> {
      if (!canReleaseToPartners(staff))
        throw new ServiceError('forbidden', 'release-analyst', 'Only analysts release values to partners');
      const row = await db
        .selectFrom('indicators')
        .innerJoin('report_indicators', 'report_indicators.indicator_id', 'indicators.id')
        .select(['indicators.id', 'report_indicators.report_id'])
        .where('indicators.type', '=', indicator.type)
        .where('indicators.value', '=', indicator.value)
        .orderBy('report_indicators.report_id', 'desc')
        .executeTakeFirst();
      if (row === undefined)
        throw new ServiceError(
          'invalid',
          'release-indicator',
          'No report names an indicator of that type and value waiting for a release',
          {
            field: 'value',
          },
        );
      const now = clock();
      const at = now.toISOString();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('indicators')
          .set({ released_at: at, released_by: staff.email })
          .where('id', '=', row.id)
          .execute();
        await writeAudit(trx, {
          at,
          actor: staff.email,
          action: 'indicator-release-to-partners',
          detail: `${indicator.type} ${indicator.value}`,
        });
        // Publishing the latest report naming it republishes the value and its campaign.
        await enqueueJob(
          trx,
          {
            kind: 'publish-stix',
            dedupeKey: `publish-stix:release:${row.id}:${at}`,
            payload: { reportId: row.report_id },
          },
          now,
        );
      });
      return row.id;
    },
  };
}

export type PartnerRelease = ReturnType<typeof createPartnerRelease>;
