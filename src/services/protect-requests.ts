import type { Db } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import { canWorkCases, type StaffMember } from '../domain/access/access-policy.ts';
import { PROTECT_REQUEST_CATEGORY } from '../domain/notifications/unit-notification.ts';
import type { ReferenceData } from '../reference-data/reference-data.ts';
import { notifyUnit } from './unit-notifications.ts';

export const PROTECT_HELP = ['staff-presentation', 'security-review', 'incident-planning', 'other'] as const;

export interface ProtectRequest {
  organisation: string;
  contactName: string;
  email: string;
  phone: string | null;
  postcode: string;
  forceId: string;
  help: string[];
  message: string;
}

/** A request as the unit's Protect queue lists it. */
export interface ProtectQueueItem extends ProtectRequest {
  id: number;
  status: string;
  receivedAt: string;
}

/** Requests for Cyber Protect help land in the regional unit's Protect queue (the force unit where no region has one). */
export function createProtectRequests(
  db: Db,
  clock: () => Date,
  reference: ReferenceData,
  repos: Repositories = repositories,
) {
  return {
    async submit(request: ProtectRequest): Promise<{ unitId: string }> {
      const units = reference.unitDirectory;
      const unitId =
        units.regionalUnit(request.forceId) ?? units.forceUnit(request.forceId) ?? units.nationalUnit;
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const id = await repos.protectRequests.insertProtectRequest(trx, {
          unit_id: unitId,
          force_id: request.forceId,
          organisation: request.organisation,
          contact_name: request.contactName,
          email: request.email,
          phone: request.phone,
          postcode: request.postcode,
          help: request.help.join(' '),
          message: request.message,
          status: 'new',
          created_at: now.toISOString(),
        });
        await notifyUnit(
          trx,
          {
            unit: unitId,
            reason: 'protect-request',
            reference: null,
            protectRequest: id,
            category: PROTECT_REQUEST_CATEGORY,
            urgent: false,
          },
          String(id),
          now,
          repos,
        );
      });
      return { unitId };
    },

    /** The unit's Protect queue, newest first (contact details are the organisation's own, given to be contacted). */
    async forUnit(staff: StaffMember): Promise<ProtectQueueItem[]> {
      if (!canWorkCases(staff) || staff.unitId === null) return [];
      const rows = await repos.protectRequests.protectRequestsOfUnit(db, staff.unitId, 50);
      return rows.map((r) => ({
        id: r.id,
        organisation: r.organisation,
        contactName: r.contact_name,
        email: r.email,
        phone: r.phone,
        postcode: r.postcode,
        forceId: r.force_id,
        help: r.help.split(' '),
        message: r.message,
        status: r.status,
        receivedAt: r.created_at,
      }));
    },
  };
}
