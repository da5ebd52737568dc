import type { Db, Dialect } from '../../db/database.ts';
import { repositories, type Repositories } from '../../db/repositories/index.ts';
import { canApproveAlert, canWriteAlerts, type StaffMember } from '../../domain/access/access-policy.ts';
import { areasShownOn, parseArea } from '../../domain/alerts/alert-areas.ts';
import type { ReferenceData } from '../../reference-data/reference-data.ts';
import { ServiceError } from '../service-error.ts';
import { areaMapOf, areaOfUnit } from './alert-areas.ts';

export const ALERT_FANOUT_JOB = 'alert-fanout';
export const ALERT_LIMITS = { title: 120, body: 3000 } as const;

export interface AlertText {
  titleEn: string;
  bodyEn: string;
  titleCy: string;
  bodyCy: string;
  campaignId?: number | null;
}

export interface Alert extends AlertText {
  id: number;
  unitId: string;
  area: string;
  campaignId: number | null;
  status: 'draft' | 'published';
  author: string;
  createdAt: string;
  approvedBy: string | null;
  publishedAt: string | null;
}

export interface PublishedAlert {
  id: number;
  area: string;
  title: string;
  body: string;
  publishedAt: string;
}

type AlertRow = NonNullable<Awaited<ReturnType<Repositories['alerts']['findAlert']>>>;
const alertOf = (r: AlertRow): Alert => ({
  id: r.id,
  unitId: r.unit_id,
  area: r.area,
  campaignId: r.campaign_id,
  titleEn: r.title_en,
  bodyEn: r.body_en,
  titleCy: r.title_cy,
  bodyCy: r.body_cy,
  status: r.status === 'published' ? 'published' : 'draft',
  author: r.author,
  createdAt: r.created_at,
  approvedBy: r.approved_by,
  publishedAt: r.published_at,
});

const notFound = () => new ServiceError('not-found', 'alert-not-found', 'No such alert');

/** The text's problems, each on its input (the API's field names). */
function checkText(text: AlertText): void {
  for (const [field, max] of [
    ['titleEn', ALERT_LIMITS.title],
    ['bodyEn', ALERT_LIMITS.body],
    ['titleCy', ALERT_LIMITS.title],
    ['bodyCy', ALERT_LIMITS.body],
  ] as const) {
    const value = text[field].trim();
    if (value === '') throw new ServiceError('invalid', 'alert-text-missing', `Enter ${field}`, { field });
    if (value.length > max)
      throw new ServiceError('invalid', 'alert-text-too-long', `${field} is too long`, {
        field,
        params: { max },
      });
  }
}

/**
 * Stay-safe alerts: a force or regional unit writes one in English and Welsh for its area; a second person of the
 * unit approves it, which publishes it (public pages, Atom feeds) and queues the emails to subscribers.
 */
