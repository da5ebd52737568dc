import type { ConfirmationEmailJob } from '../report-intake.ts';
import type { EmailMessage, EmailSender } from './email-sender.ts';

export type Translate = (lng: 'en' | 'cy', key: string, vars?: Record<string, string>) => string;

/** The "we received your report" email, in the language the person used. No report content is included. */
export function confirmationEmail(job: ConfirmationEmailJob, t: Translate, baseUrl: string): EmailMessage {
  const vars = { reference: job.reference, progressUrl: `${baseUrl}/report/progress` };
  return {
    to: job.to,
    subject: t(job.lng, 'email.confirmation.subject', vars),
    text: t(job.lng, 'email.confirmation.body', vars),
    template: 'email.confirmation',
    reference: job.reference,
  };
}

export function confirmationEmailHandler(sender: EmailSender, t: Translate, baseUrl: string) {
  return async (payload: unknown) => {
    await sender.send(confirmationEmail(payload as ConfirmationEmailJob, t, baseUrl));
  };
}

export interface UpdateEmailJob {
  to: string;
  reference: string;
  lng: 'en' | 'cy';
}

/** "There is an update on your report": the update itself is read on the progress page, never sent by email. */
export function updateEmailHandler(sender: EmailSender, t: Translate, baseUrl: string) {
  return async (payload: unknown) => {
    const job = payload as UpdateEmailJob;
    const vars = { reference: job.reference, progressUrl: `${baseUrl}/report/progress` };
    await sender.send({
      to: job.to,
      subject: t(job.lng, 'email.update.subject', vars),
      text: t(job.lng, 'email.update.body', vars),
      template: 'email.update',
      reference: job.reference,
    });
  };
}
