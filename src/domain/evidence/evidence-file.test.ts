import { describe, expect, it } from 'vitest';
import {
  ALLOWED_EXTENSIONS,
  checkEvidenceFile,
  sanitiseFileName,
  sniffEvidenceKind,
  type EvidenceKind,
} from './evidence-file.ts';

function bytes(...parts: (string | number[] | Uint8Array)[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

// Signature, then the IHDR chunk of a 1×1 RGBA image.
const PNG = bytes(
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  [0x00, 0x00, 0x00, 0x0d],
  'IHDR',
  [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89],
);
// SOI, then an APP0 JFIF segment.
const JPEG = bytes(
  [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10],
  'JFIF',
  [0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01],
);
const GIF89 = bytes('GIF89a', [0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00]);
const GIF87 = bytes('GIF87a', [0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]);
const WEBP = bytes('RIFF', [0x24, 0x00, 0x00, 0x00], 'WEBPVP8 ', [0x18, 0x00, 0x00, 0x00]);
// An ISO BMFF ftyp box: size, 'ftyp', major brand, minor version, compatible brands.
function heif(brand: string): Uint8Array {
  return bytes([0x00, 0x00, 0x00, 0x18], 'ftyp', brand, [0x00, 0x00, 0x00, 0x00], 'mif1heic');
}
const HEIC = heif('heic');
const PDF = bytes(
  '%PDF-1.7\n%',
  [0xe2, 0xe3, 0xcf, 0xd3],
  '\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n',
);
const EML = bytes(
  [
    'Return-Path: <support@secure-hmrc-refund.example>',
    'Delivered-To: victim@example.co.uk',
    'Received: from mail.secure-hmrc-refund.example (mail.secure-hmrc-refund.example [203.0.113.7])',
    '\tby mx.example.co.uk with ESMTPS id 4f2a9c1b',
    '\tfor <victim@example.co.uk>; Tue, 14 May 2024 09:12:44 +0100 (BST)',
    'From: "HMRC Refunds" <support@secure-hmrc-refund.example>',
    'To: victim@example.co.uk',
    'Subject: You are owed a tax refund of =?UTF-8?Q?=C2=A3?=412.50',
    'Date: Tue, 14 May 2024 09:12:40 +0100',
    'Message-ID: <20240514081240.12345@secure-hmrc-refund.example>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    '',
    'Dear customer, click the link below to claim your refund.',
    '',
  ].join('\r\n'),
);
const TEXT = bytes('Annwyl gwsmer, ŵ ŷ — café, naïve.\nThe caller said he was from the bank.\n');
const MZ = bytes('MZ', [0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00]);
const ZIP = bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00], 'word/document.xml');

const SAMPLES: [EvidenceKind, Uint8Array][] = [
  ['image/png', PNG],
  ['image/jpeg', JPEG],
  ['image/gif', GIF89],
  ['image/gif', GIF87],
  ['image/webp', WEBP],
  ['image/heic', HEIC],
  ['application/pdf', PDF],
  ['message/rfc822', EML],
  ['text/plain', TEXT],
];

