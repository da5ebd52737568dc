import type { ConfirmationEmailJob } from '../report-intake.ts';
import type { ContactChangedEmailJob } from '../victim-follow-up.ts';
import { DiscardJob } from '../outbox-worker.ts';
import type { EmailMessage, EmailSender } from './email-sender.ts';

export type Translate = (lng: 'en' | 'cy', key: string, vars?: Record<string, string>) => string;

/** Whether the report still holds the person's data (false once retention removed it, or no such report). */
export type PersonalDataHeld = (reference: string) => Promise<boolean>;

/**
 * Never email about a report whose personal data retention removed: a job queued before (or a dead letter
 * retried after) would otherwise still reach the person.
 */
async function refuseUnlessHeld(job: { to?: unknown; reference?: unknown }, held: PersonalDataHeld) {
  if (typeof job.to !== 'string' || typeof job.reference !== 'string' || !(await held(job.reference)))
    throw new DiscardJob('the report no longer holds personal data; not sent');
}

/** The progress page in the report's language: the link opens it in the language the email is written in. */
const progressUrl = (baseUrl: string, lng: 'en' | 'cy') => `${baseUrl}/report/progress?lng=${lng}`;

/** The "we received your report" email, in the language the person used. No report content is included. */
export function confirmationEmail(job: ConfirmationEmailJob, t: Translate, baseUrl: string): EmailMessage {
  const vars = { reference: job.reference, progressUrl: progressUrl(baseUrl, job.lng) };
  return {
    to: job.to,
    subject: t(job.lng, 'email.confirmation.subject', vars),
    text: t(job.lng, 'email.confirmation.body', vars),
    template: 'email.confirmation',
    reference: job.reference,
  };
}

export function confirmationEmailHandler(
  sender: EmailSender,
  t: Translate,
  baseUrl: string,
  held: PersonalDataHeld,
) {
  return async (payload: unknown) => {
    await refuseUnlessHeld(payload as ConfirmationEmailJob, held);
    await sender.send(confirmationEmail(payload as ConfirmationEmailJob, t, baseUrl));
  };
}

export interface UpdateEmailJob {
  to: string;
  reference: string;
  lng: 'en' | 'cy';
}

/** "There is an update on your report": the update itself is read on the progress page, never sent by email. */
export function updateEmailHandler(
  sender: EmailSender,
  t: Translate,
  baseUrl: string,
  held: PersonalDataHeld,
) {
  return async (payload: unknown) => {
    const job = payload as UpdateEmailJob;
    await refuseUnlessHeld(job, held);
    const vars = { reference: job.reference, progressUrl: progressUrl(baseUrl, job.lng) };
    await sender.send({
      to: job.to,
      subject: t(job.lng, 'email.update.subject', vars),
      text: t(job.lng, 'email.update.body', vars),
      template: 'email.update',
      reference: job.reference,
    });
  };
}

/**
 * "The contact details for your report were changed", to the address the report held before, in the report's
 * language: if it was not them, they know, and whom to call. Neither the old nor the new details are in it.
 */
export function contactChangedEmailHandler(
  sender: EmailSender,
  t: Translate,
  baseUrl: string,
  held: PersonalDataHeld,
) {
  return async (payload: unknown) => {
    const job = payload as ContactChangedEmailJob;
    await refuseUnlessHeld(job, held);
    const vars = { reference: job.reference, progressUrl: progressUrl(baseUrl, job.lng) };
    await sender.send({
      to: job.to,
      subject: t(job.lng, 'email.contactChanged.subject', vars),
      text: t(job.lng, 'email.contactChanged.body', vars),
      template: 'email.contactChanged',
      reference: job.reference,
    });
  };
}
