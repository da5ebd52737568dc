/**
 * Victim Support referrals. With the victim's consent, a referral carrying only what they agreed to share (name,
 * contact details, preferred contact time, type of crime, vulnerability) goes to Victim Support through the
 * database outbox: signed, retried with backoff, dead-lettered after the outbox's last attempt (status `failed`,
 * shown to staff). The referral id is the idempotency key on every attempt, so a retry after a crash is never a
 * second referral. Victim Support reports back (acknowledged, contacted); the victim can withdraw consent, which
 * cancels an undelivered referral or asks Victim Support to delete a delivered one.
 * Without an endpoint (development) a referral is never sent: a note without any personal data is logged and its
 * status is `not-sent`, which staff see as not delivered. With VICTIM_SUPPORT_URL=off no referral is made at all.
 */
import { ServiceError } from './service-error.ts';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config/config.ts';
import type { Db, DbOrTrx, Dialect } from '../db/database.ts';
import { type OutboxRow } from '../db/repositories/outbox-repository.ts';

import { MAX_JOB_ATTEMPTS } from '../domain/outbox/retry.ts';
import type { ReportSubmission } from '../domain/report/report-submission.ts';
import { DiscardJob } from './outbox-worker.ts';
import { postSigned } from './webhooks.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';

export type ReferralStatus =
  | 'pending'
  | 'delivered'
  | 'acknowledged'
  | 'contacted'
  | 'cancelled'
  | 'withdrawn'
  | 'failed'
  | 'not-sent'
  | 'expired';
/** A report's referral as staff and the victim are shown it (never what was sent: that is Victim Support's). */
export interface Referral {
  id: string;
  reportId: number;
  /** One of ReferralStatus, as stored. */
  status: string;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
  acknowledgedAt: string | null;
  contactedAt: string | null;
  withdrawnAt: string | null;
  deletionConfirmedAt: string | null;
}

/** Statuses the victim can still withdraw from (shown with a withdraw button on the progress page). */
export const LIVE_REFERRAL_STATUSES: readonly string[] = [
  'pending',
  'delivered',
  'acknowledged',
  'contacted',
  'failed',
  'not-sent',
];
const MEDIA_TYPE = 'application/json';
/** The victim took their consent back: nothing more may be recorded about the referral. */
const WITHDRAWN: readonly string[] = ['cancelled', 'withdrawn'];
const referralWithdrawn = () =>
  new ServiceError(
    'conflict',
    'referral-withdrawn',
    'The victim has withdrawn consent: delete this referral',
  );

interface Log {
  info(obj: object, msg: string): void;
}

/**
 * What Victim Support receives: exactly what the consent question lists (name, contact details, when to call, the
 * type of crime, support needs) — not the crime reference, force, narrative, evidence or suspect.
 */
export function referralPayload(id: string, submission: ReportSubmission, category: string, at: string) {
  return {
    event: 'referral',
    referral_id: id,
    referred_at: at,
    person: {
      name: submission.reporter.victimName ?? submission.reporter.name,
      email: submission.reporter.email,
      phone: submission.reporter.phone,
      preferred_contact: submission.reporter.preferredContact,
      preferred_time: submission.consents.contactTime ?? 'any',
    },
    crime_category: category,
    vulnerability: submission.vulnerability.filter((v) => v !== 'none'),
  };
}

