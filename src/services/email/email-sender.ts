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
