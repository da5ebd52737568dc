import { describe, expect, it } from 'vitest';
import { MAX_PREVIEW_CHARS, previewEml, previewText } from './eml-preview.ts';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'));

describe('previewing an email as text', () => {
  it('gives From, To, Subject, the Date as written, the plain body and attachment names only', async () => {
    const raw = crlf([
      'From: "HMRC Refunds" <refunds@hmrc-claim.example>',
      'To: victim@example.org, other@example.org',
      'Subject: =?UTF-8?Q?Your_=C2=A3320_refund?=',
      'Date: Tue, 17 Nov 2026 08:30:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: multipart/alternative; boundary="b2"',
      '',
      '--b2',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Click <a href="https://x.example">here</a> to claim.',
      '--b2',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>Click <a href="https://x.example">here</a><img src="https://tracker.example/p.gif"></p>',
      '--b2--',
      '--b1',
      'Content-Type: application/zip; name="refund.zip"',
      'Content-Disposition: attachment; filename="refund.zip"',
      'Content-Transfer-Encoding: base64',
      '',
      'UEsDBAoAAAAAAA==',
      '--b1--',
      '',
    ]);
    expect(await previewEml(raw)).toEqual({
      from: '"HMRC Refunds" <refunds@hmrc-claim.example>',
      to: 'victim@example.org, other@example.org',
      subject: 'Your £320 refund',
      date: 'Tue, 17 Nov 2026 08:30:00 +0000',
      text: 'Click <a href="https://x.example">here</a> to claim.',
      truncated: false,
      hasHtml: true,
      attachments: ['refund.zip'],
    });
  });

  it('never turns an HTML-only body into text, and keeps an unreadable date as written', async () => {
    const preview = await previewEml(
      crlf([
        'From: a@b.example',
        'Subject: hi',
        'Date: sometime',
        'Content-Type: text/html',
        '',
        '<p>secret</p>',
      ]),
    );
    expect(preview).toMatchObject({ text: '', hasHtml: true, date: 'sometime' });
  });

  it('drops bidirectional overrides and control characters that could disguise the text', async () => {
    const preview = await previewEml(
      crlf(['From: a@b.example', 'Subject: invoice\u202Efdp.exe', '', 'line one\u202E\u0007', 'line two']),
    );
    expect(preview?.subject).toBe('invoice fdp.exe');
    expect(preview?.text).toBe('line one\nline two');
  });

  it('shows only the start of a long text', () => {
    const long = previewText(Buffer.from('a'.repeat(MAX_PREVIEW_CHARS + 10)));
    expect(long).toMatchObject({ truncated: true });
    expect(long.text).toHaveLength(MAX_PREVIEW_CHARS);
    expect(previewText(Buffer.from([0x68, 0x69, 0xff]))).toEqual({ text: 'hi\uFFFD', truncated: false });
  });
});
