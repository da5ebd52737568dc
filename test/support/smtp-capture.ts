import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedEmail {
  /** Every envelope recipient (To and Cc). */
  recipients: string[];
  to: string[];
  cc: string[];
  subject: string;
  /** The decoded text part. */
  text: string;
  /** The message as it crossed the wire (headers and encoded body). */
  raw: string;
}

const addresses = (field: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(field) ? field : field === undefined ? [] : [field]).flatMap((a) =>
    a.value.map((v) => v.address ?? ''),
  );

/**
 * A real SMTP server on localhost that keeps what it is sent, decoded. `refuse(true)` makes it answer every
 * recipient with a temporary failure (451), as a mail server under maintenance does.
 */
export async function startSmtpCapture() {
  const received: CapturedEmail[] = [];
  let refusing = false;
  const pending: Promise<void>[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // No reverse DNS of 127.0.0.1 per connection (tens of milliseconds each on this machine's resolver).
    disableReverseLookup: true,
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (refusing) callback(Object.assign(new Error('4.3.2 try again later'), { responseCode: 451 }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        pending.push(
          simpleParser(raw).then((mail) => {
            received.push({
              recipients,
              to: addresses(mail.to),
              cc: addresses(mail.cc),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              raw: raw.toString('utf8'),
            });
          }),
        );
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${String(port)}`,
    /** Every email received so far, once each has been decoded. */
    async emails(): Promise<CapturedEmail[]> {
      await Promise.all(pending);
      return [...received];
    },
    /** Emails with this recipient (To or Cc). */
    async to(address: string): Promise<CapturedEmail[]> {
      return (await this.emails()).filter((e) => e.recipients.includes(address));
    },
    refuse(on: boolean) {
      refusing = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