describe('sniffEvidenceKind', () => {
  it.each(SAMPLES)('detects %s by its content', (kind, head) => {
    expect(sniffEvidenceKind(head)).toBe(kind);
  });

  it.each(['heic', 'heix', 'mif1', 'msf1', 'hevc'])('detects HEIC/HEIF with brand %s', (brand) => {
    expect(sniffEvidenceKind(heif(brand))).toBe('image/heic');
  });

  it('does not take other ISO BMFF files (MP4, AVIF) for HEIC', () => {
    expect(sniffEvidenceKind(heif('isom'))).toBeNull();
    expect(sniffEvidenceKind(heif('avif'))).toBeNull();
  });

  it('finds a PDF header preceded by junk within the first 1024 bytes, but not after', () => {
    expect(sniffEvidenceKind(bytes('\r\n\r\n', PDF))).toBe('application/pdf');
    expect(sniffEvidenceKind(bytes([0xef, 0xbb, 0xbf], PDF))).toBe('application/pdf');
    expect(sniffEvidenceKind(bytes('x'.repeat(1019), '%PDF-1.4'))).toBe('application/pdf');
    expect(sniffEvidenceKind(bytes('x'.repeat(1020), '%PDF-1.4'))).toBe('text/plain');
  });

  it('refuses executables, archives and binary garbage', () => {
    expect(sniffEvidenceKind(MZ)).toBeNull();
    expect(sniffEvidenceKind(bytes([0x7f], 'ELF', [0x02, 0x01, 0x01, 0x00]))).toBeNull();
    expect(sniffEvidenceKind(bytes([0xcf, 0xfa, 0xed, 0xfe, 0x0c, 0x00, 0x00, 0x01]))).toBeNull();
    expect(sniffEvidenceKind(ZIP)).toBeNull();
    expect(sniffEvidenceKind(bytes([0x1f, 0x8b, 0x08, 0x00]))).toBeNull();
    expect(sniffEvidenceKind(bytes([0x13, 0x37, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x42]))).toBeNull();
  });

  it('refuses an executable even when it carries a PDF header', () => {
    expect(sniffEvidenceKind(bytes(MZ, '%PDF-1.7\n'))).toBeNull();
  });

  it('refuses HTML, SVG and XML, which can carry script', () => {
    for (const markup of [
      '<!DOCTYPE html><html><body>Your account is locked</body></html>',
      '  \n<HTML>\n<script>alert(1)</script>',
      '<script>document.location="https://evil.example"</script>',
      '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      '<svg onload="alert(1)"/>',
      '\uFEFF<html lang="en">',
      '<html>%PDF-1.7',
      `${' \r\n'.repeat(2000)}<script>alert(1)</script>`,
    ]) {
      expect(sniffEvidenceKind(bytes(markup)), markup).toBeNull();
    }
  });

  it('keeps text that merely mentions a tag', () => {
    expect(sniffEvidenceKind(bytes('<abc> is what the caller called himself'))).toBe('text/plain');
    expect(sniffEvidenceKind(bytes('He said: <html> is in the link'))).toBe('text/plain');
  });

  it('accepts Welsh and accented text, with or without a BOM', () => {
    expect(sniffEvidenceKind(bytes('Annwyl gwsmer, ŵ ŷ'))).toBe('text/plain');
    expect(sniffEvidenceKind(bytes([0xef, 0xbb, 0xbf], 'Llythyr gan y banc: ŵ ŷ â ê'))).toBe('text/plain');
    expect(sniffEvidenceKind(bytes('date,amount\r\n2024-05-14,£412.50\r\n'))).toBe('text/plain');
    expect(sniffEvidenceKind(bytes('page one\fpage two\tend'))).toBe('text/plain');
  });

  it('accepts text whose head ends in the middle of a multi-byte character', () => {
    const welsh = bytes('Annwyl gwsmer, ŵ'); // ŵ is C5 B5
    expect(sniffEvidenceKind(welsh.subarray(0, welsh.length - 1))).toBe('text/plain');
    const emoji = bytes('scam 😀'); // F0 9F 98 80
    expect(sniffEvidenceKind(emoji.subarray(0, emoji.length - 1))).toBe('text/plain');
    expect(sniffEvidenceKind(emoji.subarray(0, emoji.length - 3))).toBe('text/plain');
  });

  it('refuses invalid UTF-8 that is not at the very end', () => {
    expect(sniffEvidenceKind(bytes('abc', [0xc5], 'def'))).toBeNull();
    expect(sniffEvidenceKind(bytes('abc', [0x80]))).toBeNull();
    expect(sniffEvidenceKind(bytes('caf', [0xe9], ' latin-1'))).toBeNull();
  });

  it('refuses text with NULs or other control characters', () => {
    expect(sniffEvidenceKind(bytes('hello', [0x00], 'world'))).toBeNull();
    expect(sniffEvidenceKind(bytes('red ', [0x1b], '[31mtext'))).toBeNull();
    // UTF-16 text is full of NULs.
    expect(sniffEvidenceKind(bytes([0xff, 0xfe, 0x68, 0x00, 0x69, 0x00]))).toBeNull();
  });

  it('returns null for an empty head', () => {
    expect(sniffEvidenceKind(new Uint8Array(0))).toBeNull();
  });

  describe('saved emails', () => {
    it('recognises LF line endings, a BOM, leading blank lines and an mbox From line', () => {
      const lf = 'Received: from x\nFrom: a@example.com\nSubject: hi\n\nbody\n';
      expect(sniffEvidenceKind(bytes(lf))).toBe('message/rfc822');
      expect(sniffEvidenceKind(bytes([0xef, 0xbb, 0xbf], '\r\n\r\n', lf))).toBe('message/rfc822');
      expect(sniffEvidenceKind(bytes('From - Tue May 14 09:12:44 2024\n', lf))).toBe('message/rfc822');
    });

    it('reads header names case-insensitively', () => {
      expect(sniffEvidenceKind(bytes('MESSAGE-ID: <1@x>\nDATE: today\n\nbody'))).toBe('message/rfc822');
    });

    it('accepts a header block cut off by the end of the head', () => {
      const head = 'Received: from a\n\tby b\nFrom: x@example.com\nTo: y@example.com\nX-Spam-Sco';
      expect(sniffEvidenceKind(bytes(head))).toBe('message/rfc822');
    });

    it('needs both a sender/transport field and a message field', () => {
      expect(sniffEvidenceKind(bytes('Received: from a\nReturn-Path: <b>\n\nbody'))).toBe('text/plain');
      expect(sniffEvidenceKind(bytes('Subject: hello\nDate: today\n\nbody'))).toBe('text/plain');
    });

    it('is plain text when the header-like lines are not followed by a blank line', () => {
      const note = 'From: the bank\nTo: me\nThey asked for my PIN.\n';
      expect(sniffEvidenceKind(bytes(note))).toBe('text/plain');
    });

    it('is plain text when header lines come after ordinary text', () => {
      expect(sniffEvidenceKind(bytes('Notes\nFrom: a\nTo: b\n\n'))).toBe('text/plain');
    });
  });
});

