import { describe, expect, it } from 'vitest';
import { contentDisposition, fileHeaders, previewKindOf, servedContentType } from './file-response.ts';

describe('how an evidence file is served', () => {
  it('serves the stored type, and octet-stream for anything that is not a plain media type', () => {
    expect(servedContentType('image/png')).toBe('image/png');
    expect(servedContentType('text/html')).toBe('text/html');
    expect(servedContentType(' Message/RFC822 ')).toBe('message/rfc822');
    for (const stored of [
      '',
      'png',
      'text/html; charset=utf-8',
      'text/plain\r\nSet-Cookie: a=b',
      'a/b/c',
      'image/',
    ])
      expect(servedContentType(stored), JSON.stringify(stored)).toBe('application/octet-stream');
  });

  it('previews text, emails and four image types only, judged by the stored type', () => {
    expect(previewKindOf('text/plain')).toBe('text');
    expect(previewKindOf('message/rfc822')).toBe('email');
    for (const type of ['image/png', 'image/jpeg', 'image/gif', 'image/webp'])
      expect(previewKindOf(type)).toBe('image');
    for (const type of [
      'image/svg+xml',
      'image/heic',
      'text/html',
      'application/pdf',
      'application/octet-stream',
      '',
    ])
      expect(previewKindOf(type), type).toBeNull();
  });

  it('names the file RFC 6266 style: an ASCII fallback and the exact name in filename*', () => {
    expect(contentDisposition('attachment', 'screenshot 1.png')).toBe(
      `attachment; filename="screenshot 1.png"; filename*=UTF-8''screenshot%201.png`,
    );
    expect(contentDisposition('inline', 'Llun o’r neges (1).jpg')).toBe(
      `inline; filename="Llun o_r neges (1).jpg"; filename*=UTF-8''Llun%20o%E2%80%99r%20neges%20%281%29.jpg`,
    );
  });

  it('keeps quotes, line breaks, separators and percent signs out of the header', () => {
    const header = contentDisposition('attachment', 'a"b\\c\r\nSet-Cookie: x=1;%41/../e\u202Egnp.exe');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toBe(
      `attachment; filename="a_b_cSet-Cookie: x=1;_41_.._egnp.exe"; filename*=UTF-8''a%22b_cSet-Cookie%3A%20x%3D1%3B%2541_.._egnp.exe`,
    );
    expect(contentDisposition('attachment', ' \r\n ')).toBe(
      `attachment; filename="evidence"; filename*=UTF-8''evidence`,
    );
  });

  it('always sends nosniff, a sandbox CSP that allows nothing, and no-store', () => {
    expect(fileHeaders('attachment', 'page.html', 'text/html')).toEqual({
      'content-type': 'text/html',
      'content-disposition': `attachment; filename="page.html"; filename*=UTF-8''page.html`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cache-control': 'no-store',
    });
  });
});
