/**
 * Emails about supplier taskings, through the outbox in the transaction of the step they tell of: the unit's mailbox
 * when its supplier accepts, declines or delivers; the supplier's partner admins (its contacts for the portal) when a
 * tasking is approved for it or cancelled after that. Each holds the tasking's number and a link, nothing of the
 * case, scope or people (in the email or the outbox row). Both sides of a Welsh forces' unit's tasking are written to in
 * Welsh and English.
 */
import type { DbOrTrx } from '../../db/database.ts';
import type { TaskingRow } from '../../db/repositories/supplier-repository.ts';
import type { EmailSender } from '../email/email-sender.ts';
import type { Translate } from '../email/victim-emails.ts';
import { DiscardJob, type JobHandler } from '../outbox-worker.ts';
import { BILINGUAL_BREAK, unitLanguages } from '../unit-notifications.ts';
import type { SuppliersContext } from './context.ts';

export const TASKING_EMAIL_JOB = 'supplier-tasking-email';
export const UNIT_EVENTS = ['accepted', 'declined', 'delivered'] as const;
export const SUPPLIER_EVENTS = ['approved', 'cancelled'] as const;
type TaskingEmailEvent = (typeof UNIT_EVENTS)[number] | (typeof SUPPLIER_EVENTS)[number];

const isEvent = (value: unknown): value is TaskingEmailEvent =>
  typeof value === 'string' && ([...UNIT_EVENTS, ...SUPPLIER_EVENTS] as readonly string[]).includes(value);

/** Queues the email telling of `event` (once per tasking and event), inside the step's transaction. */
export function queueTaskingEmail(
  { repos }: SuppliersContext,
  trx: DbOrTrx,
  row: TaskingRow,
  event: TaskingEmailEvent,
  now: Date,
) {
  return repos.outbox.enqueueJob(
    trx,
    {
      kind: TASKING_EMAIL_JOB,
      dedupeKey: `${TASKING_EMAIL_JOB}:${String(row.id)}:${event}`,
      payload: { taskingId: row.id, event },
    },
    now,
  );
}

/** The outbox handler: the addresses are read when it is sent, so a supplier's new admin is told. */
export function taskingEmailHandler(
  { db, repos, reference }: SuppliersContext,
  sender: EmailSender,
  t: Translate,
  baseUrl: string,
): JobHandler {
  return async (payload: unknown) => {
    const { taskingId, event } = (payload ?? {}) as Record<string, unknown>;
    if (typeof taskingId !== 'number' || !isEvent(event)) throw new DiscardJob('not a tasking email');
    const row = await repos.suppliers.findTasking(db, taskingId);
    if (row === undefined) throw new DiscardJob('no such tasking');
    const toUnit = (UNIT_EVENTS as readonly string[]).includes(event);
    let to: string[];
    // A tasking of a unit of Welsh forces is written of in Welsh and English, to the unit and to its supplier alike,
    // as unit notifications are.
    const lngs = unitLanguages(reference, row.unit_id);
    if (toUnit) {
      const unit = reference.unit(row.unit_id);
      if (unit === undefined) throw new DiscardJob('the unit is not in the reference data; not sent');
      to = [unit.mailbox];
    } else {
      to = await repos.suppliers.supplierContacts(db, row.partner_id);
      if (to.length === 0) throw new DiscardJob('the supplier has no active partner admin; not sent');
    }
    const vars = {
      number: String(row.id),
      link: toUnit
        ? `${baseUrl}/staff/suppliers/taskings/${String(row.id)}`
        : `${baseUrl}/partner/taskings/${String(row.id)}`,
    };
    const key = `email.tasking.${toUnit ? 'unit' : 'supplier'}.${event}`;
    const [first, ...rest] = to;
    await sender.send({
      to: first ?? '',
      ...(rest.length > 0 ? { cc: rest } : {}),
      subject: lngs.map((lng) => t(lng, `${key}.subject`, vars)).join(' / '),
      text: lngs.map((lng) => t(lng, `${key}.body`, vars)).join(BILINGUAL_BREAK),
      template: key,
      reference: null,
    });
  };
}