describe('sanitiseFileName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\Desktop\\scam.PNG', 'scam.png'],
    ['invoice.pdf', 'invoice.pdf'],
    ['Llythyr gan y banc ŵ.txt', 'Llythyr gan y banc ŵ.txt'],
    ['...', 'evidence'],
    ['.', 'evidence'],
    ['..', 'evidence'],
    ['', 'evidence'],
    ['/', 'evidence'],
    ['.pdf', 'evidence.pdf'],
    ['....pdf', 'evidence.pdf'],
    ['.bashrc', 'evidence.bashrc'],
    ['<>:"|?*.jpg', 'evidence.jpg'],
    ['bank\nstatement\r\t.pdf', 'bankstatement.pdf'],
    ['nul\u0000byte\u007f.txt', 'nulbyte.txt'],
    ['  lots   of\u00a0\u00a0space  .txt', 'lots of space.txt'],
    ['photo (1) [edited]_v2-final.JPEG', 'photo (1) [edited]_v2-final.jpeg'],
    ['scam.png. . ', 'scam.png'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['Ffôn symudol', 'Ffôn symudol'],
    ['sgrinlun 😀.png', 'sgrinlun.png'],
    ['report.tar.GZ', 'report.tar.gz'],
  ])('%j → %j', (input, expected) => {
    expect(sanitiseFileName(input)).toBe(expected);
  });

  it('removes markup characters', () => {
    const name = sanitiseFileName('<script>alert(1)</script>.jpg');
    expect(name).not.toMatch(/[<>/]/);
    expect(name.endsWith('.jpg')).toBe(true);
  });

  it('composes decomposed accents (as macOS stores them) instead of dropping them', () => {
    expect(sanitiseFileName('w\u0302.txt')).toBe('ŵ.txt');
  });

  it('cuts long names to 120 characters, keeping the extension', () => {
    const name = sanitiseFileName(`${'a'.repeat(300)}.PDF`);
    expect(name.length).toBeLessThanOrEqual(120);
    expect(name).toBe(`${'a'.repeat(116)}.pdf`);
  });

  it('cuts long Unicode names without splitting a character', () => {
    const welsh = sanitiseFileName(`${'ŵ'.repeat(200)}.txt`);
    expect(welsh).toBe(`${'ŵ'.repeat(116)}.txt`);
    // U+20000 is a CJK letter outside the BMP: two UTF-16 units that must stay together.
    const cjk = sanitiseFileName(`${'\u{20000}'.repeat(100)}.txt`);
    expect(cjk).toBe(`${'\u{20000}'.repeat(58)}.txt`);
    // Devanagari "ki" is a letter and a combining vowel sign that must stay together.
    const hindi = sanitiseFileName(`a${'कि'.repeat(100)}.txt`);
    expect(hindi.length).toBeLessThanOrEqual(120);
    expect(hindi.endsWith('कि.txt')).toBe(true);
  });

  it('never returns an empty, hidden or dot-only name', () => {
    for (const input of ['', '.', '..', '...', ' . . ', '\\', '../', '\u0000', '<>', '.hidden']) {
      const name = sanitiseFileName(input);
      expect(['', '.', '..']).not.toContain(name);
      expect(name.startsWith('.')).toBe(false);
    }
  });

  it('is idempotent', () => {
    for (const input of ['../x/Scam Photo.PNG', '  a  b  ', `${'z'.repeat(200)}.jpeg`, '...', 'ŵ.TXT']) {
      const once = sanitiseFileName(input);
      expect(sanitiseFileName(once)).toBe(once);
    }
  });
});

