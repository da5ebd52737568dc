/**
 * What an officer reads of an email saved as .eml before deciding to download it: From, To, Subject and Date, the
 * plain-text body, and the names of its attachments. Emails are hostile input: an HTML body is never rendered or
 * turned into text here (it may be built to mislead or to call home), nothing is fetched, attachments are not
 * opened, and what is returned is text for an autoescaping page.
 */
import { simpleParser, type AddressObject } from 'mailparser';
import { MAX_EML_BYTES } from '../indicators/eml.ts';

/** The most body text a preview shows; the rest is for the download. */
export const MAX_PREVIEW_CHARS = 200_000;

export interface EmlPreview {
  from: string;
  to: string;
  subject: string;
  /** The Date header as written (mailparser puts "now" in place of a date it cannot read). */
  date: string;
  /** The text/plain body; empty when the email has none. */
  text: string;
  truncated: boolean;
  /** It has an HTML body, which is not shown. */
  hasHtml: boolean;
  attachments: string[];
}

const addressText = (value: AddressObject | AddressObject[] | undefined) =>
  (value === undefined ? [] : Array.isArray(value) ? value : [value]).map((a) => a.text).join(', ');

/** Text a page can show on one line: no control or bidirectional-override characters. */
const oneLine = (text: string) => text.replace(/[\p{Cc}\p{Cf}]/gu, ' ').trim();

/**
 * Body text with its lines and tabs kept, but no other control characters and no bidirectional overrides (which
 * can make a page show text in another order than it is written).
 */
const body = (text: string) => text.replace(/\r\n?/g, '\n').replace(/(?![\t\n])[\p{Cc}\p{Cf}]/gu, '');

/** The preview, or null when the file cannot be read as an email (or is larger than any upload). */
export async function previewEml(raw: Buffer): Promise<EmlPreview | null> {
  if (raw.length > MAX_EML_BYTES) return null;
  try {
    const mail = await simpleParser(raw, {
      skipHtmlToText: true,
      skipImageLinks: true,
      skipTextToHtml: true,
      skipTextLinks: true,
    });
    const dateLine = mail.headerLines.find((h) => h.key === 'date')?.line ?? '';
    const text = body(mail.text ?? '');
    return {
      from: oneLine(addressText(mail.from)),
      to: oneLine(addressText(mail.to)),
      subject: oneLine(mail.subject ?? ''),
      date: oneLine(dateLine.replace(/^date:/i, '')),
      text: text.slice(0, MAX_PREVIEW_CHARS),
      truncated: text.length > MAX_PREVIEW_CHARS,
      hasHtml: typeof mail.html === 'string' && mail.html !== '',
      attachments: mail.attachments.map((a) => oneLine(a.filename ?? '')),
    };
  } catch {
    return null;
  }
}

/** A text file as a preview shows it: UTF-8 (bad bytes replaced), cut at MAX_PREVIEW_CHARS. */
export function previewText(raw: Uint8Array): { text: string; truncated: boolean } {
  const text = body(new TextDecoder('utf-8').decode(raw));
  return { text: text.slice(0, MAX_PREVIEW_CHARS), truncated: text.length > MAX_PREVIEW_CHARS };
}
