import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { repositories, type Repositories } from '../../db/repositories/index.ts';
import { areasReached, parseArea } from '../../domain/alerts/alert-areas.ts';
import { isEmailAddress } from '../../domain/contact/email-address.ts';
import type { ReferenceData } from '../../reference-data/reference-data.ts';
import type { EmailSender } from '../email/email-sender.ts';
import type { Translate } from '../email/victim-emails.ts';
import { DiscardJob, type JobHandler } from '../outbox-worker.ts';
import { ServiceError } from '../service-error.ts';
import { areaMapOf, areaName } from './alert-areas.ts';
import { ALERT_FANOUT_JOB } from './alerts.ts';

export const ALERT_CONFIRM_EMAIL_JOB = 'alert-confirm-email';
export const ALERT_BATCH_JOB = 'alert-batch';
/** Subscribers per outbox job: a failed batch is retried from where it stopped (alert_batches). */
export const ALERT_BATCH_SIZE = 200;
/** Areas asked for and never confirmed are removed after this many days (hourly housekeeping). */
export const UNCONFIRMED_DAYS = 7;
const MAX_AREAS = 20;

type Purpose = 'confirm' | 'unsubscribe';

/**
 * Email subscriptions to stay-safe alerts per force or region: double opt-in, an unsubscribe link (and
 * List-Unsubscribe header) in every email. Only the address, its areas and its language are stored; the links'
 * tokens are HMACs of the subscriber's number under SESSION_SECRET, so no token is stored and none can be guessed.
 */
