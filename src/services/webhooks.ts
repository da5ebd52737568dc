/**
 * Outbound webhooks for partners that cannot poll: each batch of newly published objects a partner may read is
 * pushed as a STIX bundle, signed with HMAC-SHA256 over "<timestamp>.<body>" with the partner's secret. Jobs sit
 * in the database outbox (written in the same transaction as the objects), so a failed push is retried with
 * backoff and a push is never lost; the delivery id lets the partner drop a repeat.
 */
import { createHmac } from 'node:crypto';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { v5 as uuidv5 } from 'uuid';
import type { Db, DbOrTrx } from '../db/database.ts';
import { repositories, type Repositories } from '../db/repositories/index.ts';
import type { Partners } from './partners.ts';
import type { WebhookSecurity } from './webhook-security.ts';
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
 * X-Bluelight-Timestamp and X-Bluelight-Signature. Throws unless the receiver answers 2xx (a redirect is not
 * followed). `lookup` is the DNS lookup the connection goes through (webhooks pass one that refuses internal
 * addresses).
 */
export async function postSigned(
  url: string,
  secret: string,
  deliveryId: string,
  contentType: string,
  body: string,
  now: Date,
  options: { lookup?: RequestOptions['lookup'] } = {},
): Promise<void> {
  const target = new URL(url);
  const timestamp = now.toISOString();
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const status = await new Promise<number>((resolve, reject) => {
    const request = send(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': contentType,
          'content-length': Buffer.byteLength(body),
          'idempotency-key': deliveryId,
          'x-bluelight-delivery': deliveryId,
          'x-bluelight-timestamp': timestamp,
          'x-bluelight-signature': signWebhook(secret, timestamp, body),
        },
        signal: AbortSignal.timeout(TIMEOUT_MS),
        ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
      },
      (response) => {
        response.on('error', reject);
        response.on('end', () => {
          resolve(response.statusCode ?? 0);
        });
        response.resume();
      },
    );
    request.on('error', reject);
    request.end(body);
  });
  if (status < 200 || status > 299) throw new Error(`${target.host} answered ${String(status)}`);
}

/** camelCase keys as the API's snake_case, for a JSON webhook body (the API routes use snakeKeys alike). */
export function snakeWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeWire);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeWire(v)]),
  );
}

/**
 * POSTs a signed JSON event to a partner's webhook: the one path of the JSON webhooks (working-group messages,
 * disruption requests, supplier taskings). Nothing is sent when the partner has no webhook (it polls) or is revoked; a URL stored before
 * production refused http:// is refused, and where it points is checked again (literal here, names through the
 * checking lookup). Throws when the receiver does not answer 2xx, so the outbox retries with back-off.
 */
export async function postPartnerEvent(
  db: Db,
  partners: Partners,
  partnerId: number,
  deliveryId: string,
  event: unknown,
  now: Date,
  repos: Repositories = repositories,
): Promise<boolean> {
  const hook = await repos.partners.findWebhookOf(db, partnerId);
  if (hook?.webhook_url == null || hook.webhook_secret === null || hook.revoked_at !== null) return false;
  const target = new URL(hook.webhook_url);
  if (partners.httpsOnly && target.protocol !== 'https:')
    throw new Error(`partner ${String(partnerId)}: webhook URL is not https://, not sent`);
  partners.webhooks.checkLiteral(target);
  await postSigned(
    hook.webhook_url,
    partners.webhooks.open(partnerId, hook.webhook_secret),
    deliveryId,
    'application/json',
    JSON.stringify(event),
    now,
    { lookup: partners.webhooks.allowInternal ? undefined : partners.webhooks.lookup },
  );
  return true;
}

/** Queues a push of rows (fromId, toId] to every partner with a webhook; call in the publishing transaction. */
export async function enqueueWebhooks(
  trx: DbOrTrx,
  fromId: number,
  toId: number,
  now: Date,
  repos: Repositories = repositories,
): Promise<void> {
  if (toId <= fromId) return;
  for (const partnerId of await repos.partners.partnerIdsWithWebhooks(trx)) {
    const job: WebhookJob = { partnerId, fromId, toId };
    await repos.outbox.enqueueJob(
      trx,
      { kind: 'partner-webhook', dedupeKey: `partner-webhook:${partnerId}:${toId}`, payload: job },
      now,
    );
  }
}

export function webhookHandler(
  db: Db,
  partners: Partners,
  clock: () => Date,
  repos: Repositories = repositories,
) {
  return async (payload: unknown, job: { dedupe_key: string }): Promise<void> => {
    const { partnerId, fromId, toId } = payload as WebhookJob;
    const row = await repos.partners.findWebhookOf(db, partnerId);
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
    const target = new URL(row.webhook_url);
    if (partners.httpsOnly && target.protocol !== 'https:')
      throw new Error(`partner ${partnerId}: webhook URL is not https://, not sent`);
    // And where it points now: an address literal here, every name through the checking lookup below.
    partners.webhooks.checkLiteral(target);
    const objects = (await repos.sharing.objectsBetween(db, fromId, toId)).filter((r) =>
      visibleTo(partner, r),
    );
    // Markings and identities alone are not news.
    if (!objects.some((o) => o.tlp !== '*')) return;
    const body = JSON.stringify({
      type: 'bundle',
      id: `bundle--${uuidv5(job.dedupe_key, BUNDLE_NAMESPACE)}`,
      objects: objects.map((o) => JSON.parse(o.body) as unknown),
    });
    await postSigned(
      row.webhook_url,
      partners.webhooks.open(partnerId, row.webhook_secret),
      job.dedupe_key,
      'application/stix+json;version=2.1',
      body,
      clock(),
      { lookup: partners.webhooks.allowInternal ? undefined : partners.webhooks.lookup },
    );
  };
}

/** Seals webhook secrets stored plain by an earlier version (run at start-up, after migrating); returns how many. */
export async function sealPlainWebhookSecrets(
  db: Db,
  security: WebhookSecurity,
  repos: Repositories = repositories,
): Promise<number> {
  let sealed = 0;
  for (const row of await repos.partners.partnersWithWebhookSecrets(db)) {
    if (row.webhook_secret === null || security.isSealed(row.webhook_secret)) continue;
    // Only if it is still the plain value read: a secret set meanwhile is already sealed.
    if (
      await repos.partners.replaceWebhookSecret(
        db,
        row.id,
        row.webhook_secret,
        security.seal(row.id, row.webhook_secret),
      )
    )
      sealed += 1;
  }
  return sealed;
}
