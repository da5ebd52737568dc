/**
 * A signed webhook telling a supplier that has one (set as any partner's, see sharing.md) of a tasking addressed to
 * it once approved, and of its cancellation after that: queued in the step's transaction, sent by the outbox
 * through the partners' one JSON webhook path (postPartnerEvent), retried with back-off. The body is what the
 * supplier reads in the portal (supplierViewOf), read when it is sent; never the case, raiser or victims.
 */
import type { DbOrTrx } from '../../db/database.ts';
import type { TaskingRow } from '../../db/repositories/supplier-repository.ts';
import { isSupplierStatus } from '../../domain/suppliers/suppliers.ts';
import { DiscardJob, type JobHandler } from '../outbox-worker.ts';
import type { Partners } from '../partners.ts';
import { postPartnerEvent, snakeWire } from '../webhooks.ts';
import type { SuppliersContext } from './context.ts';
import { supplierViewOf } from './supplier-work.ts';

export const TASKING_WEBHOOK_JOB = 'supplier-tasking-webhook';
type TaskingWebhookEvent = 'approved' | 'cancelled';

/** Queues the webhook telling of `event` (once per tasking and event), inside the step's transaction. */
export function queueTaskingWebhook(
  { repos }: SuppliersContext,
  trx: DbOrTrx,
  row: TaskingRow,
  event: TaskingWebhookEvent,
  now: Date,
) {
  return repos.outbox.enqueueJob(
    trx,
    {
      kind: TASKING_WEBHOOK_JOB,
      dedupeKey: `${TASKING_WEBHOOK_JOB}:${String(row.id)}:${event}`,
      payload: { taskingId: row.id, partnerId: row.partner_id, event },
    },
    now,
  );
}

export function taskingWebhookHandler(
  { db, repos, reference, clock }: SuppliersContext,
  partners: Partners,
): JobHandler {
  return async (payload: unknown, job: { dedupe_key: string }) => {
    const { taskingId, partnerId, event } = (payload ?? {}) as Record<string, unknown>;
    if (typeof taskingId !== 'number' || typeof partnerId !== 'number' || typeof event !== 'string')
      throw new DiscardJob('not a tasking webhook');
    const row = await repos.suppliers.findTasking(db, taskingId);
    // Not its tasking, or not one it may see: nothing to send (nor without a webhook).
    if (row?.partner_id !== partnerId || !isSupplierStatus(row.status, row.approved_at)) return;
    await postPartnerEvent(
      db,
      partners,
      partnerId,
      job.dedupe_key,
      { type: 'supplier-tasking', event, tasking: snakeWire(supplierViewOf(reference, row)) },
      clock(),
      repos,
    );
  };
}
