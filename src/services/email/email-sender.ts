import nodemailer from 'nodemailer';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}

/** Development and test: the email is written to the log instead of being sent. */
export function logEmailSender(log: {
  info(obj: object, msg: string): void;
}): EmailSender & { sent: EmailMessage[] } {
  const sent: EmailMessage[] = [];
  return {
    sent,
    send(message) {
      sent.push(message);
      log.info({ email: message }, 'email (development: written to the log, not sent)');
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
