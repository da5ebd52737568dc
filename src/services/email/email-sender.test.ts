import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpEmailSender } from './email-sender.ts';

describe('SMTP email sender (a real SMTP server on localhost)', () => {
  const received: { from: string; to: string[]; data: string }[] = [];
  let server: SMTPServer;
  let port = 0;
  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // A mail server that refuses one mailbox, echoing its address in the reply as real servers do.
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('gone'))
          callback(
            Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected`), {
              responseCode: 550,
            }),
          );
        else callback();
      },
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            data,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', () => {
        resolve();
      }),
    );
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  );

  it('delivers the message to the SMTP server', async () => {
    const sender = smtpEmailSender(`smtp://127.0.0.1:${port}`, 'Bluelight <no-reply@bluelight.example>');
    await sender.send({
      to: 'victim@example.org',
      subject: 'Your cybercrime report: CYB-1111-2222-3',
      text: 'Thank you for your report.',
      template: 'email.confirmation',
      reference: 'CYB-1111-2222-3',
    });
    sender.close();
    expect(received).toHaveLength(1);
    expect(received[0]?.from).toBe('no-reply@bluelight.example');
    expect(received[0]?.to).toEqual(['victim@example.org']);
    expect(received[0]?.data).toContain('Subject: Your cybercrime report: CYB-1111-2222-3');
    expect(received[0]?.data).toContain('Thank you for your report.');
  });

  it('sends nothing to a server without STARTTLS when TLS is required (production), and rejects so it is retried', async () => {
    const before = received.length;
    const sender = smtpEmailSender(`smtp://127.0.0.1:${port}`, 'Bluelight <no-reply@bluelight.example>', {
      requireTls: true,
    });
    await expect(
      sender.send({
        to: 'victim@example.org',
        subject: 'Your cybercrime report: CYB-1111-2222-3',
        text: 'Thank you for your report.',
        template: 'email.confirmation',
        reference: 'CYB-1111-2222-3',
      }),
    ).rejects.toThrow(/STARTTLS/);
    sender.close();
    expect(received).toHaveLength(before);
  });

  it('says why a send failed by SMTP code only: the server’s reply, which names the victim, never reaches the outbox or the log', async () => {
    const sender = smtpEmailSender(`smtp://127.0.0.1:${port}`, 'Bluelight <no-reply@bluelight.example>');
    const failure = await sender
      .send({ to: 'gone.victim@example.org', subject: 's', text: 't', template: 't', reference: null })
      .then(
        () => null,
        (error: unknown) => (error as Error).message,
      );
    sender.close();
    expect(failure).toMatch(/^email not sent: E[A-Z]+ 550/);
    expect(failure).not.toContain('gone.victim');
  });

  it('rejects when the server cannot be reached, so the outbox retries', async () => {
    const sender = smtpEmailSender('smtp://127.0.0.1:1', 'Bluelight <no-reply@bluelight.example>');
    await expect(
      sender.send({ to: 'a@example.org', subject: 's', text: 't', template: 't', reference: null }),
    ).rejects.toThrow();
    sender.close();
  });
});
