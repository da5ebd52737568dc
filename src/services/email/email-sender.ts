import nodemailer from 'nodemailer';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /** Which email this is (its locale key), and the report it is about: all a log may say about it. */
  template: string;
  reference: string | null;
}

export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}

/**
 * Development and test only (production requires SMTP_URL): the email is not sent. The log says which email it
 * was and for which report, never the address or the text. `sent` keeps them in memory for tests.
 */
export function logEmailSender(log: {
  info(obj: object, msg: string): void;
}): EmailSender & { sent: EmailMessage[] } {
  const sent: EmailMessage[] = [];
  return {
    sent,
    send(message) {
      sent.push(message);
      log.info(
        { template: message.template, reference: message.reference },
        'email written to log, not sent (SMTP_URL not set)',
      );
      return Promise.resolve();
    },
  };
}

/** Production: sends through the SMTP server at `url` (smtp:// or smtps://). A failure rejects, so the outbox retries. */
export function smtpEmailSender(url: string, from: string): EmailSender & { close(): void } {
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
    close: () => {
      transport.close();
    },
  };
}
