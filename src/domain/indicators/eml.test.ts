import { deflateRawSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { describe, expect, it } from 'vitest';
import { extractFromEml, MAX_EML_BYTES } from './eml.ts';

function compose(options: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new MailComposer(options).compile().build();
}

const PHISH_HEADERS = [
  'Received: from mail.evil-sender.com (mail.evil-sender.com [185.220.101.4]) by mx.victim-isp.co.uk with ESMTP',
  'Received: from [IPv6:2001:DB8:0:0:0:0:0:99] (helo=laptop) by mail.evil-sender.com',
];

describe('indicators from .eml evidence', () => {
  it('reads senders, relays, Message-ID, links in text and HTML, and attachment hashes — never the recipient', async () => {
    const attachment = Buffer.from('%PDF-1.4 fake invoice');
    const raw = await compose({
      from: '"HMRC Refunds" <refunds@hmrc-refund-claim.co.uk>',
      replyTo: 'collector@payout-desk.net',
      to: 'jane.victim@example-isp.co.uk',
      cc: 'friend@example-isp.co.uk',
      subject: 'Your tax refund of £286.50 (ref hxxps://short-refund[.]info/r)',
      messageId: '<abc.123@bulk.mailer-evil.org>',
      text: 'Claim here: https://hmrc-refund-claim.co.uk/Claim?id=Z9 or call 07700 900123.',
      html: '<p>Claim <a href="https://track.redirect-evil.com/c?u=1&amp;v=2">www.gov.uk/refund</a></p><script>alert(1)</script>',
      attachments: [{ filename: 'refund-form.pdf', content: attachment }],
      headers: { 'Return-Path': '<bounce@bulk.mailer-evil.org>', 'X-Originating-IP': '[45.9.148.3]' },
    });
    const withReceived = Buffer.concat([Buffer.from(PHISH_HEADERS.join('\r\n') + '\r\n'), raw]);
    const result = await extractFromEml(withReceived);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const where = (type: string, value: string) =>
      result.indicators.find((i) => i.type === type && i.value === value)?.foundIn;
    expect(where('email', 'refunds@hmrc-refund-claim.co.uk')).toEqual(['header:from']);
    expect(where('email', 'collector@payout-desk.net')).toEqual(['header:reply-to']);
    expect(where('email', 'bounce@bulk.mailer-evil.org')).toEqual(['header:return-path']);
    expect(where('ipv4', '185.220.101.4')).toEqual(['header:received']);
    expect(where('ipv6', '2001:db8::99')).toEqual(['header:received']);
    expect(where('ipv4', '45.9.148.3')).toEqual(['header:x-originating-ip']);
    expect(where('domain', 'mailer-evil.org') ?? where('domain', 'bulk.mailer-evil.org')).toContain(
      'header:message-id',
    );
    expect(where('url', 'https://short-refund.info/r')).toEqual(['header:subject']);
    expect(where('url', 'https://hmrc-refund-claim.co.uk/Claim?id=Z9')).toContain('body:text');
    expect(where('phone', '+447700900123')).toContain('body:text');
    expect(where('url', 'https://track.redirect-evil.com/c?u=1&v=2')).toContain('body:html');
    expect(where('url', 'http://www.gov.uk/refund')).toContain('body:html');
    const sha = createHash('sha256').update(attachment).digest('hex');
    expect(where('sha256', sha)).toEqual(['attachment:refund-form.pdf']);
    expect(result.attachments).toEqual([
      { fileName: 'refund-form.pdf', contentType: 'application/pdf', size: attachment.length, sha256: sha },
    ]);
    const values = result.indicators.map((i) => i.value).join(' ');
    expect(values).not.toContain('jane.victim');
    expect(values).not.toContain('friend@');
    // The relay that received it for the victim is not the sender's.
    expect(values).not.toContain('victim-isp');
  });

  it('reads a phishing email forwarded as an attachment (mailparser shows it inline)', async () => {
    const inner = await compose({
      from: 'security@paypa1-alerts.com',
      to: 'me@example.com',
      subject: 'Account locked',
      text: 'Verify at http://paypa1-alerts.com/verify',
    });
    const outer = await compose({
      from: 'me@example.com',
      to: 'report@example.com',
      subject: 'Fwd: suspicious',
      text: 'See attached',
      attachments: [{ filename: 'original.eml', content: inner, contentType: 'message/rfc822' }],
    });
    const result = await extractFromEml(outer);
    expect(
      result.ok && result.indicators.find((i) => i.value === 'http://paypa1-alerts.com/verify')?.foundIn,
    ).toEqual(['body:text']);
    expect(result.ok && result.indicators.some((i) => i.value === 'security@paypa1-alerts.com')).toBe(true);
  });

  it('survives broken MIME, huge headers, deep nesting and compressed bombs without running anything', async () => {
    const broken = Buffer.from(
      'From: a@broken-mime.com\r\nContent-Type: multipart/mixed; boundary="XX"\r\n\r\n--XX\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64 http://inside-broken.com/x\r\n--X',
    );
    const brokenResult = await extractFromEml(broken);
    expect(brokenResult.ok).toBe(true);

    const hugeHeader = Buffer.from(`Subject: ${'A'.repeat(400_000)}\r\nFrom: x@y.com\r\n\r\nbody`);
    expect(await extractFromEml(hugeHeader)).toEqual({ ok: false, reason: 'headers-too-large' });

    let nested = 'Content-Type: text/plain\r\n\r\nhttp://deep-inside.com/a\r\n';
    for (let i = 0; i < 300; i++) {
      nested = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${nested}--b${i}--\r\n`;
    }
    const deep = await extractFromEml(Buffer.from(`From: n@nested-mail.com\r\n${nested}`));
    expect(deep.ok || deep.reason === 'unreadable').toBe(true);

    // 50 MB of zeros compresses to ~50 KB; the archive is hashed as it is, never expanded.
    const bomb = deflateRawSync(Buffer.alloc(50 * 1024 * 1024));
    const withBomb = await compose({
      from: 'bomber@zip-bomb-sender.com',
      to: 'v@example.com',
      text: 'open it',
      attachments: [{ filename: 'invoice.zip', content: bomb }],
    });
    const bombResult = await extractFromEml(withBomb);
    expect(bombResult.ok && bombResult.attachments[0]?.size).toBe(bomb.length);

    expect(await extractFromEml(Buffer.alloc(MAX_EML_BYTES + 1))).toEqual({ ok: false, reason: 'too-large' });
    expect((await extractFromEml(Buffer.from([0xff, 0xfe, 0x00, 0x01]))).ok).toBe(true);
  });

  describe('a forward: the outer headers are the victim’s own, never the sender’s', () => {
    const victimForward = (subject: string, text: string, extra: object = {}) =>
      compose({
        from: 'Bob Victim <bob.home1980@gmail.com>',
        to: 'report@police.example',
        subject,
        headers: { 'X-Originating-IP': '[81.2.69.160]' },
        text,
        ...extra,
      });
    const inner = () =>
      compose({ from: 'billing@parcel-fee.co.uk', to: 'bob@example.com', subject: 'Fee', text: 'Pay now' });

    it.each([
      ['Fwd: parcel fee', 'see below'],
      ['FW: parcel fee', 'see below'],
      ['Fw: parcel fee', 'see below'],
      ['Ymlaen: ffi parsel', 'gweler isod'],
      ['parcel fee', '---------- Forwarded message ---------\nFrom: Parcel <billing@parcel-fee.co.uk>'],
      ['parcel fee', '-----Original Message-----\nFrom: Parcel <billing@parcel-fee.co.uk>'],
      ['parcel fee', 'Begin forwarded message:\n\nFrom: Parcel <billing@parcel-fee.co.uk>'],
    ])('subject %j, body %j is a forward', async (subject, text) => {
      const result = await extractFromEml(await victimForward(subject, text));
      expect(result.ok && result.forwarded).toBe(true);
      // Still found for police; the intelligence service marks them the forwarder's, never shared.
      const from = result.ok
        ? result.indicators.find((i) => i.value === 'bob.home1980@gmail.com')
        : undefined;
      expect(from?.foundIn).toContain('header:from');
    });

    it('a message attached as message/rfc822 is a forward, whatever the subject', async () => {
      const raw = await victimForward('look at this', 'attached', {
        attachments: [{ filename: 'scam.eml', content: await inner(), contentType: 'message/rfc822' }],
      });
      expect((await extractFromEml(raw)).ok && (await extractFromEml(raw))).toMatchObject({
        forwarded: true,
      });
    });

    it('an email straight from the scammer is not a forward', async () => {
      const raw = await compose({
        from: 'billing@parcel-fee.co.uk',
        to: 'bob@example.com',
        subject: 'Re: fee',
        text: 'Pay',
      });
      expect(await extractFromEml(raw)).toMatchObject({ ok: true, forwarded: false });
    });
  });
});
