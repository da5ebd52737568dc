/** Indicator types, in the order they are listed to people. */
export const INDICATOR_TYPES = [
  'url',
  'domain',
  'ipv4',
  'ipv6',
  'email',
  'phone',
  'uk-bank-account',
  'iban',
  'btc-address',
  'eth-address',
  'md5',
  'sha1',
  'sha256',
] as const;

export type IndicatorType = (typeof INDICATOR_TYPES)[number];

export interface Indicator {
  type: IndicatorType;
  /** Normalised: the same thing written two ways has one value. */
  value: string;
}

export function isIndicatorType(value: string): value is IndicatorType {
  return (INDICATOR_TYPES as readonly string[]).includes(value);
}

export function indicatorKey(indicator: Indicator): string {
  return `${indicator.type}\u0000${indicator.value}`;
}

/** Distinct by type and value, keeping the first occurrence's position in the list. */
export function distinctIndicators<T extends Indicator>(indicators: Iterable<T>): T[] {
  const seen = new Map<string, T>();
  for (const indicator of indicators) {
    const key = indicatorKey(indicator);
    if (!seen.has(key)) seen.set(key, indicator);
  }
  return [...seen.values()];
}
