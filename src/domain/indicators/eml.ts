/**
 * Indicators from an email saved as .eml: sender addresses, the IPs that relayed it, the Message-ID domain, links in
 * the text and HTML parts (href targets as well as visible text) and attachment hashes. The recipient's own
 * address (To, Cc) is never read: it is the victim's.
 *
 * Emails are hostile input. mailparser only decodes; nothing is rendered, fetched or run, archives are never opened,
 * and the sizes it works on are capped so a crafted message cannot exhaust memory or time.
 */
import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type HeaderValue } from 'mailparser';
import { extractIndicators, normaliseHostname } from './extract.ts';
import { indicatorKey, type Indicator } from './indicator.ts';

export const MAX_EML_BYTES = 20 * 1024 * 1024;
const MAX_HEADER_BYTES = 256 * 1024;
const MAX_TEXT_CHARS = 2 * 1024 * 1024;

export interface EmlIndicator extends Indicator {
  /** Where in the email it was found, e.g. "header:from", "body:html", "attachment:invoice.zip". */
  foundIn: string[];
}

export interface EmlAttachment {
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
}

// Headers written by the sending and relaying systems: what they name is the sender's, never the recipient's.
const SENDER_HEADERS: ReadonlySet<string> = new Set([
  'from',
  'reply-to',
  'return-path',
  'sender',
  'received',
  'x-originating-ip',
  'x-sender-ip',
  'message-id',
]);

/**
 * Whether a place an indicator was found ("header:from", "body:text"…) is a sender or relay header. In a forward
 * (see `forwarded`) these are the victim's own (their other mailbox, their home IP), not the scammer's.
 */
export function isSenderHeader(foundIn: string): boolean {
  return foundIn.startsWith('header:') && SENDER_HEADERS.has(foundIn.slice('header:'.length));
}

// English and Welsh forward prefixes, and the markers mail clients put above a forwarded message.
const FORWARD_SUBJECT = /^\s*(?:fwd?|ymlaen)\s*:/i;
const FORWARD_MARKER =
  /-{2,}\s*(?:forwarded message|original message)\s*-{2,}|begin forwarded message\s*:|-{2,}\s*neges wedi'i hanfon ymlaen/i;

// mailparser shows an attached message inline, so the raw MIME part header is what tells.
const ATTACHED_MESSAGE = /^content-type:[ \t]*message\/rfc822/im;

/** Whether an email is the victim forwarding the scam on, from its subject, body markers or an attached message. */
export function isForward(subject: string, text: string, raw: string): boolean {
  return FORWARD_SUBJECT.test(subject) || FORWARD_MARKER.test(text) || ATTACHED_MESSAGE.test(raw);
}

export type EmlResult =
  | {
      ok: true;
      subject: string;
      /** A forward: its outer sender and relay headers are the victim's, not the scammer's. */
      forwarded: boolean;
      indicators: EmlIndicator[];
      attachments: EmlAttachment[];
    }
  | { ok: false; reason: 'too-large' | 'headers-too-large' | 'unreadable' };

class Collector {
  readonly byKey = new Map<string, EmlIndicator>();

  add(indicators: readonly Indicator[], where: string): void {
    for (const { type, value } of indicators) {
      const key = indicatorKey({ type, value });
      const existing = this.byKey.get(key);
      if (existing === undefined) this.byKey.set(key, { type, value, foundIn: [where] });
      else if (!existing.foundIn.includes(where)) existing.foundIn.push(where);
    }
  }
}

function headerBlockLength(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const ends = [crlf, lf].filter((i) => i >= 0);
  return ends.length === 0 ? raw.length : Math.min(...ends);
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: string[] = [];
  const walk = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.address !== undefined && entry.address !== '') out.push(entry.address);
      if (entry.group !== undefined) walk(entry.group);
    }
  };
  for (const object of objects) walk(object.value);
  return out;
}

