/**
 * Evidence uploads: the type is decided by the bytes, never by the file name or the browser's MIME type, and
 * file names are made safe to store and to offer for download (files are never served inline).
 */
export type EvidenceKind =
  | 'image/png'
  | 'image/jpeg'
  | 'image/gif'
  | 'image/webp'
  | 'image/heic'
  | 'application/pdf'
  | 'message/rfc822'
  | 'text/plain';

/** The first extension of each kind is the one given to files uploaded without an extension. */
export const ALLOWED_EXTENSIONS: Readonly<Record<EvidenceKind, readonly string[]>> = Object.freeze({
  'image/png': Object.freeze(['.png']),
  // Windows saves some web JPEGs as .jfif.
  'image/jpeg': Object.freeze(['.jpg', '.jpeg', '.jfif']),
  'image/gif': Object.freeze(['.gif']),
  'image/webp': Object.freeze(['.webp']),
  'image/heic': Object.freeze(['.heic', '.heif']),
  'application/pdf': Object.freeze(['.pdf']),
  'message/rfc822': Object.freeze(['.eml']),
  'text/plain': Object.freeze(['.txt', '.csv', '.log']),
});

export const MAX_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_REPORT_BYTES = 100 * 1024 * 1024;
export const MAX_FILES_PER_REPORT = 20;

const MAX_NAME_LENGTH = 120;
const MAX_EXTENSION_LENGTH = 16;
const FALLBACK_STEM = 'evidence';
const PDF_HEADER_WINDOW = 1024;
const HEIC_BRANDS = new Set(['heic', 'heix', 'mif1', 'msf1', 'hevc']);

function startsWith(head: Uint8Array, bytes: readonly number[], offset = 0): boolean {
  if (head.length < offset + bytes.length) return false;
  return bytes.every((b, i) => head[offset + i] === b);
}

function ascii(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0));
}

function asciiAt(head: Uint8Array, start: number, end: number): string {
  if (head.length < end) return '';
  return String.fromCharCode(...head.subarray(start, end));
}

function indexOfBytes(head: Uint8Array, needle: readonly number[], limit: number): number {
  const last = Math.min(head.length, limit) - needle.length;
  for (let i = 0; i <= last; i++) if (startsWith(head, needle, i)) return i;
  return -1;
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const GIF87A = ascii('GIF87a');
const GIF89A = ascii('GIF89a');
const RIFF = ascii('RIFF');
const WEBP = ascii('WEBP');
const PDF = ascii('%PDF-');
const UTF8_BOM = [0xef, 0xbb, 0xbf];

// Checked before anything else, so that e.g. an .exe with "%PDF-" in its first 1 KB is not taken for a PDF.
const DANGEROUS_SIGNATURES: readonly (readonly number[])[] = [
  ascii('MZ'), // Windows executable
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0xfe, 0xed, 0xfa, 0xce], // Mach-O
  [0xfe, 0xed, 0xfa, 0xcf],
  [0xce, 0xfa, 0xed, 0xfe],
  [0xcf, 0xfa, 0xed, 0xfe],
  [0xca, 0xfe, 0xba, 0xbe], // Mach-O universal / Java class
  [0x50, 0x4b, 0x03, 0x04], // zip (also docx, jar, apk)
  [0x50, 0x4b, 0x05, 0x06],
  [0x50, 0x4b, 0x07, 0x08],
  ascii('Rar!'),
  [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], // 7z
  [0x1f, 0x8b], // gzip
];

// Markup a browser would sniff and run as HTML or SVG (WHATWG MIME Sniffing, plus XML/SVG).
const MARKUP_TAGS = [
  '!doctype html',
  'html',
  'head',
  'script',
  'iframe',
  'h1',
  'div',
  'font',
  'table',
  'a',
  'style',
  'title',
  'b',
  'body',
  'br',
  'p',
  'svg',
];

/** Whether the head starts, after a BOM and any amount of whitespace, with HTML, SVG or XML. */
function isMarkup(head: Uint8Array): boolean {
  let i = startsWith(head, UTF8_BOM) ? UTF8_BOM.length : 0;
  while (i < head.length && [0x09, 0x0a, 0x0c, 0x0d, 0x20].includes(head[i] ?? 0)) i++;
  const start = new TextDecoder('utf-8').decode(head.subarray(i, i + 32)).toLowerCase();
  if (start.startsWith('<?xml') || start.startsWith('<!--')) return true;
  return MARKUP_TAGS.some((tag) => {
    if (!start.startsWith(`<${tag}`)) return false;
    const next = start.charAt(tag.length + 1);
    return next === '' || /[\s>/]/.test(next);
  });
}

/** Decodes the head as UTF-8 text, or returns null when it is not plain text. */
function decodeText(head: Uint8Array): string | null {
  for (const byte of head) {
    // C0 controls other than tab, LF, form feed and CR mean binary (NUL included).
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) return null;
  }
  try {
    // stream: true keeps a multi-byte character cut off at the end of the head pending instead of failing.
    return new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return null;
  }
}

