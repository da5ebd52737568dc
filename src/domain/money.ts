/**
 * An amount of money as typed on a form ("1,250.50", "£1250") as pence; null when it is not one. Commas are
 * only thousands separators: "8,50" is refused, never read as £850.
 */
export function penceOf(raw: string): number | null {
  const cleaned = raw.trim().replace(/^£\s*/, '');
  if (!/^(\d+|\d{1,3}(,\d{3})+)(\.\d{1,2})?$/.test(cleaned)) return null;
  const plain = cleaned.replace(/,/g, '');
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(plain)) return null;
  return Math.round(Number(plain) * 100);
}