export function createAlertSubscriptions(
  db: Db,
  clock: () => Date,
  reference: ReferenceData,
  secret: string,
  batchSize = ALERT_BATCH_SIZE,
  repos: Repositories = repositories,
) {
  const map = areaMapOf(reference);
  const mac = (purpose: Purpose, id: number) =>
    createHmac('sha256', secret)
      .update(`alert-${purpose}:${String(id)}`)
      .digest('base64url');
  const tokenFor = (purpose: Purpose, id: number) => `${String(id)}.${mac(purpose, id)}`;
  /** The subscriber a token names, when its MAC is right. */
  const subscriberOf = (purpose: Purpose, token: string): number | null => {
    const match = /^([1-9]\d{0,9})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (match === null) return null;
    const id = Number(match[1]);
    const given = Buffer.from(match[2] ?? '');
    const expected = Buffer.from(mac(purpose, id));
    return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
  };

  return {
    tokenFor,

    /**
     * Asks for alerts of these areas; the confirmation email goes through the outbox. The answer is the same
     * whether or not the address was already subscribed, so the form tells no one who subscribes.
     */
    async subscribe(emailInput: string, areaKeys: readonly string[], lng: 'en' | 'cy'): Promise<void> {
      const email = emailInput.trim().toLowerCase();
      if (!isEmailAddress(email) || email.length > 320)
        throw new ServiceError('invalid', 'subscribe-email', 'Enter a valid email address', {
          field: 'email',
        });
      const areas = [...new Set(areaKeys)];
      if (areas.length === 0 || areas.length > MAX_AREAS || areas.some((a) => parseArea(a, map) === null))
        throw new ServiceError('invalid', 'subscribe-areas', 'Choose at least one area', { field: 'areas' });
      const now = clock();
      await db.transaction().execute(async (trx) => {
        const id = await repos.alerts.insertSubscriber(trx, { email, lng, created_at: now.toISOString() });
        await repos.alerts.setSubscriberLanguage(trx, id, lng);
        for (const area of areas) await repos.alerts.requestSubscriberArea(trx, id, area, now.toISOString());
        // At most one confirmation email an hour per address, however often the form is sent.
        await repos.outbox.enqueueJob(
          trx,
          {
            kind: ALERT_CONFIRM_EMAIL_JOB,
            dedupeKey: `alert-confirm:${String(id)}:${now.toISOString().slice(0, 13)}`,
            payload: { subscriberId: id },
          },
          now,
        );
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: 'public (alert subscription)',
          action: 'alert-subscribe',
          detail: `alert subscriber ${String(id)} asked for ${areas.join(' ')}`,
        });
      });
    },

    /** The areas a confirmation link would confirm, or null for a link that is not valid. */
    async pending(token: string): Promise<{ areas: string[] } | null> {
      const id = subscriberOf('confirm', token);
      if (id === null) return null;
      const areas = await repos.alerts.subscriberAreas(db, id);
      return areas.length === 0 ? null : { areas: areas.map((a) => a.area) };
    },

    /** Confirms every area asked for; returns them all, or null for a link that is not valid. */
    async confirm(token: string): Promise<string[] | null> {
      const id = subscriberOf('confirm', token);
      if (id === null) return null;
      const now = clock();
      return db.transaction().execute(async (trx) => {
        const subscriber = await repos.alerts.findSubscriber(trx, id);
        if (subscriber === undefined) return null;
        const confirmed = await repos.alerts.confirmSubscriberAreas(trx, id, now.toISOString());
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: 'public (alert subscription)',
          action: 'alert-confirm',
          detail: `alert subscriber ${String(id)} confirmed ${String(confirmed)} area(s)`,
        });
        return (await repos.alerts.subscriberAreas(trx, id)).map((a) => a.area);
      });
    },

    /** Removes the address and all its areas; true when there was one to remove. */
    async unsubscribe(token: string): Promise<boolean> {
      const id = subscriberOf('unsubscribe', token);
      if (id === null) return false;
      const now = clock();
      return db.transaction().execute(async (trx) => {
        if ((await repos.alerts.findSubscriber(trx, id)) === undefined) return false;
        await repos.alerts.deleteSubscriber(trx, id);
        await repos.audit.writeAudit(trx, {
          at: now,
          actor: 'public (alert subscription)',
          action: 'alert-unsubscribe',
          detail: `alert subscriber ${String(id)} removed`,
        });
        return true;
      });
    },

    /** Hourly: areas never confirmed, and the addresses left with none, go. */
    async purgeUnconfirmed(): Promise<number> {
      const before = new Date(clock().getTime() - UNCONFIRMED_DAYS * 86_400_000).toISOString();
      return db.transaction().execute((trx) => repos.alerts.purgeUnconfirmed(trx, before));
    },

    handlers(sender: EmailSender, t: Translate, baseUrl: string): Record<string, JobHandler> {
      const unsubscribeUrl = (id: number, lng: string) =>
        `${baseUrl}/alerts/unsubscribe/${tokenFor('unsubscribe', id)}?lng=${lng}`;
      /** RFC 8058: the address a mail client POSTs to (one click), and a browser opens as the unsubscribe page. */
      const unsubscribeHeaders = (id: number, lng: string) => ({
        'List-Unsubscribe': `<${baseUrl}/alerts/unsubscribe/${tokenFor('unsubscribe', id)}/one-click?lng=${lng}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      });
      return {
        [ALERT_CONFIRM_EMAIL_JOB]: async (payload) => {
          const { subscriberId } = (payload ?? {}) as { subscriberId?: unknown };
          if (typeof subscriberId !== 'number') throw new DiscardJob('not a subscriber');
          const subscriber = await repos.alerts.findSubscriber(db, subscriberId);
          const areas = (await repos.alerts.subscriberAreas(db, subscriberId)).filter(
            (a) => a.confirmed_at === null,
          );
          if (subscriber === undefined || areas.length === 0)
            throw new DiscardJob('nothing waits for confirmation; not sent');
          const lng = subscriber.lng === 'cy' ? 'cy' : 'en';
          const unsubscribe = unsubscribeUrl(subscriberId, lng);
          await sender.send({
            to: subscriber.email,
            subject: t(lng, 'email.alertConfirm.subject'),
            text: t(lng, 'email.alertConfirm.body', {
              areas: areas.map((a) => areaName(reference, a.area, lng)).join(', '),
              link: `${baseUrl}/alerts/confirm/${tokenFor('confirm', subscriberId)}?lng=${lng}`,
              unsubscribe,
            }),
            headers: unsubscribeHeaders(subscriberId, lng),
            template: 'email.alertConfirm',
            reference: null,
          });
        },

        /** Splits a published alert's subscribers into batches, each an outbox job of its own. */
        [ALERT_FANOUT_JOB]: async (payload) => {
          const { alertId } = (payload ?? {}) as { alertId?: unknown };
          if (typeof alertId !== 'number') throw new DiscardJob('not an alert');
          const alert = await repos.alerts.findAlert(db, alertId);
          const area = alert === undefined ? null : parseArea(alert.area, map);
          if (alert?.status !== 'published' || area === null) throw new DiscardJob('no published alert');
          const ids = await repos.alerts.confirmedSubscriberIds(db, areasReached(area, map));
          const now = clock();
          await db.transaction().execute(async (trx) => {
            for (let i = 0; i < ids.length; i += batchSize) {
              const batch = ids.slice(i, i + batchSize);
              const firstId = batch[0] ?? 0;
              const lastId = batch[batch.length - 1] ?? 0;
              await repos.outbox.enqueueJob(
                trx,
                {
                  kind: ALERT_BATCH_JOB,
                  dedupeKey: `alert-batch:${String(alertId)}:${String(firstId)}`,
                  payload: { alertId, firstId, lastId },
                },
                now,
              );
            }
          });
        },

        /** Emails one batch, recording progress after each email so a retry never sends twice. */
        [ALERT_BATCH_JOB]: async (payload) => {
          const { alertId, firstId, lastId } = (payload ?? {}) as Record<string, unknown>;
          if (typeof alertId !== 'number' || typeof firstId !== 'number' || typeof lastId !== 'number')
            throw new DiscardJob('not an alert batch');
          const alert = await repos.alerts.findAlert(db, alertId);
          const area = alert === undefined ? null : parseArea(alert.area, map);
          if (alert?.status !== 'published' || area === null) throw new DiscardJob('no published alert');
          const areas = areasReached(area, map);
          const after = await repos.alerts.batchProgress(db, alertId, firstId);
          const subscribers = await repos.alerts.confirmedSubscribersBetween(db, areas, after, lastId);
          for (const s of subscribers) {
            const lng = s.lng === 'cy' ? 'cy' : 'en';
            const unsubscribe = unsubscribeUrl(s.id, lng);
            const [kind = 'force', id = ''] = alert.area.split(':');
            await sender.send({
              to: s.email,
              subject: lng === 'cy' ? alert.title_cy : alert.title_en,
              text: t(lng, 'email.alert.body', {
                area: areaName(reference, alert.area, lng),
                body: lng === 'cy' ? alert.body_cy : alert.body_en,
                page: `${baseUrl}/alerts/${kind}/${id}?lng=${lng}`,
                unsubscribe,
              }),
              headers: unsubscribeHeaders(s.id, lng),
              template: 'email.alert',
              reference: null,
            });
            await repos.alerts.setBatchProgress(db, alertId, firstId, s.id);
          }
        },
      };
    },
  };
}

export type AlertSubscriptions = ReturnType<typeof createAlertSubscriptions>;
