import { renderSVG } from 'uqr';

/**
 * The otpauth:// URI as an inline SVG QR code (no script, no inline style: the page's CSP allows neither), for
 * the one-time enrolment page. The secret is also shown as text for apps that cannot scan.
 */
export function enrolmentQr(otpauthUri: string, label: string): string {
  const escaped = label.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  return renderSVG(otpauthUri, { border: 2 }).replace(
    '<svg ',
    `<svg role="img" aria-label="${escaped}" width="220" height="220" class="app-enrolment-qr" `,
  );
}

/** A base32 secret in groups of four, easier to type. */
export const groupedSecret = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');
