import nodemailer from 'nodemailer';

export interface EmailMessage {
  to: string;
  /** Copied (a unit's out-of-hours contact on an urgent item). */
  cc?: string[];
  subject: string;
  text: string;
  /** Extra headers (List-Unsubscribe on alert emails). */
  headers?: Record<string, string>;
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

/**
 * Sends through the SMTP server at `url` (smtp:// or smtps://). A failure rejects, so the outbox retries.
 * `requireTls` (production): an smtp:// server must upgrade with STARTTLS, or nothing is sent, so victims' emails
 * never cross the network in clear text when a server lacks STARTTLS or it is stripped on the way.
 */
/**
 * What a failed send says in the outbox's last error, the admin jobs page and the log: the SMTP code and reply class,
 * never the server's text, which echoes the recipient's address ("550 5.1.1 <victim@…>: Recipient address rejected").
 */
export function smtpFailure(error: unknown): string {
  const { code, responseCode, command } = (error ?? {}) as {
    code?: unknown;
    responseCode?: unknown;
    command?: unknown;
  };
  const parts = [
    typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : 'ESEND',
    typeof responseCode === 'number' ? String(responseCode) : null,
    typeof command === 'string' && /^[A-Z ]{2,12}$/.test(command) ? `during ${command}` : null,
  ].filter((part) => part !== null);
  return `email not sent: ${parts.join(' ')}`;
}

export function smtpEmailSender(
  url: string,
  from: string,
  options: { requireTls?: boolean } = {},
): EmailSender & { close(): void } {
  // nodemailer takes its options from the URL's query when given a URL, so the rule goes there.
  const connection = new URL(url);
  if (options.requireTls === true) {
    connection.searchParams.delete('ignoreTLS');
    if (connection.protocol === 'smtp:') connection.searchParams.set('requireTLS', 'true');
  }
  const transport = nodemailer.createTransport(connection.toString());
  return {
    async send(message) {
      try {
        await transport.sendMail({
          from,
          to: message.to,
          ...(message.cc === undefined || message.cc.length === 0 ? {} : { cc: message.cc }),
          subject: message.subject,
          text: message.text,
          ...(message.headers === undefined ? {} : { headers: message.headers }),
        });
      } catch (error) {
        throw new Error(smtpFailure(error));
      }
    },
    close: () => {
      transport.close();
    },
  };
}
