/**
 * Crime reference numbers: CYB-XXXX-XXXX-C. Eight random Crockford base32 symbols (40 bits) and a Luhn mod 32
 * check symbol, so a mistyped symbol or a swap of neighbours is caught before any lookup.
 */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PREFIX = 'CYB';
const BODY_LENGTH = 8;

function codePoint(symbol: string): number {
  return CROCKFORD.indexOf(symbol);
}

/** Luhn mod N check symbol over base32 symbols. */
export function luhn32CheckSymbol(body: string): string {
  const n = CROCKFORD.length;
  let factor = 2;
  let sum = 0;
  for (let i = body.length - 1; i >= 0; i--) {
    let addend = factor * codePoint(body[i] ?? '');
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / n) + (addend % n);
    sum += addend;
  }
  return CROCKFORD[(n - (sum % n)) % n] ?? '0';
}

/** Makes a new reference from a source of random bytes (crypto.randomBytes in production). */
export function generateCrimeReference(randomBytes: (size: number) => Uint8Array): string {
  const bytes = randomBytes(BODY_LENGTH);
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) body += CROCKFORD.charAt((bytes[i] ?? 0) & 31);
  return formatCrimeReference(body + luhn32CheckSymbol(body));
}

function formatCrimeReference(symbols: string): string {
  return `${PREFIX}-${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8)}`;
}

/**
 * Reads a reference as typed: any case, with or without the CYB prefix, dashes or spaces; Crockford's
 * look-alikes (I, L → 1; O → 0) are accepted. Returns the canonical form, or null when it is not a valid reference.
 */
export function parseCrimeReference(input: string): string | null {
  if (input.length > 40) return null;
  let compact = input.toUpperCase().replace(/[\s\-_.]+/g, '');
  if (compact.startsWith(PREFIX)) compact = compact.slice(PREFIX.length);
  compact = compact.replace(/[IL]/g, '1').replace(/O/g, '0');
  if (compact.length !== BODY_LENGTH + 1) return null;
  if (!/^[0-9A-Z]+$/.test(compact) || compact.split('').some((c) => codePoint(c) < 0)) return null;
  const body = compact.slice(0, BODY_LENGTH);
  if (luhn32CheckSymbol(body) !== compact.slice(BODY_LENGTH)) return null;
  return formatCrimeReference(compact);
}
