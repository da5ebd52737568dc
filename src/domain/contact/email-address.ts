/**
 * The one rule for an email address typed or sent to Bluelight: the public forms, the partner and staff APIs (as
 * their JSON Schema `email` format), staff accounts, the CLI and the reference data all check with it. Deliberately
 * plain: something@somewhere.tld, without spaces, angle brackets or the characters that would let one field name
 * two addresses (`,` `;`) or a display name (`"` `(` `)` `:`), so a stored address can go into an email header
 * as it is. Finding addresses inside free text is another job (privacy/mask-identifiers.ts).
 */
export const EMAIL_ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;

export function isEmailAddress(text: string): boolean {
  return EMAIL_ADDRESS.test(text);
}
