/**
 * Personal data inside URLs. Phishing links are often personalised (`…/claim?email=<victim>&mobile=<victim>`, or the
 * same in the path), so a URL found in a narrative or an email body can carry the victim's own details. Pure: the
 * intelligence service stores both forms, the sharing decision uses these to keep personal data in.
 */
import { extractIndicators, normalisePhone } from '../indicators/extract.ts';

const PERSONAL_TYPES: ReadonlySet<string> = new Set(['email', 'phone', 'uk-bank-account', 'iban']);
// A sort code and account number however joined: "209876/11223344", "20-98-76 11223344".
const SORT_CODE_AND_ACCOUNT = /(?<!\d)\d{2}[-\s]?\d{2}[-\s]?\d{2}[\s/._-]{0,3}\d{8}(?!\d)/;

/** The URL without its query string and fragment: scheme, host and path. */
export function withoutQuery(url: string): string {
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}

/** Whether a URL has a query string or fragment (where personalised links put the victim's details). */
export function hasQuery(url: string): boolean {
  return /[?#]/.test(url);
}

/** The URL as text a person would read: percent-decoded ('+' as a space), decoded again if it was encoded twice. */
export function decodedUrl(url: string): string {
  // '+' is a space only as written; a '+' that decoding produced ("%2B44…") is a plus.
  let text = url.replace(/\+/g, ' ');
  for (let i = 0; i < 3; i++) {
    const next = text.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
    if (next === text) break;
    text = next;
  }
  return text;
}

/** The national significant number of a UK or other phone number (digits after the country code), or null. */
function phoneDigits(phone: string): string | null {
  const e164 = normalisePhone(phone);
  if (e164 === null) return null;
  return e164.startsWith('+44') ? e164.slice(3) : e164.slice(1);
}

/**
 * Whether a URL names a person: the reporter's own email or phone anywhere in it (however spelled: +44 or 0,
 * spaces, dots, dashes), or any email address, phone number, sort code and account or IBAN in its path.
 */
export function urlNamesPerson(
  url: string,
  reporters: readonly { email: string | null; phone: string | null }[],
): boolean {
  const text = decodedUrl(url).toLowerCase();
  const digits = text.replace(/[\s.()/-]/g, '');
  for (const reporter of reporters) {
    const email = reporter.email?.trim().toLowerCase() ?? '';
    if (email !== '' && text.includes(email)) return true;
    const phone = reporter.phone === null ? null : phoneDigits(reporter.phone);
    if (phone !== null && phone.length >= 7 && digits.includes(phone)) return true;
  }
  const path = decodedUrl(withoutQuery(url).replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, ''));
  if (SORT_CODE_AND_ACCOUNT.test(path)) return true;
  // Path segments as words, so the extractor sees each one on its own.
  const words = ` ${path.replace(/[/;,=&]/g, ' ')} `;
  return extractIndicators(words).some((i) => PERSONAL_TYPES.has(i.type));
}
