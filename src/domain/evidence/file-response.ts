/**
 * How a stored evidence file is handed to staff. Evidence is hostile: an uploaded page or a file whose bytes
 * look like HTML must never run in the service's origin. So a file is served with the type it was stored with
 * (never one sniffed from its bytes; anything that is not a plain media type becomes application/octet-stream),
 * as a download (or, for an image on the preview allowlist, inline behind a click), with `nosniff`, a sandbox
 * CSP that gives it no origin, scripts or subresources, and `no-store`. Pure.
 */

export const FALLBACK_CONTENT_TYPE = 'application/octet-stream';

/** RFC 9110 token characters: a media type is `token/token` (no parameters, nothing that could end a header). */
const TOKEN = "[!#$%&'*+.^_`|~0-9a-z-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}$`);

/** The type a stored file is served with: the stored type when it is a plain media type, else octet-stream. */
export function servedContentType(stored: string): string {
  const type = stored.trim().toLowerCase();
  return MEDIA_TYPE.test(type) ? type : FALLBACK_CONTENT_TYPE;
}

/** The only images shown in a browser (behind a click); anything else is downloaded. SVG can carry script. */
export const PREVIEW_IMAGE_TYPES: readonly string[] = Object.freeze([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
]);

export type PreviewKind = 'text' | 'email' | 'image';

/** What a file may be previewed as, from its stored type only: text, an email (.eml), an image, or not at all. */
export function previewKindOf(storedType: string): PreviewKind | null {
  const type = servedContentType(storedType);
  if (type === 'text/plain') return 'text';
  if (type === 'message/rfc822') return 'email';
  return PREVIEW_IMAGE_TYPES.includes(type) ? 'image' : null;
}

/** RFC 8187 attr-char: what `filename*` may carry unencoded. */
const ATTR_CHAR = /^[A-Za-z0-9!#$&+\-.^_`|~]$/;

/**
 * An RFC 6266 Content-Disposition: a plain-ASCII `filename` for old clients (no quote, backslash or percent, which
 * some decode) and the exact name as UTF-8 in `filename*`. Control and format characters and path separators are
 * dropped from both, so the name cannot end the header or pick a folder.
 */
export function contentDisposition(disposition: 'attachment' | 'inline', fileName: string): string {
  const name =
    fileName
      .normalize('NFC')
      .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, '')
      .replace(/[/\\]/g, '_')
      .trim() || 'evidence';
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = Array.from(new TextEncoder().encode(name), (byte) => {
    const char = String.fromCharCode(byte);
    return byte < 0x80 && ATTR_CHAR.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A sandboxed document with nothing allowed: no script, no origin, no subresources, no plugins. */
export const FILE_CSP = "sandbox; default-src 'none'";

/** Every header a served evidence file carries. */
export function fileHeaders(
  disposition: 'attachment' | 'inline',
  fileName: string,
  contentType: string,
): Record<string, string> {
  return {
    'content-type': contentType,
    'content-disposition': contentDisposition(disposition, fileName),
    'x-content-type-options': 'nosniff',
    'content-security-policy': FILE_CSP,
    'cache-control': 'no-store',
  };
}