export function createAlerts(
  db: Db,
  dialect: Dialect,
  clock: () => Date,
  reference: ReferenceData,
  repos: Repositories = repositories,
) {
  const map = areaMapOf(reference);
  const writer = (staff: StaffMember): { unitId: string; area: string } => {
    const area = staff.unitId === null ? null : areaOfUnit(reference, staff.unitId);
    if (!canWriteAlerts(staff) || staff.unitId === null || area === null)
      throw new ServiceError('forbidden', 'alert-writer', 'Only force and regional units write alerts');
    return { unitId: staff.unitId, area };
  };

  async function checkCampaign(
    q: Db | Parameters<typeof repos.alerts.findAlert>[0],
    unitId: string,
    id: number | null | undefined,
  ) {
    if (id === null || id === undefined) return null;
    if (!Number.isInteger(id) || id < 1 || !(await repos.alerts.campaignHoldsUnitReport(q, id, unitId)))
      throw new ServiceError('invalid', 'alert-campaign', 'Choose a campaign holding a report of your unit', {
        field: 'campaignId',
      });
    return id;
  }

  return {
    /** The area this person writes for (null when they write none). */
    areaOf(staff: StaffMember): string | null {
      return canWriteAlerts(staff) && staff.unitId !== null ? areaOfUnit(reference, staff.unitId) : null;
    },

    async create(staff: StaffMember, text: AlertText): Promise<number> {
      const { unitId, area } = writer(staff);
      checkText(text);
      const now = clock();
      return db.transaction().execute(async (trx) => {
        const campaignId = await checkCampaign(trx, unitId, text.campaignId);
        const id = await repos.alerts.insertAlert(trx, {
          unit_id: unitId,
          area,
          campaign_id: campaignId,
          title_en: text.titleEn.trim(),
          body_en: text.bodyEn.trim(),
          title_cy: text.titleCy.trim(),
          body_cy: text.bodyCy.trim(),
          status: 'draft',
          author: staff.email,
          created_at: now.toISOString(),
        });
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'alert-draft',
          detail: `alert ${String(id)} drafted for ${area}`,
        });
        return id;
      });
    },

    /** Changes a draft; whoever changes it becomes its author, so they cannot approve it either. */
    async update(staff: StaffMember, id: number, text: AlertText): Promise<void> {
      const { unitId } = writer(staff);
      checkText(text);
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const row = await repos.alerts.lockAlert(trx, id, dialect);
        if (row?.unit_id !== unitId) throw notFound();
        const campaignId = await checkCampaign(trx, unitId, text.campaignId);
        const changed = await repos.alerts.updateAlertDraft(trx, id, {
          title_en: text.titleEn.trim(),
          body_en: text.bodyEn.trim(),
          title_cy: text.titleCy.trim(),
          body_cy: text.bodyCy.trim(),
          campaign_id: campaignId,
          author: staff.email,
        });
        if (!changed)
          throw new ServiceError('conflict', 'alert-published', 'A published alert cannot be changed', {
            field: 'titleEn',
          });
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'alert-edit',
          detail: `alert ${String(id)} changed`,
        });
      });
    },

    async forUnit(staff: StaffMember): Promise<Alert[]> {
      const { unitId } = writer(staff);
      return (await repos.alerts.alertsOfUnit(db, unitId, 100)).map(alertOf);
    },

    async detail(staff: StaffMember, id: number): Promise<{ alert: Alert; mayApprove: boolean }> {
      const { unitId } = writer(staff);
      const row = await repos.alerts.findAlert(db, id);
      if (row?.unit_id !== unitId) throw notFound();
      const alert = alertOf(row);
      return { alert, mayApprove: alert.status === 'draft' && canApproveAlert(staff, alert) };
    },

    /**
     * The second person's approval publishes the alert and queues its emails (outbox), in one transaction. The
     * author cannot approve their own alert; another unit's alert does not exist for them.
     */
    async approve(staff: StaffMember, id: number): Promise<void> {
      const { unitId } = writer(staff);
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const row = await repos.alerts.lockAlert(trx, id, dialect);
        if (row?.unit_id !== unitId) throw notFound();
        if (row.status !== 'draft')
          throw new ServiceError('conflict', 'alert-published', 'This alert is already published', {
            field: 'approve',
          });
        if (!canApproveAlert(staff, { unitId: row.unit_id, author: row.author }))
          throw new ServiceError(
            'forbidden',
            'alert-own',
            'Someone else in your unit must approve your alert',
            {
              field: 'approve',
            },
          );
        const published = await repos.alerts.updateAlertDraft(trx, id, {
          status: 'published',
          approved_by: staff.email,
          published_at: now.toISOString(),
        });
        if (!published)
          throw new ServiceError('conflict', 'alert-published', 'This alert is already published', {
            field: 'approve',
          });
        await repos.outbox.enqueueJob(
          trx,
          { kind: ALERT_FANOUT_JOB, dedupeKey: `alert-fanout:${String(id)}`, payload: { alertId: id } },
          now,
        );
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: staff.email,
          action: 'alert-publish',
          detail: `alert ${String(id)} by ${row.author} approved and published`,
        });
      });
    },

    /** What an area's public page and feed show: its own alerts and those that reach it, newest first. */
    async published(areaKey: string, lng: 'en' | 'cy', limit = 50): Promise<PublishedAlert[] | null> {
      const area = parseArea(areaKey, map);
      if (area === null) return null;
      const rows = await repos.alerts.publishedAlertsIn(db, areasShownOn(area, map), limit);
      return rows.map((r) => ({
        id: r.id,
        area: r.area,
        title: lng === 'cy' ? r.title_cy : r.title_en,
        body: lng === 'cy' ? r.body_cy : r.body_en,
        publishedAt: r.published_at ?? '',
      }));
    },
  };
}

export type Alerts = ReturnType<typeof createAlerts>;
