import type { IndicatorType } from '../indicators/indicator.ts';

/** The industry sectors Bluelight shares with; each has its own TAXII collections. */
export const SECTORS = ['finance', 'telecoms', 'hosting', 'retail', 'public-sector'] as const;
export type Sector = (typeof SECTORS)[number];

/** Which sector's collections an indicator of each type goes to. */
export const SECTOR_OF_TYPE: Partial<Record<IndicatorType, Sector>> = {
  phone: 'telecoms',
  'uk-bank-account': 'finance',
  iban: 'finance',
  'btc-address': 'finance',
  'eth-address': 'finance',
  url: 'hosting',
  domain: 'hosting',
  ipv4: 'hosting',
  ipv6: 'hosting',
  email: 'hosting',
  md5: 'hosting',
  sha1: 'hosting',
  sha256: 'hosting',
};
/** An organisation victim's sector: its peers want to know. */
export const SECTOR_OF_VICTIM: Readonly<Record<string, Sector>> = {
  finance: 'finance',
  telecoms: 'telecoms',
  technology: 'hosting',
  retail: 'retail',
  'public-sector': 'public-sector',
  health: 'public-sector',
  education: 'public-sector',
};
/** Types of crime that concern a sector whatever the indicator. */
export const SECTOR_OF_CATEGORY: Readonly<Record<string, Sector>> = {
  'online-shopping-fraud': 'retail',
  'card-account-fraud': 'finance',
  'investment-fraud': 'finance',
  'business-email-compromise': 'finance',
  'impersonation-fraud': 'finance',
};
