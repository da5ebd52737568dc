/**
 * Outbound webhooks for partners that cannot poll: each batch of newly published objects a partner may read is
 * pushed as a STIX bundle, signed with HMAC-SHA256 over "<timestamp>.<body>" with the partner's secret. Jobs sit
 * in the database outbox (written in the same transaction as the objects), so a failed push is retried with
 * backoff and a push is never lost; the delivery id lets the partner drop a repeat.
 */
import { createHmac } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import type { Db, DbOrTrx } from '../db/database.ts';
import { enqueueJob } from '../db/repositories/outbox-repository.ts';
import type { Partners } from './partners.ts';
import { visibleTo } from './taxii.ts';

const BUNDLE_NAMESPACE = '9e2f4c1a-6b3d-4e8f-a1c2-7d5e3f9b0a64';
const TIMEOUT_MS = 10_000;

export interface WebhookJob {
  partnerId: number;
  /** taxii_objects rows after `fromId`, up to and including `toId`. */
  fromId: number;
  toId: number;
}

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * POSTs a signed body: X-Bluelight-Delivery (the same on every retry, so the receiver can drop a repeat),
 * X-Bluelight-Timestamp and X-Bluelight-Signature. Throws unless the receiver answers 2xx.
 */
export async function postSigned(
  url: string,
  secret: string,
  deliveryId: string,
  contentType: string,
  body: string,
  now: Date,
): Promise<void> {
  const timestamp = now.toISOString();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'idempotency-key': deliveryId,
      'x-bluelight-delivery': deliveryId,
      'x-bluelight-timestamp': timestamp,
      'x-bluelight-signature': signWebhook(secret, timestamp, body),
    },
    body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
    redirect: 'error',
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`${new URL(url).host} answered ${response.status}`);
}

/** Queues a push of rows (fromId, toId] to every partner with a webhook; call in the publishing transaction. */
export async function enqueueWebhooks(trx: DbOrTrx, fromId: number, toId: number, now: Date): Promise<void> {
  if (toId <= fromId) return;
  const partners = await trx
    .selectFrom('partners')
    .select('id')
    .where('webhook_url', 'is not', null)
    .where('revoked_at', 'is', null)
    .execute();
  for (const partner of partners) {
    const job: WebhookJob = { partnerId: partner.id, fromId, toId };
    await enqueueJob(
      trx,
      { kind: 'partner-webhook', dedupeKey: `partner-webhook:${partner.id}:${toId}`, payload: job },
      now,
    );
  }
}

export function webhookHandler(db: Db, partners: Partners, clock: () => Date) {
  return async (payload: unknown, job: { dedupe_key: string }): Promise<void> => {
    const { partnerId, fromId, toId } = payload as WebhookJob;
    const row = await db
      .selectFrom('partners')
      .select(['webhook_url', 'webhook_secret', 'revoked_at'])
      .where('id', '=', partnerId)
      .executeTakeFirst();
    const partner = await partners.byId(partnerId);
    // Unsubscribed or revoked since: nothing to send.
    if (
      row?.webhook_url == null ||
      row.webhook_secret === null ||
      row.revoked_at !== null ||
      partner === null
    )
      return;
    // Checked again when sending: a URL stored before production refused http:// is never used.
    if (partners.httpsOnly && new URL(row.webhook_url).protocol !== 'https:')
      throw new Error(`partner ${partnerId}: webhook URL is not https://, not sent`);
    const objects = (
      await db
        .selectFrom('taxii_objects')
        .select(['body', 'tlp', 'sectors'])
        .where('id', '>', fromId)
        .where('id', '<=', toId)
        .orderBy('id')
        .execute()
    ).filter((r) => visibleTo(partner, r));
    // Markings and identities alone are not news.
    if (!objects.some((o) => o.tlp !== '*')) return;
    const body = JSON.stringify({
      type: 'bundle',
      id: `bundle--${uuidv5(job.dedupe_key, BUNDLE_NAMESPACE)}`,
      objects: objects.map((o) => JSON.parse(o.body) as unknown),
    });
    await postSigned(
      row.webhook_url,
      row.webhook_secret,
      job.dedupe_key,
      'application/stix+json;version=2.1',
      body,
      clock(),
    );
  };
}