export function createReferrals(
  db: Db,
  dialect: Dialect,
  clock: () => Date,
  config: Pick<Config, 'victimSupportReferrals' | 'victimSupportUrl' | 'victimSupportSecret'>,
  repos: Repositories = repositories,
) {
  const now = () => clock().toISOString();
  const canLock = dialect === 'postgres';

  async function byId(id: string) {
    return repos.referrals.findReferral(db, id);
  }

  /** Sends to Victim Support; false when there is no endpoint (development), after logging a note without personal data. */
  async function send(
    body: Readonly<Record<string, unknown>> & { event: string },
    deliveryId: string,
    log: Log,
  ): Promise<boolean> {
    if (config.victimSupportUrl === null) {
      log.info(
        { referral: deliveryId, event: body.event },
        'Victim Support referral written to log, not sent (VICTIM_SUPPORT_URL not set)',
      );
      return false;
    }
    await postSigned(
      config.victimSupportUrl,
      config.victimSupportSecret,
      deliveryId,
      MEDIA_TYPE,
      JSON.stringify(body),
      clock(),
    );
    return true;
  }

  return {
    /** False when VICTIM_SUPPORT_URL=off: the journey does not offer a referral and none is ever made. */
    offered: config.victimSupportReferrals !== 'off',

    /** In the report's transaction: records the referral and queues its delivery. */
    async create(
      trx: DbOrTrx,
      report: { id: number; category: string },
      submission: ReportSubmission,
    ): Promise<string> {
      const id = randomUUID();
      const at = now();
      await repos.referrals.insertReferral(trx, {
        id,
        report_id: report.id,
        status: 'pending',
        payload: JSON.stringify(referralPayload(id, submission, report.category, at)),
        created_at: at,
        updated_at: at,
        delivered_at: null,
        acknowledged_at: null,
        contacted_at: null,
        withdrawn_at: null,
        deletion_confirmed_at: null,
      });
      await repos.outbox.enqueueJob(
        trx,
        { kind: 'victim-support-referral', dedupeKey: `referral:${id}`, payload: { id } },
        clock(),
      );
      return id;
    },

    async forReport(reportId: number): Promise<Referral | undefined> {
      const row = await repos.referrals.referralOfReport(db, reportId);
      if (row === undefined) return undefined;
      return {
        id: row.id,
        reportId: row.report_id,
        status: row.status,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        deliveredAt: row.delivered_at,
        acknowledgedAt: row.acknowledged_at,
        contactedAt: row.contacted_at,
        withdrawnAt: row.withdrawn_at,
        deletionConfirmedAt: row.deletion_confirmed_at,
      };
    },

    /**
     * The victim withdraws consent: an undelivered referral is cancelled (its job then sends nothing); a delivered
     * one is withdrawn and Victim Support is told to delete it.
     */
    async withdraw(reportId: number): Promise<ReferralStatus | null> {
      return db.transaction().execute(async (trx) => {
        // Held to the commit, so a progress report from Victim Support waits for it (and then is refused).
        const referral = await repos.referrals.referralOfReport(trx, reportId, canLock);
        if (referral === undefined || !LIVE_REFERRAL_STATUSES.includes(referral.status)) return null;
        const delivered = referral.delivered_at !== null;
        const status: ReferralStatus = delivered ? 'withdrawn' : 'cancelled';
        await repos.referrals.updateReferral(trx, referral.id, {
          status,
          withdrawn_at: now(),
          updated_at: now(),
        });
        if (delivered) {
          await repos.outbox.enqueueJob(
            trx,
            {
              kind: 'victim-support-withdrawal',
              dedupeKey: `referral-withdrawal:${referral.id}`,
              payload: { id: referral.id },
            },
            clock(),
          );
        }
        return status;
      });
    },

    /**
     * In the transaction of the victim's correction: the referral carries their new contact details. One not yet
     * delivered is sent with them; one Victim Support holds gets an update (a `contact-update` event with the new
     * details only, through the outbox). A withdrawn, expired or anonymised referral is left alone. Answers what
     * was done, for the report's history and audit row.
     */
    async contactChanged(
      trx: DbOrTrx,
      reportId: number,
      contact: { email: string | null; phone: string | null; preferredContact: string | null },
    ): Promise<'none' | 'payload' | 'update'> {
      const referral = await repos.referrals.referralOfReport(trx, reportId, canLock);
      if (referral === undefined || !LIVE_REFERRAL_STATUSES.includes(referral.status)) return 'none';
      if (referral.payload === '{}') return 'none';
      const payload = JSON.parse(referral.payload) as ReturnType<typeof referralPayload>;
      payload.person = {
        ...payload.person,
        email: contact.email,
        phone: contact.phone,
        preferred_contact: contact.preferredContact,
      };
      await repos.referrals.updateReferral(trx, referral.id, {
        payload: JSON.stringify(payload),
        updated_at: now(),
      });
      if (referral.delivered_at === null) return 'payload';
      await repos.outbox.enqueueJob(
        trx,
        {
          kind: 'victim-support-update',
          // A later correction queued before this one ran is sent as well: each carries the details of its time.
          dedupeKey: `referral-update:${referral.id}:${now()}`,
          payload: { id: referral.id, at: now() },
        },
        clock(),
      );
      return 'update';
    },

    /**
     * Victim Support reports progress with its own token: one transaction, the referral held from the read to the
     * write (PostgreSQL; SQLite runs one transaction at a time), and the write made only if the referral is still
     * as read, so a withdrawal made at the same moment is never overwritten.
     */
    async reportStatus(id: string, status: 'acknowledged' | 'contacted'): Promise<ReferralStatus> {
      return db.transaction().execute(async (trx) => {
        const referral = await repos.referrals.findReferral(trx, id, canLock);
        if (referral === undefined)
          throw new ServiceError('not-found', 'referral-not-found', 'No referral with that id');
        if (WITHDRAWN.includes(referral.status)) throw referralWithdrawn();
        const at = now();
        // Contacted is final; an acknowledgement arriving after it does not step back.
        const next = referral.status === 'contacted' ? 'contacted' : status;
        const changed = await repos.referrals.updateReferral(
          trx,
          id,
          {
            status: next,
            updated_at: at,
            ...(status === 'acknowledged'
              ? { acknowledged_at: referral.acknowledged_at ?? at }
              : { contacted_at: at }),
            delivered_at: referral.delivered_at ?? at,
          },
          referral.status,
        );
        if (!changed) {
          // It changed after it was read: say why, and write nothing.
          const current = await repos.referrals.findReferral(trx, id);
          if (current !== undefined && WITHDRAWN.includes(current.status)) throw referralWithdrawn();
          throw new ServiceError('conflict', 'referral-changed', 'The referral changed meanwhile: try again');
        }
        return next;
      });
    },

    /**
     * Outbox handler: delivers a referral unless consent was withdrawn meanwhile. A referral whose report's personal
     * data retention removed is refused for good (DiscardJob), whatever its status and however the job came back
     * (a dead letter retried, a job left by an older version): it would send Victim Support an empty referral.
     */
    deliveryHandler(log: Log) {
      return async (payload: unknown, job: OutboxRow): Promise<void> => {
        const id = (payload as { id?: unknown }).id;
        const referral =
          typeof id === 'string' ? await repos.referrals.findReferralWithReport(db, id) : undefined;
        if (referral === undefined) throw new DiscardJob('no such referral; not sent');
        if (referral.report_anonymised_at !== null || referral.payload === '{}')
          throw new DiscardJob('the report no longer holds personal data; referral not sent');
        // 'failed' only comes back here when an admin retries the dead job (it is never run again otherwise).
        if (referral.status !== 'pending' && referral.status !== 'failed') return;
        let sent: boolean;
        try {
          sent = await send(JSON.parse(referral.payload) as { event: string }, referral.id, log);
        } catch (error) {
          if (job.attempts + 1 >= MAX_JOB_ATTEMPTS) {
            await repos.referrals.updateReferral(db, referral.id, { status: 'failed', updated_at: now() });
          }
          throw error;
        }
        // Only a referral Victim Support accepted is delivered; a logged one is not.
        await repos.referrals.updateReferral(
          db,
          referral.id,
          sent
            ? { status: 'delivered', delivered_at: now(), updated_at: now() }
            : { status: 'not-sent', updated_at: now() },
          ['pending', 'failed'],
        );
      };
    },

    /**
     * Outbox handler: gives Victim Support the victim's corrected contact details (only those) for a referral it
     * holds, unless consent was withdrawn or the personal data removed meanwhile. The delivery id names the
     * correction, so a retry is never a second update.
     */
    updateHandler(log: Log) {
      return async (payload: unknown): Promise<void> => {
        const { id, at } = payload as { id?: unknown; at?: unknown };
        const referral =
          typeof id === 'string' ? await repos.referrals.findReferralWithReport(db, id) : undefined;
        if (referral === undefined) throw new DiscardJob('no such referral; not sent');
        if (referral.report_anonymised_at !== null || referral.payload === '{}')
          throw new DiscardJob('the report no longer holds personal data; update not sent');
        if (!LIVE_REFERRAL_STATUSES.includes(referral.status) || referral.delivered_at === null) return;
        const person = (JSON.parse(referral.payload) as ReturnType<typeof referralPayload>).person;
        await send(
          {
            event: 'contact-update',
            referral_id: referral.id,
            updated_at: typeof at === 'string' ? at : now(),
            person: {
              email: person.email,
              phone: person.phone,
              preferred_contact: person.preferred_contact,
            },
          },
          `update:${referral.id}:${typeof at === 'string' ? at : ''}`,
          log,
        );
      };
    },

    /** Outbox handler: tells Victim Support to delete a referral the victim withdrew. */
    withdrawalHandler(log: Log) {
      return async (payload: unknown): Promise<void> => {
        const referral = await byId((payload as { id: string }).id);
        if (referral === undefined) return;
        const sent = await send(
          {
            event: 'withdrawal',
            referral_id: referral.id,
            action: 'delete',
            withdrawn_at: referral.withdrawn_at,
          },
          `withdrawal:${referral.id}`,
          log,
        );
        if (!sent) return;
        await repos.referrals.updateReferral(db, referral.id, {
          deletion_confirmed_at: now(),
          updated_at: now(),
        });
      };
    },
  };
}

export type Referrals = ReturnType<typeof createReferrals>;