function headerText(value: HeaderValue | undefined): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((v) => headerText(v as HeaderValue));
  if (value instanceof Date) return [];
  if ('value' in value && Array.isArray(value.value)) return addresses(value as AddressObject);
  if ('value' in value && typeof value.value === 'string') return [value.value];
  return [];
}

/** Only the IPs and emails that a header names; the header's free text is not read as indicators. */
function onlyTypes(indicators: Indicator[], types: readonly string[]): Indicator[] {
  return indicators.filter((i) => types.includes(i.type));
}

/** The "from" part of a Received header names the machine that handed the message on. */
function receivedFromPart(received: string): string {
  const from = /\bfrom\b([\s\S]*?)(?:\bby\b|$)/i.exec(received)?.[1] ?? '';
  return from.replace(/IPv6:/gi, ' ');
}

async function collect(
  raw: Buffer,
  into: Collector,
  attachments: EmlAttachment[],
): Promise<{ subject: string; forwarded: boolean }> {
  const mail = await simpleParser(raw, {
    skipImageLinks: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    maxHtmlLengthToParse: MAX_TEXT_CHARS,
  });
  const email = (list: string[], where: string) => {
    into.add(onlyTypes(extractIndicators(list.join('\n')), ['email', 'domain']), `header:${where}`);
  };
  email(addresses(mail.from), 'from');
  email(addresses(mail.replyTo), 'reply-to');
  email(headerText(mail.headers.get('return-path')), 'return-path');
  email(headerText(mail.headers.get('sender')), 'sender');
  for (const received of headerText(mail.headers.get('received'))) {
    into.add(onlyTypes(extractIndicators(receivedFromPart(received)), ['ipv4', 'ipv6']), `header:received`);
  }
  for (const name of ['x-originating-ip', 'x-sender-ip']) {
    const values = headerText(mail.headers.get(name)).join(' ').replace(/[[\]]/g, ' ');
    into.add(onlyTypes(extractIndicators(values), ['ipv4', 'ipv6']), `header:${name}`);
  }
  const messageIdDomain = normaliseHostname(/@([^>\s]+)>?\s*$/.exec(mail.messageId ?? '')?.[1] ?? '');
  if (messageIdDomain !== null) into.add([{ type: 'domain', value: messageIdDomain }], `header:message-id`);
  into.add(extractIndicators(mail.subject ?? ''), `header:subject`);
  into.add(extractIndicators((mail.text ?? '').slice(0, MAX_TEXT_CHARS)), `body:text`);
  if (typeof mail.html === 'string') {
    into.add(extractIndicators(mail.html.slice(0, MAX_TEXT_CHARS), { html: true }), `body:html`);
  }
  for (const attachment of mail.attachments) {
    const fileName = attachment.filename ?? '(no name)';
    const sha256 = createHash('sha256').update(attachment.content).digest('hex');
    attachments.push({ fileName, contentType: attachment.contentType, size: attachment.size, sha256 });
    into.add([{ type: 'sha256', value: sha256 }], `attachment:${fileName}`);
  }
  const html = typeof mail.html === 'string' ? mail.html.slice(0, MAX_TEXT_CHARS) : '';
  const forwarded = isForward(
    mail.subject ?? '',
    `${(mail.text ?? '').slice(0, MAX_TEXT_CHARS)}\n${html}`,
    raw.toString('latin1'),
  );
  return { subject: mail.subject ?? '', forwarded };
}

export async function extractFromEml(raw: Buffer): Promise<EmlResult> {
  if (raw.length > MAX_EML_BYTES) return { ok: false, reason: 'too-large' };
  if (headerBlockLength(raw) > MAX_HEADER_BYTES) return { ok: false, reason: 'headers-too-large' };
  const into = new Collector();
  const attachments: EmlAttachment[] = [];
  try {
    const { subject, forwarded } = await collect(raw, into, attachments);
    return { ok: true, subject, forwarded, indicators: [...into.byKey.values()], attachments };
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
}