const HEADER_FIELD = /^([!-9;-~]+)[ \t]*:/;
const MBOX_FROM_LINE = /^From /;
const ORIGIN_FIELDS = new Set(['from', 'received', 'message-id', 'return-path', 'delivered-to']);
const MESSAGE_FIELDS = new Set(['from', 'date', 'subject', 'to']);

function looksLikeEmail(text: string): boolean {
  const lines = text.split(/\r\n|\n|\r/);
  let i = 0;
  while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
  // Some mail clients save .eml files with an mbox "From " separator line first.
  if (MBOX_FROM_LINE.test(lines[i] ?? '')) i++;

  const names = new Set<string>();
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') break; // end of the header block
    const name = HEADER_FIELD.exec(line)?.[1];
    if (name !== undefined) {
      names.add(name.toLowerCase());
      continue;
    }
    const continuation = names.size > 0 && /^[ \t]/.test(line);
    // The head may end in the middle of a field name.
    const cutName = i === lines.length - 1 && /^[!-9;-~]+$/.test(line);
    if (!continuation && !cutName) return false; // text that merely starts with header-like lines
  }
  return [...names].some((n) => ORIGIN_FIELDS.has(n)) && [...names].some((n) => MESSAGE_FIELDS.has(n));
}

export function sniffEvidenceKind(head: Uint8Array): EvidenceKind | null {
  if (head.length === 0) return null;
  if (DANGEROUS_SIGNATURES.some((sig) => startsWith(head, sig))) return null;

  if (startsWith(head, PNG)) return 'image/png';
  if (startsWith(head, JPEG)) return 'image/jpeg';
  if (startsWith(head, GIF87A) || startsWith(head, GIF89A)) return 'image/gif';
  if (startsWith(head, RIFF) && startsWith(head, WEBP, 8)) return 'image/webp';
  if (asciiAt(head, 4, 8) === 'ftyp' && HEIC_BRANDS.has(asciiAt(head, 8, 12))) return 'image/heic';

  // Markup is refused even if it contains a PDF header: it could run script if ever opened in a browser.
  if (isMarkup(head)) return null;

  if (indexOfBytes(head, PDF, PDF_HEADER_WINDOW) >= 0) return 'application/pdf';

  const text = decodeText(head);
  if (text === null) return null;
  return looksLikeEmail(text) ? 'message/rfc822' : 'text/plain';
}

function splitExtension(name: string): { stem: string; extension: string } {
  const dot = name.lastIndexOf('.');
  const extension = dot >= 0 ? name.slice(dot) : '';
  if (extension.length < 2 || extension.length > MAX_EXTENSION_LENGTH + 1 || extension.includes(' ')) {
    return { stem: name, extension: '' };
  }
  return { stem: name.slice(0, dot), extension: extension.toLowerCase() };
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

// Leading dots hide files and make '.' or '..'; trailing dots and spaces are dropped by Windows.
function tidyStem(stem: string): string {
  return stem.replace(/^[ .]+/, '').replace(/[ .]+$/, '');
}

/**
 * Joins a stem and an extension, cutting the stem so the result is at most MAX_NAME_LENGTH UTF-16 units (so
 * also at most that many code points) without splitting a character or an accent from its letter.
 */
function joinName(stem: string, extension: string): string {
  const room = MAX_NAME_LENGTH - extension.length;
  let cut = '';
  for (const { segment } of graphemes.segment(tidyStem(stem))) {
    if (cut.length + segment.length > room) break;
    cut += segment;
  }
  cut = tidyStem(cut);
  return (cut === '' ? FALLBACK_STEM : cut) + extension;
}

export function sanitiseFileName(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const cleaned = base
    // NFC so that decomposed accents (macOS names) are kept as single letters.
    .normalize('NFC')
    .replace(/\p{Cc}/gu, '')
    .replace(/\s/gu, ' ')
    .replace(/[^\p{L}\p{M}\p{Nd} ._\-()[\]]/gu, '')
    .replace(/ {2,}/g, ' ')
    .replace(/^ +/, '')
    .replace(/[ .]+$/, '');
  const { stem, extension } = splitExtension(cleaned);
  return joinName(stem, extension);
}

export function checkEvidenceFile(input: {
  fileName: string;
  size: number;
  head: Uint8Array;
}):
  | { ok: true; kind: EvidenceKind; fileName: string }
  | { ok: false; reason: 'empty' | 'too-large' | 'unsupported-type' | 'extension-mismatch' } {
  if (!(input.size > 0)) return { ok: false, reason: 'empty' };
  if (input.size > MAX_FILE_BYTES) return { ok: false, reason: 'too-large' };
  const kind = sniffEvidenceKind(input.head);
  if (kind === null) return { ok: false, reason: 'unsupported-type' };

  const allowed = ALLOWED_EXTENSIONS[kind];
  const { stem, extension } = splitExtension(sanitiseFileName(input.fileName));
  if (extension === '') return { ok: true, kind, fileName: joinName(stem, allowed[0] ?? '') };
  if (!allowed.includes(extension)) return { ok: false, reason: 'extension-mismatch' };
  return { ok: true, kind, fileName: joinName(stem, extension) };
}