describe('checkEvidenceFile', () => {
  const check = (fileName: string, head: Uint8Array, size = head.length) =>
    checkEvidenceFile({ fileName, size, head });

  it.each(SAMPLES)('accepts %s with its own extension', (kind, head) => {
    const extension = ALLOWED_EXTENSIONS[kind][0] ?? '';
    expect(check(`evidence file${extension}`, head)).toEqual({
      ok: true,
      kind,
      fileName: `evidence file${extension}`,
    });
  });

  it('accepts every listed extension for its kind, in any case', () => {
    expect(check('photo.JPEG', JPEG)).toEqual({ ok: true, kind: 'image/jpeg', fileName: 'photo.jpeg' });
    expect(check('transactions.csv', TEXT)).toMatchObject({ ok: true, kind: 'text/plain' });
    expect(check('chat.log', TEXT)).toMatchObject({ ok: true, kind: 'text/plain' });
    expect(check('IMG_0001.HEIF', HEIC)).toMatchObject({ ok: true, fileName: 'IMG_0001.heif' });
  });

  it('rejects an empty file', () => {
    expect(check('photo.png', PNG, 0)).toEqual({ ok: false, reason: 'empty' });
    expect(check('photo.png', new Uint8Array(0))).toEqual({ ok: false, reason: 'empty' });
  });

  it('rejects a file over 20 MB', () => {
    const mb20 = 20 * 1024 * 1024;
    expect(check('photo.png', PNG, mb20)).toMatchObject({ ok: true });
    expect(check('photo.png', PNG, mb20 + 1)).toEqual({ ok: false, reason: 'too-large' });
  });

  it('rejects a JPEG renamed .txt', () => {
    expect(check('notes.txt', JPEG)).toEqual({ ok: false, reason: 'extension-mismatch' });
  });

  it('rejects a PNG named .jpg and a text file named .pdf', () => {
    expect(check('photo.jpg', PNG)).toEqual({ ok: false, reason: 'extension-mismatch' });
    expect(check('statement.pdf', TEXT)).toEqual({ ok: false, reason: 'extension-mismatch' });
  });

  it('rejects an executable whatever it is called', () => {
    expect(check('photo.png', MZ)).toEqual({ ok: false, reason: 'unsupported-type' });
    expect(check('readme.txt', MZ)).toEqual({ ok: false, reason: 'unsupported-type' });
  });

  it('rejects HTML named .txt and SVG named .png', () => {
    expect(check('notes.txt', bytes('<!doctype html><title>x</title>'))).toEqual({
      ok: false,
      reason: 'unsupported-type',
    });
    expect(check('logo.png', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toEqual({
      ok: false,
      reason: 'unsupported-type',
    });
  });

  it('rejects a zip', () => {
    expect(check('statement.pdf', ZIP)).toEqual({ ok: false, reason: 'unsupported-type' });
  });

  it('gives a file without an extension the first extension of its kind', () => {
    expect(check('IMG_4471', JPEG)).toEqual({ ok: true, kind: 'image/jpeg', fileName: 'IMG_4471.jpg' });
    expect(check('scam email', EML)).toEqual({
      ok: true,
      kind: 'message/rfc822',
      fileName: 'scam email.eml',
    });
    expect(check('...', PDF)).toEqual({ ok: true, kind: 'application/pdf', fileName: 'evidence.pdf' });
  });

  it('keeps a long name within 120 characters when adding the extension', () => {
    const result = check('b'.repeat(200), TEXT);
    expect(result).toEqual({ ok: true, kind: 'text/plain', fileName: `${'b'.repeat(116)}.txt` });
  });

  it('returns the sanitised name', () => {
    expect(check('C:\\fakepath\\Scam Screenshot.PNG', PNG)).toEqual({
      ok: true,
      kind: 'image/png',
      fileName: 'Scam Screenshot.png',
    });
  });
});

describe('limits', () => {
  it('lists extensions in lower case with a leading dot, frozen', () => {
    for (const extensions of Object.values(ALLOWED_EXTENSIONS)) {
      for (const extension of extensions) expect(extension).toMatch(/^\.[a-z0-9]+$/);
    }
    expect(Object.isFrozen(ALLOWED_EXTENSIONS)).toBe(true);
    expect(Object.isFrozen(ALLOWED_EXTENSIONS['image/png'])).toBe(true);
  });
});
